"""Redaction (assistant/redact.py) with generated numbers: every ID form, phones, e-mails, logs.

The ID numbers are generated, never real: fødselsnummer with valid and with invalid check
digits (the format changes from 2032, so check digits are not relied on), D-numbers (day + 40)
and H-numbers (month + 40), in every grouping and separator, followed by punctuation.
"""

from __future__ import annotations

import logging
import random
import warnings

import pytest

from assistant.redact import redact, redact_record

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digits(nine: str) -> str | None:
    k1 = 11 - sum(int(d) * w for d, w in zip(nine, W1)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = 11 - sum(int(d) * w for d, w in zip(ten, W2)) % 11
    k2 = 0 if k2 == 11 else k2
    return None if k2 == 10 else f"{k1}{k2}"


def generated_numbers(seed: int = 13, count: int = 12) -> list[tuple[str, str]]:
    """(kind, 11 digits): fødselsnummer, D- and H-numbers, valid and invalid check digits."""
    rng = random.Random(seed)
    numbers = []
    while len(numbers) < count * 6:
        day, month, year, person = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99), rng.randint(0, 999)
        for kind, d, m in (("fnr", day, month), ("d", day + 40, month), ("h", day, month + 40)):
            nine = f"{d:02d}{m:02d}{year:02d}{person:03d}"
            valid = check_digits(nine)
            if valid is None:
                continue
            numbers.append((f"{kind}-gyldig", nine + valid))
            wrong = f"{(int(valid) + 1 + rng.randint(0, 97)) % 100:02d}"
            numbers.append((f"{kind}-ugyldig", nine + wrong))
    return numbers[: count * 6]


SEPARATORS = [" ", ".", "-", "/", "\u2013", "\u00a0", " - ", " / ", "\u202f"]


def groupings(number: str) -> list[str]:
    """The forms people write: 11 digits, 6+5, 6+3+2, DD MM YY + 5, each with every separator."""
    dd, mm, yy, ind, cc = number[0:2], number[2:4], number[4:6], number[6:9], number[9:11]
    forms = [number]
    for sep in SEPARATORS:
        forms += [
            f"{dd}{mm}{yy}{sep}{ind}{cc}",
            f"{dd}{mm}{yy}{sep}{ind}{sep}{cc}",
            f"{dd}{sep}{mm}{sep}{yy}{sep}{ind}{cc}",
            f"{dd}{sep}{mm}{sep}{yy} {ind}{cc}",
        ]
    forms += [f"{dd}.{mm}.{yy} {ind}{cc}", f"{dd}{mm}{yy} {ind} {cc}", f"{dd} {mm} {yy} {ind}{cc}"]
    return forms


@pytest.mark.parametrize("kind, number", generated_numbers())
def test_gitt_generert_id_nummer_i_alle_grupperinger_og_foran_tegnsetting_saa_fjernes_det(kind, number):
    for form in groupings(number):
        for after in ("", ".", ",", "!", "?", ")", ":", ";", " og mer"):
            text = f"nummeret mitt er {form}{after}"
            redacted = redact(text)
            assert redacted == f"nummeret mitt er [personnummer]{after}", (kind, form, after, redacted)


@pytest.mark.parametrize(
    "phone",
    [
        "91234567",
        "912 34 567",
        "91 23 45 67",
        "+47 91234567",
        "+4791234567",
        "0047 912 34 567",
        "+47 91 23 45 67",
        "912-34-567",
        "73\u00a080\u00a000\u00a000",
    ],
)
@pytest.mark.parametrize("after", ["", ".", ",", "!", ")", "?"])
def test_gitt_telefonnummer_ogsaa_foran_punktum_saa_fjernes_det(phone, after):
    assert redact(f"Ring meg på {phone}{after}") == f"Ring meg på [telefon]{after}"


@pytest.mark.parametrize("email", ["ola.nordmann@example.no", "kari+helse@sub.example.com"])
@pytest.mark.parametrize("after", ["", ".", ",", ")"])
def test_gitt_e_postadresse_saa_fjernes_den(email, after):
    assert redact(f"skriv til {email}{after}") == f"skriv til [e-post]{after}"


@pytest.mark.parametrize(
    "text",
    [
        "ring 113 eller 116 117 eller 116 123",
        "feber i 3 dager, 38,5 grader",
        "neste revisjon 01.11.2027",
        "det startet 12.05.2024 kl 14",
        "i 2023 og 2024 hadde jeg 3 anfall",
        "blodtrykk 140/90, puls 88",
    ],
)
def test_gitt_helsetekst_og_nasjonale_numre_saa_staar_de_urort(text):
    assert redact(text) == text


def test_gitt_loggpost_med_traceback_og_advarsel_saa_redigeres_alt_i_meldingen():
    logger = logging.getLogger("test.redact")
    try:
        raise ValueError("fnr 01019012345 i unntaket")
    except ValueError as exc:
        record = logger.makeRecord(
            "test.redact", logging.ERROR, __file__, 1, "tlf %s", ("912 34 567.",), (type(exc), exc, exc.__traceback__)
        )
    redact_record(record)
    formatted = logging.Formatter().format(record)
    assert "01019012345" not in formatted and "912 34 567" not in formatted
    assert "[personnummer]" in formatted and "[telefon]" in formatted and "ValueError" in formatted


def test_gitt_userwarning_med_brukertekst_saa_gaar_den_gjennom_loggredigeringen(caplog):
    from assistant.rasa_main import route_warnings_and_exceptions_through_logging

    route_warnings_and_exceptions_through_logging()
    try:
        with caplog.at_level(logging.WARNING, logger="py.warnings"):
            warnings.warn("Parsing of message '/jeg heter Ola, fnr 010190 123 45' failed", UserWarning, stacklevel=1)
    finally:
        logging.captureWarnings(False)
    text = caplog.text
    assert "010190 123 45" not in text and "[personnummer]" in text
