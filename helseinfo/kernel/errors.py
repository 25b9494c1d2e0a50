"""The project's small exception tree.

Every error a user or an editor can cause is a ``HelseinfoError``: the command-line tool
prints its message on one line and exits with status 1, never with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class HelseinfoError(Exception):
    """Base class: an error with a message fit to show an editor or a user."""


@dataclass
class Problem:
    """One problem in one source file: where it is and what was expected."""

    file: str
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class ValidationError(HelseinfoError):
    """One or more problems in the content or the catalogue. Nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(ValidationError):
    """Problems in articles under ``content/``."""


class CatalogError(ValidationError):
    """Problems in the services catalogue under ``services_catalog/data``."""


class BuildError(HelseinfoError):
    """The site could not be built; the previously published site is untouched."""


class InputError(HelseinfoError):
    """Bad input on the command line or over HTTP (too long, unknown municipality, …)."""


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as an editor sees it: relative to the project (or ``root``) when possible."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)
