"""Suggesting coping and self-management groups by condition and municipality."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import NATIONAL, catalog, engine, language, municipality, site_link, user_text

WORDS = {
    "nb": {
        "found": "Disse kursene og gruppene kan passe{where}:",
        "none": "Jeg fant ingen kurs eller grupper for dette{where}. Fastlegen eller lærings- og mestringssenteret ved sykehuset kan gi råd.",
        "where": " for deg i {name}",
        "ask": "Hvilken sykdom eller plage gjelder det? Skriv for eksempel «diabetes type 2» eller «kols».",
    },
    "nn": {
        "found": "Desse kursa og gruppene kan passe{where}:",
        "none": "Eg fann ingen kurs eller grupper for dette{where}. Fastlegen eller lærings- og meistringssenteret ved sjukehuset kan gi råd.",
        "where": " for deg i {name}",
        "ask": "Kva sjukdom eller plage gjeld det? Skriv til dømes «diabetes type 2» eller «kols».",
    },
    "en": {
        "found": "These courses and groups may suit you{where} (in Norwegian):",
        "none": "I found no course or group for this{where}. Your GP or the hospital's learning and coping centre can advise.",
        "where": " in {name}",
        "ask": "Which condition is it about? For example «diabetes type 2» or «COPD».",
    },
}


def conditions(text: str) -> list[str]:
    """ICPC-2 codes of the library articles the text is about."""
    codes: list[str] = []
    for article in engine().assess(text).articles:
        codes += [c for c in article.meta.icpc2 if c not in codes]
    return codes


class ActionFindGroups(Action):
    def name(self) -> str:
        return "action_find_groups"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from services_catalog import FORMATS, url_of

        text = user_text(tracker)
        lang = language(tracker)
        words = WORDS[lang]
        codes = conditions(text)
        mun = municipality(tracker)
        if not codes:
            dispatcher.utter_message(text=words["ask"])
            return [SlotSet("language", lang)]
        groups = catalog().groups_for(codes, mun.number if mun else None)
        where = words["where"].format(name=mun.name) if mun else ""
        if not groups:
            dispatcher.utter_message(text=words["none"].format(where=where) + " " + NATIONAL[lang])
            return [SlotSet("language", lang)]
        items = [
            {
                "id": g.id,
                "name": g.name,
                "format": g.format,
                "referral": g.referral,
                "municipalities": "all" if g.municipalities == "all" else list(g.municipalities),
                "signup": {"text": g.signup.text, "url": str(g.signup.url) if g.signup.url else None},
                "url": site_link(url_of(g)),
                "verified": g.verification.state == "verified",
            }
            for g in groups[:5]
        ]
        lines = [words["found"].format(where=where)]
        lines += [f"- {item['name']} ({FORMATS[item['format']].lower()})" for item in items]
        events = [SlotSet("language", lang)] + ([SlotSet("municipality", mun.number)] if mun else [])
        dispatcher.utter_message(text="\n".join(lines), json_message={"type": "groups", "language": lang, "items": items})
        return events
