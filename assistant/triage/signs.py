"""Matching the sign vocabulary (``content_model.signs``) on what a person wrote.

A concept occurs where one of its word forms does (stem, compound head, one typo, æ/ø/å
folded: ``text.word_matches``). An expression of a sign occurs where every one of its concepts
occurs in the same clause, in any order, within a window of words. The occurrence is negated
when a negation word before one of its words is not itself part of the expression: "klarer ikke
å løfte armen" is the sign, "ikke vondt i brystet" is the sign denied. A sign is found when one
of its expressions occurs un-negated; denied when it occurs only negated.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from assistant.triage.text import (LIST_OR, NEGATION_WINDOW, NEGATIONS, NOUN_NEGATIONS, QUALIFIED_NEGATION,
                                   SCOPE_END, Tokens, _match_at, phrase_tokens)
from content_model.signs import Vocabulary

#: The most words an expression's concepts may be spread over in one clause. Text without full
#: stops ("pappa har hatt svart bæsj i hele dag og nå besvimte han") runs on; a window keeps a
#: body part from pairing with a symptom half a message away.
WINDOW = 12
#: Occurrences of one concept considered per expression (bounds the work on a 2,000-character text).
MAX_SPANS = 24


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


class SignMatcher:
    """Finds the signs of a vocabulary in tokenised text."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._forms = {concept: tuple(phrase_tokens(word) for word in vocabulary.words(concept))
                       for concept in vocabulary.concepts}

    def concept_spans(self, concept: str, tokens: Tokens) -> list[Span]:
        cache = tokens.__dict__.setdefault("_concepts", {})
        if concept not in cache:
            spans = set()
            for wanted in self._forms[concept]:
                if not wanted or not tokens.may_start(wanted[0]):
                    continue
                for i in tokens.positions(wanted[0]):
                    end = _match_at(wanted, tokens, i)
                    if end is None:
                        continue
                    if wanted[-1].text in NEGATIONS and end < len(tokens) and tokens[end].text in QUALIFIED_NEGATION:
                        continue  # "puster ikke tungt" is not "puster ikke"
                    spans.add(Span(i, end, tokens[i].clause))
            cache[concept] = sorted(spans, key=lambda s: (s.start, s.end))
        return cache[concept]

    def find(self, sign_id: str, tokens: Tokens) -> SignHit | None:
        """The sign in the text: un-negated if any occurrence is, else negated, else ``None``."""
        cache = tokens.__dict__.setdefault("_signs", {})
        if sign_id not in cache:
            cache[sign_id] = self._find(sign_id, tokens)
        return cache[sign_id]

    def _find(self, sign_id: str, tokens: Tokens) -> SignHit | None:
        denied = None
        for expression in self.vocabulary.signs[sign_id].expressions:
            options = [self.concept_spans(concept, tokens)[:MAX_SPANS] for concept in expression]
            if not all(options):
                continue
            for combo in _combinations(options):
                phrase = _phrase(tokens, combo)
                if not _negated(tokens, combo):
                    return SignHit(sign_id, phrase, False)
                denied = denied or SignHit(sign_id, phrase, True)
        return denied


def _combinations(options: list[list[Span]]):
    """Occurrences of every concept of an expression in one clause and window, nearest first."""
    if len(options) == 1:
        for span in options[0]:
            yield (span,)
        return
    found = []
    for combo in product(*options):
        if len({s.clause for s in combo}) != 1:
            continue
        start, end = min(s.start for s in combo), max(s.end for s in combo)
        if end - start > WINDOW:
            continue
        if _overlap(combo):
            continue
        found.append((end - start, combo))
    for _, combo in sorted(found, key=lambda item: item[0]):
        yield combo


def _overlap(combo) -> bool:
    """Two concepts may not be the same words ("vondt" is pain, not also "strong")."""
    seen: set[int] = set()
    for span in combo:
        words = set(range(span.start, span.end))
        if words & seen:
            return True
        seen |= words
    return False


def _negated(tokens: Tokens, combo) -> bool:
    covered = {i for span in combo for i in range(span.start, span.end)}
    return any(_negated_at(tokens, span.start, covered) for span in combo)


def _negated_at(tokens: Tokens, index: int, covered: set[int]) -> bool:
    """A negation word shortly before ``index`` in the same clause, not part of the sign itself.

    Words of the sign's own concepts are passed over ("klarer ikke å løfte armen"); "og" and
    the like end the negation's reach, "eller" only after a verb's negation (``text.is_negated``).
    """
    clause = tokens[index].clause
    past_or, seen = False, 0
    j = index - 1
    while j >= 0 and seen < NEGATION_WINDOW:
        if tokens[j].clause != clause:
            return False
        word = tokens[j].text
        if j in covered:
            j -= 1
            continue
        seen += 1
        if word in LIST_OR:
            past_or = True
        elif word in SCOPE_END:
            return False
        elif word in NEGATIONS:
            return not past_or or word in NOUN_NEGATIONS
        j -= 1
    return False


def _phrase(tokens: Tokens, combo) -> str:
    """The person's words from the first to the last word of the occurrence."""
    source = getattr(tokens, "source", "")
    start = min(s.start for s in combo)
    last = tokens[max(s.end for s in combo) - 1]
    text = source[tokens[start].start: last.start + len(last.text)] if source else " ".join(t.text for t in tokens[start: last.start])
    return text if len(text) <= 80 else text[:77] + "…"
