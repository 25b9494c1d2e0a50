"""ruff (lint and format) and mypy, configured in pyproject.toml, hold over the whole project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helseinfo.kernel.paths import PROJECT

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)


def test_ruff_finds_nothing_to_fix():
    result = run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_python_file_is_formatted_by_ruff():
    result = run(str(BIN / "ruff"), "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr
