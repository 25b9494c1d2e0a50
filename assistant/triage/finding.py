"""The red-flag guard's finding as plain JSON, so the action can explain it without assessing again.

The guard (``assistant/policies.py``, in the Rasa process) assesses every message against the
akutt card. When it answers "Ring 113", it puts ``to_json(assessment)`` into the metadata of
that reply's ``ActionExecuted`` event; ``action_red_flag`` (in the action server) turns it back
into an ``Assessment`` with ``from_json`` and words the explanation from it. The matched
criteria, their texts and the level are the guard's own; only the articles (for the link) are
looked up in the action server's library, by path.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING

from assistant.triage.engine import Assessment, Match, Question
from assistant.triage.facts import Facts

if TYPE_CHECKING:
    from content_model.loader import Library

#: The key of the finding in the guard reply's ``ActionExecuted`` metadata.
METADATA_KEY = "red_flag"

_MATCH = {f.name for f in fields(Match)}
_QUESTION = {f.name for f in fields(Question)}


def to_json(assessment: Assessment) -> dict:
    return {
        "level": assessment.level,
        "language": assessment.language,
        "uncertain": assessment.uncertain,
        "matches": [asdict(m) for m in assessment.matches],
        "unchecked": [asdict(q) for q in assessment.unchecked],
        "assumed": list(assessment.assumed),
        "articles": [a.src_path for a in assessment.articles],
    }


def from_json(data: dict, library: Library | None = None) -> Assessment:
    """The guard's assessment again; ``library`` (if given) supplies the articles by path."""
    articles = [library.get(path) for path in data.get("articles", [])] if library is not None else []
    return Assessment(
        level=data["level"],
        matches=[Match(**{k: v for k, v in m.items() if k in _MATCH}) for m in data.get("matches", [])],
        questions=[],
        facts=Facts(language=data.get("language", "nb")),
        articles=[a for a in articles if a is not None],
        uncertain=bool(data.get("uncertain")),
        unchecked=[Question(**{k: v for k, v in q.items() if k in _QUESTION}) for q in data.get("unchecked", [])],
        assumed=list(data.get("assumed", [])),
    )
