"""Matching the sign vocabulary (``content_model.signs``) on what a person wrote.

A concept occurs where one of its word forms does (stem, compound head, one typo, æ/ø/å
folded: ``text.word_matches``). An expression of a sign occurs where every one of its concepts
occurs in the same clause, in any order, within a window of words. The occurrence is negated
when a negation word before one of its words is not itself part of the expression: "klarer ikke
å løfte armen" is the sign, "ikke vondt i brystet" is the sign denied. A sign is found when one
of its expressions occurs un-negated; denied when it occurs only negated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from assistant.triage.text import (
    COPULAS,
    FUNCTION_WORDS,
    LIST_OR,
    NEGATION_WINDOW,
    NEGATIONS,
    NOUN_NEGATIONS,
    OR_REACHING,
    QUALIFIED_NEGATION,
    SCOPE_END,
    TYPO_MIN,
    Tokens,
    _deletions,
    _match_at,
    fold,
    negates,
    phrase_tokens,
)
from content_model.signs import Vocabulary

#: The most words an expression's concepts may be spread over in one clause. Text without full
#: stops ("pappa har hatt svart bæsj i hele dag og nå besvimte han") runs on; a window keeps a
#: body part from pairing with a symptom half a message away.
WINDOW = 12
#: Occurrences of one concept considered per expression (bounds the work on a 2,000-character text).
MAX_SPANS = 24


#: Words of onset that a negation after them does not deny: "plutselig ikke klarte å snakke".
ONSET = frozenset(["plutselig", "plutseleg", "brått", "brat", "suddenly", "akkurat", "nettopp"])
#: "Never" before a comparison is no denial: "har aldri hatt så vondt", "never felt anything like it".
NEVER = frozenset(["aldri", "never"])
NEVER_SO = frozenset(["så", "sånn", "slik", "slikt", "maken", "like", "such", "this", "worse", "verre"])
#: ... with a verb of having felt it between ("aldri hatt så vondt"): "aldri sånn brått og voldsomt",
#: with no such verb, denies it.
EXPERIENCED = frozenset(["hatt", "kjent", "kjend", "opplevd", "vært", "vore", "had", "felt", "experienced", "been", "seen", "sett"])


@dataclass(frozen=True)
class Span:
    start: int  # token index
    end: int  # token index after the last word
    clause: int


@dataclass(frozen=True)
class SignHit:
    sign: str
    phrase: str  # the person's own words that matched
    negated: bool
    concepts: int = 1  # how many concepts the expression that matched combines
    #: negated by a negation with at most one word of meaning between ("har ikke
    #: selvmordstanker", "ingen tanker om å ta livet mitt", "has not planned"; not "har ikke
    #: fortalt noen om selvmordstankene"): see ``_denied_outright``
    denied_outright: bool = False


class SignMatcher:
    """Finds the signs of a vocabulary in tokenised text."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._forms = {concept: tuple(phrase_tokens(word) for word in vocabulary.words(concept)) for concept in vocabulary.concepts}
        # Which forms are English only. A word of the other language matches only as written:
        # stems, æøå folding and typos cross languages wrongly ("grunt" is shallow in Norwegian,
        # not "grunting"; English "are" folds to "åre", a vein).
        self._english = {
            concept: tuple(word in words.en and word not in words.nb and word not in words.nn for word in vocabulary.words(concept))
            for concept, words in vocabulary.concepts.items()
        }
        # Forms written with a leading "=" match only as written: "=trykk" is the noun (pressure),
        # not the verb "trykker" (presses) that shares its stem.
        self._literal = {concept: tuple(word.startswith("=") for word in vocabulary.words(concept)) for concept in vocabulary.concepts}
        # Where a form can start: its first word's text, stem and æøå-folded text. A text is
        # then matched only against the forms one of its words can start; forms whose first word
        # is long enough for a typo or to be a compound's head are tried on every text.
        self._cache_key = f"_matcher_{id(self)}"
        # Each expression of each sign under its first concept: a sign can be in a text only if
        # every concept of one of its expressions has a candidate form there (``possible``).
        self._expressions_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for sign in vocabulary.signs.values():
            for expression in sign.expressions:
                self._expressions_by_first.setdefault(expression[0], []).append((sign.id, tuple(expression)))
        self._index: dict[str, set[tuple[str, int]]] = {}
        self._typos: dict[str, set[tuple[str, int]]] = {}  # one deletion away, for typo matches
        for concept, forms in self._forms.items():
            for number, form in enumerate(forms):
                if not form:
                    continue
                first = form[0]
                for key in {first.text, first.stem, fold(first.text)}:
                    self._index.setdefault(key, set()).add((concept, number))
                if len(first.text) >= TYPO_MIN:
                    for key in _deletions(fold(first.text)):
                        self._typos.setdefault(key, set()).add((concept, number))

    def _cache(self, tokens: Tokens) -> dict[str, Any]:
        """What this matcher has found in one text (a text may be read by several matchers).
        Asked hundreds of thousands of times per benchmark run: no allocation once it exists."""
        found = tokens.__dict__.get(self._cache_key)
        if found is None:
            found = tokens.__dict__[self._cache_key] = {"signs": {}, "concepts": {}}
        cache: dict[str, Any] = found
        return cache

    def _candidates(self, tokens: Tokens) -> dict[str, set[int]]:
        """The forms (by concept) that one of the text's words could start."""
        cache = self._cache(tokens)
        if "candidates" not in cache:
            found: set[tuple[str, int]] = set()
            empty: set[tuple[str, int]] = set()
            for token in tokens:
                word = token.text
                for key in {word, token.stem, fold(word)}:
                    found |= self._index.get(key, empty)
                if len(word) >= TYPO_MIN:
                    for key in _deletions(fold(word)):
                        found |= self._typos.get(key, empty)
                for start in range(1, len(word) - 7):  # compound heads of eight letters or more
                    found |= self._index.get(word[start:], empty)
            by_concept: dict[str, set[int]] = {}
            for concept, number in found:
                by_concept.setdefault(concept, set()).add(number)
            cache["candidates"] = by_concept
        candidates: dict[str, set[int]] = cache["candidates"]
        return candidates

    def concept_spans(self, concept: str, tokens: Tokens) -> list[Span]:
        cache: dict[str, list[Span]] = self._cache(tokens)["concepts"]
        if concept not in cache:
            spans: set[Span] = set()
            forms, english, literal = self._forms[concept], self._english[concept], self._literal[concept]
            text_is_english = getattr(tokens, "language", None) == "en"
            mixed = getattr(tokens, "mixed", False)  # both languages: neither only as written
            for number in self._candidates(tokens).get(concept, ()):
                wanted = forms[number]
                as_written = literal[number] or (english[number] != text_is_english and not mixed)
                for i in tokens.positions(wanted[0]):
                    end = _written_at(wanted, tokens, i) if as_written else _match_at(wanted, tokens, i)
                    if end is None:
                        continue
                    if wanted[-1].text in NEGATIONS and end < len(tokens) and tokens[end].text in QUALIFIED_NEGATION:
                        continue  # "puster ikke tungt" is not "puster ikke"
                    spans.add(Span(i, end, tokens[i].clause))
            cache[concept] = sorted(spans, key=lambda s: (s.start, s.end))
        return cache[concept]

    def possible(self, tokens: Tokens) -> set[str]:
        """Signs one of whose expressions has a candidate form for every concept (a cheap bound:
        a sign not in it cannot be in the text)."""
        cache = self._cache(tokens)
        if "possible" not in cache:
            candidates = self._candidates(tokens)
            cache["possible"] = {
                sign
                for concept in candidates
                for sign, expression in self._expressions_by_first.get(concept, ())
                if all(c in candidates for c in expression)
            }
        possible: set[str] = cache["possible"]
        return possible

    def find(self, sign_id: str, tokens: Tokens) -> SignHit | None:
        """The sign in the text: un-negated if any occurrence is, else negated, else ``None``."""
        cache: dict[str, SignHit | None] = self._cache(tokens)["signs"]
        if sign_id not in cache:
            cache[sign_id] = self._find(sign_id, tokens)
        return cache[sign_id]

    def _find(self, sign_id: str, tokens: Tokens) -> SignHit | None:
        denied = None
        for expression in self.vocabulary.signs[sign_id].expressions:
            options: list[list[Span]] = []
            for concept in expression:  # stop at the first concept that is not in the text
                spans = self.concept_spans(concept, tokens)[:MAX_SPANS]
                if not spans:
                    break
                options.append(spans)
            if len(options) < len(expression):
                continue
            near = [self.vocabulary.concepts[concept].near for concept in expression]
            for combo in _combinations(options, tokens, near):
                phrase = _phrase(tokens, combo)
                if not _negated(tokens, combo):
                    return SignHit(sign_id, phrase, False, len(expression))
                denied = denied or SignHit(sign_id, phrase, True, len(expression), _denied_outright(tokens, combo))
        return denied


