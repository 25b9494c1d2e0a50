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
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from helseinfo.kernel.paths import PROJECT
from search_index.analysis import words
from search_index.query import MAX_DF
from search_index.schema import FIELD_BOOSTS

if TYPE_CHECKING:
    from services_catalog.loader import Catalog
    from services_catalog.schema import Group, Service

QUERIES = PROJECT / "tests" / "fixtures" / "search_queries.yaml"
REPORT = PROJECT / "docs" / "benchmarks.md"
HEADING = "## Search (issue 5)"
ROUNDS = 5
TARGET_P95_MS = 20.0
FIELDS = tuple(FIELD_BOOSTS)  # title, synonyms, text, clinical

#: A search engine under test: a query item → the ids it finds, best first.
Runner = Callable[[dict[str, Any]], list[str]]


def load_queries(path: Path = QUERIES) -> list[dict]:
    """The evaluation queries: ``q``, ``expect`` (ids), ``group`` and optional ``kind``, ``municipality``."""
    queries: list[dict] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["queries"]
    return queries


def evaluate(queries: list[dict], run: Runner, aliases: dict[str, str] | None = None) -> dict:
    """Recall@5 and MRR of ``run(query) -> [ids]`` over ``queries``.

    A query is found when one of its expected ids is among the first five; its reciprocal
    rank is that of the first expected id in the first ten (0 if none). Also per group, and
    the queries not found. ``aliases`` maps ids of merged catalogue entries to the entry
    they were merged into (``former_ids``), so an older expectation still counts.
    """
    aliases = aliases or {}
    ranks = []
    for item in queries:
        ids = run(item)[:10]
        expected = {aliases.get(i, i) for i in item["expect"]}
        ranks.append(next((n for n, i in enumerate(ids, 1) if i in expected), None))
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


def whoosh_runner(index_dir: Path) -> Runner:
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


def fts5_runner(db: sqlite3.Connection, municipality_of: Callable[[str], str]) -> Runner:
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
    from helseinfo.kernel.paths import CONTENT
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
            doc[f] = " ".join(rng.choice(fields[f]) if fields[f] and rng.random() < 0.8 else rng.choice(corpus[f]) for _ in range(size))
        docs.append(doc)
    return docs


# ---------------------------------------------------------------- timing and report


def _latencies(run: Runner, queries: list[dict], rounds: int = ROUNDS) -> list[float]:
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


def bench_corpus(
    label: str, docs: list[dict], places: dict, queries: list[dict], tmp: Path, *, quality: bool, aliases: dict[str, str] | None = None
) -> dict:
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
        "label": label,
        "docs": len(docs),
        "whoosh_build_s": round(whoosh_build, 2),
        "fts5_build_s": round(fts5_build_s, 2),
        "whoosh_p50": round(_percentile(w, 50), 2),
        "whoosh_p95": round(_percentile(w, 95), 2),
        "fts5_p50": round(_percentile(f, 50), 2),
        "fts5_p95": round(_percentile(f, 95), 2),
    }
    if quality:
        result["whoosh_eval"], result["fts5_eval"] = evaluate(queries, whoosh, aliases), evaluate(queries, fts5, aliases)
    db.close()
    return result


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}" if b else "–"


def render(results: list[dict], queries: int) -> str:
    machine = subprocess.run(
        "echo \"$(nproc) CPU, $(lscpu | grep 'Model name' | sed 's/Model name: *//')\"", shell=True, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        HEADING,
        "",
        "Command: `.venv/bin/helseinfo bench search` (default `--docs 10000`). "
        f"Machine: {machine} (`nproc`, `lscpu | grep 'Model name'`), load average {_load_average()} when the report was "
        f"written (shared with other work), Python 3.10, whoosh-reloaded {version('whoosh-reloaded')}, SQLite {sqlite3.sqlite_version}. "
        "Ids of merged catalogue entries count as the entry they were merged into.",
        "",
        f"Both engines index the same documents in the same run and answer the {queries} queries of "
        f"`tests/fixtures/search_queries.yaml` ({ROUNDS} rounds after a warm-up). Whoosh is the full query API "
        "(places, spelling, compounds, nynorsk forms, filters, boosts); FTS5 has its default `unicode61` tokenizer, "
        "an OR of the query words, the same field weights in `bm25()` and the explicit filters. Not the same: the "
        f"package skips a query term in more than {MAX_DF:.0%} of a field's documents (`MAX_DF`, which also spares it the "
        "longest posting lists); FTS5 scores every term. Each synthetic "
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
                + "; FTS5: "
                + ", ".join(f"{g} {v}" for g, v in fe["groups"].items())
                + ".",
                "",
            ]
    return "\n".join(lines)


