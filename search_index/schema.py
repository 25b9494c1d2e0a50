"""The index schema and where an index lives.

One Whoosh document per article, service and group. Text fields share one analyser
(``search_index.analysis``); the query weighs them by ``FIELD_BOOSTS``.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from helseinfo.kernel.paths import PROJECT
from search_index.analysis import Lexicon, analyzer

#: Where ``helseinfo build`` publishes the index for the default site, and where
#: ``helseinfo search`` looks for it: ``index_dir_for(PROJECT / "site")``.
DEFAULT_INDEX = PROJECT / "var" / "search-index"
#: Place names and municipality numbers, beside the Whoosh files in an index folder.
PLACES_FILE = "places.json"

#: Text fields and their weight in a query.
FIELD_BOOSTS = {
    "title": 4.0,  # article title, service or group name
    "synonyms": 3.0,  # lay synonyms, care-card terms, ICPC-2 names, service words
    "text": 1.0,  # summary and body, description and audience
    "clinical": 0.5,  # ICPC-2B terms of an article's codes; a group's related articles
}
KINDS = ("article", "service", "group")


def index_dir_for(site: Path) -> Path:
    """The index published with a site at ``site``: ``var/search-index`` beside it, never inside
    it (the site is public; the index is for the tool and the assistant)."""
    return Path(site).absolute().parent / "var" / "search-index"


def make_schema(lexicon: Lexicon) -> Schema:
    text = analyzer(lexicon)
    return Schema(
        key=ID(unique=True),  # "article:nb/feber", "service:<id>", "group:<id>"
        kind=ID(stored=True),
        id=STORED,
        url=STORED,
        summary=STORED,
        boost=COLUMN(NumericColumn("f", default=1.0)),  # search_boost, multiplied into the score
        title=TEXT(analyzer=text, stored=True, phrase=False),
        synonyms=TEXT(analyzer=text, phrase=False),
        text=TEXT(analyzer=text, phrase=False),
        clinical=TEXT(analyzer=text, phrase=False),
        icpc2=KEYWORD(stored=True, lowercase=True),
        service_type=ID(stored=True),
        municipalities=KEYWORD(stored=True),
        local=KEYWORD,  # services: the municipalities it is the local hospital for, and the one it lies in
        language=ID(stored=True),
        opening_hours=STORED,  # services: OpenStreetMap syntax, for "open now" in the search service
    )