def _written_at(wanted: tuple, tokens: Tokens, i: int) -> int | None:
    """The form exactly as written, word for word (a word of the other language): the index
    after its last word, else ``None``."""
    end = i + len(wanted)
    if end > len(tokens) or any(tokens[i + k].text != word.text for k, word in enumerate(wanted)):
        return None
    return end


def _content_words_before(tokens: Tokens) -> list[int]:
    """How many words that are not function words ("og", "det", "har", "i") come before each
    index: the window counts what carries meaning, so "anfall ... og det har holdt på i sju
    minutter" is as near as "anfall i sju minutter" reads."""
    counts: list[int] | None = tokens.__dict__.get("_content_before")
    if counts is None:
        counts = [0]
        for token in tokens:
            counts.append(counts[-1] + (token.text not in FUNCTION_WORDS))
        tokens.__dict__["_content_before"] = counts
    return counts


#: How many words of meaning may stand between a degree word ("mye") and what it qualifies:
#: none ("mye blod", "blør masse", "a lot of blood"; not "mye løsere avføring … litt blod").
NEAR = 0


def _combinations(options: list[list[Span]], tokens: Tokens, near: list[bool] | None = None) -> Iterator[tuple[Span, ...]]:
    """Occurrences of every concept of an expression in one clause and window, nearest first;
    a ``near`` concept only next to another concept of the expression."""
    if len(options) == 1:
        for span in options[0]:
            yield (span,)
        return
    content = _content_words_before(tokens)
    found: list[tuple[int, tuple[Span, ...]]] = []
    for combo in product(*options):
        if len({s.clause for s in combo}) != 1:
            continue
        start, end = min(s.start for s in combo), max(s.end for s in combo)
        if content[end] - content[start] > WINDOW:
            continue
        if _overlap(combo):
            continue
        if near and any(flag and not _next_to(span, combo, content, tokens) for flag, span in zip(near, combo)):
            continue
        found.append((end - start, combo))
    for _, combo in sorted(found, key=lambda item: item[0]):
        yield combo