def write_report(section: str, path: Path = REPORT, heading: str = HEADING) -> None:
    """Replace (or add) the ``heading`` section of ``path``; other sections are left alone."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text)
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def bench_search(n: int = 10000) -> str:
    """Run the benchmark, write its section of ``docs/benchmarks.md`` and return it."""
    from services_catalog import load_catalog
    from services_catalog.places import place_table

    queries = load_queries()
    real = real_documents()
    catalog = load_catalog()
    places = place_table(catalog)
    with tempfile.TemporaryDirectory(prefix="helseinfo-search-bench-") as tmp:
        results = [bench_corpus("real", real, places, queries, Path(tmp), quality=True, aliases=merged_ids(catalog))]
        print(f"Lager {n} syntetiske dokumenter …", flush=True)
        results.append(bench_corpus("synthetic", synthetic_documents(real, n), places, queries, Path(tmp), quality=False))
    section = render(results, len(queries))
    write_report(section)
    return section


# ---------------------------------------------------------------- the site's search box (issue 14)
#
# The box as a visitor has it, against Material's own search, on the same queries: the box is
# the search service (``helseinfo search-api``, a real process on 127.0.0.1) asked with the
# query text alone, as the box asks it; Material's search is the theme's own search worker
# (lunr with its Norwegian files and Material's query handling) run in Node on the site's
# ``search/search_index.json`` (``material_search.js``). Neither gets the ``kind`` or
# ``municipality`` of a query: the box has no such fields.

BLIND = PROJECT / "tests" / "fixtures" / "search_blind"
BOX_HEADING = "## Search box: the search service against Material's search (issue 14)"
CLIENTS = 20
MATERIAL_JS = Path(__file__).with_name("material_search.js")


def _jsonl(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_blind(folder: Path = BLIND) -> list[dict]:
    """The blind set with its judgements: ``q``, ``expect`` (judged ids), ``group`` (the need's kind)."""
    judged = {j["id"]: j["relevant"] for j in _jsonl(folder / "judgements.jsonl")}
    return [{"id": r["id"], "q": r["q"], "expect": judged[r["id"]], "group": r["need"]["kind"]} for r in _jsonl(folder / "queries.jsonl")]


def merged_ids(catalog: Catalog) -> dict[str, str]:
    """Former id → the id of the entry it was merged into."""
    entries: list[Service | Group] = [*catalog.services.values(), *catalog.groups.values()]
    return {old: entry.id for entry in entries for old in getattr(entry, "former_ids", None) or []}


def _site(site: Path) -> Path:
    """``site`` when it is a built site with its index beside it; else a clear error."""
    from helseinfo.kernel.errors import HelseinfoError
    from search_index.schema import PLACES_FILE, index_dir_for

    if not ((site / "search" / "search_index.json").is_file() and (index_dir_for(site) / PLACES_FILE).is_file()):
        raise HelseinfoError(
            f"{site}: fant ikke et bygget nettsted med søkeindeksen ved siden av; kjør 'helseinfo build --out {site}' først"
        )
    return site


class SearchService:
    """``helseinfo search-api`` in its own process on a free port, without the rate limit."""

    def __init__(self, index_dir: Path, workers: int = 1):
        import socket
        import sys

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api/search"
        helseinfo = Path(sys.executable).parent / "helseinfo"
        self.process = subprocess.Popen(
            [str(helseinfo), "search-api", "--port", str(self.port), "--index", str(index_dir), "--rate", "0", "--workers", str(workers)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import requests

        deadline = time.time() + 120
        while True:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/health", timeout=2)
                break
            except requests.ConnectionError:
                if time.time() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("søketjenesten startet ikke") from None
                time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def service_runner(url: str) -> Runner:
    import requests

    session = requests.Session()

    def run(item: dict) -> list[str]:
        return [hit["id"] for hit in session.get(url, params={"q": item["q"]}, timeout=30).json()["hits"]]

    return run


class MaterialSearch:
    """Material's search worker in Node on a built site's ``search/search_index.json``."""

    def __init__(self, site: Path, ids_by_url: dict[str, str]):
        import json
        import shutil

        import material

        node = shutil.which("node")
        if not node:
            raise RuntimeError("node finnes ikke; Material-søket kan ikke måles")
        workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
        self.worker = next(workers.glob("search.*.min.js"))
        self.ids_by_url = ids_by_url
        self.process = subprocess.Popen(
            [node, str(MATERIAL_JS), str(self.worker), str(site / "search" / "search_index.json")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert self.process.stdout is not None  # a pipe, as asked for above
        self.setup_ms = json.loads(self.process.stdout.readline())["setup_ms"]
        self.times: list[float] = []

    def __call__(self, item: dict) -> list[str]:
        import json

        assert self.process.stdin is not None and self.process.stdout is not None  # pipes (see __init__)
        self.process.stdin.write(json.dumps(item["q"], ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        self.times.append(answer["ms"])
        return [self.ids_by_url.get(location, location) for location in answer["locations"]]

    def stop(self) -> None:
        assert self.process.stdin is not None  # a pipe (see __init__)
        self.process.stdin.close()
        self.process.wait(20)


def load_test(url: str, queries: list[dict], clients: int = CLIENTS, seconds: float = 20.0) -> dict:
    """``clients`` threads, each sending the queries one after another (closed loop) for
    ``seconds``: latency p50/p95/p99 of the answers, requests per second, errors."""
    import threading

    import requests

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        session = requests.Session()
        mine, failed, n = [], 0, offset
        while time.perf_counter() < deadline:
            q = queries[n % len(queries)]["q"]
            n += 1
            start = time.perf_counter()
            try:
                ok = session.get(url, params={"q": q}, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append((time.perf_counter() - start) * 1000)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50": round(_percentile(latencies, 50), 1),
        "p95": round(_percentile(latencies, 95), 1),
        "p99": round(_percentile(latencies, 99), 1),
        "errors": errors[0],
    }


def _sizes(data: bytes) -> tuple[int, int]:
    import gzip

    return len(data), len(gzip.compress(data, compresslevel=6))


def download_bytes(site: Path, worker: Path, answers: list[bytes]) -> dict:
    """What a visitor downloads to search, raw and gzipped (level 6, as nginx serves it):
    Material's index and lunr files against the box's script, labels and answers."""
    import re as _re

    lunr = worker.parent.parent / "lunr" / "min"
    page = (site / "index.html").read_text(encoding="utf-8")
    labels = _re.search(r"data-labels='[^']*'", page)
    box_script = (site / "assets" / "javascripts" / "helseinfo-search.js").read_bytes()
    mean = [sum(x) // len(answers) for x in zip(*(_sizes(a) for a in answers))] if answers else [0, 0]
    return {
        "search_index": _sizes((site / "search" / "search_index.json").read_bytes()),
        "lunr_files": tuple(map(sum, zip(*(_sizes((lunr / f).read_bytes()) for f in ("lunr.stemmer.support.min.js", "lunr.no.min.js"))))),
        "worker": _sizes(worker.read_bytes()),
        "box_script": _sizes(box_script),
        "labels": _sizes(labels.group().encode("utf-8")) if labels else (0, 0),
        "answer": tuple(mean),
    }


def bench_box(site: Path = PROJECT / "site", seconds: float = 20.0, workers: tuple[int, ...] = (1, 2)) -> str:
    """The box against Material's search: quality on both query sets, the service's latency
    under ``CLIENTS`` concurrent clients, and the bytes a visitor downloads; returns the report
    section (and writes it to ``docs/benchmarks.md``)."""
    import requests

    from search_index.build import catalog_documents
    from search_index.schema import index_dir_for
    from services_catalog import load_catalog

    catalog = load_catalog()
    aliases = merged_ids(catalog)
    sets = {"project": load_queries(), "blind": load_blind()}
    site = _site(Path(site))
    ids_by_url = {d["url"]: d["id"] for d in catalog_documents(catalog)}
    ids_by_url.update(
        {
            f"{p.parent.name}/{p.stem}/": f"{p.parent.name}/{p.stem}"
            for lang in ("nb", "nn")
            for p in (PROJECT / "content" / lang).glob("*.md")
        }
    )
    print("Starter søketjenesten (1 prosess) og Materials søk i Node …", flush=True)
    service = SearchService(index_dir_for(site))
    material = MaterialSearch(site, ids_by_url)
    try:
        quality = {}
        for name, queries in sets.items():
            print(f"{name}: {len(queries)} spørringer mot søkefeltet og mot Materials søk …", flush=True)
            quality[name] = (evaluate(queries, service_runner(service.url), aliases), evaluate(queries, material, aliases))
        answers = [requests.get(service.url, params={"q": item["q"]}, timeout=30).content for item in sets["blind"]]
        service.stop()
        loads = {}
        for count in workers:
            print(f"{CLIENTS} samtidige klienter i {seconds:.0f} s mot {count} prosess(er) …", flush=True)
            service = SearchService(index_dir_for(site), count)
            loads[count] = load_test(service.url, sets["project"] + sets["blind"], CLIENTS, seconds)
            service.stop()
        sizes = download_bytes(site, material.worker, answers)
        material_ms = sorted(material.times)
        material_timing = {
            "setup_ms": round(material.setup_ms),
            "p50": round(_percentile(material_ms, 50), 1),
            "p95": round(_percentile(material_ms, 95), 1),
            "max": round(material_ms[-1], 1),
        }
    finally:
        service.stop()
        material.stop()
    empty = sum(not item["expect"] for item in sets["blind"])
    section = render_box(quality, loads, sizes, material_timing, seconds, empty)
    write_report(section, heading=BOX_HEADING)
    return section


def _kb(pair: tuple[int, int]) -> str:
    raw, gz = pair
    return f"{raw / 1024:,.1f} KB ({gz / 1024:,.1f} KB gzip)".replace(",", " ")


def render_box(quality: dict, loads: dict, sizes: dict, material: dict, seconds: float, empty: int = 0) -> str:
    machine = subprocess.run(
        "echo \"$(nproc) CPU, $(lscpu | grep 'Model name' | sed 's/Model name: *//')\"",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines = [
        BOX_HEADING,
        "",
        f"Command: `.venv/bin/helseinfo bench search --box-only` (also part of `helseinfo bench search`). Machine: {machine}, "
        f"load average {_load_average()} when the report was written (shared with other work), Python 3.10, Node {_node_version()}.",
        "",
        "The box is the search service (`helseinfo search-api`, one process, on 127.0.0.1) asked with the query text "
        "alone, as the box asks it; Material's search is the theme's own search worker (lunr, its Norwegian files, "
        "Material's query handling) run in Node on the built site's `search/search_index.json`. Neither gets a query's "
        "`kind` or `municipality`. Query sets: the project's (`tests/fixtures/search_queries.yaml`) and the blind set "
        "(`tests/fixtures/search_blind/`, judgements written before this measurement). Ids of merged catalogue "
        "entries count as the entry they were merged into.",
        "",
        "| query set | queries | box recall@5 | box MRR | Material recall@5 | Material MRR |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (box, lunr) in quality.items():
        lines.append(f"| {name} | {box['queries']} | {box['recall_at_5']} | {box['mrr']} | {lunr['recall_at_5']} | {lunr['mrr']} |")
    lines += [
        "",
        f"{empty} blind queries have no relevant document in the library or catalogue (see the judgements); they count as misses for both.",
        "",
    ]
    for name, (box, lunr) in quality.items():
        lines.append(
            f"By group ({name}, found/queries): box "
            + ", ".join(f"{g} {v}" for g, v in box["groups"].items())
            + "; Material "
            + ", ".join(f"{g} {v}" for g, v in lunr["groups"].items())
            + "."
        )
        lines.append("")
    lines += [
        f"The service under load: {CLIENTS} concurrent clients in a closed loop for {seconds:.0f} s over both sets, "
        "the clients on the same machine (Python threads, which take CPU from the server):",
        "",
        "| server processes | p50 | p95 | p99 | requests/s | errors |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {count} | {load['p50']} ms | **{load['p95']} ms** | {load['p99']} ms | {load['per_s']} | "
            f"{load['errors']} of {load['requests']} |"
            for count, load in loads.items()
        ),
        "",
        f"Material's search in Node: building the lunr index {material['setup_ms']} ms (a browser does it on every page "
        f"load), then p50 {material['p50']} ms, p95 {material['p95']} ms, max {material['max']} ms per query.",
        "",
        "What a visitor downloads to search (raw, and gzip level 6 as nginx serves it):",
        "",
        "| | Material's search | the box |",
        "|---|---|---|",
        f"| index | `search_index.json` {_kb(sizes['search_index'])}, on every page load | none |",
        f"| code | the search worker (lunr) {_kb(sizes['worker'])} and lunr's Norwegian files {_kb(sizes['lunr_files'])}, "
        f"on every page load | `helseinfo-search.js` {_kb(sizes['box_script'])}, its labels in every page "
        f"{_kb(sizes['labels'])} (the worker only after a fallback) |",
        f"| per query | nothing | one answer, mean {_kb(sizes['answer'])} (blind set) |",
        "",
    ]
    return "\n".join(lines)


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])


def _node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip() or "–"
