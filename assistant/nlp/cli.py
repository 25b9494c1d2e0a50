"""``helseinfo nlp``: train and measure the Norwegian spaCy pipelines (docs/nlp.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.nlp import LANGS, PIPELINES, WORK, pipeline_name
from helseinfo.cliutils import clean_errors

lang_option = click.option(
    "--lang", type=click.Choice(["nb", "nn", "all"]), default="all", show_default=True, help="Bokmål, nynorsk eller begge."
)


def chosen(lang: str) -> list[str]:
    """The language codes ``--lang`` stands for."""
    return list(LANGS) if lang == "all" else [lang]


@click.group()
def nlp():
    """Norske spaCy-pipelines (bokmål og nynorsk) trent på NorNE."""


@nlp.command()
@lang_option
@click.option("--limit-files", type=click.IntRange(min=1), help="Bare de N første filene i hver del (for prøvekjøring).")
@click.option("--max-steps", type=click.IntRange(min=1), help="Overstyr training.max_steps i konfigurasjonen.")
@click.option(
    "--ner-train",
    type=click.Choice(["both", "own"]),
    default="both",
    show_default=True,
    help="NER trent alene på treningsfilene til begge målformene (both), eller sammen med resten "
    "på målformens egne (own). Utviklingsfilene er alltid målformens egne.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=PIPELINES,
    show_default=True,
    help="Hvor de ferdige pipelinene skrives.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=WORK,
    show_default=True,
    help="Arbeidsmappe for konverterte data og treningskjøringer (utenfor repoet).",
)
@clean_errors
def train(lang: str, limit_files: int | None, max_steps: int | None, ner_train: str, out: Path, work: Path):
    """Konverter NorNE, tren og pakk pipelinen(e) til assistant/nlp/pipelines/."""
    from assistant.nlp.train import train as train_lang

    overrides = {"training.max_steps": max_steps} if max_steps else {}
    for code in chosen(lang):
        train_lang(code, out_dir=out, work=work, limit_files=limit_files, overrides=overrides, ner_train=ner_train)


@nlp.command()
@lang_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=PIPELINES,
    show_default=True,
    help="Hvor de ferdige pipelinene skrives.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=WORK,
    show_default=True,
    help="Arbeidsmappen fra 'helseinfo nlp train'.",
)
@clean_errors
def package(lang: str, out: Path, work: Path):
    """Pakk siste treningskjøring på nytt (etter endringer i health_lemmas.json), uten å trene."""
    from assistant.nlp.train import repackage

    for code in chosen(lang):
        repackage(code, out_dir=out, work=work)


@nlp.command()
@lang_option
@click.option(
    "--pipelines", type=click.Path(file_okay=False, path_type=Path), default=PIPELINES, show_default=True, help="Mappen med pipelinene."
)
@click.option("--json", "as_json", is_flag=True, help="Alle tall som JSON.")
@clean_errors
def evaluate(lang: str, pipelines: Path, as_json: bool):
    """Mål nøyaktighet (POS, lemma, UAS/LAS, NER) og fart på testfilene."""
    from assistant.nlp.evaluate import evaluate_pipeline
    from assistant.nlp.train import folder_mb, format_scores

    for code in chosen(lang):
        path = pipelines / pipeline_name(code)
        scores = evaluate_pipeline(code, path)
        if as_json:
            click.echo(json.dumps({"pipeline": pipeline_name(code), **scores}, ensure_ascii=False))
        else:
            click.echo(f"{pipeline_name(code)}: {format_scores(scores)}, {folder_mb(path)} MB")
