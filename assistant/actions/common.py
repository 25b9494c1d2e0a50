"""What every action shares: the loaded library, engine and catalogue, language, place and links.

**The release decides what is loaded.** ``helseinfo build`` publishes a data release beside the
search index (``var/release`` for the default site; ``HELSEINFO_RELEASE`` names another): a copy
of the content and catalogue it built from, and a ``release.json`` with their ``content_hash``
and the search index built from them (``helseinfo/build.py``). The actions read that release,
not ``content/``: the library, the engine and the catalogue are each loaded on first use and
kept under that hash, and the search goes to the release's own index. A new release is picked
up at the next message without a restart (the old one is dropped then). Without any release
(a fresh checkout, the tests), they read ``content/``, the catalogue's own folder and
``HELSEINFO_SEARCH_INDEX`` once, as before.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker

from content_model.contacts import NUMBERS
from helseinfo.kernel.paths import CONTENT, PROJECT
from helseinfo.kernel.releases import data_release_beside, read_manifest

logger = logging.getLogger(__name__)

#: The public site's address, for links to articles and directory pages.
SITE_URL = os.environ.get("HELSEINFO_SITE_URL", "http://127.0.0.1:8000/")
#: The search index ``helseinfo build`` wrote; ``None`` is the search index's own default.
SEARCH_INDEX = os.environ.get("HELSEINFO_SEARCH_INDEX") or None
#: The link ``helseinfo build`` switches to each new data release.
RELEASE = Path(os.environ.get("HELSEINFO_RELEASE") or data_release_beside(Path(SEARCH_INDEX or PROJECT / "var" / "search-index")))

_N = {k: n.display for k, n in NUMBERS.items()}
NATIONAL = {
    "nb": "Ring {emergency} ved fare for liv. Legevakten: {legevakt}. Mental Helses hjelpetelefon: {mental_helse}.".format(**_N),
    "nn": "Ring {emergency} ved fare for liv. Legevakta: {legevakt}. Mental Helse sin hjelpetelefon: {mental_helse}.".format(**_N),
    "en": "Call {emergency} if life may be in danger. Out-of-hours service (legevakt): {legevakt}. Mental Helse helpline: {mental_helse}.".format(
        **_N
    ),
}


@dataclass(frozen=True)
class Release:
    """What the actions read: a published data release, or the source folders when there is none."""

    key: str  # the release's content hash; "source" without a release
    content: Path
    catalog: Path | None  # None: the catalogue's own folder
    index: str | None  # the search index built with it; None: SEARCH_INDEX


SOURCE = Release("source", CONTENT, None, SEARCH_INDEX)


def current_release() -> Release:
    """The release the link points at now (one ``realpath`` a call; its manifest read once)."""
    return _release_at(os.path.realpath(RELEASE))


@lru_cache(maxsize=8)
def _release_at(folder: str) -> Release:
    manifest = read_manifest(Path(folder))
    if manifest is None:
        if Path(folder).exists():
            logger.error("%s: ingen gyldig release.json; leser kildemappene", folder)
        return SOURCE
    folders = manifest.get("folders", [])
    return Release(
        manifest["content_hash"],
        Path(folder) / "content",
        Path(folder) / "catalog" if "catalog" in folders else None,
        manifest.get("index") or SEARCH_INDEX,
    )


#: What is loaded, by kind: (the release's key, the loaded object). One release at a time.
_LOADED: dict[str, tuple[str, Any]] = {}


def _for_release(kind: str, release: Release, load: Callable[[], Any]) -> Any:
    held = _LOADED.get(kind)
    if held is not None and held[0] == release.key:
        return held[1]
    value = load()
    _LOADED[kind] = (release.key, value)
    if held is not None:
        logger.info("Ny utgave (%s): %s lastet på nytt", release.key[:12], kind)
    return value


def library(release: Release | None = None):
    from content_model.loader import load_library

    release = release or current_release()
    return _for_release("library", release, lambda: load_library(release.content, codes=False))


def engine():
    from assistant.triage import TriageEngine

    release = current_release()
    return _for_release("engine", release, lambda: TriageEngine(library(release)))


def catalog():
    from services_catalog import load_catalog

    release = current_release()
    return _for_release("catalog", release, lambda: load_catalog(release.catalog, codes=False))


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


def places() -> dict[str, str]:
    """Place name as typed → municipality number, for the current release's catalogue."""
    from services_catalog.places import place_table

    return _for_release("places", current_release(), lambda: place_table(catalog()))


def find_municipality(text: str):
    """The first municipality named in a text (an official name or a place in it), or ``None``."""
    from services_catalog.places import find_places

    numbers, _, _ = find_places(text, places())
    return catalog().municipalities.get(numbers[0]) if numbers else None


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
