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


#: What a data release says about itself, in its folder.
MANIFEST = "release.json"
#: The data release's link, beside the search index's (``var/release`` for the default site).
DATA_RELEASE = "release"


def data_release_beside(index_dir: Path) -> Path:
    """Where the data release of the build that wrote ``index_dir`` is published."""
    return Path(index_dir).absolute().parent / DATA_RELEASE


def tree_hash(folders: dict[str, Path]) -> str:
    """SHA-256 over every file in ``folders`` (by name: its path inside the folder and its bytes)."""
    import hashlib

    digest = hashlib.sha256()
    for name in sorted(folders):
        root = Path(folders[name])
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = f"{name}/{path.relative_to(root).as_posix()}"
            digest.update(relative.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_data_release(release: Path, folders: dict[str, Path], **info: str) -> dict:
    """Copy ``folders`` (e.g. ``content`` and ``catalog``) into a new release folder, with a
    ``release.json`` naming them, their ``content_hash`` and ``info`` (e.g. the search index the
    same build wrote). Returns the manifest."""
    import json

    release.mkdir(parents=True)
    for name, folder in folders.items():
        shutil.copytree(folder, release / name, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    manifest = {
        "content_hash": tree_hash({name: release / name for name in folders}),
        "folders": sorted(folders),
        "built": dt.datetime.now().isoformat(timespec="seconds"),
        **info,
    }
    (release / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def read_manifest(release: Path) -> dict | None:
    """The manifest of a data release folder (or of the link to it), or ``None`` if there is none."""
    import json

    try:
        manifest = json.loads((Path(release) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("content_hash") else None
