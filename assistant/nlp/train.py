"""Train and package the pipelines: NorNE → DocBin (work folder) → ``spacy train`` → pipelines/.

Reproducible: the split is fixed (``splits``), the configs are ``configs/helse_sm.cfg`` and
``configs/helse_ner.cfg`` and the seed is the config's ``system.seed`` (0). spaCy prints its own
progress table while training.

Two ways to train the NER (``ner_train``):

* ``"both"`` (the default): two runs. First the pipeline without ``ner`` on the language's own
  training files (``run/``), then the NER alone (``helse_ner.cfg``) on the training files of
  *both* written standards, chosen on the language's own development files (``run-ner/``). The
  NER has its own tok2vec, so it is copied into the first pipeline unchanged (``final/``).
* ``"own"``: one run of the whole ``helse_sm.cfg`` on the language's own files.

The test files of neither standard are used for training or model selection.

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
from helseinfo.kernel.errors import HelseinfoError

CONFIG = CONFIGS / "helse_sm.cfg"
#: The NER trained alone on both written standards (``ner_train="both"``).
NER_CONFIG = CONFIGS / "helse_ner.cfg"
NER_TRAIN = ("both", "own")
#: Packaged pipelines must stay this small (they are committed).
MAX_MB = 15.0
LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk"}
#: The scores shown on one line and kept from the best development-set evaluation.
HEADLINE = ("pos_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "ents_f")


def other_lang(lang: str) -> str:
    """The other written standard: ``nb`` → ``nn``, ``nn`` → ``nb``."""
    return "nn" if lang == "nb" else "nb"


def prepare(lang: str, work: Path = WORK, limit_files: int | None = None, norne: Path = NORNE, ner_train: str = "own") -> dict[str, Path]:
    """Convert the split's files for ``lang`` to ``work/<lang>/{train,dev,test}.spacy``.

    With ``ner_train="both"`` also ``work/<lang>/ner_train.spacy``: the training files of both
    written standards (never their development or test files).
    """
    if lang not in LANGS:
        raise HelseinfoError(f"ukjent språk {lang!r} (bruk nb eller nn)")
    if ner_train not in NER_TRAIN:
        raise HelseinfoError(f"ukjent NER-trening {ner_train!r} (bruk {' eller '.join(NER_TRAIN)})")
    files = split(lang, norne / LANGS[lang])
    paths = {}
    for name in SPLIT_NAMES:
        chosen = files[name][:limit_files] if limit_files else files[name]
        paths[name] = work / lang / f"{name}.spacy"
        words = convert(chosen, paths[name])
        print(f"{lang} {name}: {len(chosen)} filer, {words} ord -> {paths[name]}", flush=True)
    if ner_train == "both":
        other = other_lang(lang)
        extra = split(other, norne / LANGS[other])["train"]
        extra = extra[:limit_files] if limit_files else extra
        own = files["train"][:limit_files] if limit_files else files["train"]
        paths["ner_train"] = work / lang / "ner_train.spacy"
        words = convert(own + extra, paths["ner_train"])
        print(f"{lang} ner_train: {len(own)} {lang}- + {len(extra)} {other}-filer, {words} ord -> {paths['ner_train']}", flush=True)
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
    from spacy.pipeline import AttributeRuler

    from assistant.nlp.evaluate import evaluate_nlp, rounded

    nlp = spacy.load(model_dir)
    dev = rounded({key: nlp.meta.get("performance", {}).get(key) for key in HEADLINE})
    ruler = nlp.add_pipe("attribute_ruler", name="health_lemmas", after="trainable_lemmatizer")
    assert isinstance(ruler, AttributeRuler)  # what the attribute_ruler factory makes
    ruler.add_patterns(health_patterns(lang))
    scores = evaluate_nlp(nlp, test)
    nlp.meta.update(
        {
            "lang": lang,
            "name": "helse_sm",
            "version": "0.1.0",
            "description": (
                f"Small Norwegian ({LANG_NAMES[lang]}) pipeline for the Midt-Norge health service, trained on "
                "NorNE (NDT): tok2vec, morphologizer (UD POS + features), edit-tree lemmatizer, health-lemma rules, "
                "parser (NDT labels), NER (NorNE labels, own tok2vec). Tokenizer: spaCy's 'nb' language class"
                + (" (spaCy 3.4 has no 'nn' class)." if lang == "nn" else ".")
            ),
            "author": "helseinfo",
            "url": "",
            "license": "MIT (model); NorNE annotations CC0",
            "sources": [
                {
                    "name": "NorNE (Norwegian Dependency Treebank with named entities)",
                    "url": "https://github.com/ltgoslo/norne",
                    "license": "CC0 annotations; texts not republished",
                }
            ],
            "performance": scores,
            "helseinfo": {
                "split": "UD Norwegian-Bokmaal" if lang == "nb" else "assistant/nlp/splits.py split_nn (80/10/10 by file)",
                **(extra_meta or {}),
                "dev_scores": dev,
            },
        }
    )
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


def run_spacy(config, run: Path, settings: dict) -> None:
    """spaCy's training loop (``spacy train``) with ``settings`` as overrides; it prints its progress table."""
    from spacy.cli.train import train as spacy_train
    from spacy.util import load_config

    settings = dict(settings)
    steps = settings.get("training.max_steps")
    if steps and "training.eval_frequency" not in settings:
        # Evaluate (and so save model-best) at least once after step 0 on short runs.
        frequency = load_config(config, interpolate=False)["training"]["eval_frequency"]
        settings["training.eval_frequency"] = min(frequency, steps)
    print(f"Trener med {Path(config).name} -> {run} ({settings})", flush=True)
    spacy_train(config, run, use_gpu=-1, overrides=settings)
    if not (run / "model-best").is_dir():
        raise HelseinfoError(f"{run / 'model-best'}: treningen lagret ingen modell")


