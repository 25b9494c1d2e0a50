"""Shared pieces of the command-line tool, for ``helseinfo.cli`` and the rooms' own commands.

Kept apart from ``helseinfo.cli`` so that a room's command module can import them without
importing the tool that imports it.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import CONTENT


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
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CONTENT,
    show_default=True,
    help="Mappen med artiklene.",
)


from content_model.contacts import MAX_MESSAGE_CHARS  # noqa: E402 (the one place for the limit)

MAX_TEXT = MAX_MESSAGE_CHARS  # characters; longer input is refused with a clear message (old name, kept)


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Lines of a JSONL file as dicts; a bad line is an error naming the file and the line."""
    import json

    from helseinfo.kernel.errors import InputError

    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: kan ikke lese filen ({exc.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: ugyldig JSON ({exc.msg})") from None
        missing = [key for key in required if not isinstance(item, dict) or key not in item]
        if missing:
            raise InputError(f"{path}:{number}: mangler {', '.join(missing)}")
        items.append(item)
    return items