#: Words that do not part a degree or wish word from what it qualifies: "greit å bare ikke våkne".
_NEAR_THROUGH = frozenset(["bare", "berre", "bærre", "only"])


def _next_to(span: Span, combo: tuple[Span, ...], content: list[int], tokens: Tokens) -> bool:
    """``span`` has another span of ``combo`` within ``NEAR`` words of meaning on either side
    ("bare" and the like not counted)."""
    for other in combo:
        if other is span:
            continue
        first, last = (span.end, other.start) if other.start >= span.end else (other.end, span.start)
        gap = content[last] - content[first] - sum(1 for i in range(first, last) if tokens[i].text in _NEAR_THROUGH)
        if gap <= NEAR:
            return True
    return False


def _overlap(combo: tuple[Span, ...]) -> bool:
    """Two concepts may not be the same words ("vondt" is pain, not also "strong")."""
    seen: set[int] = set()
    for span in combo:
        words = set(range(span.start, span.end))
        if words & seen:
            return True
        seen |= words
    return False


#: Words that may stand between a verb and its negation after it: "hjelper ikke lenger".
_BETWEEN = frozenset(["lenger", "lengre", "heller", "helt", "enda", "enno"])


def _negated(tokens: Tokens, combo: tuple[Span, ...]) -> bool:
    covered = {i for span in combo for i in range(span.start, span.end)}
    if any(negates(tokens[i].text, tokens) for i in covered):
        # The sign says its own negation ("klarer ikke snakke"): a negation before it is the
        # previous verb's ("inhalator hjelper ikke klarer ikke snakke"), or an answer ("nei, han
        # puster ikke"), not a denial of the sign.
        return False
    return any(_negated_at(tokens, span.start, covered) or _negated_after(tokens, span.end, covered) for span in combo)


