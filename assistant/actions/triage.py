"""Triage in the chat: assess, ask the card's follow-up questions one at a time, then advise."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import (
    NATIONAL,
    catalog,
    engine,
    language,
    library,
    municipality,
    site_link,
    user_text,
)
from assistant.triage import finding
from content_model.contacts import NUMBERS

logger = logging.getLogger(__name__)

YES_NO = {
    "nb": ("Ja", "Nei", "Vet ikke"),
    "nn": ("Ja", "Nei", "Veit ikkje"),
    "en": ("Yes", "No", "Don't know"),
}
LEGEVAKT = {"nb": "Legevakten for {name}", "nn": "Legevakta for {name}", "en": "Out-of-hours service for {name}"}
ASK_DESCRIBE = {
    "nb": "Fortell kort hva som plager deg, hvem det gjelder og hvor lenge det har vart, så skal jeg si om du bør kontakte legevakten eller fastlegen.",
    "nn": "Fortel kort kva som plagar deg, kven det gjeld og kor lenge det har vart, så skal eg seie om du bør kontakte legevakta eller fastlegen.",
    "en": "Tell me briefly what is wrong, who it is about and how long it has lasted, and I will tell you whether to contact the out-of-hours service or your GP.",
}
READ_MORE = {"nb": "Les mer: {title}", "nn": "Les meir: {title}", "en": "Read more (in Norwegian): {title}"}


def legevakt_for(mun, when=None) -> dict | None:
    """The legevakt covering the municipality at ``when`` (default now), or ``None`` where the
    catalogue does not know one for that time (then 116 117 alone is the answer)."""
    if mun is None:
        return None
    service = catalog().legevakt_for(mun.number, when)
    if service is None:
        return None
    from services_catalog import url_of

    return {
        "id": service.id,
        "name": service.name,
        "phone": service.phone or NUMBERS["legevakt"].display,
        "url": site_link(url_of(service)),
    }


def recommend(dispatcher: CollectingDispatcher, assessment, lang: str, mun) -> None:
    """The final answer: level, reasons, the number as a tel: link, the article, the legevakt."""
    legevakt = legevakt_for(mun) if assessment.level in ("emergency", "urgent") else None
    article = assessment.articles[0] if assessment.articles else None
    payload: dict[str, Any] = {
        "type": "triage",
        "level": assessment.level,
        "tel": assessment.tel,
        "crisis": assessment.crisis,
        "uncertain": assessment.uncertain,
        "language": lang,
        "reasons": [{"article": m.article, "criterion": m.criterion, "text": m.text} for m in assessment.reasons()],
        "article": {"title": article.meta.title, "url": site_link(article.url)} if article else None,
        "legevakt": legevakt,
        "unchecked": [{"criterion": q.criterion, "level": q.level, "text": q.text or q.question} for q in assessment.unchecked],
    }
    if assessment.destination is not None:
        payload["destination"] = assessment.destination.to_json(lang)
    # English cannot be asked the cards' (Norwegian) questions: the engine then lists the danger
    # signs it could not check, with 113 and 116 117, in the advice itself.
    text = assessment.advice()
    if legevakt:
        text += " " + LEGEVAKT[lang].format(name=mun.name) + f": {legevakt['phone']}."
    if article:
        text += " " + READ_MORE[lang].format(title=article.meta.title) + "."
    dispatcher.utter_message(text=text, json_message=payload)


class ActionTriage(Action):
    """Assess what the person wrote; ask the first open follow-up question, or recommend."""

    def name(self) -> str:
        return "action_triage"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = user_text(tracker)
        if tracker.get_slot("triage_question") and tracker.get_slot("triage_text"):
            # Told more instead of answering the question ("Hun vil ikke drikke"): it is more about
            # the same problem, so it is assessed together with what was said before.
            earlier = tracker.get_slot("triage_text")
            return assess_and_reply(dispatcher, tracker, f"{earlier}. {text}", dict(tracker.get_slot("triage_answers") or {}))
        return assess_and_reply(dispatcher, tracker, text, {})


def assess_and_reply(dispatcher, tracker: Tracker, text: str, answers: dict[str, bool]) -> list:
    lang = language(tracker, text)
    assessment = engine().assess(text, answers=answers, language=lang, can_ask=lang != "en")
    mun = municipality(tracker)
    events = [SlotSet("language", lang)]
    if mun is not None:
        events.append(SlotSet("municipality", mun.number))
    open_questions = [q for q in assessment.questions if q.criterion not in answers]
    if open_questions and assessment.level != "emergency" and lang != "en":
        question = open_questions[0]
        yes, no, unknown = YES_NO[lang]
        dispatcher.utter_message(
            text=question.question,
            buttons=[
                {"title": yes, "payload": "/affirm"},
                {"title": no, "payload": "/deny"},
                {"title": unknown, "payload": "/dont_know"},
            ],
            json_message={"type": "triage_question", "language": lang, "criterion": question.criterion, "level": question.level},
        )
        return events + [
            SlotSet("triage_text", text),
            SlotSet("triage_answers", answers),
            SlotSet("triage_question", question.criterion),
        ]
    recommend(dispatcher, assessment, lang, mun)
    # The text and answers stay, so that something added afterwards ("Hun vil ikke drikke") is
    # assessed with them; only the question is done.
    return events + [SlotSet("triage_text", text), SlotSet("triage_answers", answers), SlotSet("triage_question", None)]


class ActionTriageAnswer(Action):
    """A yes/no/don't know to the pending follow-up question; then the next question or advice."""

    def name(self) -> str:
        return "action_triage_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        pending = tracker.get_slot("triage_question")
        text = tracker.get_slot("triage_text")
        answers = dict(tracker.get_slot("triage_answers") or {})
        said = user_text(tracker).strip()
        if not pending and text and not _bare_answer(said):
            # After the advice, more about the same problem: assess it all again.
            return assess_and_reply(dispatcher, tracker, f"{text}. {said}", answers)
        if not pending or not text:
            lang = language(tracker)
            dispatcher.utter_message(text=ASK_DESCRIBE[lang])
            return [SlotSet("language", lang)]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "affirm":
            answers[pending] = True
        elif intent == "deny":
            answers[pending] = False
        else:  # don't know: treat as yes where it would raise the level (the safe side)
            answers[pending] = True
        return assess_and_reply(dispatcher, tracker, text, answers)


