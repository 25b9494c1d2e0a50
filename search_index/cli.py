"""``helseinfo search``: the query API on the command line (contract in ARCHITECTURE.md).

    helseinfo search QUERY --json [--kind article|service|group] [--municipality NNNN] [--limit N]
    helseinfo search --jsonl FILE

The output is one JSON line per query, ``{"q": …, "hits": [HIT, …]}``; with ``--jsonl``,
one line per input line, in order. Every input is checked before any query runs, so bad
input is one clean line and no output. Without an index at ``--index``, one is built
from ``content/`` and the catalogue first, with a message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from search_index.schema import DEFAULT_INDEX, KINDS

if TYPE_CHECKING:
    from search_index.query import SearchIndex


def _limit(value: Any, where: str = "") -> int:
    from helseinfo.kernel.errors import InputError

    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if isinstance(value, bool) or limit < 1 or limit > 100:
        raise InputError(f"{where}limit må være et heltall fra 1 til 100, ikke {value!r}")
    return limit


def _checked(item: dict[str, Any], where: str, index: SearchIndex) -> dict[str, Any]:
    """One query's arguments for ``search``, checked; errors name ``where``."""
    from helseinfo.cliutils import MAX_TEXT
    from helseinfo.kernel.errors import InputError

    q = item.get("q")
    if not isinstance(q, str) or len(q) > MAX_TEXT:
        raise InputError(f"{where}q må være tekst på høyst {MAX_TEXT} tegn")
    kind = item.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputError(f"{where}ukjent kind {kind!r} (forventet en av: {', '.join(KINDS)})")
    municipality = item.get("municipality")
    if municipality is not None:
        try:
            municipality = index.municipality(municipality)
        except InputError as exc:
            raise InputError(f"{where}{exc}") from None
    return {"q": q, "kind": kind, "municipality": municipality, "limit": _limit(item.get("limit", 10), where)}


def _open_or_build(index_dir: Path) -> SearchIndex:
    """The index at ``index_dir``; built first (with a message) when there is none."""
    from search_index.query import IndexMissing, open_index

    try:
        return open_index(index_dir)
    except IndexMissing:
        from content_model.loader import load_library
        from helseinfo.kernel.paths import CONTENT
        from search_index.build import build_index
        from services_catalog import load_catalog

        click.echo(
            f"Fant ingen søkeindeks i {index_dir}; bygger den nå fra {CONTENT.name}/ og tjenestekatalogen "
            "('helseinfo build' gjør det sammen med nettstedet) …",
            err=True,
        )
        build_index(load_library(CONTENT), load_catalog(), index_dir)
        return open_index(index_dir)


@click.command()
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Svar som én JSON-linje.")
@click.option(
    "--jsonl",
    type=click.Path(dir_okay=False, path_type=Path),
    help='Fil med {"q", "kind"?, "municipality"?, "limit"?} per linje; svar i samme rekkefølge.',
)
@click.option("--kind", help="Bare article, service eller group.")
@click.option("--municipality", help="Kommunenummer (NNNN) eller et steds- eller kommunenavn.")
@click.option("--limit", default="10", show_default=True, help="Høyst så mange treff (1–100).")
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    show_default=True,
    help="Søkeindeksen (skrevet av helseinfo build).",
)
def search(
    query: str | None, as_json: bool, jsonl: Path | None, kind: str | None, municipality: str | None, limit: str, index_dir: Path
) -> None:
    """Søk i helsebiblioteket, tjenestekatalogen og mestringstilbudene."""
    from helseinfo.cliutils import clean_errors

    clean_errors(_run)(query, as_json, jsonl, kind, municipality, limit, index_dir)


def _run(
    query: str | None, as_json: bool, jsonl: Path | None, kind: str | None, municipality: str | None, limit: str, index_dir: Path
) -> None:
    from helseinfo.cliutils import read_jsonl
    from helseinfo.kernel.errors import InputError
    from search_index.query import search as run_search

    if (query is None) == (jsonl is None):
        raise InputError("gi enten en SPØRRING eller --jsonl FIL")
    items = read_jsonl(jsonl, ("q",)) if jsonl else [{"q": query, "kind": kind, "municipality": municipality, "limit": limit}]
    index = _open_or_build(index_dir)
    checked = [_checked(item, f"{jsonl}: spørring {n}: " if jsonl else "", index) for n, item in enumerate(items, 1)]
    for args in checked:
        q = args.pop("q")
        hits = run_search(q, index_dir=index_dir, **args)
        if jsonl or as_json:
            click.echo(json.dumps({"q": q, "hits": [h.to_json() for h in hits]}, ensure_ascii=False))
            continue
        for number, hit in enumerate(hits, 1):
            click.echo(f"{number:2}. {hit.title} ({hit.kind}) {hit.url}")
        if not hits:
            click.echo("Ingen treff.")


@click.command("search-api")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adressen serveren lytter på.")
@click.option("--port", default=5006, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32), help="Prosesser (én per kjerne).")
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    show_default=True,
    help="Søkeindeksen (lenken helseinfo build bytter ved hver utgivelse).",
)
@click.option(
    "--rate", default=2.0, show_default=True, type=float, help="Søk per sekund per adresse i snitt (0: ingen grense, bare for målinger)."
)
@click.option("--burst", default=30, show_default=True, type=click.IntRange(1, 10000), help="Søk per adresse på én gang.")
@click.option(
    "--proxies",
    default=0,
    show_default=True,
    type=click.IntRange(0, 5),
    help="Mellomtjenere foran som setter X-Forwarded-For (nginx: 1); grensen gjelder da den besøkende.",
)
def search_api(host: str, port: int, workers: int, index_dir: Path, rate: float, burst: int, proxies: int) -> None:
    """Søketjenesten for nettstedets søkefelt: GET /api/search?q=…&kind=…&municipality=… (JSON)."""
    from helseinfo.cliutils import clean_errors

    clean_errors(_serve_api)(host, port, workers, index_dir, rate, burst, proxies)


def _serve_api(host: str, port: int, workers: int, index_dir: Path, rate: float, burst: int, proxies: int) -> None:
    import logging

    from search_index.api import log, make_app, warm

    warm(index_dir)  # fails now, with a clear message, when there is no index
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)  # our own lines only (status, hits, time); Sanic keeps its own handlers
    log.setLevel(logging.INFO)
    log.propagate = False
    app = make_app(index_dir, rate=rate, burst=burst, proxies=proxies)
    click.echo(f"Søketjenesten svarer på http://{host}:{port}/api/search ({workers} prosess(er), indeks {index_dir})", err=True)
    # access_log off: Sanic's access log would carry the query string, and with it personal data.
    app.run(host=host, port=port, workers=workers, access_log=False, debug=False, motd=False)
