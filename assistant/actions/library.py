"""Answers from the health library: the summary of the best article and a link, via the search index."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.common import NATIONAL, current_release, language, library, site_link, user_text

logger = logging.getLogger(__name__)

NOT_FOUND = {
    "nb": "Jeg fant ikke noe om dette i helsebiblioteket.",
    "nn": "Eg fann ikkje noko om dette i helsebiblioteket.",
    "en": "I found nothing about this in the health library.",
}
DRAFT = {
    "nb": "(Teksten er ikke faglig kvalitetssikret ennå.)",
    "nn": "(Teksten er ikkje fagleg kvalitetssikra enno.)",
    "en": "(This text has not yet been clinically reviewed.)",
}


class ActionLibraryAnswer(Action):
    def name(self) -> str:
        return "action_library_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        from search_index import IndexMissing, search

        text = user_text(tracker)
        lang = language(tracker)
        release = current_release()  # the index and the library of one release
        try:
            hits = search(text, kind="article", limit=3, index_dir=release.index)
        except IndexMissing:
            logger.error("Søkeindeksen mangler; kjør 'helseinfo build'")
            hits = []
        lib = library(release)
        articles = [lib.get(hit.id + ".md") for hit in hits]
        articles = [a for a in articles if a is not None and a.meta.kind != "page"]
        if lang in ("nb", "nn"):
            articles = [lib.translation_of(a) if a.meta.language != lang and lib.translation_of(a) else a for a in articles]
        articles = list({a.id: a for a in articles}.values())  # a translation may bring the same article twice
        if not articles:
            dispatcher.utter_message(text=f"{NOT_FOUND[lang]} {NATIONAL[lang]}")
            return [SlotSet("language", lang)]
        best = articles[0]
        note = f" {DRAFT[lang]}" if best.meta.review and best.meta.review.status == "draft" else ""
        dispatcher.utter_message(
            text=f"{best.meta.title}: {best.meta.summary}{note}",
            json_message={
                "type": "article",
                "language": best.meta.language,  # the text is the article's own summary
                "id": best.id,
                "title": best.meta.title,
                "url": site_link(best.url),
                "more": [{"id": a.id, "title": a.meta.title, "url": site_link(a.url)} for a in articles[1:]],
            },
        )
        return [SlotSet("language", lang)]
