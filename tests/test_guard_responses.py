"""The guard's domain replies (assistant/guard_responses.py): generated from content_model/contacts.py."""

from __future__ import annotations

import pytest

from assistant import guard_responses as guard
from content_model.contacts import ALWAYS, CRISIS, NUMBERS


def test_committed_guard_files_are_exactly_the_generated_ones():
    """Proves nobody hand-edited the numbers: run `python -m assistant.guard_responses` if this fails."""
    assert guard.DOMAIN_FILE.read_text(encoding="utf-8") == guard.domain_yaml()
    assert guard.RULES_FILE.read_text(encoding="utf-8") == guard.rules_yaml()


@pytest.mark.parametrize("lang", guard.LANGUAGES)
def test_gitt_noedsituasjon_saa_begynner_svaret_med_113_paa_riktig_spraak(lang):
    text = guard.text("red_flag_emergency", lang)
    assert text.startswith({"nb": "Ring 113", "nn": "Ring 113", "en": "Call 113"}[lang])
    assert NUMBERS["emergency"].name[lang] in text or NUMBERS["emergency"].name[lang].lower() in text


@pytest.mark.parametrize("lang", guard.LANGUAGES)
def test_gitt_krise_saa_har_svaret_113_mental_helse_kirkens_sos_og_legevakten(lang):
    text = guard.text("red_flag_crisis", lang)
    for key in CRISIS:
        assert NUMBERS[key].display in text, key
    assert [n["key"] for n in guard.payload("red_flag_crisis", lang)["numbers"]] == list(CRISIS)


@pytest.mark.parametrize("kind", ["too_long", "unavailable"])
@pytest.mark.parametrize("lang", guard.LANGUAGES)
def test_gitt_for_lang_eller_utilgjengelig_saa_kommer_de_nasjonale_numrene(kind, lang):
    text = guard.text(kind, lang)
    for key in ALWAYS:
        assert NUMBERS[key].display in text
    payload = guard.payload(kind, lang)
    assert payload["type"] == "numbers" and payload["language"] == lang
    assert {n["tel"] for n in payload["numbers"]} == {NUMBERS[k].tel for k in ALWAYS}


def test_the_numbers_come_from_contacts_when_contacts_change(monkeypatch):
    """A changed number in contacts.py changes the generated replies: nothing is copied by hand."""
    from content_model import contacts

    changed = contacts.Number("legevakt", "999", "9 9 9", contacts.NUMBERS["legevakt"].name)
    monkeypatch.setitem(contacts.NUMBERS, "legevakt", changed)
    monkeypatch.setattr(guard, "NUMBERS", contacts.NUMBERS)
    assert "9 9 9" in guard.text("too_long", "nb") and "116 117" not in guard.text("too_long", "nb")
