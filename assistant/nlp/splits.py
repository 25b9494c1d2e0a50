"""Which NorNE files train, tune (dev) and test each pipeline. Files are always kept whole.

Bokmål: the Universal Dependencies split (../shared/data/norne/SPLITS.md), so our figures
compare with published ones. Per source (``ap``, ``bt``, …) the files in name order are
training up to the first development file, development up to the first test file, and test
after that; this puts ``kk006_0000`` in training, as SPLITS.md says.

Nynorsk: NorNE has no official split, so we make one the same way. Per source (``dot``,
``firda-nn``, …), files in name order; a file whose middle sentence falls in the first 80 %
of that source's sentences is training, in the next 10 % development, in the last 10 % test.
Contiguous ranges keep the parts of one article together, as the UD split does.
"""

from __future__ import annotations

import re
from pathlib import Path

from helseinfo.kernel.errors import HelseinfoError

#: UD_Norwegian-Bokmaal: the first development and the first test file of each source.
NB_DEV_START = {
    "ap": "ap012_0003",
    "bt": "bt005_0002",
    "db": "db013_0005",
    "kk": "kk006_0001",
    "sp-bm": "sp-bm002_0000",
    "vg": "vg002_0004",
    "blogg-bm": "blogg-bm003_0001",
    "nou": "nou004_0001",
    "st": "st005_0001",
}
NB_TEST_START = {
    "ap": "ap014_0003",
    "bt": "bt005_0006",
    "db": "db014_0003",
    "kk": "kk007_0001",
    "sp-bm": "sp-bm003_0000",
    "vg": "vg002_0005",
    "blogg-bm": "blogg-bm003_0003",
    "nou": "nou004_0002",
    "st": "st005_0003",
}
SPLIT_NAMES = ("train", "dev", "test")


def source_of(path: Path) -> str:
    """``ap001_0000.conll`` → ``ap``; ``blogg-nn002_0001.conll`` → ``blogg-nn``."""
    match = re.match(r"(.+?)\d+[a-z]?_\d+$", Path(path).stem)
    if not match:
        raise HelseinfoError(f"{path}: uventet filnavn (forventet som ap001_0000.conll)")
    return match.group(1)


def conll_files(folder: Path) -> list[Path]:
    """The ``*.conll`` files of a NorNE language folder, in name order."""
    if not folder.is_dir():
        raise HelseinfoError(f"{folder}: fant ikke NorNE-mappen (se ../shared/data/README.md)")
    files = sorted(folder.glob("*.conll"))
    if not files:
        raise HelseinfoError(f"{folder}: ingen .conll-filer")
    return files


def split_nb(files: list[Path]) -> dict[str, list[Path]]:
    """The UD split of the bokmål files."""
    out: dict[str, list[Path]] = {name: [] for name in SPLIT_NAMES}
    for path in sorted(files):
        source = source_of(path)
        if source not in NB_DEV_START:
            raise HelseinfoError(f"{path}: kilden {source!r} er ikke i UD-splitten")
        if path.stem < NB_DEV_START[source]:
            out["train"].append(path)
        elif path.stem < NB_TEST_START[source]:
            out["dev"].append(path)
        else:
            out["test"].append(path)
    return out


def count_sentences(path: Path) -> int:
    """Sentences in a CoNLL file (blocks separated by blank lines)."""
    text = path.read_text(encoding="utf-8")
    return sum(1 for block in text.split("\n\n") if block.strip())


def split_nn(files: list[Path], dev: float = 0.8, test: float = 0.9) -> dict[str, list[Path]]:
    """The deterministic ~80/10/10 split of the nynorsk files (see the module docstring)."""
    out: dict[str, list[Path]] = {name: [] for name in SPLIT_NAMES}
    by_source: dict[str, list[Path]] = {}
    for path in sorted(files):
        by_source.setdefault(source_of(path), []).append(path)
    for paths in by_source.values():
        counts = [count_sentences(p) for p in paths]
        total, seen = sum(counts), 0
        for path, count in zip(paths, counts):
            share = (seen + count / 2) / total
            out["train" if share < dev else "dev" if share < test else "test"].append(path)
            seen += count
    return out


def split(lang: str, folder: Path) -> dict[str, list[Path]]:
    """``{"train": [...], "dev": [...], "test": [...]}`` for ``nb`` or ``nn``."""
    files = conll_files(folder)
    return split_nb(files) if lang == "nb" else split_nn(files)
