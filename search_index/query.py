"""The query API: ``search(q, kind=…, municipality=…, limit=…) -> list[Hit]``.

How a query is answered:

1. Place names in it (``legevakt Orkanger``) become a municipality filter (``find_places``);
   an explicit ``municipality`` (a number or a name) wins over them. The names are still
   searched for (``Orkdal sjukehus``), but never spell-corrected.
2. The other words are analysed as the documents were (stems, nynorsk forms). A word the
   index lacks is corrected to the nearest known word (``hodepinne`` → ``hodepine``), or
   else searched by its compound parts (``SearchIndex.terms``).
3. Each term is looked up in every text field and scored with BM25 per field, weighted by
   ``FIELD_BOOSTS`` (BM25F as Whoosh computes it), term at a time over Whoosh's posting
   lists (``SearchIndex.scores``): in pure Python that is an order of magnitude faster
   than Whoosh's document-at-a-time matcher tree for queries of common words. ICPC-2 codes
   typed as such (``N01``) add ``ICPC2_SCORE`` to the articles and groups with the code.
4. The municipality filter keeps services and groups serving that municipality, and every
   article (articles hold for the whole region); ``kind`` keeps one kind.
5. Scores are multiplied by the front matter's ``search_boost`` (a column read once per
   index) and the best ``limit`` hits returned.
6. Service-type words (``sykehus``, ``fødestue``, ``helsesøster``: ``analysis.TYPE_WORDS``,
   read after spelling correction) decide the type: the services of the types asked for
   come before everything else, so ``sykehus Midtre Gauldal`` lists the hospitals serving
   Midtre Gauldal, not its legevakt (which has the place in its name). Among them, those
   local to the place (the local hospital, ``local_hospital_for``, or one lying in it) come
   first: St. Olavs hospital for Midtre Gauldal.

``suggest(q)`` is the "did you mean": ``q`` with the words spelling correction changed.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh.index import open_dir
from whoosh.query import Or, Term

from helseinfo.kernel.errors import HelseinfoError, InputError
from helseinfo.kernel.text import normalise
from search_index.analysis import CompoundFilter, service_types, words
from search_index.schema import DEFAULT_INDEX, FIELD_BOOSTS, KINDS, PLACES_FILE
from services_catalog.places import find_places, place_variants

_ICPC2 = re.compile(r"^[a-z]\d{2,3}$")
#: Weight of a compound's parts in a query, against 1 for whole words.
PART_WEIGHT = 0.5
#: A term in more than this share of a field's documents is not looked up in that field
#: (unless it is so in every field): it tells little there, and such long posting lists
#: are what make a query slow.
MAX_DF = 0.5
#: BM25 parameters (Whoosh's defaults).
K1, B = 1.2, 0.75
#: What a typed ICPC-2 code adds to the score of a document with that code.
ICPC2_SCORE = 20.0


class IndexMissing(HelseinfoError):
    """There is no search index at the path; ``helseinfo build`` writes one."""


@dataclass
class Hit:
    """One search result. ``to_json()`` gives exactly the fields of the ``helseinfo search`` contract."""

    kind: str  # article | service | group
    id: str  # "nb/feber", a service id, a group id
    title: str
    url: str  # site-relative: "nb/feber/", "tjenester/tjeneste/<id>/"
    icpc2: list[str] = field(default_factory=list)
    service_type: str | None = None  # services only
    municipalities: list[str] = field(default_factory=list)  # four-digit numbers; [] for articles
    summary: str = ""
    score: float = 0.0
    opening_hours: str | None = None  # services: OpenStreetMap syntax, when the catalogue has it

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "icpc2": list(self.icpc2),
            "service_type": self.service_type,
            "municipalities": list(self.municipalities),
        }
        if self.kind != "service":
            del out["service_type"]
        return out


def _blocks(reader: Any, fieldname: str, term: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """The postings of a term as ``(docnums, weights)`` blocks. Whoosh's on-disk matcher is
    read a block at a time (its ``_ids``/``_weights`` arrays: three times faster than a call
    per posting); any other matcher one posting at a time through the public API."""
    matcher = reader.postings(fieldname, term)
    block = hasattr(matcher, "_read_ids") and hasattr(matcher, "_blocklength")
    while matcher.is_active():
        if block:
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            matcher._i = matcher._blocklength - 1  # the last posting of the block: next() moves on
        else:
            yield (matcher.id(),), (matcher.weight(),)
        matcher.next()


class SearchIndex:
    """An opened index: its reader, analyser, lexicon, place names and field lengths."""

    def __init__(self, path: Path):
        self.index = open_dir(str(path))
        self.searcher = self.index.searcher()
        self.reader = self.searcher.reader()
        self.analyzer = self.index.schema["title"].analyzer
        self.lexicon = next(f.lexicon for f in self.analyzer.items if isinstance(f, CompoundFilter))
        self.places: dict[str, str] = json.loads((path / PLACES_FILE).read_text(encoding="utf-8"))
        self.municipalities = set(self.places.values())
        self.count = self.reader.doc_count_all()
        self.lengths = {f: [self.reader.doc_field_length(d, f, 0) for d in range(self.count)] for f in FIELD_BOOSTS}
        self.average = {f: max(self.reader.field_length(f), 1) / max(self.count, 1) for f in FIELD_BOOSTS}
        self.boosts = list(self.reader.column_reader("boost"))
        self._allowed: dict[tuple, frozenset[int]] = {}
        self._df: dict[str, dict[str, int]] = {}
        self._corrections: dict[str, str | None] = {}

    def df(self, term: str) -> dict[str, int]:
        """In how many documents each text field has ``term`` (cached; the index never changes)."""
        found = self._df.get(term)
        if found is None:
            if len(self._df) > 100_000:  # a long-running search service: keep the cache bounded
                self._df.clear()
            found = self._df[term] = {f: self.reader.doc_frequency(f, term) for f in FIELD_BOOSTS}
        return found

    def known(self, term: str) -> bool:
        return any(self.df(term).values())

    def terms(self, text: str, *, spell: bool = True) -> dict[str, float]:
        """The analysed terms of a query with their weights.

        A word the index has is searched as itself. Otherwise, a word of five letters or more
        is corrected to the nearest known word (``spell``) when there is one; failing that it
        is searched with its compound parts at ``PART_WEIGHT`` (``kneskade`` → ``kne``,
        ``skade``: weaker evidence than the whole word).
        """
        out: dict[str, float] = {}
        for word in words(text):
            tokens = [t.text for t in self.analyzer(word)]
            if not tokens:
                continue  # a stop word
            correction = self.correction(word, tokens) if spell else None
            if correction:
                tokens = [t.text for t in self.analyzer(correction)]
            weights = [1.0] if self.known(tokens[0]) else [1.0] + [PART_WEIGHT] * (len(tokens) - 1)
            for token, weight in zip(tokens, weights):
                out[token] = max(out.get(token, 0.0), weight)
        return out

    def correction(self, word: str, tokens: list[str] | None = None) -> str | None:
        """The known word a normalised query word of five letters or more stands for when the
        index lacks it (``hodepinne`` → ``hodepine``); else ``None``."""
        if len(word) < 5 or not word.isalpha():
            return None
        if word not in self._corrections:
            tokens = [t.text for t in self.analyzer(word)] if tokens is None else tokens
            if len(self._corrections) > 100_000:  # bounded, as the term cache
                self._corrections.clear()
            self._corrections[word] = None if not tokens or self.known(tokens[0]) else self.lexicon.correct(word)
        return self._corrections[word]

    def corrected(self, text: str) -> str:
        """``text``'s words (normalised) with each spelling correction in place."""
        return " ".join(self.correction(w) or w for w in words(text))

    def scores(self, terms: dict[str, float]) -> dict[int, float]:
        """BM25 per field, weighted by ``FIELD_BOOSTS`` and the term's weight, summed per document."""
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in terms.items():
            found = {f: df for f, df in self.df(term).items() if df}
            telling = {f: df for f, df in found.items() if df <= MAX_DF * self.count}
            for fieldname, df in (telling or found).items():
                idf = math.log(1 + (self.count - df + 0.5) / (df + 0.5))
                scale = FIELD_BOOSTS[fieldname] * weight * idf * (K1 + 1)
                lengths, base, per_length = self.lengths[fieldname], K1 * (1 - B), K1 * B / self.average[fieldname]
                for docs, tfs in _blocks(self.reader, fieldname, term):
                    for doc, tf in zip(docs, tfs):
                        scores[doc] = get(doc, 0.0) + scale * tf / (tf + base + per_length * lengths[doc])
        return scores

    def docs(self, fieldname: str, values: Iterable[str]) -> frozenset[int]:
        """The documents with any of ``values`` in a keyword field (cached)."""
        key = (fieldname, tuple(values))
        if key not in self._allowed:
            query = Or([Term(fieldname, v) for v in values])
            self._allowed[key] = frozenset(self.searcher.docs_for_query(query))
        return self._allowed[key]

    def serving(self, numbers: list[str]) -> list[int]:
        """The services (in page order of their types) and then the groups serving any of
        ``numbers``, for a query that is only a place name."""
        from services_catalog.schema import SERVICE_TYPES

        served = self.docs("municipalities", numbers)
        kinds = [self.docs("service_type", [t]) for t in SERVICE_TYPES] + [self.docs("kind", ["group"])]
        return [doc for docs in kinds for doc in sorted(docs & served)]

    def hit(self, doc: int, score: float) -> Hit:
        """The ``Hit`` of a document."""
        stored = self.searcher.stored_fields(doc)
        return Hit(
            kind=stored["kind"],
            id=stored["id"],
            title=stored["title"],
            url=stored["url"],
            icpc2=stored.get("icpc2", "").split(),
            service_type=stored.get("service_type"),
            municipalities=stored.get("municipalities", "").split(),
            summary=stored.get("summary", ""),
            score=round(score, 4),
            opening_hours=stored.get("opening_hours"),
        )

    def municipality(self, value: str | int) -> str:
        """A municipality number from a number or a place or municipality name."""
        text = str(value).strip()
        if text in self.municipalities:
            return text
        for variant in place_variants(text):
            if variant in self.places:
                return self.places[variant]
        raise InputError(f"ukjent kommune eller sted: {text!r} (gi et firesifret kommunenummer eller et stedsnavn)")


