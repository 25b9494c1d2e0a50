"""rasa_sdk actions with tracker fixtures and a CollectingDispatcher (no servers)."""

from __future__ import annotations

import re

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.conversation import ActionFallback, ActionMunicipality, ActionTooLong
from assistant.actions.groups import ActionFindGroups
from assistant.actions.portal import ActionPortalLink
from assistant.actions.services import ActionFindService, wanted_types
from assistant.actions.triage import ActionRedFlag, ActionTriage, ActionTriageAnswer
from assistant.portal import ROUTES_FILE, load_routes
from helseinfo.kernel.paths import PROJECT


def tracker(text: str, intent: str = "describe_symptom", slots: dict | None = None, metadata: dict | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": metadata or {}}
    return Tracker("test", slots or {}, message, [], False, None, {}, "action_listen")


def run(action, track: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, track, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def custom(messages, kind):
    return [m["custom"] for m in messages if m.get("custom", {}).get("type") == kind]


def test_triage_emergency_recommends_113_with_reasons_and_article():
    messages, _ = run(ActionTriage(), tracker("Han har plutselig skjev munn og snøvler"))
    [payload] = custom(messages, "triage")
    assert payload["level"] == "emergency" and payload["tel"] == "113"
    assert messages[0]["text"].startswith("Ring 113 nå.")
    assert payload["reasons"] and payload["article"]["url"].startswith("http://127.0.0.1:8000/nb/")


def test_triage_asks_one_follow_up_question_with_buttons_and_keeps_the_text():
    messages, slots = run(ActionTriage(), tracker("Barnet mitt har feber"))
    assert [m["text"] for m in messages] == ["Er barnet under 3 måneder?"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Ja", "Nei", "Vet ikke"]
    assert slots["triage_question"] == "feber-spedbarn" and slots["triage_text"] == "Barnet mitt har feber"


def test_yes_to_the_infant_question_gives_urgent_and_the_legevakt_covering_the_municipality():
    slots = {"triage_question": "feber-spedbarn", "triage_text": "Barnet mitt har feber", "triage_answers": {}, "municipality": "5006"}
    messages, events = run(ActionTriageAnswer(), tracker("/affirm", intent="affirm", slots=slots))
    [payload] = custom(messages, "triage")
    assert payload["level"] == "urgent" and payload["tel"] == "116117"
    assert "legevakt" in payload["legevakt"]["name"].lower() and "Steinkjer" in messages[0]["text"]
    assert events["triage_question"] is None


def test_no_to_every_question_about_a_childs_fever_ends_at_the_legevakt_marked_uncertain():
    """Denied danger signs are not evidence that the child is well (self-care needs that), so
    after the last question the answer is the legevakt, uncertain, with 113 in the text."""
    slots = {"triage_question": "feber-spedbarn", "triage_text": "Barnet mitt har feber", "triage_answers": {}}
    for _ in range(10):
        messages, events = run(ActionTriageAnswer(), tracker("/deny", intent="deny", slots=slots))
        if custom(messages, "triage"):
            break
        slots = {**slots, **events}
    [payload] = custom(messages, "triage")
    assert (payload["level"], payload["tel"], payload["uncertain"]) == ("urgent", "116117", True)
    assert "113" in messages[0]["text"] and "116 117" in messages[0]["text"]


def test_answer_without_a_pending_question_asks_for_a_description():
    messages, _ = run(ActionTriageAnswer(), tracker("ja", intent="affirm"))
    assert "Fortell kort hva som plager deg" in messages[0]["text"]


def test_red_flag_in_nynorsk_crisis_carries_every_helpline():
    messages, _ = run(ActionRedFlag(), tracker("eg har tankar om sjølvmord og veit ikkje kva eg skal gjere"))
    text = " ".join(m["text"] for m in messages)
    for number in ("113", "116 123", "22 40 00 40", "116 117"):
        assert number in text
    assert custom(messages, "triage")[0]["crisis"] is True


def test_english_red_flag_is_answered_in_english():
    messages, _ = run(ActionRedFlag(), tracker("my father has slurred speech and his face is drooping"))
    assert messages[0]["text"].startswith("Call 113")


@pytest.mark.parametrize(
    "text, types",
    [
        ("hvor er legevakta", ["legevakt"]),
        ("kva sjukehus høyrer Stjørdal til", ["sykehus"]),
        ("lærings- og mestringssenter i Ålesund", ["lms"]),
        ("er det frisklivssentral her", ["frisklivssentral"]),
        ("hjelp", ["legevakt", "sykehus"]),
    ],
)
def test_service_words_in_both_written_standards(text, types):
    assert wanted_types(text) == types


def test_find_service_without_a_place_asks_for_the_municipality_and_remembers_the_request():
    messages, slots = run(ActionFindService(), tracker("hvor er legevakten", intent="find_service"))
    assert "kommune" in messages[0]["text"]
    assert slots["pending_request"] == "service:hvor er legevakten"
    messages, slots = run(ActionMunicipality(), tracker("Levanger", intent="inform_municipality", slots=slots))
    [payload] = custom(messages, "services")
    assert payload["municipality"] == "5037" and payload["items"][0]["service_type"] == "legevakt"
    assert slots["municipality"] == "5037"


def test_everyday_word_that_is_also_a_municipality_needs_a_capital_or_a_preposition():
    from assistant.actions.common import find_municipality

    assert find_municipality("eg skal heim no") is None
    assert find_municipality("eg bur i heim").number == "5055"
    assert find_municipality("Legevakt Heim").number == "5055"


def test_groups_for_diabetes_in_steinkjer_link_to_group_pages():
    messages, slots = run(ActionFindGroups(), tracker("Jeg har fått diabetes type 2 og bor i Steinkjer", intent="find_group"))
    [payload] = custom(messages, "groups")
    assert payload["items"] and slots["municipality"] == "5006"
    assert all(re.match(r"http://127\.0\.0\.1:8000/tjenester/grupper/[a-z0-9-]+/$", item["url"]) for item in payload["items"])


def test_groups_without_a_condition_asks_which():
    messages, _ = run(ActionFindGroups(), tracker("finnes det kurs?", intent="find_group"))
    assert "Hvilken sykdom" in messages[0]["text"]


def test_every_portal_intent_has_a_route_and_every_link_comes_from_the_allow_list():
    domain = yaml.safe_load((PROJECT / "assistant" / "domain" / "portal.yml").read_text())
    routes = load_routes(ROUTES_FILE)
    tasks = [intent.removeprefix("portal_") for intent in domain["intents"]]
    assert sorted(tasks) == sorted(routes)
    for task in tasks:
        messages, _ = run(ActionPortalLink(), tracker("x", intent=f"portal_{task}", metadata={"language": "nn"}))
        [payload] = custom(messages, "portal_link")
        assert payload["url"] == "/portal" + routes[task].path
        assert payload["login_required"] is True and "BankID" in messages[0]["text"]


def test_portal_base_url_comes_from_configuration(monkeypatch):
    monkeypatch.setenv("HELSEINFO_PORTAL_URL", "https://portal.helse.test/")
    messages, _ = run(ActionPortalLink(), tracker("x", intent="portal_read_record", metadata={"logged_in": True}))
    assert custom(messages, "portal_link")[0]["url"] == "https://portal.helse.test/journal"
    assert "BankID" not in messages[0]["text"]


def test_fallback_triages_recognisable_symptoms_and_otherwise_gives_the_numbers():
    messages, _ = run(ActionFallback(), tracker("gulsott hos babyen min", intent="nlu_fallback"))
    [question] = messages  # the jaundice card's first question, with yes/no buttons
    assert question["text"] == "Har barnet vært gult i mer enn 2 uker?" and len(question["buttons"]) >= 2
    assert not custom(messages, "triage")
    messages, _ = run(ActionFallback(), tracker("blablabla", intent="nlu_fallback"))
    assert "113" in messages[0]["text"] and "116 117" in messages[0]["text"] and "116 123" in messages[0]["text"]


def test_too_long_message_gets_a_polite_answer_with_the_numbers():
    messages, _ = run(ActionTooLong(), tracker("a " * 3000))
    assert "for lang" in messages[0]["text"] and "113" in messages[0]["text"]


def test_more_told_instead_of_an_answer_is_assessed_with_what_was_said_before():
    """Gitt a pending question about the diarrhoea's duration, når the parent writes that the
    child will not drink, så the child's age and the diarrhoea are still known: urgent."""
    slots = {
        "triage_question": "barn-diare-lenge",
        "triage_text": "Datteren min på 2 år har hatt diaré og kastet opp siden i natt",
        "triage_answers": {},
    }
    messages, events = run(ActionTriage(), tracker("Hun vil ikke drikke", slots=slots))
    [payload] = custom(messages, "triage")
    assert payload["level"] == "urgent"
    assert "barn-holder-ikke-paa-drikke" in [r["criterion"] for r in payload["reasons"]]
    assert events["triage_question"] is None


def test_english_gets_an_answer_in_english_without_norwegian_follow_up_questions():
    messages, _ = run(ActionTriage(), tracker("My baby has a fever"))
    assert not any(m.get("buttons") for m in messages)
    [payload] = custom(messages, "triage")
    assert payload["language"] == "en"
    text = " ".join(m.get("text") or "" for m in messages)
    # Gitt engelsk, der kortets spørsmål ikke kan stilles, så teller «under 3 måneder?» som
    # «vet ikke»: legevakten, med 113 i samme svar, og svaret sier at det er usikkert.
    assert payload["level"] == "urgent" and payload["uncertain"] is True
    assert "116 117" in text and "113" in text


def test_something_added_after_the_advice_is_assessed_with_what_came_before():
    """Gitt advice already given (self-care for a child's diarrhoea), når the parent adds that
    the child will not drink (classified as 'deny'), så the answer is reassessed: urgent."""
    slots = {"triage_question": None, "triage_text": "Datteren min på 2 år har diaré og kaster opp", "triage_answers": {}}
    messages, _ = run(ActionTriageAnswer(), tracker("Hun vil ikke drikke", intent="deny", slots=slots))
    [payload] = custom(messages, "triage")
    assert payload["level"] == "urgent"
    bare, _ = run(ActionTriageAnswer(), tracker("nei takk", intent="deny", slots=slots))
    assert not custom(bare, "triage")  # a plain "no thanks" adds nothing


def guard_reply(text: str, **slots) -> Tracker:
    """The tracker the action server gets after the guard's 113: the user message, then the
    guard's reply with its finding in the ``ActionExecuted`` metadata (``assistant/policies.py``)."""
    from assistant.actions.common import engine
    from assistant.triage import finding

    found = finding.to_json(engine().red_flags(text))
    message = {"text": text, "intent": {"name": "describe_symptom", "confidence": 0.9}, "entities": [], "metadata": {}}
    events = [
        {"event": "user", "text": text},
        {"event": "action", "name": "utter_red_flag_emergency_nb", "metadata": {finding.METADATA_KEY: found}},
        {"event": "bot", "text": "Ring 113"},
    ]
    return Tracker("test", slots, message, events, False, None, {}, "utter_red_flag_emergency_nb")


def test_red_flag_explains_the_guards_finding_without_assessing_the_text_again(monkeypatch):
    from assistant.actions import triage as triage_actions
    from assistant.actions.common import engine

    text = "Jeg har sterke brystsmerter og er kaldsvett"
    track = guard_reply(text)
    expected = engine().red_flags(text)

    class NoEngine:
        def red_flags(self, _text):
            raise AssertionError("the action assessed the text a second time")

    monkeypatch.setattr(triage_actions, "engine", lambda: NoEngine())
    messages, slots = run(ActionRedFlag(), track)
    [payload] = custom(messages, "triage")
    assert payload["level"] == "emergency" and payload["tel"] == "113"
    assert [r["criterion"] for r in payload["reasons"]] == [m.criterion for m in expected.reasons()]
    assert messages[0]["text"].startswith("Ring 113 nå.") and payload["article"]["url"].endswith("/akutt/")
    assert slots["triage_text"] is None


def test_red_flag_without_a_finding_still_assesses_and_gives_113():
    messages, _ = run(ActionRedFlag(), tracker("Jeg har sterke brystsmerter og er kaldsvett"))
    assert custom(messages, "triage")[0]["tel"] == "113"


def publish_release(tmp_path, name: str, title_suffix: str):
    """A data release of the project's content with one article's title changed, at ``tmp_path/release``."""
    import shutil

    from helseinfo.kernel.paths import CONTENT
    from helseinfo.kernel.releases import publish, write_data_release

    source = tmp_path / f"src-{name}"
    shutil.copytree(CONTENT, source)
    article = source / "nb" / "helvetesild.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("title: Helvetesild", f"title: Helvetesild {title_suffix}", 1), encoding="utf-8"
    )
    release = tmp_path / ".release-releases" / name
    manifest = write_data_release(release, {"content": source})
    publish(release, tmp_path / "release")
    return manifest


def test_gitt_en_ny_utgave_saa_leser_handlingene_den_uten_omstart(tmp_path, monkeypatch):
    from assistant.actions import common

    monkeypatch.setattr(common, "RELEASE", tmp_path / "release")
    monkeypatch.setattr(common, "_LOADED", {})
    assert common.current_release().key == "source"  # no release yet: content/ as before
    first = publish_release(tmp_path, "r1", "(utgave 1)")
    assert common.current_release().key == first["content_hash"]
    assert common.library().get("nb/helvetesild.md").meta.title == "Helvetesild (utgave 1)"
    engine_one = common.engine()
    assert common.engine() is engine_one and engine_one.library is common.library()
    second = publish_release(tmp_path, "r2", "(utgave 2)")
    assert second["content_hash"] != first["content_hash"]
    assert common.library().get("nb/helvetesild.md").meta.title == "Helvetesild (utgave 2)"
    assert common.engine() is not engine_one and common.engine().library is common.library()


@pytest.mark.parametrize("moment, expected", [("2026-12-02 20:00", "legevakta-i-trondheim"), ("2026-12-02 10:00", None)])
def test_triage_names_the_legevakt_covering_the_municipality_at_that_hour(moment, expected):
    """Midtre Gauldal: Trondheim's legevakt on weekday evenings, its own surgery (not in the
    catalogue, so 116 117 alone) in office hours; never the first legevakt by name."""
    import datetime as dt

    from assistant.actions.common import find_municipality
    from assistant.actions.triage import legevakt_for
    from services_catalog.hours import TIMEZONE

    found = legevakt_for(find_municipality("Midtre Gauldal"), dt.datetime.fromisoformat(moment).replace(tzinfo=TIMEZONE))
    assert (found["id"] if found else None) == expected


@pytest.mark.parametrize(
    "text, number",
    [("legevakt i Brattvåg", "1580"), ("jeg bor på heim", "5055"), ("vil reise heim i morgen", None), ("kurs i Alesund", "1508")],
)
def test_the_assistant_finds_places_as_the_search_does(text, number):
    """One finder (services_catalog.places): villages count for their municipality, an
    everyday word that is also a place name only with a capital or after a word of place."""
    from assistant.actions.common import find_municipality

    found = find_municipality(text)
    assert (found.number if found else None) == number
