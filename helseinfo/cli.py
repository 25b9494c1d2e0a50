"""``helseinfo``: the project's one command-line tool.

Every error a user or editor can cause is printed as one clear line (or one line per
problem) on standard error, with exit status 1; never a traceback.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from helseinfo.errors import HelseinfoError
from helseinfo.paths import CONTENT, PROJECT


def clean_errors(func):
    """Turn ``HelseinfoError`` (and Ctrl-C) into a clean message and exit status."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except HelseinfoError as exc:
            click.echo(f"Feil: {exc}" if "\n" not in str(exc) else f"Feil:\n{exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Avbrutt.", err=True)
            sys.exit(130)

    return wrapper


content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=CONTENT,
    show_default=True, help="Mappen med artiklene.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Helseinformasjon på ett sted: bygg, sjekk og server helsebiblioteket."""


@main.command()
@content_option
@click.option("--days", default=30, show_default=True, help="Vis revisjoner som forfaller innen så mange dager.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@clean_errors
def check(content_dir: Path, days: int, paths: tuple[Path, ...]):
    """Sjekk front matter, interne lenker, lesbarhet (LIX) og revisjonsdatoer.

    Med PATHS vises bare det som gjelder de filene (alt lastes likevel, så lenker og
    språkpar blir sjekket).
    """
    from site_builder.checks import run_checks

    report = run_checks(content_dir, days=days, only=[p.resolve() for p in paths])
    click.echo(report.render())
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
