"""What every action shares: the loaded library, engine and catalogue, language, place and links.

Everything is loaded once per action-server process, on first use.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from content_model.contacts import NUMBERS
from helseinfo.paths import CONTENT

#: The public site's address, for links to articles and directory pages.
SITE_URL = os.environ.get("HELSEINFO_SITE_URL", "http://127.0.0.1:8000/")
#: The search index ``helseinfo build`` wrote; ``None`` is the search index's own default.
SEARCH_INDEX = os.environ.get("HELSEINFO_SEARCH_INDEX") or None

_N = {k: n.display for k, n in NUMBERS.items()}
NATIONAL = {
    "nb": "Ring {emergency} ved fare for liv. Legevakten: {legevakt}. Mental Helses hjelpetelefon: {mental_helse}.".format(**_N),
    "nn": "Ring {emergency} ved fare for liv. Legevakta: {legevakt}. Mental Helse sin hjelpetelefon: {mental_helse}.".format(**_N),
    "en": "Call {emergency} if life may be in danger. Out-of-hours service (legevakt): {legevakt}. Mental Helse helpline: {mental_helse}.".format(**_N),
}


@lru_cache(maxsize=1)
def library():
    from content_model.loader import load_library

    return load_library(CONTENT, codes=False)


@lru_cache(maxsize=1)
def engine():
    from assistant.triage import TriageEngine

    return TriageEngine(library())


@lru_cache(maxsize=1)
def catalog():
    from services_catalog import load_catalog

    return load_catalog(codes=False)


def site_link(url: str) -> str:
    """An absolute link to a page of the public site from its site-relative URL."""
    return SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def user_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def metadata(tracker: Tracker) -> dict[str, Any]:
    """What the chat widget sends with each message: language, logged_in, municipality."""
    data = (tracker.latest_message or {}).get("metadata") or {}
    return data if isinstance(data, dict) else {}


def language(tracker: Tracker, text: str | None = None) -> str:
    """nb, nn or en: what the person writes in, else the widget's language, else the slot."""
    from assistant.triage.facts import detect_language

    text = user_text(tracker) if text is None else text
    detected = detect_language(text) if text else None
    if detected in ("en", "nn"):
        return detected
    wanted = metadata(tracker).get("language") or tracker.get_slot("language")
    return wanted if wanted in ("nb", "nn", "en") else "nb"


#: Municipality names that are also everyday words ("heim", "stranda"): matched only when
#: written with a capital letter or after a preposition of place.
AMBIGUOUS_NAMES = {"heim", "fjord", "stranda", "osen", "leka", "sande", "aure", "grong", "frosta"}
_PLACE_WORD = {"i", "på", "fra", "frå", "in", "bor", "bur", "ved", "til"}


def find_municipality(text: str):
    """The first municipality named in a text (any official name), or ``None``."""
    cat = catalog()
    tokens = re.findall(r"[^\W\d_]+", text)
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            words = tokens[i:i + size]
            for candidate in (" ".join(words), "-".join(words)):
                found = cat.municipality_by_name(candidate)
                if found is None:
                    continue
                if candidate.casefold() in AMBIGUOUS_NAMES and not (
                    words[0][0].isupper() or (i and tokens[i - 1].casefold() in _PLACE_WORD)
                ):
                    continue
                return found
    return None


def municipality(tracker: Tracker, text: str | None = None):
    """The municipality of this message, else the one remembered, else the widget's."""
    cat = catalog()
    found = find_municipality(user_text(tracker) if text is None else text)
    if found is not None:
        return found
    for number in (tracker.get_slot("municipality"), metadata(tracker).get("municipality")):
        if number and str(number) in cat.municipalities:
            return cat.municipalities[str(number)]
    return None
