"""Norwegian text analysis for the search index, bokmål and nynorsk alike.

One analyser serves both written standards, at index time and at query time, so whatever
it does to a document it also does to a query::

    tokens → normalise → split compounds → nynorsk to bokmål → stop words → Snowball stem

- **normalise**: Unicode NFKC, case folding, ``é``/``è``/``ü`` … to plain letters (``æøå``
  are kept).
- **compounds** (``Lexicon.split``): a word is also indexed as two known words, with the
  Norwegian linking letters -s- and -e- (``brystsmerter`` → ``bryst`` + ``smerter``;
  ``urinveisinfeksjon`` → ``urinvei`` + ``infeksjon``), so that ``smerter i brystet`` finds
  ``brystsmerter`` and the other way round. The lexicon of known words is built at index
  time from the corpus, the front-matter synonyms and the ICPC-2 terms.
- **nynorsk to bokmål** (``VARIANTS``, ``PARTS``, ``ENDINGS``): spelling variants are mapped
  to one form (``sjukehus`` → ``sykehus``, ``hovudet`` → ``hodet``, ``ufarleg`` → ``ufarlig``).
- **stop words**: Whoosh's Norwegian list (it has the nynorsk ones too: ``ikkje``, ``eg``).
- **stemming**: Snowball Norwegian (``legevakta``/``legevakten``/``legevakter`` → ``legevakt``).

Lay synonyms (``hodepine`` ↔ ``vondt i hodet``) are not analysis: they are indexed with
each document (see ``search_index.build``). Typo tolerance is ``Lexicon.correct``: a query
word the index does not know becomes the most frequent known word one edit away (two
for long words). Place names are ``services_catalog.places.find_places``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from helseinfo.kernel.text import distance, normalise

#: Words (and numbers) of a text: letters and digits; hyphens and punctuation separate.
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
STOP_WORDS = frozenset(stopwords_for_language("no"))

#: Nynorsk (and a few bokmål) forms → the bokmål form the index uses, whole words.
VARIANTS = {
    "hovud": "hode",
    "hovudet": "hodet",
    "hovuda": "hodene",
    "auge": "øye",
    "auga": "øye",
    "auget": "øye",
    "øyet": "øye",
    "augo": "øyne",
    "augene": "øyne",
    "øynene": "øyne",
    "øyra": "øret",
    "øyret": "øret",
    "øyre": "øre",
    "nase": "nese",
    "nasen": "nesen",
    "ben": "bein",
    "benet": "beinet",
    "bena": "beina",
    "brot": "brudd",
    "brotet": "bruddet",
    "born": "barn",
    "borna": "barna",
    "vaksen": "voksen",
    "vaksne": "voksne",
    "veke": "uke",
    "veker": "uker",
    "vekene": "ukene",
    "heime": "hjemme",
    "mjølk": "melk",
    "kvit": "hvit",
    "kvite": "hvite",
}
#: Nynorsk spellings inside words (``helsesjukepleiar``, ``skulehelseteneste``).
PARTS = (("sjuk", "syk"), ("tenest", "tjenest"), ("skule", "skole"), ("meistr", "mestr"), ("hovud", "hode"), ("hjart", "hjert"))
#: Endings: ``ufarleg`` → ``ufarlig``, ``svimmelheit`` → ``svimmelhet``.
ENDINGS = (("leg", "lig"), ("heit", "het"), ("heita", "heten"), ("heiter", "heter"))

#: Words for each service type, in both written standards, indexed with every service of
#: that type: someone who writes ``sjukehus``, ``DPS`` or ``helsesøster`` finds it.
SERVICE_WORDS = {
    "legevakt": "legevakt legevakta legevakten legevakter 116117 116 117 kveldslege nattlege",
    "sykehus": "sykehus sjukehus sykehuset sjukehuset hospital akuttmottak spesialisthelsetjenesten",
    "lms": "lms lærings og mestringssenter lærings og meistringssenter mestring meistring pasientopplæring",
    "frisklivssentral": "frisklivssentral frisklivssentralen friskliv frisklivsresept levevaner trening kosthold",
    "helsestasjon": "helsestasjon helsestasjonen helsesykepleier helsesjukepleiar helsesøster "
    "skolehelsetjeneste skulehelseteneste helsestasjon for ungdom vaksiner",
    "psykisk_helse": "psykisk helse psykisk helsevern rus psykolog psykiatri dps distriktspsykiatrisk senter",
    "fastlegekontor": "fastlege fastlegekontor legekontor lege lækjar doktor",
    "tannlegevakt": "tannlegevakt tannlegevakta akutt tannhjelp tannlege tannskade tannverk",
    "fodeavdeling": "fødeavdeling fødeavdelinga fødeavdelingen føde fødsel fødested kvinneklinikk barsel barselavdeling jordmor jordmødre",
    "fodestue": "fødestue fødestua fødestova fødestove føde fødsel fødested jordmor jordmødre",
}

#: The words that decide which service type a query asks for (``sykehus Midtre Gauldal``
#: wants hospitals, not the municipality's legevakt): written forms in bokmål and nynorsk
#: and lay forms, as phrases of up to three words, matched on their analysed stems
#: (``sjukehuset`` is ``sykehus``). A word may name several types (``føde``, ``jordmor``).
TYPE_WORDS = {
    "legevakt": ("legevakt", "legevakta", "legevakten", "legevaktsentral", "116117", "116 117"),
    "sykehus": (
        "sykehus",
        "sjukehus",
        "hospital",
        "lokalsykehus",
        "lokalsjukehus",
        "akuttmottak",
        "akuttmottaket",
        "spesialisthelsetjenesten",
    ),
    "fodeavdeling": (
        "fødeavdeling",
        "fødeavdelinga",
        "fødeavdelingen",
        "fødeavdelingar",
        "føde",
        "føder",
        "fødsel",
        "fødested",
        "fødestad",
        "kvinneklinikk",
        "barsel",
        "barselavdeling",
        "jordmor",
        "jordmødre",
    ),
    "fodestue": (
        "fødestue",
        "fødestua",
        "fødestova",
        "fødestove",
        "føde",
        "føder",
        "fødsel",
        "fødested",
        "fødestad",
        "jordmor",
        "jordmødre",
    ),
    "helsestasjon": (
        "helsestasjon",
        "helsestasjonen",
        "helsestasjonar",
        "helsesøster",
        "helsesykepleier",
        "helsesjukepleiar",
        "helsesjukepleiaren",
        "helsesykepleiar",
        "skolehelsetjeneste",
        "skulehelseteneste",
        "skolehelsetjenesten",
        "helsestasjon for ungdom",
        "jordmor",
        "jordmødre",
    ),
    "frisklivssentral": ("frisklivssentral", "frisklivssentralen", "frisklivssentralar", "friskliv", "frisklivsresept"),
    "lms": (
        "lms",
        "lærings og mestringssenter",
        "lærings og meistringssenter",
        "læring og mestring",
        "læring og meistring",
        "mestringssenter",
        "meistringssenter",
        "pasientopplæring",
    ),
    "psykisk_helse": (
        "psykisk helse",
        "psykisk helsevern",
        "psykisk helseteneste",
        "psykiatri",
        "psykiatrisk",
        "dps",
        "distriktspsykiatrisk senter",
        "distriktspsykiatrisk",
        "rus",
        "rusteam",
        "psykolog",
    ),
    "fastlegekontor": (
        "fastlege",
        "fastlegen",
        "fastlegar",
        "fastleger",
        "fastlegekontor",
        "legekontor",
        "legekontoret",
        "fastlækjar",
        "fastlækjaren",
    ),
    "tannlegevakt": (
        "tannlegevakt",
        "tannlegevakta",
        "tannlegevakten",
        "akutt tannhjelp",
        "tannskade",
        "tannverk",
        "tannlege",
        "tannlegen",
    ),
}

#: Words indexed with every coping group and course.
GROUP_WORDS = "kurs gruppe grupper mestringskurs mestringsgruppe meistringskurs likeperson lokallag pasientorganisasjon"


def words(text: str) -> list[str]:
    """The normalised words of a text, before compounds, variants, stop words and stems."""
    return TOKEN.findall(normalise(text))


@lru_cache(maxsize=65536)
def bokmal(word: str) -> str:
    """A nynorsk spelling mapped to bokmål (``sjukehuset`` → ``sykehuset``); else the word."""
    if word in VARIANTS:
        return VARIANTS[word]
    for nn, nb in PARTS:
        if nn in word:
            word = word.replace(nn, nb)
    for nn, nb in ENDINGS:
        if word.endswith(nn) and len(word) > len(nn) + 2:
            return word[: -len(nn)] + nb
    return word


class Lexicon:
    """The known words of the corpus with their counts: compound splitting and spelling.

    Pickled with the index schema, so an index carries the lexicon it was built with.
    """

    MIN_PART = 3  # letters in each part of a compound
    MIN_COMPOUND = 7  # letters in a word worth splitting

    def __init__(self, counts: dict[str, int]):
        self.counts = dict(counts)
        self._splits: dict[str, tuple[str, ...]] = {}
        self._deletes: dict[str, list[str]] | None = None

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Lexicon:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in words(text) if w.isalpha() and len(w) >= cls.MIN_PART)
        return cls(counts)

    def __getstate__(self) -> dict[str, Any]:
        return {"counts": self.counts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        Lexicon.__init__(self, state["counts"])

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def __len__(self) -> int:
        return len(self.counts)

    def split(self, word: str) -> tuple[str, ...]:
        """Two known parts of a compound (``brystsmerter`` → ``bryst``, ``smerter``), or ``()``.

        The first part may end in a linking -s- or -e- that is not part of the known word.
        Of several splits, the most even one wins (its shorter part is longest).
        """
        if word in self._splits:
            return self._splits[word]
        best: tuple[str, ...] = ()
        if len(word) >= self.MIN_COMPOUND and word.isalpha():
            score = 0
            for i in range(self.MIN_PART, len(word) - self.MIN_PART + 1):
                head, tail = word[:i], word[i:]
                if tail not in self.counts:
                    continue
                if head not in self.counts and head[-1] in "se" and head[:-1] in self.counts and i > self.MIN_PART:
                    head = head[:-1]
                if head in self.counts and min(len(head), len(tail)) > score:
                    best, score = (head, tail), min(len(head), len(tail))
        self._splits[word] = best
        return best

    def correct(self, word: str) -> str | None:
        """The most frequent known word one edit away (two for words of 8+ letters), or ``None``.

        Symmetric deletion: a known word is a candidate when deleting at most one of its
        letters and at most one (two, for long words) of ``word``'s gives the same string,
        which finds every single edit and most double ones (not two missing letters, not
        two substitutions). Candidates are checked with the Damerau edit distance.
        """
        if self._deletes is None:
            self._deletes = {}
            for known in self.counts:
                for variant in _deletions(known):
                    self._deletes.setdefault(variant, []).append(known)
        maxdist = 2 if len(word) >= 8 else 1
        variants = {word} | _deletions(word)
        if maxdist == 2:
            variants |= {v2 for v in _deletions(word) for v2 in _deletions(v)}
        candidates = {v for v in variants if v in self.counts}
        for variant in variants:
            candidates.update(self._deletes.get(variant, ()))
        scored = [(distance(word, c), -self.counts[c], c) for c in candidates if c != word]
        scored = [s for s in scored if s[0] <= maxdist]
        return min(scored)[2] if scored else None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class NormaliseFilter(Filter):
    """Case folding and accent removal (``Diaré`` → ``diare``)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = _normalise_word(t.text)
            yield t