def _denied_outright(tokens: Tokens, combo: tuple[Span, ...]) -> bool:
    """A negation word before one of the concepts with at most one word of meaning between them,
    in the same clause and with no comma between: "har ikke selvmordstanker", "ingen tanker om å
    ta livet mitt", "has not planned" (not "har ikke fortalt noen at jeg har selvmordstanker")."""
    content = _content_words_before(tokens)
    pauses: set[int] = getattr(tokens, "pauses", set())
    for span in combo:
        j = span.start - 1
        while j >= 0 and tokens[j].clause == tokens[span.start].clause and j + 1 not in pauses:
            if content[span.start] - content[j + 1] > 1:
                break
            if negates(tokens[j].text, tokens):
                return True
            j -= 1
    return False


def _negated_after(tokens: Tokens, end: int, covered: set[int]) -> bool:
    """Norwegian puts the negation after the verb: "medisinen hjelper ikke", "blir ikke bedre"."""
    pauses: set[int] = getattr(tokens, "pauses", set())
    if tokens[end - 1].text in ONSET:
        return False  # "plutseleg ikkje kraft i armen": the negation is the next thing's
    for j in (end, end + 1):
        if j >= len(tokens) or j in covered or tokens[j].clause != tokens[end - 1].clause or j in pauses:
            return False  # after a comma it is the next item's: "ingen feber, ikke vondt i ryggen"
        if tokens[j].text in NEGATIONS and tokens[j].text not in NOUN_NEGATIONS:
            return True
        if tokens[j].text not in _BETWEEN:
            return False
    return False


def _negated_at(tokens: Tokens, index: int, covered: set[int]) -> bool:
    """A negation word shortly before ``index`` in the same clause, not part of the sign itself.

    Words of the sign's own concepts are passed over ("klarer ikke å løfte armen"); "og" and
    the like end the negation's reach, "eller" only after a verb's negation (``text.is_negated``).
    """
    clause = tokens[index].clause
    pauses: set[int] = getattr(tokens, "pauses", set())
    past_or, past_comma, seen = False, False, 0
    j = index - 1
    while j >= 0 and seen < NEGATION_WINDOW:
        if tokens[j].clause != clause:
            return False
        word = tokens[j].text
        if j + 1 in pauses:
            past_comma = True  # a comma stands between this word and the sign
        if j in covered:
            j -= 1
            continue
        seen += 1
        if word in LIST_OR:
            past_or = True
        elif word in SCOPE_END:
            return False
        elif negates(word, tokens):
            after = range(j + 1, min(len(tokens), index + 4))
            if (
                word in NEVER
                and any(tokens[k].text in NEVER_SO and tokens[k].clause == clause for k in after)
                and any(tokens[k].text in EXPERIENCED for k in after)
            ):
                return False  # "aldri hatt så vondt", "never had pain like this": the sign, at its worst
            if word in NOUN_NEGATIONS:
                return True  # "ingen feber, frysninger eller hoste": a noun's negation lists
            if past_comma:
                return False  # "bryr seg ikke om noe, sovner hele tiden": a verb's stops at a comma
            # "er ikke slapp eller døsig": after a copula the negation covers the whole list
            return not past_or or (j > 0 and tokens[j - 1].text in COPULAS) or word in OR_REACHING
        j -= 1
    return False


def _phrase(tokens: Tokens, combo: tuple[Span, ...]) -> str:
    """The person's words from the first to the last word of the occurrence."""
    source = getattr(tokens, "source", "")
    start, end = min(s.start for s in combo), max(s.end for s in combo)
    last = tokens[end - 1]
    text = source[tokens[start].start : last.start + len(last.text)] if source else " ".join(t.text for t in tokens[start:end])
    return text if len(text) <= 80 else text[:77] + "…"
