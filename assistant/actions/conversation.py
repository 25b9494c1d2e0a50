"""Remembering the municipality, and the fallback that tries triage before giving up."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import NATIONAL, engine, find_municipality, language, user_text
from assistant.actions.services import ActionFindService
from assistant.actions.triage import assess_and_reply

NOTED = {
    "nb": "Takk, jeg har notert {name}. Hva kan jeg hjelpe deg med?",
    "nn": "Takk, eg har notert {name}. Kva kan eg hjelpe deg med?",
    "en": "Thanks, I have noted {name}. How can I help?",
}
UNKNOWN_PLACE = {
    "nb": "Jeg kjenner ikke igjen stedet. Skriv navnet på kommunen, for eksempel «Steinkjer» eller «Ålesund».",
    "nn": "Eg kjenner ikkje att staden. Skriv namnet på kommunen, til dømes «Steinkjer» eller «Ålesund».",
    "en": "I do not recognise the place. Write the name of the municipality, for example «Steinkjer» or «Ålesund».",
}


NOT_UNDERSTOOD = {
    "nb": "Jeg forsto ikke helt. Du kan beskrive plagene dine, spørre om en tjeneste i kommunen din, eller spørre om en sykdom.",
    "nn": "Eg forstod ikkje heilt. Du kan beskrive plagene dine, spørje om ei teneste i kommunen din, eller spørje om ein sjukdom.",
    "en": "I did not quite understand. You can describe your symptoms, ask about a service in your municipality, or ask about an illness.",
}
TOO_LONG = {
    "nb": "Meldingen er for lang for meg. Skriv kort hva som plager deg, gjerne i én eller to setninger.",
    "nn": "Meldinga er for lang for meg. Skriv kort kva som plagar deg, gjerne i ei eller to setningar.",
    "en": "Your message is too long for me. Please write briefly what is wrong, in one or two sentences.",
}


class ActionTooLong(Action):
    """A polite answer to an over-long message (the red-flag guard has already looked at it)."""

    def name(self) -> str:
        return "action_too_long"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        lang = language(tracker, user_text(tracker)[:2000])
        dispatcher.utter_message(text=f"{TOO_LONG[lang]} {NATIONAL[lang]}")
        return [SlotSet("language", lang)]


class ActionMunicipality(Action):
    def name(self) -> str:
        return "action_municipality"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        lang = language(tracker)
        found = find_municipality(user_text(tracker))
        if found is None:
            dispatcher.utter_message(text=UNKNOWN_PLACE[lang])
            return [SlotSet("language", lang)]
        pending = tracker.get_slot("pending_request") or ""
        if pending.startswith("service:"):
            return ActionFindService().run(dispatcher, tracker, domain) + [SlotSet("municipality", found.number)]
        dispatcher.utter_message(text=NOTED[lang].format(name=found.name))
        return [SlotSet("language", lang), SlotSet("municipality", found.number)]


class ActionFallback(Action):
    """Not understood: if the text matches a care card, triage it; else say so, with the numbers."""

    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = user_text(tracker)
        lang = language(tracker)
        if text and engine().assess(text).understood:
            return assess_and_reply(dispatcher, tracker, text, {})
        dispatcher.utter_message(text=f"{NOT_UNDERSTOOD[lang]} {NATIONAL[lang]}")
        return [SlotSet("language", lang)]