_normalise_word = lru_cache(maxsize=65536)(normalise)


class CompoundFilter(Filter):
    """Yields each word, then its two parts when ``Lexicon.split`` finds them."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__ and self.lexicon.counts == other.lexicon.counts

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            parts = self.lexicon.split(t.text)
            yield t
            for part in parts:
                t.text = part
                yield t


class BokmalFilter(Filter):
    """Nynorsk spellings to bokmål (``bokmal``)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = bokmal(t.text)
            yield t


def analyzer(lexicon: Lexicon) -> Analyzer:
    """The Whoosh analyser of every text field: see the module docstring."""
    return (
        RegexTokenizer(TOKEN)
        | NormaliseFilter()
        | CompoundFilter(lexicon)
        | BokmalFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | StemFilter(lang="no")
    )


_PLAIN = RegexTokenizer(TOKEN) | NormaliseFilter() | BokmalFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)
_STEM = stemmer_for_language("no")  # what StemFilter(lang="no") uses


def _forms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's words (normalised, bokmål, stop words dropped) and their stems, one for one."""
    plain = tuple(t.text for t in _PLAIN(text))
    return plain, tuple(_STEM(w) for w in plain)


def _type_phrases() -> tuple[dict, dict]:
    """``TYPE_WORDS`` by their words and by their stems. A phrase is keyed by its stems only when
    stemming keeps the words recognisable (Snowball cuts ``fastlege`` to ``fast``)."""
    by_word: dict[tuple[str, ...], tuple[str, ...]] = {}
    by_stem: dict[tuple[str, ...], tuple[str, ...]] = {}
    for service_type, phrases in TYPE_WORDS.items():
        for phrase in phrases:
            plain, stems = _forms(phrase)
            keys = [(by_word, plain)]
            if all(len(s) >= len(w) - 3 for w, s in zip(plain, stems)):
                keys.append((by_stem, stems))
            for table, key in keys:
                table[key] = tuple(dict.fromkeys(table.get(key, ()) + (service_type,)))
    return by_word, by_stem


_BY_WORD, _BY_STEM = _type_phrases()


def service_types(text: str) -> list[str]:
    """The service types a text asks for by ``TYPE_WORDS`` (``sjukehuset på Orkanger`` → ``["sykehus"]``),
    in order of their words, longest phrase first."""
    plain, stems = _forms(text)
    found: list[str] = []
    i = 0
    while i < len(plain):
        for n in (3, 2, 1):
            types = (_BY_WORD.get(plain[i : i + n]) or _BY_STEM.get(stems[i : i + n])) if i + n <= len(plain) else None
            if types:
                found += [t for t in types if t not in found]
                i += n
                break
        else:
            i += 1
    return found


def service_words(service_type: str) -> str:
    return SERVICE_WORDS.get(service_type, service_type.replace("_", " "))