def without_ner(config: Path, out: Path) -> Path:
    """``config`` without its ``ner`` component (and NER score weights), written to ``out``."""
    from spacy.util import load_config

    cfg = load_config(config, interpolate=False)
    if "ner" in cfg["components"]:
        del cfg["components"]["ner"]
    cfg["nlp"]["pipeline"] = [name for name in cfg["nlp"]["pipeline"] if name != "ner"]
    cfg["training"]["score_weights"] = {
        key: value for key, value in cfg["training"]["score_weights"].items() if not key.startswith("ents_")
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    cfg.to_disk(out)
    return out


def assemble(main_dir: Path, ner_dir: Path, out: Path) -> Path:
    """The pipeline in ``main_dir`` with the ``ner`` of ``ner_dir`` (own tok2vec, copied unchanged) at the end."""
    import spacy

    nlp, ner_nlp = spacy.load(main_dir), spacy.load(ner_dir)
    nlp.add_pipe("ner", source=ner_nlp)
    performance = {key: value for key, value in nlp.meta.get("performance", {}).items() if not key.startswith("ents_")}
    performance.update({key: value for key, value in ner_nlp.meta.get("performance", {}).items() if key.startswith("ents_")})
    nlp.meta["performance"] = performance
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    return out


def train(
    lang: str,
    out_dir: Path = PIPELINES,
    work: Path = WORK,
    limit_files: int | None = None,
    overrides: dict | None = None,
    config: Path = CONFIG,
    ner_train: str = "both",
    ner_config: Path = NER_CONFIG,
) -> dict:
    """Convert, train and package one language; returns the written meta (scores in ``performance``).

    ``ner_train``: ``"both"`` trains the NER alone on the training files of both written
    standards (``ner_config``) and the other components on ``lang``'s own; ``"own"`` trains
    the whole ``config`` on ``lang``'s own files in one run (see the module docstring).
    """
    paths = prepare(lang, work, limit_files, ner_train=ner_train)
    settings = {"paths.train": str(paths["train"]), "paths.dev": str(paths["dev"]), **(overrides or {})}
    final = work / lang / "final"
    print(f"Trener {pipeline_name(lang)} (NER trent på {'begge målformer' if ner_train == 'both' else lang})", flush=True)
    start = time.monotonic()
    seconds = {}
    if ner_train == "own":
        run_spacy(config, work / lang / "run", settings)
        seconds["pipeline"] = round(time.monotonic() - start)
        if final.exists():
            shutil.rmtree(final)
        shutil.copytree(work / lang / "run" / "model-best", final)
    else:
        run_spacy(without_ner(config, work / lang / "helse_sm_uten_ner.cfg"), work / lang / "run", settings)
        seconds["pipeline"] = round(time.monotonic() - start)
        ner_start = time.monotonic()
        run_spacy(ner_config, work / lang / "run-ner", {**settings, "paths.train": str(paths["ner_train"])})
        seconds["ner"] = round(time.monotonic() - ner_start)
        assemble(work / lang / "run" / "model-best", work / lang / "run-ner" / "model-best", final)
    total = round(time.monotonic() - start)
    extra = {
        "training_seconds": total,
        "training_seconds_per_run": seconds,
        "ner_train": ner_train,
        "limit_files": limit_files,
        "overrides": overrides or {},
    }
    meta = package(lang, final, paths["test"], out_dir / pipeline_name(lang), extra)
    print(
        f"{pipeline_name(lang)}: {format_scores(meta['performance'])}, {meta['helseinfo']['size_mb']} MB, "
        f"trent på {total} s -> {out_dir / pipeline_name(lang)}",
        flush=True,
    )
    return meta


def repackage(lang: str, out_dir: Path = PIPELINES, work: Path = WORK) -> dict:
    """Package the last training run again (after editing health_lemmas.json), keeping its training facts."""
    best, test = work / lang / "final", work / lang / "test.spacy"
    if not best.is_dir():  # a work folder from before ``final/`` existed
        best = work / lang / "run" / "model-best"
    if not best.is_dir() or not test.is_file():
        raise HelseinfoError(f"{work / lang}: fant ingen treningskjøring; kjør 'helseinfo nlp train --lang {lang}'")
    old_meta = out_dir / pipeline_name(lang) / "meta.json"
    extra = json.loads(old_meta.read_text(encoding="utf-8")).get("helseinfo", {}) if old_meta.is_file() else {}
    extra = {key: value for key, value in extra.items() if key not in {"split", "size_mb", "dev_scores"}}
    meta = package(lang, best, test, out_dir / pipeline_name(lang), extra)
    print(
        f"{pipeline_name(lang)}: {format_scores(meta['performance'])}, {meta['helseinfo']['size_mb']} MB "
        f"-> {out_dir / pipeline_name(lang)}",
        flush=True,
    )
    return meta


def format_scores(scores: dict) -> str:
    """One line with the headline figures."""

    def pct(key):
        value = scores.get(key)
        return "-" if value is None else f"{value:.3f}"

    return (
        f"POS {pct('pos_acc')}, morph {pct('morph_acc')}, lemma {pct('lemma_acc')}, UAS {pct('dep_uas')}, "
        f"LAS {pct('dep_las')}, NER F1 {pct('ents_f')}, tokens {pct('token_acc')}, {scores.get('speed', 0):.0f} ord/s"
    )
