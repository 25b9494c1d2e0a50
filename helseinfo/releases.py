"""Releases of the published site and its search index: one folder per build, and one atomic
``rename`` of a symlink to publish it. Shared by the site build and the search index build, so
neither needs the other (and the index does not pull in mkdocs)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

KEEP_RELEASES = 3


def releases_dir(out: Path) -> Path:
    return out.parent / f".{out.name}-releases"


def publish(release: Path, out: Path) -> None:
    """Point ``out`` at ``release`` atomically (a symlink replaced by ``rename``)."""
    if out.exists() and not out.is_symlink():
        # A plain folder from an older build: move it aside once (itself one rename).
        os.replace(out, releases_dir(out) / f"legacy-{dt.datetime.now():%Y%m%dT%H%M%S%f}")
    link = out.parent / f".{out.name}.new-link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, out.parent), link)
    os.replace(link, out)


def prune(out: Path, keep: int = KEEP_RELEASES) -> None:
    """Delete old releases, keeping the newest ``keep`` and the one ``out`` points at."""
    current = out.resolve()
    releases = sorted(releases_dir(out).iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in releases[keep:]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
