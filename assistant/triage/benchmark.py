"""The Semigran et al. (BMJ 2015) triage benchmark: 45 vignettes, three levels.

Our four levels map onto the paper's three: emergency and urgent → ``em`` (seek care now),
gp → ``ne`` (non-emergent care), self_care → ``sc``. The paper's 23 symptom checkers gave
correct advice in 57% of cases: 80% emergent, 55% non-emergent, 33% self-care.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helseinfo.kernel.paths import PROJECT, SHARED_DATA

if TYPE_CHECKING:
    from assistant.triage.engine import TriageEngine
    from assistant.triage.text import Tokens

SEMIGRAN = {"overall": 0.57, "em": 0.80, "ne": 0.55, "sc": 0.33}
TO_SEMIGRAN = {"emergency": "em", "urgent": "em", "gp": "ne", "self_care": "sc"}
NORWEGIAN = PROJECT / "tests" / "fixtures" / "semigran_no.jsonl"
#: A second, independent set of Norwegian lay versions, written before the engine was tuned on
#: the first: it shows whether changes generalise.
HELD_OUT = PROJECT / "tests" / "fixtures" / "semigran_no_heldout.jsonl"
ENGLISH = SHARED_DATA / "benchmarks" / "semigran_vignettes.jsonl"
#: The blind paraphrase safety suite (issue 12): a development half that may be read and tuned
#: on, and a test half that is only scored. See tests/fixtures/triage_blind/README.md.
BLIND = PROJECT / "tests" / "fixtures" / "triage_blind"
RANK = {"emergency": 0, "urgent": 1, "gp": 2, "self_care": 3}


def load_blind(half: str) -> list[dict]:
    """The texts of one half (``dev`` or ``test``) of the blind suite."""
    cases = []
    for path in sorted(BLIND.glob(f"{half}-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                cases.append(
                    {
                        "id": row["id"],
                        "expected": row["level"],
                        "text": row["text"],
                        "crisis": row["crisis"],
                        "destination": row.get("destination"),
                        "language": row["language"],
                        "style": row["style"],
                    }
                )
    return cases


def score_blind(engine: TriageEngine, cases: list[dict]) -> dict:
    """Exact level, emergency recall, under-triage, self-care sent to 113, crisis helplines given,
    and (for the development half only) the cases that went wrong."""
    exact = under = sc_113 = crisis_missed = 0
    emergencies = [c for c in cases if c["expected"] == "emergency"]
    self_care = [c for c in cases if c["expected"] == "self_care"]
    missed: list[str] = []
    wrong: list[dict] = []
    for case in cases:
        result = engine.assess(case["text"])
        exact += result.level == case["expected"]
        if RANK[result.level] > RANK[case["expected"]]:
            under += 1
        if case["expected"] == "emergency" and result.level != "emergency":
            missed.append(case["id"])
        if case["expected"] == "self_care" and result.level == "emergency":
            sc_113 += 1
        if case["crisis"] and not result.crisis:
            crisis_missed += 1
        if result.level != case["expected"]:
            wrong.append(
                {"id": case["id"], "expected": case["expected"], "got": result.level, "matched": [m.criterion for m in result.reasons()]}
            )
    n = len(cases)
    return {
        "cases": n,
        "exact": round(exact / n, 3),
        "emergency_recall": round(1 - len(missed) / len(emergencies), 3),
        "emergencies_missed": missed,
        "under_triage": round(under / n, 3),
        "self_care_to_113": round(sc_113 / len(self_care), 3) if self_care else 0.0,
        "crisis_without_helplines": crisis_missed,
        "wrong": wrong,
    }


def load_cases(path: Path, text_key: str) -> list[dict]:
    cases = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            cases.append({"id": row.get("id", f"case{index:02d}"), "expected": row["urgency_level"], "text": row[text_key]})
    return cases


def score(engine: TriageEngine, cases: list[dict]) -> dict:
    """Accuracy overall and per level, and the cases that went wrong."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[dict] = []
    under_triaged_emergencies = 0
    for case in cases:
        result = engine.assess(case["text"])
        got = TO_SEMIGRAN[result.level]
        total[case["expected"]] += 1
        if got == case["expected"]:
            right[case["expected"]] += 1
        else:
            wrong.append(
                {"id": case["id"], "expected": case["expected"], "got": result.level, "matched": [m.criterion for m in result.reasons()]}
            )
            if case["expected"] == "em":
                under_triaged_emergencies += 1
    report: dict[str, Any] = {level: round(right[level] / total[level], 3) for level in ("em", "ne", "sc") if total[level]}
    report["overall"] = round(sum(right.values()) / sum(total.values()), 3)
    report["correct"] = sum(right.values())
    report["cases"] = sum(total.values())
    report["emergencies_under_triaged"] = under_triaged_emergencies
    report["wrong"] = wrong
    return report


def lemma_tokenizer() -> tuple[Callable[..., Tokens], list[float]]:
    """A tokenizer whose stems come from the lemmas of the project's spaCy pipeline (nb_helse_sm),
    for ``helseinfo bench triage --lemmas``: does a trained lemmatiser beat Snowball stems and
    the vocabulary's word lists? Returns the tokenizer and the list it records times in."""
    import time

    import spacy

    from assistant.nlp import PIPELINES
    from assistant.triage.text import Token, Tokens, normalise, stem, tokenize

    nlp = spacy.load(PIPELINES / "nb_helse_sm", exclude=["ner"])
    seconds: list[float] = []

    def tokenize_with_lemmas(text: str, english: bool = False) -> Tokens:
        tokens = tokenize(text, english)
        start = time.perf_counter()
        lemmas = {normalise(t.text): normalise(t.lemma_) for t in nlp(text)}
        seconds.append(time.perf_counter() - start)
        out = Tokens(
            Token(
                t.text,
                stem(lemmas[t.text]) if lemmas.get(t.text, t.text).isalpha() and lemmas.get(t.text, t.text) != t.text else t.stem,
                t.start,
                t.clause,
            )
            for t in tokens
        )
        out.pauses, out.source = tokens.pauses, tokens.source
        return out

    return tokenize_with_lemmas, seconds
