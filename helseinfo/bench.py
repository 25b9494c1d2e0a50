"""``helseinfo bench build``: the plugin's cost, measured against plain mkdocs-material.

N synthetic but valid articles (about 600 words, a four-level care card) are written to a
temporary folder and built with the helseinfo plugin and with plain mkdocs-material (the same
theme, search plugin and pages, without the plugin), each build in its own process so its peak
memory can be read, over several rounds in alternating order; the medians are reported.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

WORDS = [
    "kroppen",
    "feber",
    "hodepine",
    "lege",
    "legevakt",
    "hjelp",
    "barn",
    "voksne",
    "eldre",
    "smerter",
    "hvile",
    "vann",
    "drikke",
    "sove",
    "dager",
    "uker",
    "behandling",
    "tegn",
    "symptomer",
    "råd",
    "helse",
    "kontakt",
    "ring",
    "time",
    "fastlege",
    "apotek",
    "medisin",
    "hoste",
    "halsen",
    "magen",
    "ryggen",
    "huden",
    "pust",
    "hjertet",
    "blodtrykk",
    "trening",
    "mat",
    "søvn",
    "stress",
    "angst",
    "glede",
    "familie",
    "venner",
    "arbeid",
    "skole",
    "hjemme",
    "ute",
    "vinter",
    "sommer",
    "ofte",
    "sjelden",
    "vanlig",
    "farlig",
    "trygg",
    "rolig",
    "raskt",
    "sakte",
    "bedre",
    "verre",
]


def synthetic_article(number: int, rng: random.Random) -> str:
    def sentence(n: int = 9) -> str:
        words = [rng.choice(WORDS) for _ in range(n)]
        return " ".join(words).capitalize() + "."

    def criterion(level: str, i: int) -> dict:
        return {"id": f"{level.replace('_', '-')}-{i}", "text": sentence(10), "terms": rng.sample(WORDS, 3)}

    meta = {
        "title": f"Syntetisk artikkel {number}",
        "summary": sentence(20),
        "language": "nb",
        "kind": "symptom",
        "area": rng.choice(["hjerte", "lunger", "mage", "hud", "barn"]),
        "icpc2": [rng.choice(["A03", "N01", "D01", "R05", "S06"])],
        "synonyms": rng.sample(WORDS, 6),
        "care_card": {level: [criterion(level, i) for i in range(3)] for level in ("emergency", "urgent", "gp", "self_care")},
        "self_care_advice": [sentence(8) for _ in range(4)],
        "sources": [
            {
                "title": "Kilde",
                "publisher": "Helsenorge",
                "url": "https://www.helsenorge.no/sykdom/skader-og-sykdommer-i-hjernen/spenningshodepine/",
            }
        ],
        "review": {"status": "draft", "editor_role": "Fagredaktør", "last_reviewed": "2026-11-01", "next_review": "2027-11-01"},
    }
    sections = []
    for heading in ("Hva er dette?", "Vanlige årsaker", "Behandling", "Slik kan du forebygge"):
        paragraphs = [" ".join(sentence() for _ in range(5)) for _ in range(3)]
        sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + "\n\n".join(sections) + "\n"


def write_project(root: Path, pages: int, *, plugin: bool, docs: Path) -> Path:
    config = {
        "site_name": "Benchmark",
        "site_url": "https://bench.example/",
        "docs_dir": str(docs),
        "site_dir": str(root / "site"),
        "theme": {"name": "material", "language": "nb", "font": False},
        "plugins": [{"search": {"lang": ["no"]}}] + ([{"helseinfo": {"directory": False}}] if plugin else []),
        "nav": [{"Forside": "index.md"}],
        "not_in_nav": "/nb/*.md\n",
        "markdown_extensions": ["admonition", "attr_list", "tables", "toc"],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def generate(docs: Path, pages: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (docs / "nb").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("---\ntitle: Forside\nsummary: Forside.\nlanguage: nb\nkind: page\n---\n\nForside.\n", encoding="utf-8")
    for number in range(pages):
        (docs / "nb" / f"artikkel-{number:05d}.md").write_text(synthetic_article(number, rng), encoding="utf-8")
        if (number + 1) % 1000 == 0:
            print(f"  skrevet {number + 1}/{pages} artikler", flush=True)


@dataclass
class Run:
    label: str
    seconds: float
    peak_mb: float


def timed_build(label: str, config: Path) -> Run:
    """Build in a child process; wall time and the child's peak resident memory."""
    code = "import sys; from mkdocs.commands.build import build; from mkdocs.config import load_config; build(load_config(sys.argv[1]))"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def ticker():
        while not done.wait(15):
            print(f"  {label}: bygger … {time.perf_counter() - start:.0f} s", flush=True)

    threading.Thread(target=ticker, daemon=True).start()
    assert process.stderr is not None  # a pipe, as asked for above
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{label}: bygget feilet:\n{stderr.decode(errors='replace')[-2000:]}")
    return Run(label, seconds, usage.ru_maxrss / 1024)


def bench_build(pages: int, rounds: int = 3) -> dict:
    """Build the same articles with plain mkdocs-material and with the plugin, ``rounds`` times,
    alternating which goes first (the first build of a round warms the disk cache for the
    second), and report the median time and the highest peak memory of each."""
    from statistics import median

    with tempfile.TemporaryDirectory(prefix="helseinfo-bench-") as tmp:
        root = Path(tmp)
        print(f"Lager {pages} syntetiske artikler …", flush=True)
        generate(root / "docs", pages)
        configs = {}
        for label, plugin in (("mkdocs-material", False), ("helseinfo-plugin", True)):
            (root / label).mkdir()
            configs[label] = write_project(root / label, pages, plugin=plugin, docs=root / "docs")
        runs: dict[str, list[Run]] = {label: [] for label in configs}
        for number in range(rounds):
            order = list(configs) if number % 2 == 0 else list(reversed(configs))
            for label in order:
                print(f"Runde {number + 1}/{rounds}: bygger med {label} …", flush=True)
                runs[label].append(timed_build(label, configs[label]))
    plain_s = median(r.seconds for r in runs["mkdocs-material"])
    ours_s = median(r.seconds for r in runs["helseinfo-plugin"])
    return {
        "pages": pages,
        "rounds": rounds,
        "plain_s": round(plain_s, 1),
        "plugin_s": round(ours_s, 1),
        "plain_s_per_1000": round(plain_s * 1000 / pages, 1),
        "plugin_s_per_1000": round(ours_s * 1000 / pages, 1),
        "ratio": round(ours_s / plain_s, 2),
        "plain_peak_mb": round(max(r.peak_mb for r in runs["mkdocs-material"])),
        "plugin_peak_mb": round(max(r.peak_mb for r in runs["helseinfo-plugin"])),
    }
