"""The national numbers and limits every room shares, written once.

The care cards, the site's templates, the triage engine, the red-flag guard's replies in the
Rasa domain (generated from here) and the chat widget's fallback all take their numbers from
this module. Only numbers published by the services themselves are listed; a local number
(a legevakt, a maternity ward) comes from the services catalogue, never from here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Longest message or query a person may send (characters). Longer input gets a polite
#: "too long" answer with the national numbers, never a crash.
MAX_MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class Number:
    key: str
    tel: str  # digits only, for tel: links
    display: str  # as printed ("116 117")
    name: dict[str, str]  # by language: nb, nn, en

    def href(self) -> str:
        return f"tel:{self.tel}"


NUMBERS: dict[str, Number] = {
    n.key: n
    for n in (
        Number("emergency", "113", "113", {"nb": "Medisinsk nødtelefon", "nn": "Medisinsk naudtelefon", "en": "Medical emergency number"}),
        Number("legevakt", "116117", "116 117", {"nb": "Legevakten", "nn": "Legevakta", "en": "Out-of-hours medical service (legevakt)"}),
        Number(
            "mental_helse",
            "116123",
            "116 123",
            {"nb": "Mental Helses hjelpetelefon", "nn": "Mental Helse sin hjelpetelefon", "en": "Mental Helse helpline"},
        ),
        Number("kirkens_sos", "22400040", "22 40 00 40", {"nb": "Kirkens SOS", "nn": "Kirkens SOS", "en": "Kirkens SOS crisis line"}),
        Number(
            "giftinformasjonen",
            "22591300",
            "22 59 13 00",
            {"nb": "Giftinformasjonen", "nn": "Giftinformasjonen", "en": "Norwegian Poison Information Centre"},
        ),
        Number(
            "alarmtelefonen",
            "116111",
            "116 111",
            {
                "nb": "Alarmtelefonen for barn og unge",
                "nn": "Alarmtelefonen for barn og unge",
                "en": "Helpline for children and young people",
            },
        ),
    )
}

#: The numbers every answer of the assistant and every fallback shows.
ALWAYS = ("emergency", "legevakt", "mental_helse")
#: The numbers a crisis answer (suicide, self-harm) always carries, besides the legevakt.
CRISIS = ("emergency", "mental_helse", "kirkens_sos", "legevakt")
#: The number each level of a care card rings (``tel:``): 113, or the legevakt's 116 117; the
#: fastlege and self-care have none. The engine's answer and the site's care card both use it.
LEVEL_TEL: dict[str, str | None] = {
    "emergency": NUMBERS["emergency"].tel,
    "urgent": NUMBERS["legevakt"].tel,
    "gp": None,
    "self_care": None,
}


def with_numbers(tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Texts by language with ``{emergency}``, ``{legevakt}`` … filled in from ``NUMBERS``
    (write ``{{other}}`` for a placeholder that is filled in later)."""
    numbers = {key: number.display for key, number in NUMBERS.items()}
    return {language: {key: text.format(**numbers) for key, text in texts.items()} for language, texts in tables.items()}


def display(key: str) -> str:
    return NUMBERS[key].display


def tel(key: str) -> str:
    return NUMBERS[key].tel
