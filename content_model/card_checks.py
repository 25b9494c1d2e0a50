"""Checks across care cards, run by ``helseinfo check`` and the tests (issue 12):

- every bokmål card has its nynorsk twin with the same criteria at the same levels;
- no criterion can match on a topic word alone: a self-care criterion names the reassuring
  evidence it needs (``with_signs``), besides the topic;
- the same sign is not at two levels in different cards unless a stated condition (age,
  pregnancy, its weeks, duration, or a "together with" group) tells them apart.
"""

from __future__ import annotations

from collections import defaultdict

from content_model.loader import Library
from content_model.schema import Criterion
from helseinfo.kernel.errors import Problem


def parity_problems(library: Library) -> list[Problem]:
    problems = []
    for article in library.articles.values():
        if article.meta.language != "nb" or article.meta.care_card is None:
            continue
        twin = library.translation_of(article)
        if twin is None or twin.meta.care_card is None:
            continue
        ours = {c.id: level for level, c in article.meta.care_card.criteria()}
        theirs = {c.id: level for level, c in twin.meta.care_card.criteria()}
        for criterion, level in ours.items():
            if criterion not in theirs:
                problems.append(
                    Problem(
                        twin.file,
                        f"care_card.{level}",
                        f"mangler kriteriet '{criterion}' fra {article.src_path}",
                        twin.line(("care_card", level)),
                    )
                )
            elif theirs[criterion] != level:
                problems.append(
                    Problem(
                        twin.file,
                        f"care_card.{theirs[criterion]}",
                        f"kriteriet '{criterion}' står under {level} i {article.src_path}",
                        twin.line(("care_card",)),
                    )
                )
    return problems


def topic_alone_problems(library: Library) -> list[Problem]:
    problems = []
    for article in library.articles.values():
        card = article.meta.care_card
        if card is None or article.meta.language != "nb":
            continue
        for index, criterion in enumerate(card.self_care):
            if not (criterion.with_signs or criterion.with_terms):
                problems.append(
                    Problem(
                        article.file,
                        f"care_card.self_care[{index}]",
                        f"'{criterion.id}' kan slå til på temaordet alene: legg til with_signs for det beroligende "
                        "(for eksempel at personen drikker godt og er i form)",
                        article.line(("care_card", "self_care", index)),
                    )
                )
    return problems


def _signature(criterion: Criterion) -> tuple[object, ...]:
    """What tells two criteria apart: their signs and every stated condition."""
    return (
        tuple(sorted(criterion.signs)),
        tuple(tuple(sorted(g)) for g in criterion.with_signs),
        criterion.age.json() if criterion.age else None,
        criterion.pregnant,
        criterion.pregnancy_weeks.json() if criterion.pregnancy_weeks else None,
        criterion.duration.json() if criterion.duration else None,
    )


def level_conflicts(library: Library) -> list[Problem]:
    """The same signs under the same conditions at different levels in different bokmål cards."""
    seen: dict[tuple, list[tuple[str, str, str]]] = defaultdict(list)
    for article in library.articles.values():
        if article.meta.language != "nb" or article.meta.care_card is None:
            continue
        for level, criterion in article.meta.care_card.criteria():
            if criterion.signs:
                seen[_signature(criterion)].append((level, article.src_path, criterion.id))
    problems = []
    for uses in seen.values():
        levels = {level for level, _, _ in uses}
        if len(levels) > 1:
            first = uses[0]
            others = ", ".join(f"{path} {cid} ({level})" for level, path, cid in uses[1:])
            first_article = library.get(first[1])
            problems.append(
                Problem(
                    first_article.file if first_article else first[1],
                    f"care_card.{first[0]}",
                    f"'{first[2]}' har samme tegn og vilkår som {others}, men et annet nivå",
                )
            )
    return problems