_BARE = {
    "ja",
    "nei",
    "nei takk",
    "ja takk",
    "ok",
    "okei",
    "takk",
    "vet ikke",
    "veit ikkje",
    "kanskje",
    "yes",
    "no",
    "no thanks",
    "thanks",
    "ok thanks",
    "maybe",
    "i don't know",
}


def _bare_answer(said: str) -> bool:
    """A button payload or a plain yes/no/thanks, which adds nothing to assess."""
    return said.startswith("/") or said.lower().strip(" .!?") in _BARE


def guard_finding(tracker: Tracker) -> dict | None:
    """The red-flag guard's finding on the latest message, from its reply's ``ActionExecuted``
    metadata (``assistant/policies.py``), or ``None``."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return None
        data = (event.get("metadata") or {}).get(finding.METADATA_KEY) if event.get("event") == "action" else None
        if isinstance(data, dict):
            return data
    return None


class ActionRedFlag(Action):
    """The guard's answer: "Ring 113" first; in a crisis also the helplines and the legevakt.

    Explains the guard's own finding; only a call without one (an older model) assesses again."""

    def name(self) -> str:
        return "action_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = user_text(tracker)
        lang = language(tracker, text)
        found = guard_finding(tracker)
        if found is not None:
            assessment = finding.from_json(found, library())
        else:
            logger.warning("action_red_flag uten vaktens funn; vurderer teksten på nytt")
            assessment = engine().red_flags(text)
        assessment.facts.language = lang
        mun = municipality(tracker)
        recommend(dispatcher, assessment, lang, mun)
        if assessment.crisis and mun is None:
            dispatcher.utter_message(text=NATIONAL[lang])
        return [SlotSet("language", lang), SlotSet("triage_text", None), SlotSet("triage_answers", None), SlotSet("triage_question", None)]
