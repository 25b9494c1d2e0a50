"""Build the search index from the loaded library and catalogue, and publish it atomically.

The index is written into a new release folder beside the index path
(``var/.search-index-releases/<time>``); the index path itself is a symbolic link switched
to the new release in one ``rename``, as the site is (``helseinfo.kernel.releases.publish``). A
failed build deletes its half-written release; searchers keep the index they opened.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import create_in

from content_model.icpc2 import load_codes, load_terms
from search_index.analysis import GROUP_WORDS, Lexicon, service_words
from search_index.schema import DEFAULT_INDEX, PLACES_FILE, make_schema
from services_catalog.places import place_table

if TYPE_CHECKING:
    from content_model.loader import Library
    from services_catalog.loader import Catalog

_MARKUP = re.compile(r"\]\([^)]*\)|https?://\S+|\{[^}]*\}|<[^>]+>")


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def article_documents(library: Library) -> list[dict[str, Any]]:
    """One document per article of the library (not plain pages)."""
    codes, terms = library.codes or load_codes(), load_terms()
    docs = []
    for article in library.library_articles():
        meta = article.meta
        card_terms = [term for _, criterion in meta.care_card.criteria() for term in criterion.terms] if meta.care_card else []
        docs.append(
            {
                "key": f"article:{article.id}",
                "kind": "article",
                "id": article.id,
                "url": article.url,
                "summary": meta.summary,
                "boost": meta.search_boost,
                "language": meta.language,
                "title": meta.title,
                "synonyms": _join(*meta.synonyms, *card_terms, *(codes.get(c, "") for c in meta.icpc2)),
                "text": _join(meta.summary, _MARKUP.sub(" ", article.body), *meta.self_care_advice),
                "clinical": _join(*(t for c in meta.icpc2 for t in terms.get(c, []))),
                "icpc2": " ".join(meta.icpc2),
            }
        )
    return docs


def catalog_documents(catalog: Catalog, library: Library | None = None) -> list[dict[str, Any]]:
    """One document per service and group. A group also gets, at a low weight, the titles
    and synonyms of the articles that share its ICPC-2 codes (``sukkersyke`` → a diabetes course)."""
    from services_catalog import SERVICE_TYPES, url_of

    codes = catalog.codes or (library.codes if library else {}) or load_codes()
    by_code: dict[str, list[str]] = {}
    for article in library.library_articles() if library else []:
        for code in article.meta.icpc2:
            by_code.setdefault(code, []).extend([article.meta.title, *article.meta.synonyms])
    docs = []
    for service in catalog.services.values():
        docs.append(
            {
                "key": f"service:{service.id}",
                "kind": "service",
                "id": service.id,
                "url": url_of(service),
                "summary": service.description,
                "boost": 1.0,
                "language": "nb",
                "title": service.name,
                "synonyms": _join(SERVICE_TYPES[service.service_type], service_words(service.service_type)),
                "text": _join(service.description, service.organization, service.address.city if service.address else None),
                "service_type": service.service_type,
                "municipalities": " ".join(service.municipalities),
                "opening_hours": service.opening_hours,
                "local": " ".join(
                    dict.fromkeys([*getattr(service, "local_hospital_for", []), *filter(None, [getattr(service, "located_in", None)])])
                ),
            }
        )
    for group in catalog.groups.values():
        related = {t: None for c in group.icpc2 for t in by_code.get(c, [])}
        docs.append(
            {
                "key": f"group:{group.id}",
                "kind": "group",
                "id": group.id,
                "url": url_of(group),
                "summary": group.description,
                "boost": 1.0,
                "language": "nb",
                "title": group.name,
                "synonyms": _join(GROUP_WORDS, *(codes.get(c, "") for c in group.icpc2)),
                "text": _join(group.description, group.audience, group.organization, group.signup.text),
                "clinical": _join(*related),
                "icpc2": " ".join(group.icpc2),
                "municipalities": " ".join(group.municipalities),
            }
        )
    return docs


def write_index(
    docs: list[dict[str, Any]],
    index_dir: Path,
    places: dict[str, str] | None = None,
    *,
    codes: dict[str, str] | None = None,
    publish_now: bool = True,
) -> Path:
    """Write ``docs`` as a new index release and publish it at ``index_dir``; returns the release.
    With ``publish_now=False`` the caller publishes it (``helseinfo build`` publishes the site
    and its index together, after both are built). ``codes``: the ICPC-2 names the spelling
    corrector knows (default: the default code list)."""
    from helseinfo.kernel.releases import prune, publish, releases_dir

    index_dir = Path(index_dir).absolute()
    release = releases_dir(index_dir) / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    release.mkdir(parents=True)
    try:
        texts = (doc.get(f, "") for doc in docs for f in ("title", "synonyms", "text", "clinical"))
        lexicon = Lexicon.from_texts([*texts, *(load_codes() if codes is None else codes).values()])
        index = create_in(str(release), make_schema(lexicon))
        writer = index.writer(limitmb=256)
        for doc in docs:
            writer.add_document(**{k: v for k, v in doc.items() if v not in (None, "")})
        writer.commit()
        (release / PLACES_FILE).write_text(json.dumps(places or {}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    if publish_now:
        publish(release, index_dir)
        prune(index_dir)
    return release


def build_index(library: Library, catalog: Catalog | None = None, index_dir: Path | None = None, *, publish_now: bool = True) -> Path:
    """Index the library's articles and, with a catalogue, its services and groups.

    ``library`` and ``catalog`` are what ``load_library`` and ``load_catalog`` return. The
    index is published at ``index_dir`` (default ``DEFAULT_INDEX``); returns the release.
    """
    docs = article_documents(library)
    if catalog is not None:
        docs += catalog_documents(catalog, library)
    places = place_table(catalog) if catalog else {}
    return write_index(docs, Path(index_dir or DEFAULT_INDEX), places, codes=library.codes or None, publish_now=publish_now)
