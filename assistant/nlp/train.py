"""Train and package the pipelines: NorNE → DocBin (work folder) → ``spacy train`` → pipelines/.

Reproducible: the split is fixed (``splits``), the config is ``configs/helse_sm.cfg`` and the
seed is the config's ``system.seed`` (0). spaCy prints its own progress table while training.
The converted corpora and the training runs stay in the work folder (``assistant.nlp.WORK``,
outside the repository) because they contain the NorNE texts.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from assistant.nlp import CONFIGS, HEALTH_LEMMAS, LANGS, NORNE, PIPELINES, WORK, pipeline_name
from assistant.nlp.convert import convert
from assistant.nlp.splits import SPLIT_NAMES, split
from helseinfo.errors import HelseinfoError

CONFIG = CONFIGS / "helse_sm.cfg"
#: Packaged pipelines must stay this small (they are committed).
MAX_MB = 15.0
LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk"}
#: The scores shown on one line and kept from the best development-set evaluation.
HEADLINE = ("pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "ents_f")


def prepare(lang: str, work: Path = WORK, limit_files: int | None = None, norne: Path = NORNE) -> dict[str, Path]:
    """Convert the split's files for ``lang`` to ``work/<lang>/{train,dev,test}.spacy``."""
    if lang not in LANGS:
        raise HelseinfoError(f"ukjent språk {lang!r} (bruk nb eller nn)")
    files = split(lang, norne / LANGS[lang])
    paths = {}
    for name in SPLIT_NAMES:
        chosen = files[name][:limit_files] if limit_files else files[name]
        paths[name] = work / lang / f"{name}.spacy"
        words = convert(chosen, paths[name])
        print(f"{lang} {name}: {len(chosen)} filer, {words} ord -> {paths[name]}", flush=True)
    return paths


def health_patterns(lang: str, table: Path = HEALTH_LEMMAS) -> list[dict]:
    """AttributeRuler patterns that set the lemma of each listed health word form."""
    data = json.loads(table.read_text(encoding="utf-8"))
    patterns = []
    for lemma, forms in sorted(data[lang].items()):
        for form in sorted(set(forms) | {lemma}):
            patterns.append({"patterns": [[{"LOWER": form}]], "attrs": {"LEMMA": lemma}})
    return patterns


