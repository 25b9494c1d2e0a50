"""``helseinfo bench search`` and the evaluation of the query set.

The benchmark indexes the same documents twice in the same run, with this package (Whoosh
and the Norwegian analysis) and with SQLite FTS5 and its default tokenizer (``unicode61``,
no stemming), on two corpora: the real library and catalogue, and N synthetic documents,
each a variant of a real one (``synthetic_documents``). Each engine answers the
evaluation queries (``tests/fixtures/search_queries.yaml``) once to warm up and then
``ROUNDS`` times; the report gives the index build time and the p50/p95
latency per query, and on the real corpus recall@5 and MRR of both engines.

FTS5 gets each query as an OR of its words (an AND of every word of a lay phrasing finds
almost nothing), the same field weights in ``bm25()``, and the explicit ``kind`` and
``municipality`` filters; it has no place names, compounds, nynorsk forms or spelling.
"""
from __future__ import annotations

import random
import re
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import yaml

from helseinfo.paths import PROJECT
from search_index.analysis import words
from search_index.schema import FIELD_BOOSTS

QUERIES = PROJECT / "tests" / "fixtures" / "search_queries.yaml"
REPORT = PROJECT / "docs" / "benchmarks.md"
HEADING = "## Search (issue 5)"
ROUNDS = 5
TARGET_P95_MS = 20.0
FIELDS = tuple(FIELD_BOOSTS)  # title, synonyms, text, clinical


