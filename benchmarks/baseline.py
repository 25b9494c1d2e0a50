"""A benchmark of the assistant against an earlier revision, in the same run and on the same machine.

``helseinfo bench assistant --baseline REV`` checks REV out in a temporary git worktree, trains
its model there (REV's own config, data and code, with this ``.venv``), runs REV's own
``helseinfo bench assistant`` and then this checkout's, and prints messages per second at each
concurrency level for both and their ratio. The two runs use the same ports one after the
other, never at once.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from helseinfo.errors import HelseinfoError
from helseinfo.paths import PROJECT

#: A line of ``helseinfo bench assistant``: "25 samtidig: 41.3 meldinger/s (1240), p50 …".
LEVEL_LINE = re.compile(r"^(\d+) samtidig: ([\d.]+) meldinger/s .*?p50 ([\d.]+) ms, p95 ([\d.]+) ms", re.MULTILINE)


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """``revision`` checked out in a temporary folder, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="helseinfo-baseline-"))
    folder = root / "tree"
    if (PROJECT.parent / "shared").exists():  # the reference data beside the checkout, as here
        (root / "shared").symlink_to(PROJECT.parent / "shared")
    added = subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), revision], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    if added.returncode != 0:
        raise HelseinfoError(f"fant ikke revisjonen {revision!r}: {added.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=PROJECT, capture_output=True, check=False)


def run_tool(where: Path, args: list[str], echo: Callable[[str], None]) -> str:
    """``helseinfo ARGS`` as the checkout in ``where`` has it (``python -m`` puts it first on the
    path); its progress shown as it comes, its standard output returned."""
    process = subprocess.Popen(
        [sys.executable, "-m", "helseinfo.cli", *args],
        cwd=where,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        echo("    " + line.rstrip())
    if process.wait() != 0:
        raise HelseinfoError(f"'helseinfo {' '.join(args)}' i {where} feilet (status {process.returncode})")
    return "".join(lines)


def levels(output: str) -> dict[int, dict[str, float]]:
    """Concurrency → messages/s, p50 and p95 from the output of ``helseinfo bench assistant``."""
    return {int(m[1]): {"per_s": float(m[2]), "p50_ms": float(m[3]), "p95_ms": float(m[4])} for m in LEVEL_LINE.finditer(output)}


def compare(revision: str, bench_args: list[str], echo: Callable[[str], None]) -> dict[str, dict[int, dict[str, float]]]:
    """The baseline's and this checkout's figures, the baseline first."""
    with worktree(revision) as tree:
        echo(f"==> {revision}: trener modellen i {tree}")
        run_tool(tree, ["assistant", "train"], echo)
        echo(f"==> {revision}: helseinfo bench assistant {' '.join(bench_args)}")
        before = levels(run_tool(tree, ["bench", "assistant", *bench_args], echo))
    echo("==> denne utsjekkingen: trener modellen hvis noe er endret")
    run_tool(PROJECT, ["assistant", "train"], echo)
    echo(f"==> denne utsjekkingen: helseinfo bench assistant {' '.join(bench_args)}")
    now = levels(run_tool(PROJECT, ["bench", "assistant", *bench_args], echo))
    return {"baseline": before, "now": now}