@lru_cache(maxsize=4)
def _open(real_path: str) -> SearchIndex:
    return SearchIndex(Path(real_path))


def open_index(index_dir: Path | str | None = None) -> SearchIndex:
    """The index at ``index_dir`` (default ``DEFAULT_INDEX``), opened once per release: the
    path is a symbolic link that ``helseinfo build`` switches to each new release."""
    path = Path(index_dir or DEFAULT_INDEX)
    if not (path / PLACES_FILE).is_file():
        raise IndexMissing(f"{path}: fant ingen søkeindeks; kjør 'helseinfo build'")
    release = path.parent / os.readlink(path) if path.is_symlink() else path
    return _open(str(release.absolute()))


def search(
    q: str, *, kind: str | None = None, municipality: str | int | None = None, limit: int = 10, index_dir: Path | str | None = None
) -> list[Hit]:
    """The best ``limit`` hits for ``q``; see the module docstring for how."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"ukjent kind {kind!r} (forventet en av: {', '.join(KINDS)})")
    if not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit må være et positivt heltall, ikke {limit!r}")
    index = open_index(index_dir)
    numbers, rest, names = find_places(q, index.places)
    if municipality is not None and str(municipality).strip():
        numbers = [index.municipality(municipality)]
    terms = index.terms(rest)
    if terms:  # a place alone ("Brattvåg") lists what serves it
        terms.update(index.terms(names, spell=False))
    scores = index.scores(terms)
    for code in (w.upper() for w in words(rest) if _ICPC2.match(w)):
        for doc in index.docs("icpc2", [code.lower()]):
            scores[doc] = scores.get(doc, 0.0) + ICPC2_SCORE
    allowed = [index.docs("kind", [kind])] if kind else []
    types = service_types(index.corrected(rest)) if kind in (None, "service") else []
    wanted = index.docs("service_type", types) if types else frozenset()
    local = index.docs("local", numbers) & wanted if types and numbers else frozenset()
    if scores:
        if numbers:
            allowed.append(index.docs("municipalities", numbers) | index.docs("kind", ["article"]))
        boosts = index.boosts
        candidates = (((d in wanted, d in local, s * boosts[d]), d) for d, s in scores.items() if all(d in a for a in allowed))
        return [index.hit(doc, score) for (_, _, score), doc in heapq.nlargest(limit, candidates)]
    if numbers:
        return [index.hit(d, 0.0) for d in index.serving(numbers) if all(d in a for a in allowed)][:limit]
    return []


def suggest(q: str, *, index_dir: Path | str | None = None) -> str | None:
    """ "Did you mean": ``q`` with each word that spelling correction changed replaced by the
    known word (``hodepinne`` → ``hodepine``), or ``None`` when no word was changed. Place
    names are never corrected."""
    index = open_index(index_dir)
    _, rest, _ = find_places(q, index.places)
    changes: dict[str, str] = {}
    for word in words(rest):
        correction = index.correction(word)
        if correction and correction != word:
            changes[word] = correction
    if not changes:
        return None

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        new = changes.get(normalise(word), word)
        return new[:1].upper() + new[1:] if new != word and word[:1].isupper() else new

    return re.sub(r"[^\W_]+", replace, q)