def load_queries(path: Path = QUERIES) -> list[dict]:
    """The evaluation queries: ``q``, ``expect`` (ids), ``group`` and optional ``kind``, ``municipality``."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["queries"]


def evaluate(queries: list[dict], run) -> dict:
    """Recall@5 and MRR of ``run(query) -> [ids]`` over ``queries``.

    A query is found when one of its expected ids is among the first five; its reciprocal
    rank is that of the first expected id in the first ten (0 if none). Also per group, and
    the queries not found.
    """
    ranks = []
    for item in queries:
        ids = run(item)[:10]
        ranks.append(next((n for n, i in enumerate(ids, 1) if i in item["expect"]), None))
    found = [r is not None and r <= 5 for r in ranks]
    groups: dict[str, list[bool]] = {}
    for item, ok in zip(queries, found):
        groups.setdefault(item.get("group", ""), []).append(ok)
    return {
        "queries": len(queries),
        "recall_at_5": round(sum(found) / len(queries), 3),
        "mrr": round(sum(1 / r for r in ranks if r) / len(queries), 3),
        "groups": {g: f"{sum(v)}/{len(v)}" for g, v in groups.items()},
        "missed": [(item["q"], r) for item, r, ok in zip(queries, ranks, found) if not ok],
    }


def whoosh_runner(index_dir: Path):
    from search_index.query import search

    def run(item: dict) -> list[str]:
        hits = search(item["q"], kind=item.get("kind"), municipality=item.get("municipality"), limit=10, index_dir=index_dir)
        return [h.id for h in hits]

    return run


# ---------------------------------------------------------------- SQLite FTS5

def fts5_build(docs: list[dict], path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute(f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(FIELDS)}, id UNINDEXED, kind UNINDEXED, municipalities UNINDEXED)")
    db.executemany(
        f"INSERT INTO docs VALUES ({', '.join('?' * (len(FIELDS) + 3))})",
        ([d.get(f) or "" for f in FIELDS] + [d["id"], d["kind"], f" {d.get('municipalities') or ''} "] for d in docs),
    )
    db.commit()
    return db


def fts5_runner(db: sqlite3.Connection, municipality_of):
    weights = ", ".join(str(FIELD_BOOSTS[f]) for f in FIELDS)

    def run(item: dict) -> list[str]:
        tokens = re.findall(r"\w+", item["q"].casefold())
        if not tokens:
            return []
        sql = "SELECT id FROM docs WHERE docs MATCH ?"
        args: list = [" OR ".join(f'"{t}"' for t in tokens)]
        if item.get("kind"):
            sql += " AND kind = ?"
            args.append(item["kind"])
        if item.get("municipality"):
            sql += " AND (kind = 'article' OR municipalities LIKE ?)"
            args.append(f"% {municipality_of(item['municipality'])} %")
        return [row[0] for row in db.execute(sql + f" ORDER BY bm25(docs, {weights}) LIMIT 10", args)]

    return run


# ---------------------------------------------------------------- corpora

def real_documents() -> list[dict]:
    from content_model.loader import load_library
    from helseinfo.paths import CONTENT
    from search_index.build import article_documents, catalog_documents
    from services_catalog import load_catalog

    library, catalog = load_library(CONTENT), load_catalog()
    return article_documents(library) + catalog_documents(catalog, library)


def synthetic_documents(real: list[dict], n: int, seed: int = 5) -> list[dict]:
    """``n`` documents like the real ones: each is a variant of a random real document, its
    fields drawn from that document's own words (80 %) and the whole corpus's (20 %), about
    as long. So a topic's words stay concentrated in its documents, as in a larger library,
    instead of being spread evenly over all of them."""
    rng = random.Random(seed)
    own = [{f: words(d.get(f) or "") for f in FIELDS} for d in real]
    corpus = {f: [w for fields in own for w in fields[f]] for f in FIELDS}
    docs = []
    for i in range(n):
        number = rng.randrange(len(real))
        template, fields = real[number], own[number]
        doc = {**template, "key": f"{template['kind']}:syn-{i}", "id": f"syn-{i}", "url": f"syn/{i}/"}
        for f in FIELDS:
            size = round(len(fields[f]) * rng.uniform(0.5, 1.5))
            doc[f] = " ".join(rng.choice(fields[f]) if fields[f] and rng.random() < 0.8 else rng.choice(corpus[f])
                              for _ in range(size))
        docs.append(doc)
    return docs


# ---------------------------------------------------------------- timing and report

def _latencies(run, queries: list[dict], rounds: int = ROUNDS) -> list[float]:
    for item in queries:  # warm-up: caches, the spelling lexicon
        run(item)
    times = []
    for _ in range(rounds):
        for item in queries:
            start = time.perf_counter()
            run(item)
            times.append((time.perf_counter() - start) * 1000)
    return times


def _percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def bench_corpus(label: str, docs: list[dict], places: dict, queries: list[dict], tmp: Path, *, quality: bool) -> dict:
    from search_index.build import write_index
    from search_index.query import open_index

    print(f"{label}: {len(docs)} dokumenter; bygger Whoosh-indeksen …", flush=True)
    start = time.perf_counter()
    index_dir = tmp / label / "var" / "search-index"
    write_index(docs, index_dir, places)
    whoosh_build = time.perf_counter() - start
    print(f"{label}: {whoosh_build:.1f} s; bygger FTS5-indeksen …", flush=True)
    start = time.perf_counter()
    db = fts5_build(docs, tmp / f"{label}.sqlite")
    fts5_build_s = time.perf_counter() - start
    whoosh, fts5 = whoosh_runner(index_dir), fts5_runner(db, open_index(index_dir).municipality)
    print(f"{label}: {len(queries)} spørringer × {ROUNDS} runder mot hver …", flush=True)
    w, f = _latencies(whoosh, queries), _latencies(fts5, queries)
    result = {
        "label": label, "docs": len(docs),
        "whoosh_build_s": round(whoosh_build, 2), "fts5_build_s": round(fts5_build_s, 2),
        "whoosh_p50": round(_percentile(w, 50), 2), "whoosh_p95": round(_percentile(w, 95), 2),
        "fts5_p50": round(_percentile(f, 50), 2), "fts5_p95": round(_percentile(f, 95), 2),
    }
    if quality:
        result["whoosh_eval"], result["fts5_eval"] = evaluate(queries, whoosh), evaluate(queries, fts5)
    db.close()
    return result


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b else "–"


def render(results: list[dict], queries: int) -> str:
    machine = subprocess.run("echo \"$(nproc) CPU, $(lscpu | grep 'Model name' | sed 's/Model name: *//')\"",
                             shell=True, capture_output=True, text=True).stdout.strip()
    lines = [
        HEADING, "",
        "Command: `.venv/bin/helseinfo bench search` (default `--docs 10000`). "
        f"Machine: {machine} (`nproc`, `lscpu | grep 'Model name'`), Python 3.10, whoosh-reloaded 2.7.5, SQLite {sqlite3.sqlite_version}.",
        "",
        f"Both engines index the same documents in the same run and answer the {queries} queries of "
        f"`tests/fixtures/search_queries.yaml` ({ROUNDS} rounds after a warm-up). Whoosh is the full query API "
        "(places, spelling, compounds, nynorsk forms, filters, boosts); FTS5 has its default `unicode61` tokenizer, "
        "an OR of the query words, the same field weights in `bm25()` and the explicit filters. Each synthetic "
        "document is a variant of a random real one (its own words 80 %, the corpus's 20 %, about as long).",
        "",
        "| corpus | documents | build Whoosh | build FTS5 | ratio | p50 Whoosh | p50 FTS5 | ratio | p95 Whoosh | p95 FTS5 | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['docs']} | {r['whoosh_build_s']} s | {r['fts5_build_s']} s | {_ratio(r['whoosh_build_s'], r['fts5_build_s'])} "
            f"| {r['whoosh_p50']} ms | {r['fts5_p50']} ms | {_ratio(r['whoosh_p50'], r['fts5_p50'])} "
            f"| {r['whoosh_p95']} ms | {r['fts5_p95']} ms | {_ratio(r['whoosh_p95'], r['fts5_p95'])} |"
        )
    big = results[-1]
    verdict = "met" if big["whoosh_p95"] < TARGET_P95_MS else "NOT met"
    lines += ["", f"Target p95 < {TARGET_P95_MS:.0f} ms at {big['docs']} documents: **{verdict}** ({big['whoosh_p95']} ms).", ""]
    for r in results:
        if "whoosh_eval" in r:
            we, fe = r["whoosh_eval"], r["fts5_eval"]
            lines += [
                f"Quality on the {r['label']} corpus: recall@5 {we['recall_at_5']} and MRR {we['mrr']} (Whoosh), "
                f"against recall@5 {fe['recall_at_5']} and MRR {fe['mrr']} (FTS5). By group (found/queries), Whoosh: "
                + ", ".join(f"{g} {v}" for g, v in we["groups"].items())
                + "; FTS5: " + ", ".join(f"{g} {v}" for g, v in fe["groups"].items()) + ".", "",
            ]
    return "\n".join(lines)


def write_report(section: str, path: Path = REPORT) -> None:
    """Replace (or add) the ``HEADING`` section of ``path``; other sections are left alone."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text)
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def bench_search(n: int = 10000) -> str:
    """Run the benchmark, write its section of ``docs/benchmarks.md`` and return it."""
    from search_index.build import place_table
    from services_catalog import load_catalog

    queries = load_queries()
    real = real_documents()
    places = place_table(load_catalog())
    with tempfile.TemporaryDirectory(prefix="helseinfo-search-bench-") as tmp:
        results = [bench_corpus("real", real, places, queries, Path(tmp), quality=True)]
        print(f"Lager {n} syntetiske dokumenter …", flush=True)
        results.append(bench_corpus("synthetic", synthetic_documents(real, n), places, queries, Path(tmp), quality=False))
    section = render(results, len(queries))
    write_report(section)
    return section
