"""The health library itself: every article strict-valid, readable, paired, and consistent with akutt."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.triage import TriageEngine
from content_model import load_library
from content_model.readability import LIX_WARNING, article_lix
from content_model.schema import LEVELS
from helseinfo.kernel.paths import CONTENT

LIBRARY = load_library(CONTENT)  # strict: schema, ICPC-2 codes against the official list, pairs
ENGINE = TriageEngine(LIBRARY)
ARTICLES = LIBRARY.library_articles()
CRITERIA = [(a, level, c) for a in ARTICLES if a.meta.care_card for level, c in a.meta.care_card.criteria()]


def test_library_has_at_least_100_bokmaal_and_30_nynorsk_articles_with_the_akutt_card_in_both():
    counts = Counter(a.meta.language for a in ARTICLES)
    assert counts["nb"] >= 100 and counts["nn"] >= 30
    assert LIBRARY.akutt("nb").meta.language == "nb" and LIBRARY.akutt("nn").meta.language == "nn"


def test_every_nynorsk_article_is_paired_with_a_bokmaal_article_both_ways():
    for article in LIBRARY.library_articles("nn"):
        other = LIBRARY.translation_of(article)
        assert other is not None and other.meta.language == "nb", article.src_path
        assert LIBRARY.translation_of(other) is article


def test_no_source_is_a_front_page():
    # A source is the page that supports the text, or it is left out (issue 15).
    from content_model.sources import front_page_problems

    assert [str(p) for p in front_page_problems(LIBRARY)] == []


def test_a_nynorsk_twin_cites_the_same_pages_as_its_bokmaal_article():
    for article in LIBRARY.library_articles("nn"):
        twin = LIBRARY.translation_of(article)
        assert [str(s.url) for s in article.meta.sources] == [str(s.url) for s in twin.meta.sources], article.src_path


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.src_path)
def test_every_article_is_plain_language_with_lix_at_most_40(article):
    assert article_lix(article) <= LIX_WARNING


def test_every_article_is_a_draft_without_an_invented_reviewer():
    """No clinician has approved anything yet: the register is empty and no article names a reviewer."""
    from content_model.review import load_register

    assert load_register(LIBRARY.root).reviewers == []
    for article in ARTICLES:
        assert article.meta.review.status == "draft" and article.meta.review.reviewer is None, article.src_path


def test_every_symptom_article_has_at_least_two_distinct_levels():
    for article in ARTICLES:
        if article.meta.kind == "symptom":
            levels = [level for level, _ in article.meta.care_card.levels()]
            assert len(levels) >= 2 and len(set(levels)) == len(levels), article.src_path


def sample_text(criterion) -> str:
    """What a person might write for a criterion: its first phrase and one of each extra group,
    or, for a criterion built from signs, the first bokmål word of each concept of each sign."""
    if criterion.signs:
        vocabulary = LIBRARY.signs

        def words(sign):
            return " ".join(vocabulary.concepts[c].nb[0] for c in vocabulary.signs[sign].expressions[0])

        return " og ".join(words(group[0]) for group in [criterion.signs, *criterion.with_signs])
    return " og ".join([criterion.terms[0], *(group[0] for group in criterion.with_terms)])


def facts_for(criterion) -> dict:
    """Keyword arguments for the engine that satisfy a criterion's conditions."""
    facts = {}
    if criterion.age:
        low, high = criterion.age.range_months()
        facts["age_months"] = low + 1 if high == float("inf") else (low + high) / 2 - 0.5
    if criterion.pregnant is not None:
        facts["pregnant"] = criterion.pregnant
    if criterion.duration:
        over, under = criterion.duration.over_days, criterion.duration.under_days
        facts["duration_days"] = (over + 1) if over is not None else under / 2
    return facts


@pytest.mark.parametrize("article, level, criterion", CRITERIA, ids=lambda x: getattr(x, "id", str(x)))
def test_every_criterion_is_reachable_by_the_triage_engine(article, level, criterion):
    # The criterion itself must match (a higher level reached through another card, such as the
    # akutt card, does not prove this one can be reached), and the answer is at least its level.
    text = f"{article.meta.title}: {sample_text(criterion)}"
    result = ENGINE.assess(text, **facts_for(criterion))
    matched = {m.criterion for m in result.matches}
    assert criterion.id in matched, (text, sorted(matched))
    assert LEVELS.index(result.level) <= LEVELS.index(level), (text, result.to_json()["matched"])


#: Lower-level criteria whose reader text names an akutt sign on purpose, with the reason.
AKUTT_EXCEPTIONS = {
    # "You had stroke signs more than a day ago that went away": the text must name the signs;
    # when a person writes it, the engine answers 113 (the safe side), and the card tells
    # readers who already know it passed what to do.
    "slag-drypp-dager-siden": "past stroke signs, named on purpose",
}


#: Lower-level criteria that the akutt card's signs now read as 113 (recorded when the akutt card
#: moved to the sign vocabulary, issue 12). Each is a sign at two levels: the work list for
#: building the topic cards from the same signs. A new conflict fails; one resolved must be removed.
#: Keyed by the bokmål article: a nynorsk twin applies the same rule.
AKUTT_CONFLICTS = Path(__file__).parent / "fixtures" / "akutt_conflicts.txt"


def akutt_conflicts() -> set[str]:
    found = set()
    for article, level, criterion in CRITERIA:
        if level == "emergency" or article.meta.kind == "akutt":
            continue
        texts = [sample_text(criterion)] + ([] if criterion.id in AKUTT_EXCEPTIONS else [criterion.text])
        if any(ENGINE.red_flags(text).level == "emergency" for text in texts):
            # An nn criterion shares its rule with the nb twin: one line for the pair.
            pair = article.meta.translation if article.meta.language == "nn" and article.meta.translation else article.src_path
            found.add(f"{pair} {criterion.id}")
    return found


def test_no_lower_level_criterion_contradicts_the_akutt_card_beyond_the_recorded_work_list():
    recorded = set(AKUTT_CONFLICTS.read_text(encoding="utf-8").split("\n")) - {""}
    found = akutt_conflicts()
    assert found <= recorded, sorted(found - recorded)
    assert recorded <= found, f"løst, fjern fra {AKUTT_CONFLICTS.name}: {sorted(recorded - found)}"
