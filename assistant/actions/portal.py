"""Portal tasks: a short answer and a deep link from the allow-list of routes."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import language, metadata
from assistant.portal import link, load_routes

LOGIN = {
    "nb": "Du må logge inn med BankID for å bruke dette.",
    "nn": "Du må logge inn med BankID for å bruke dette.",
    "en": "You need to log in with BankID to use this.",
}


class ActionPortalLink(Action):
    def name(self) -> str:
        return "action_portal_link"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        task = intent.removeprefix("portal_")
        routes = load_routes()
        lang = language(tracker)
        route = routes[task]
        logged_in = bool(metadata(tracker).get("logged_in"))
        text = route.answer[lang] + ("" if logged_in else " " + LOGIN[lang])
        dispatcher.utter_message(
            text=text,
            json_message={
                "type": "portal_link",
                "language": lang,
                "task": task,
                "url": link(task),
                "title": route.title[lang],
                "login_required": not logged_in,
            },
        )
        return [SlotSet("language", lang)]
