"""Finding the legevakt, hospital, LMS, frisklivssentral … of a municipality, with opening hours."""
from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import NATIONAL, catalog, language, municipality, site_link, user_text

#: Words people use for each service type (bokmål, nynorsk, English), matched as word starts.
TYPE_WORDS = {
    "legevakt": ["legevakt", "legevakta", "legevakten", "out-of-hours", "emergency room"],
    "sykehus": ["sykehus", "sjukehus", "sykehuset", "sjukehuset", "hospital", "st. olav", "st olav"],
    "lms": ["lærings", "mestringssenter", "lms"],
    "frisklivssentral": ["frisklivs", "frisklivet", "friskliv"],
    "helsestasjon": ["helsestasjon", "skolehelse", "helsesykepleier", "helsesjukepleiar", "helsesøster"],
    "psykisk_helse": ["dps", "psykisk", "psykiatri", "rus", "psykolog"],
    "fastlegekontor": ["fastlege", "legekontor", "legesenter"],
    "tannlegevakt": ["tannlege", "tannlegevakt", "tannverk", "tannhjelp", "dentist"],
}
LABELS = {
    "nb": {"open": "åpen nå", "closed": "stengt nå", "unknown": "åpningstid ukjent", "unverified": "ikke bekreftet",
           "ask": "Hvilken kommune gjelder det? Skriv for eksempel «Steinkjer».", "none": "Jeg fant ingen slik tjeneste i katalogen for {name}.",
           "found": "Dette fant jeg for {name}:"},
    "nn": {"open": "open no", "closed": "stengd no", "unknown": "opningstid ukjend", "unverified": "ikkje stadfesta",
           "ask": "Kva kommune gjeld det? Skriv til dømes «Steinkjer».", "none": "Eg fann inga slik teneste i katalogen for {name}.",
           "found": "Dette fann eg for {name}:"},
    "en": {"open": "open now", "closed": "closed now", "unknown": "opening hours unknown", "unverified": "not verified",
           "ask": "Which municipality? For example «Steinkjer».", "none": "I found no such service in the directory for {name}.",
           "found": "This is what I found for {name}:"},
}


def wanted_types(text: str) -> list[str]:
    text = text.casefold()
    found = [kind for kind, words in TYPE_WORDS.items() if any(re.search(r"\b" + re.escape(w), text) for w in words)]
    return found or ["legevakt", "sykehus"]


def service_item(service) -> dict:
    from services_catalog import url_of
    from services_catalog.hours import is_open

    open_now = is_open(service) if service.opening_hours else None
    return {
        "id": service.id,
        "name": service.name,
        "service_type": service.service_type,
        "phone": service.phone,
        "opening_hours": service.opening_hours,
        "open_now": open_now,
        "url": site_link(url_of(service)),
        "web": str(service.web) if service.web else None,
        "verified": service.verification.state == "verified",
    }


class ActionFindService(Action):
    def name(self) -> str:
        return "action_find_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        text = user_text(tracker)
        lang = language(tracker)
        words = LABELS[lang]
        mun = municipality(tracker)
        if mun is None:
            dispatcher.utter_message(text=words["ask"])
            return [SlotSet("language", lang), SlotSet("pending_request", "service:" + text[:200])]
        items = []
        pending = tracker.get_slot("pending_request") or ""
        request = pending.removeprefix("service:") if pending.startswith("service:") else text
        for kind in wanted_types(request):
            items += [service_item(s) for s in catalog().services_for(mun.number, kind)]
        if not items:
            dispatcher.utter_message(text=words["none"].format(name=mun.name) + " " + NATIONAL[lang])
        else:
            lines = [words["found"].format(name=mun.name)]
            for item in items[:6]:
                state = {True: words["open"], False: words["closed"], None: words["unknown"]}[item["open_now"]]
                phone = f", tlf. {item['phone']}" if item["phone"] else ""
                note = "" if item["verified"] else f" ({words['unverified']})"
                lines.append(f"- {item['name']}{phone}, {state}{note}")
            lines.append(NATIONAL[lang])
            dispatcher.utter_message(text="\n".join(lines), json_message={"type": "services", "language": lang, "municipality": mun.number, "items": items[:6]})
        return [SlotSet("language", lang), SlotSet("municipality", mun.number), SlotSet("pending_request", None)]
