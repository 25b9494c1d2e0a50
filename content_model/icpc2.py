"""The ICPC-2 code list (``ICPC2#A03#Feber``), read from the official list at build time."""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import SHARED_DATA


def default_path() -> Path:
    """``$HELSEINFO_ICPC2`` or ``../shared/data/icpc2/icpc2.csv``."""
    return Path(os.environ.get("HELSEINFO_ICPC2", SHARED_DATA / "icpc2" / "icpc2.csv"))


@lru_cache(maxsize=4)
def load_codes(path: Path | None = None) -> dict[str, str]:
    """Code → Norwegian name, e.g. ``{"A03": "Feber"}``."""
    path = Path(path or default_path())
    if not path.is_file():
        raise HelseinfoError(f"{path}: fant ikke ICPC-2-kodelisten (sett HELSEINFO_ICPC2 til stien til icpc2.csv)")
    codes: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="#"):
            if len(row) >= 3 and row[0] == "ICPC2":
                codes[row[1]] = row[2]
    return codes


@lru_cache(maxsize=4)
def load_terms(path: Path | None = None) -> dict[str, list[str]]:
    """Code → the ICPC-2B clinical terms under it (from ``icpc2b.csv`` beside the code list)."""
    path = Path(path or default_path().with_name("icpc2b.csv"))
    terms: dict[str, list[str]] = {}
    if not path.is_file():
        return terms
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="#"):
            if len(row) >= 4 and row[0] == "ICPC2B":
                terms.setdefault(row[3], []).append(row[2])
    return terms
