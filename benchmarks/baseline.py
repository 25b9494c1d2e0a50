"""The assistant's throughput against an earlier revision, in the same run, on the same machine.

``helseinfo bench assistant --baseline REV`` checks REV out in a temporary git worktree and
trains its model there (REV's own config, data and code, with this ``.venv``). Then, one after
the other, REV's servers and this checkout's (the action server and the Rasa server, as
``helseinfo assistant run`` starts them, with the same search index) are driven by the same
client: this checkout's closed loop (``assistant.cli.closed_loop_level``) at each concurrency
level. It reports messages per second and the CPU time each server spent per message, and
the ratios. The servers of the two revisions never run at the same time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import PROJECT

#: Run in a checkout (REV's or this one): start its servers, print their pids, stop them when
#: standard input closes. ``start_servers`` and ``runtime_endpoints`` have the same signature
#: in every revision this is meant for.
SERVE = """
import json, sys
from pathlib import Path
from assistant.cli import ASSISTANT, runtime_endpoints, start_servers, stop_servers
tmp, port, action_port = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
endpoints = runtime_endpoints(ASSISTANT / "endpoints.yml", action_port, tmp / "endpoints.yml", db=tmp / "b.db")
processes = start_servers(port, action_port, log_dir=tmp, endpoints=endpoints)
print(json.dumps([p.pid for p in processes]), flush=True)
sys.stdin.read()
stop_servers(processes)
"""


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """``revision`` checked out in a temporary folder (the reference data linked beside it)."""
    root = Path(tempfile.mkdtemp(prefix="helseinfo-baseline-"))
    folder = root / "tree"
    if (PROJECT.parent / "shared").exists():
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


def train(checkout: Path, echo: Callable[[str], None]) -> None:
    """``helseinfo assistant train`` as ``checkout`` has it (``python -m`` puts it first on the path)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "helseinfo.cli", "assistant", "train"],
        cwd=checkout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Epochs" not in line:
            echo("    " + line.rstrip()[:160])
    if process.wait() != 0:
        raise HelseinfoError(f"'helseinfo assistant train' i {checkout} feilet (status {process.returncode})")


def measure(checkout: Path, index: Path, levels: tuple[int, ...], seconds: float, echo: Callable[[str], None]) -> list[dict]:
    """The closed loop at each level against ``checkout``'s servers."""
    from assistant.cli import closed_loop_level, wait_until_answering, warm_up

    tmp, port, action_port = Path(tempfile.mkdtemp(prefix="helseinfo-baseline-run-")), 5215, 5265
    env = {**os.environ, "HELSEINFO_SEARCH_INDEX": str(index)}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(tmp), str(port), str(action_port)],
        cwd=checkout,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        processes = [SimpleNamespace(pid=pid) for pid in json.loads(server.stdout.readline())]
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        wait_until_answering(url, time.perf_counter())
        warm_up(url)
        return [closed_loop_level(url, level, seconds, processes, echo) for level in levels]  # type: ignore[arg-type]
    finally:
        server.stdin.close()
        server.wait(60)


def compare(revision: str, levels: tuple[int, ...], seconds: float, echo: Callable[[str], None]) -> dict[str, list[dict]]:
    """REV's figures and this checkout's, REV first, with one search index built for both."""
    from content_model import load_library
    from helseinfo.kernel.paths import CONTENT
    from search_index import build_index
    from services_catalog import load_catalog

    index = Path(tempfile.mkdtemp(prefix="helseinfo-baseline-index-")) / "search-index"
    build_index(load_library(CONTENT, codes=False), load_catalog(codes=False), index)
    with worktree(revision) as tree:
        echo(f"==> {revision}: trener modellen i {tree}")
        train(tree, echo)
        echo(f"==> {revision}: {', '.join(map(str, levels))} samtaler samtidig i {seconds:g} s")
        before = measure(tree, index, levels, seconds, echo)
    echo("==> denne utsjekkingen: trener modellen hvis noe er endret")
    train(PROJECT, echo)
    echo(f"==> denne utsjekkingen: {', '.join(map(str, levels))} samtaler samtidig i {seconds:g} s")
    return {"baseline": before, "now": measure(PROJECT, index, levels, seconds, echo)}
