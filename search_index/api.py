"""The site's search service: ``GET /api/search?q=…&kind=…&municipality=…&limit=…``.

It answers with the ``helseinfo search`` contract's object, ``{"q", "hits": [HIT, …]}``,
plus two optional additions: a top-level ``suggestion`` (did you mean, when spelling
correction changed a word of ``q``) and, on a service hit whose opening hours the catalogue
gives in a form that can be read, ``open_now`` (``true``/``false``, Europe/Oslo, now).

One framework-free function, ``respond(query_string, address)``, decides every answer; the
production server (``helseinfo search-api``, Sanic, which the lock already holds through
Rasa) and ``helseinfo serve --built`` (``helseinfo.serve``) both call it, so they cannot
differ. Bad input is a 400 with ``{"error": <code>, "message": <Norwegian>}``; too many
requests from one address a 429; no index a 503; anything unexpected a 500 with the same
shape, never a traceback, and the service stays up.

Privacy: the query is never logged, nor the address. ``log`` gets one line per request
with the status, the number of hits and the time taken (``helseinfo search-api`` turns
Sanic's access log, which would carry the query string, off).

The index is the current release's: ``open_index`` follows the ``var/search-index`` link on
every request and keeps an opened index per release, so a new ``helseinfo build`` is
searched from its first request on, without a restart.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from content_model.contacts import display
from helseinfo.kernel.errors import InputError
from search_index.query import Hit, IndexMissing, SearchIndex, open_index, search, suggest
from search_index.schema import DEFAULT_INDEX, KINDS

if TYPE_CHECKING:
    from sanic import HTTPResponse, Request, Sanic
    from sanic.exceptions import SanicException

log = logging.getLogger("helseinfo.search_api")

PATH = "/api/search"
#: Characters of ``q`` at most.
MAX_QUERY = 200
#: Hits at most (``limit``), and the default.
MAX_LIMIT, DEFAULT_LIMIT = 20, 10
#: Requests per second an address may make, on average, and in one burst (a token bucket).
RATE, BURST = 2.0, 30
#: Unicode categories refused in any parameter: control and format characters (zero-width,
#: bidirectional overrides), surrogates, private use and unassigned code points.
ODD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
#: What the search box's user is told on top of every error, so nobody is left without help.
URGENT = f"Haster det, ring {display('emergency')} ved fare for liv, eller legevakten på {display('legevakt')}."
_APP_NUMBERS = itertools.count(1)  # Sanic wants a unique name per application in a process


class RateLimiter:
    """A token bucket per address: ``rate`` requests a second on average, ``burst`` at once.

    Addresses are kept in memory only as long as their bucket is not full again, and at most
    ``max_addresses`` of them (the fullest are dropped first). ``rate <= 0`` turns it off.
    """

    def __init__(self, rate: float = RATE, burst: int = BURST, max_addresses: int = 10000):
        self.rate, self.burst, self.max_addresses = rate, burst, max_addresses
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, time)
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.get(address, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            allowed = tokens >= 1
            self._buckets[address] = (tokens - 1 if allowed else tokens, now)
            if len(self._buckets) > self.max_addresses:
                self._forget(now)
            return allowed

    def _forget(self, now: float) -> None:
        full = [a for a, (t, then) in self._buckets.items() if t + (now - then) * self.rate >= self.burst]
        for address in full:
            del self._buckets[address]
        while len(self._buckets) > self.max_addresses:  # still too many: drop the oldest
            del self._buckets[min(self._buckets, key=lambda a: self._buckets[a][1])]


def error(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"error": code, "message": f"{message} {URGENT}"}


def _odd(text: str) -> bool:
    return any(unicodedata.category(c) in ODD_CATEGORIES for c in text)


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if values is None:
        return None
    if len(values) > 1:
        raise InputError(f"{name} er gitt {len(values)} ganger; gi den én gang")
    return values[0]


def parse(query_string: str, index: SearchIndex) -> dict[str, Any]:
    """The checked arguments of ``search`` from a query string; ``InputError`` (with the
    parameter's name in ``args[1]``) for anything a user can get wrong."""
    try:
        params = parse_qs(query_string, keep_blank_values=True, errors="strict", max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise InputError("adressen kan ikke leses (ugyldig tegnkoding eller for mange parametere)", "query") from None
    for name in ("q", "kind", "municipality", "limit"):
        value = params.get(name, [""])[-1]
        if len(value) > MAX_QUERY:
            raise InputError(f"{name} er for lang: høyst {MAX_QUERY} tegn, fikk {len(value)}", name)
        if _odd(value):
            raise InputError(f"{name} inneholder usynlige tegn eller tegn som ikke er bokstaver", name)
    try:
        q, kind, municipality, limit = (_one(params, n) for n in ("q", "kind", "municipality", "limit"))
    except InputError as exc:
        raise InputError(str(exc), "query") from None
    q = unicodedata.normalize("NFC", q or "").strip()
    if not q:
        raise InputError("søket er tomt; skriv hva du leter etter", "q")
    if kind and kind not in KINDS:
        raise InputError(f"ukjent kind (forventet en av: {', '.join(KINDS)})", "kind")
    if municipality:
        try:
            municipality = index.municipality(municipality)
        except InputError:
            raise InputError(
                "ukjent kommune eller sted (gi et firesifret kommunenummer i Trøndelag eller Møre og Romsdal, eller et stedsnavn)",
                "municipality",
            ) from None
    if limit and (not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT):
        raise InputError(f"limit må være et heltall fra 1 til {MAX_LIMIT}", "limit")
    return {"q": q, "kind": kind or None, "municipality": municipality or None, "limit": int(limit) if limit else DEFAULT_LIMIT}


def open_now(hit: Hit) -> bool | None:
    """Whether a service hit is open now, from its opening hours; ``None`` when not known."""
    from services_catalog.hours import HoursError, is_open

    if hit.kind != "service" or not hit.opening_hours:
        return None
    try:
        return is_open(hit.opening_hours)
    except (HoursError, ValueError):
        return None


def answer(args: dict, index_dir: Path | str) -> dict:
    """The contract's object for checked ``args`` (see ``parse``)."""
    q = args["q"]
    hits = search(q, kind=args["kind"], municipality=args["municipality"], limit=args["limit"], index_dir=index_dir)
    out: dict = {"q": q, "hits": []}
    for hit in hits:
        item = hit.to_json()
        state = open_now(hit)
        if state is not None:
            item["open_now"] = state
        out["hits"].append(item)
    suggestion = suggest(q, index_dir=index_dir)
    if suggestion:
        out["suggestion"] = suggestion
    return out


def respond(query_string: str, address: str, limiter: RateLimiter | None = None, index_dir: Path | str = DEFAULT_INDEX) -> tuple[int, dict]:
    """Status and JSON body of ``GET /api/search?<query_string>`` from ``address``."""
    start = time.perf_counter()
    hits = 0
    try:
        if limiter is not None and not limiter.allow(address):
            status, body = error(429, "rate_limited", "For mange søk på kort tid; vent litt og prøv igjen.")
        else:
            index = open_index(index_dir)
            body = answer(parse(query_string, index), index_dir)
            status, hits = 200, len(body["hits"])
    except InputError as exc:
        field = exc.args[1] if len(exc.args) > 1 else "query"
        status, body = error(400, field, f"Kan ikke søke: {exc.args[0]}.")
    except IndexMissing:
        status, body = error(503, "unavailable", "Søket er ikke klart ennå.")
    except Exception:  # noqa: BLE001 (never a traceback to the user, and never the query in the log)
        log.error("søket feilet uventet (%s)", "spørringen logges ikke")
        status, body = error(500, "internal", "Søket feilet; prøv igjen om litt.")
    log.info("søk: status %d, %d treff, %.1f ms", status, hits, (time.perf_counter() - start) * 1000)
    return status, body


def warm(index_dir: Path | str = DEFAULT_INDEX) -> None:
    """Open the index and fill its caches (the spelling lexicon) before the first visitor."""
    open_index(index_dir)
    answer({"q": "legevakt hodepinne sjukehus", "kind": None, "municipality": None, "limit": 1}, index_dir)
    suggest("legevkat", index_dir=index_dir)


def dumps(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)


# ---------------------------------------------------------------- the production server


def make_app(index_dir: Path | str = DEFAULT_INDEX, *, rate: float = RATE, burst: int = BURST, proxies: int = 0) -> Sanic:
    """The Sanic application of ``helseinfo search-api``. ``proxies``: how many proxies in front
    add ``X-Forwarded-For`` (nginx with ``proxy_set_header X-Forwarded-For
    $proxy_add_x_forwarded_for``: 1); the limit is then per visitor, not per proxy."""
    from sanic import Sanic
    from sanic.exceptions import SanicException
    from sanic.response import json as json_response

    app = Sanic(f"helseinfo_search_{next(_APP_NUMBERS)}" if Sanic._app_registry else "helseinfo_search")
    app.config.PROXIES_COUNT = proxies
    app.config.REQUEST_MAX_HEADER_SIZE = 65536  # a 10 kB query gets our 400, not a bare 413
    app.config.KEEP_ALIVE_TIMEOUT = 15
    limiter = RateLimiter(rate, burst)

    @app.get(PATH)
    async def search_handler(request: Request) -> HTTPResponse:
        address = (request.remote_addr or request.ip or "") if proxies else (request.ip or "")
        status, body = respond(request.query_string, address, limiter, index_dir)
        return json_response(body, status=status, dumps=dumps, headers={"Cache-Control": "no-store"})

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return json_response({"status": "ok"})

    @app.exception(SanicException)
    async def other_request(
        request: Request, exception: SanicException
    ) -> HTTPResponse:  # a wrong path or method: JSON, never the request in the log
        status = getattr(exception, "status_code", 500) or 500
        code, body = error(status, "request", "Søketjenesten svarer bare på GET /api/search?q=….")
        return json_response(body, status=code, dumps=dumps, headers={"Cache-Control": "no-store"})

    return app
