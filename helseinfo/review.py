"""``helseinfo review``: clinical approval as an editor does it in Git.

The logic (register, fingerprint, state, Git dates) is in ``content_model.review``; this
module only reads the command line and prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from content_model.loader import load_library, today
from content_model.review import REGISTER_FILE, approval, approve, git_dates, last_changed, load_register
from helseinfo.cliutils import clean_errors, content_option


@click.group()
def review():
    """Faglig godkjenning: godkjenn en artikkel, se hva som venter og hvem som har godkjent hva."""


@review.command("approve")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--reviewer", "reviewer_id", required=True, help=f"Fagpersonens id i content/{REGISTER_FILE}.")
@content_option
@clean_errors
def approve_command(file: Path, reviewer_id: str, content_dir: Path):
    """Godkjenn FILE på vegne av en registrert fagperson: setter status, fagperson, fingeravtrykk og datoer."""
    article = approve(file, reviewer_id, content_dir)
    click.echo(f"{article.file}: godkjent av {reviewer_id}. Lagre endringen med git commit.")


@review.command("status")
@content_option
@clean_errors
def status_command(content_dir: Path):
    """List det som venter på faglig godkjenning, forfalte revisjoner og hvem som har godkjent hva."""
    library = load_library(content_dir)
    register = load_register(content_dir)
    dates = git_dates(content_dir)
    on = today()
    waiting: list[str] = []
    overdue: list[str] = []
    approved: list[str] = []
    for article in library.library_articles():
        state = approval(article, library, register)
        changed = f"sist endret {last_changed(article, dates):%d.%m.%Y}"
        if not state.approved:
            waiting.append(f"  {article.src_path}: {state.reason()}; {changed}")
            continue
        review_, reviewer = article.meta.review, state.reviewer
        assert review_ is not None and reviewer is not None  # approved: both are known (review.approval)
        line = (
            f"  {article.src_path}: {reviewer.name} ({reviewer.profession}, HPR {reviewer.hpr}), "
            f"godkjent {review_.last_reviewed:%d.%m.%Y}, neste revisjon {review_.next_review:%d.%m.%Y}; {changed}"
        )
        (overdue if review_.overdue(on) else approved).append(line)
    for heading, lines in (("Venter på faglig godkjenning", waiting), ("Forfalt revisjon", overdue), ("Godkjent", approved)):
        click.echo(f"{heading} ({len(lines)}):")
        click.echo("\n".join(lines) if lines else "  ingen")
    click.echo(f"Fagpersoner i content/{REGISTER_FILE}: {len(register.reviewers)}.")