def folder_mb(path: Path) -> float:
    """Size of a folder's files in MB (10^6 bytes)."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 2)


def package(lang: str, model_dir: Path, test: Path, out: Path, extra_meta: dict | None = None) -> dict:
    """Add the health-lemma rules, measure on the test split, write meta.json and save to ``out``."""
    import spacy

    from assistant.nlp.evaluate import evaluate_nlp, rounded

    nlp = spacy.load(model_dir)
    dev = rounded({key: nlp.meta.get("performance", {}).get(key) for key in HEADLINE})
    ruler = nlp.add_pipe("attribute_ruler", name="health_lemmas", after="trainable_lemmatizer")
    ruler.add_patterns(health_patterns(lang))
    scores = evaluate_nlp(nlp, test)
    nlp.meta.update({
        "lang": lang, "name": "helse_sm", "version": "0.1.0",
        "description": (
            f"Small Norwegian ({LANG_NAMES[lang]}) pipeline for the Midt-Norge health service, trained on "
            "NorNE (NDT): tok2vec, morphologizer (UD POS + features), edit-tree lemmatizer, health-lemma rules, "
            "parser (NDT labels), NER (NorNE labels, own tok2vec). Tokenizer: spaCy's 'nb' language class"
            + (" (spaCy 3.4 has no 'nn' class)." if lang == "nn" else ".")
        ),
        "author": "helseinfo", "url": "", "license": "MIT (model); NorNE annotations CC0",
        "sources": [{"name": "NorNE (Norwegian Dependency Treebank with named entities)",
                     "url": "https://github.com/ltgoslo/norne", "license": "CC0 annotations; texts not republished"}],
        "performance": scores,
        "helseinfo": {"split": "UD Norwegian-Bokmaal" if lang == "nb" else "assistant/nlp/splits.py split_nn (80/10/10 by file)",
                      **(extra_meta or {}), "dev_scores": dev},
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    size = folder_mb(tmp)
    nlp.meta["helseinfo"]["size_mb"] = size
    (tmp / "meta.json").write_text(json.dumps(nlp.meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if size > MAX_MB:
        raise HelseinfoError(f"{tmp}: pipelinen er {size} MB, over grensen på {MAX_MB} MB")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return nlp.meta


def train(lang: str, out_dir: Path = PIPELINES, work: Path = WORK, limit_files: int | None = None,
          overrides: dict | None = None, config: Path = CONFIG) -> dict:
    """Convert, train and package one language; returns the written meta (scores in ``performance``)."""
    from spacy.cli.train import train as spacy_train
    from spacy.util import load_config

    paths = prepare(lang, work, limit_files)
    run = work / lang / "run"
    settings = {"paths.train": str(paths["train"]), "paths.dev": str(paths["dev"]), **(overrides or {})}
    steps = settings.get("training.max_steps")
    if steps and "training.eval_frequency" not in settings:
        # Evaluate (and so save model-best) at least once after step 0 on short runs.
        frequency = load_config(config, interpolate=False)["training"]["eval_frequency"]
        settings["training.eval_frequency"] = min(frequency, steps)
    print(f"Trener {pipeline_name(lang)} med {config.name} ({settings})", flush=True)
    start = time.monotonic()
    spacy_train(config, run, use_gpu=-1, overrides=settings)
    seconds = round(time.monotonic() - start)
    best = run / "model-best"
    if not best.is_dir():
        raise HelseinfoError(f"{best}: treningen lagret ingen modell")
    extra = {"training_seconds": seconds, "limit_files": limit_files, "overrides": overrides or {}}
    meta = package(lang, best, paths["test"], out_dir / pipeline_name(lang), extra)
    print(f"{pipeline_name(lang)}: {format_scores(meta['performance'])}, {meta['helseinfo']['size_mb']} MB, "
          f"trent på {seconds} s -> {out_dir / pipeline_name(lang)}", flush=True)
    return meta


def repackage(lang: str, out_dir: Path = PIPELINES, work: Path = WORK) -> dict:
    """Package the last training run again (after editing health_lemmas.json), keeping its training facts."""
    best, test = work / lang / "run" / "model-best", work / lang / "test.spacy"
    if not best.is_dir() or not test.is_file():
        raise HelseinfoError(f"{work / lang}: fant ingen treningskjøring; kjør 'helseinfo nlp train --lang {lang}'")
    old_meta = out_dir / pipeline_name(lang) / "meta.json"
    extra = json.loads(old_meta.read_text(encoding="utf-8")).get("helseinfo", {}) if old_meta.is_file() else {}
    extra = {key: value for key, value in extra.items() if key not in {"split", "size_mb", "dev_scores"}}
    meta = package(lang, best, test, out_dir / pipeline_name(lang), extra)
    print(f"{pipeline_name(lang)}: {format_scores(meta['performance'])}, {meta['helseinfo']['size_mb']} MB "
          f"-> {out_dir / pipeline_name(lang)}", flush=True)
    return meta


def format_scores(scores: dict) -> str:
    """One line with the headline figures."""
    def pct(key):
        value = scores.get(key)
        return "-" if value is None else f"{value:.3f}"

    return (f"POS {pct('pos_acc')}, morph {pct('morph_acc')}, lemma {pct('lemma_acc')}, UAS {pct('dep_uas')}, "
            f"LAS {pct('dep_las')}, NER F1 {pct('ents_f')}, tokens {pct('token_acc')}, {scores.get('speed', 0):.0f} ord/s")
