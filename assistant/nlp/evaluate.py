"""Accuracy of a pipeline on the held-out test files (POS, morphology, lemma, UAS/LAS, NER, speed).

The test text is tokenized by the pipeline itself (``gold_preproc = false``), as for spaCy's
published figures, so tokenization errors count against every score.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.nlp import LANGS, NORNE, PIPELINES, pipeline_name
from assistant.nlp.convert import convert
from assistant.nlp.splits import split
from helseinfo.kernel.errors import HelseinfoError


def rounded(value):
    """Scores rounded to four decimals, nested dicts included."""
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    return round(value, 4) if isinstance(value, float) else value


def evaluate_nlp(nlp, test: Path, batch_size: int = 256) -> dict:
    """``nlp.evaluate`` on a DocBin of gold documents; ``speed`` is words per second (``words_per_second``)."""
    from spacy.training import Corpus

    examples = list(Corpus(str(test), gold_preproc=False)(nlp))
    if not examples:
        raise HelseinfoError(f"{test}: ingen testdokumenter")
    scores = nlp.evaluate(examples, batch_size=batch_size)
    scores["speed"] = words_per_second(nlp, [eg.reference.text for eg in examples], batch_size)
    if "tagger" not in nlp.pipe_names:
        scores.pop("tag_acc", None)  # the gold docs carry NDT tags in tag_, but no tagger is trained
    return rounded({key: value for key, value in scores.items() if value is not None})


def words_per_second(nlp, texts: list[str], batch_size: int = 256, runs: int = 3) -> float:
    """Words per second of the whole pipeline on ``texts``: the best of ``runs`` passes (one process)."""
    words = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
        best = min(best, time.perf_counter() - start)
    return words / best


def evaluate_pipeline(lang: str, path: Path | None = None, norne: Path = NORNE) -> dict:
    """Load a packaged pipeline and measure it on ``lang``'s test split (converted to a temporary file)."""
    import spacy

    if lang not in LANGS:
        raise HelseinfoError(f"ukjent språk {lang!r} (bruk nb eller nn)")
    path = path or PIPELINES / pipeline_name(lang)
    if not (path / "meta.json").is_file():
        raise HelseinfoError(f"{path}: fant ingen pipeline; kjør 'helseinfo nlp train --lang {lang}' først")
    nlp = spacy.load(path)
    with tempfile.TemporaryDirectory() as tmp:
        test = Path(tmp) / "test.spacy"
        convert(split(lang, norne / LANGS[lang])["test"], test)
        return evaluate_nlp(nlp, test)
