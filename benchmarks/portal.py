"""``helseinfo bench portal``: the portal module (``assets/helseinfo-portal.js``) and the content
API it reads (``api/v1/``), from a built site.

1. Sizes: the module and each document type of the API, raw and gzipped (level 6, as nginx
   serves it); the services files as min–max and total.
2. Time from calling ``HelseinfoPortal.show(element, options)`` to the rendered lists, measured
   in Chromium with ``performance.now()`` around the call (``show`` resolves after it has put
   both lists in the element's Shadow DOM; the benchmark checks they are there). Each round
   opens a fresh browser context (an empty HTTP cache) on a stand-in portal page on another
   origin, as ``tests/test_portal_module.py`` does, and times:

   - the first call, which fetches the three files from the site served by ``helseinfo serve
     --built``'s handler on 127.0.0.1;
   - later calls on the same page, one per option set, after every set has been shown once
     (the module keeps the files in memory);
   - the first call after a page reload, with the files in the HTTP cache (the server counts
     the API requests the reload makes: 0 when the cache answered them all).

   The median and the slowest over the rounds are reported.
"""

from __future__ import annotations

import gzip
import os
import statistics
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from helseinfo.kernel.errors import HelseinfoError
from helseinfo.serve import SiteHandler, served

#: The module's target (issue 18), gzipped.
MODULE_TARGET_BYTES = 10 * 1024
#: The target for a call after a reload with the files in the HTTP cache.
CACHED_TARGET_MS = 100.0
MODULE = "assets/helseinfo-portal.js"
API = "api/v1"
#: The API's document types, one file each; ``services/<kommunenummer>.json`` is summed apart.
SINGLE_FILES = ("index.json", "codes.json", "groups.json", "articles/nb.json", "articles/nn.json")
#: Realistic calls, from tests/test_portal_module.py's cases: (who, options).
OPTION_SETS: list[tuple[str, dict]] = [
    ("diabetes type 2 i Steinkjer", {"icpc2": ["T90"], "municipality": "5006", "ageGroup": "voksen"}),
    ("depresjon i Volda, nynorsk", {"icd10": ["F32"], "municipality": "1577", "language": "nn", "ageGroup": "voksen"}),
    ("15-åring med astma i Trondheim", {"icpc2": ["R96"], "municipality": "5001", "ageGroup": "ungdom"}),
]
#: One call, timed in the page: ``show`` resolves once both lists are in the Shadow DOM.
TIMED_CALL = """async (options) => {
  const element = document.getElementById('forslag');
  const start = performance.now();
  const result = await HelseinfoPortal.show(element, options);
  const sections = element.shadowRoot.querySelectorAll('section > ul, section > p').length;
  return {ms: performance.now() - start, error: Boolean(result.error), sections, groups: result.groups, articles: result.articles};
}"""
PORTAL_PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Min side</title></head>
<body><main><h1>Min side</h1><div id="forslag"></div></main>
<script src="{site}{module}"></script></body></html>"""


# ---- sizes


def sizes(data: bytes) -> tuple[int, int]:
    """Raw and gzipped (level 6, nginx's ``gzip_comp_level`` in the production profile)."""
    return len(data), len(gzip.compress(data, compresslevel=6))


def module_sizes(site: Path) -> tuple[int, int]:
    path = site / MODULE
    if not path.is_file():
        raise HelseinfoError(f"{path} mangler: nettstedet er ikke bygget med portalmodulen")
    return sizes(path.read_bytes())


def services_sizes(api: Path) -> dict:
    """``services/*.json``: how many, the smallest and largest (raw, gzip) and the total."""
    each = [sizes(path.read_bytes()) for path in sorted((api / "services").glob("*.json"))]
    if not each:
        return {"files": 0}
    raw, gz = [r for r, _ in each], [g for _, g in each]
    return {"files": len(each), "raw": (min(raw), max(raw), sum(raw)), "gzip": (min(gz), max(gz), sum(gz))}


def api_sizes(site: Path) -> dict:
    """Each document type of the content API: ``{name: (raw, gzip) or None}``, and ``services``."""
    api = site / API
    if not (api / "index.json").is_file():
        raise HelseinfoError(f"{api}/index.json mangler: nettstedet har ikke innholds-API-et (kjør 'helseinfo build')")
    out: dict = {name: sizes((api / name).read_bytes()) if (api / name).is_file() else None for name in SINGLE_FILES}
    out["services"] = services_sizes(api)
    return out


def kb(size: int) -> str:
    """Bytes as KB of 1024 bytes, as ``helseinfo bench search`` writes them."""
    return f"{size / 1024:.1f} KB"


def raw_and_gzip(pair: tuple[int, int]) -> str:
    return f"{pair[0]} B ({kb(pair[0])}), gzip {pair[1]} B ({kb(pair[1])})"


def page_download_line(module: tuple[int, int], api: dict) -> str:
    """What a portal page in bokmål downloads: the module and the three files ``show`` fetches."""
    files = [module] + [api[name] for name in ("codes.json", "groups.json", "articles/nb.json") if api[name]]
    raw, gz = sum(r for r, _ in files), sum(g for _, g in files)
    share = f"; articles/nb.json {100 * api['articles/nb.json'][1] / gz:.0f} % av gzip" if api["articles/nb.json"] else ""
    return f"en portalside på bokmål henter modulen, codes.json, groups.json og articles/nb.json: {raw_and_gzip((raw, gz))}{share}"


def size_lines(module: tuple[int, int], api: dict) -> list[str]:
    """The size part of the report, one line per document type."""
    verdict = "innenfor" if module[1] <= MODULE_TARGET_BYTES else "OVER"
    lines = [f"modul {MODULE}: {raw_and_gzip(module)}; mål ≤ 10 KB gzip: {verdict}"]
    for name in SINGLE_FILES:
        pair = api[name]
        lines.append(f"api/v1/{name}: " + (raw_and_gzip(pair) if pair else "finnes ikke"))
    lines.append(page_download_line(module, api))
    services = api["services"]
    if services["files"]:
        raw, gz = services["raw"], services["gzip"]
        lines.append(
            f"api/v1/services/<kommunenummer>.json: {services['files']} filer, {raw[0]}–{raw[1]} B ({kb(raw[0])}–{kb(raw[1])}), "
            f"gzip {gz[0]}–{gz[1]} B ({kb(gz[0])}–{kb(gz[1])}); til sammen {raw[2]} B ({kb(raw[2])}), gzip {gz[2]} B ({kb(gz[2])})"
        )
    else:
        lines.append("api/v1/services/<kommunenummer>.json: ingen filer")
    return lines


# ---- the browser


def chromium_executable() -> str:
    """Debian's Chromium, as the tests use it; a clear error when it or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise HelseinfoError("Playwright mangler i .venv: kjør scripts/install-test-services.sh") from None
    from tests.browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        raise HelseinfoError(f"fant ikke Chromium ({CHROMIUM}): kjør scripts/install-test-services.sh (installerer Debians chromium)")
    return CHROMIUM


@contextmanager
def chromium() -> Iterator:
    """One Chromium for the whole run, with the tests' flags (no background connections, no GPU)."""
    from playwright.sync_api import Error, sync_playwright

    from tests.browser import CHROMIUM_FLAGS

    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        except Error as exc:
            raise HelseinfoError(f"Chromium ({executable}) startet ikke: {str(exc).splitlines()[0]}") from None
        try:
            yield browser
        finally:
            browser.close()


class CountingHandler(SiteHandler):
    """``helseinfo serve --built``'s handler, counting the content API's requests."""

    api_requests: ClassVar[list[str]] = []

    def do_GET(self):
        if self.path.startswith("/" + API + "/"):
            CountingHandler.api_requests.append(self.path)
        return super().do_GET()


@contextmanager
def allowed_origin(origin: str) -> Iterator[None]:
    """Let the portal's origin read the API (CORS), as ``HELSEINFO_API_ORIGINS`` does in production."""
    before = os.environ.get("HELSEINFO_API_ORIGINS")
    os.environ["HELSEINFO_API_ORIGINS"] = origin
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HELSEINFO_API_ORIGINS", None)
        else:
            os.environ["HELSEINFO_API_ORIGINS"] = before


@contextmanager
def portal_and_site(site: Path) -> Iterator[tuple[str, str]]:
    """The site and a stand-in portal page (another port, so another origin), both on 127.0.0.1;
    yields the portal page's address and the API's."""
    with tempfile.TemporaryDirectory(prefix="helseinfo-portal-") as folder, served(site, handler=CountingHandler) as site_url:
        (Path(folder) / "index.html").write_text(PORTAL_PAGE.format(site=site_url, module=MODULE), encoding="utf-8")
        with served(Path(folder)) as portal_url, allowed_origin(portal_url.rstrip("/")):
            yield portal_url, site_url + API + "/"


# ---- timing


@dataclass
class Timings:
    """Every measurement of a run, in ms, and what each option set showed."""

    first: list[float] = field(default_factory=list)
    later: list[float] = field(default_factory=list)
    cached: list[float] = field(default_factory=list)
    #: API requests that reached the server after each reload (0: the HTTP cache answered).
    reload_requests: list[int] = field(default_factory=list)
    #: who → (groups, articles) shown.
    shown: dict[str, tuple[int, int]] = field(default_factory=dict)
    browser: str = ""


def show_in_page(page, api: str, options: dict) -> dict:
    """One call timed in the page: ``ms``, and how many ``groups`` and ``articles`` it shows."""
    out = page.evaluate(TIMED_CALL, {"api": api, **options})
    if out["error"] or out["sections"] != 2:
        raise HelseinfoError(f"modulen viste ikke listene for {options} (feil: {out['error']}); sjekk at {api} svarer")
    return out


def timed_show(page, api: str, options: dict) -> float:
    return float(show_in_page(page, api, options)["ms"])


def one_round(browser, portal_url: str, api: str, number: int, timings: Timings) -> None:
    """A fresh context (empty cache): the first call, later calls, and the first call after a reload."""
    first_options = OPTION_SETS[number % len(OPTION_SETS)][1]
    context = browser.new_context(locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(portal_url)
        timings.first.append(timed_show(page, api, first_options))
        for who, options in OPTION_SETS:  # every file fetched once (nb and nn), untimed
            shown = show_in_page(page, api, options)
            timings.shown[who] = (shown["groups"], shown["articles"])
        timings.later.extend(timed_show(page, api, options) for _, options in OPTION_SETS)
        CountingHandler.api_requests.clear()
        page.reload()
        timings.cached.append(timed_show(page, api, first_options))
        timings.reload_requests.append(len(CountingHandler.api_requests))
    finally:
        context.close()


def median_and_max(values: list[float]) -> tuple[float, float]:
    return round(statistics.median(values), 1), round(max(values), 1)


def progress_line(number: int, rounds: int, timings: Timings) -> str:
    later = timings.later[-len(OPTION_SETS) :]
    return (
        f"runde {number}/{rounds}: første kall {timings.first[-1]:.1f} ms, senere {min(later):.1f}–{max(later):.1f} ms, "
        f"etter omlasting {timings.cached[-1]:.1f} ms ({timings.reload_requests[-1]} API-forespørsler nådde serveren)"
    )


def time_calls(site: Path, rounds: int, progress: Callable[[str], None]) -> Timings:
    """``rounds`` rounds in one Chromium, printing a line per round."""
    timings = Timings()
    with chromium() as browser, portal_and_site(site) as (portal_url, api):
        timings.browser = browser.version
        progress(f"Chromium {browser.version}; portalen {portal_url}, innholds-API-et {api}")
        for number in range(1, rounds + 1):
            one_round(browser, portal_url, api, number - 1, timings)
            progress(progress_line(number, rounds, timings))
    return timings


def timing_lines(timings: Timings, rounds: int) -> list[str]:
    lines = [f"kall «{who}» {options}: {timings.shown[who][0]} grupper, {timings.shown[who][1]} artikler" for who, options in OPTION_SETS]
    for values, label in (
        (timings.first, "første kall (filene hentes fra serveren)"),
        (timings.later, f"senere kall på samme side ({len(OPTION_SETS)} per runde)"),
        (timings.cached, "første kall etter omlasting (filene i HTTP-bufferen)"),
    ):
        median, slowest = median_and_max(values)
        lines.append(f"{label}: median {median} ms, tregest {slowest} ms ({len(values)} målinger, {rounds} runder)")
    verdict = "nådd" if median_and_max(timings.cached)[0] < CACHED_TARGET_MS else "IKKE nådd"
    lines.append(f"mål < {CACHED_TARGET_MS:.0f} ms etter omlasting (median): {verdict}")
    lines.append(f"API-forespørsler som nådde serveren etter omlasting: {sum(timings.reload_requests)} i alt (0: bufferen svarte)")
    return lines


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_portal(site: Path, rounds: int = 10, progress: Callable[[str], None] = print) -> list[str]:
    """The whole benchmark on a built site; returns the report's lines (progress goes to ``progress``)."""
    if rounds < 1:
        raise HelseinfoError("--rounds må være minst 1")
    module, api = module_sizes(site), api_sizes(site)
    before = load_average()
    timings = time_calls(site, rounds, progress)
    return [
        *size_lines(module, api),
        *timing_lines(timings, rounds),
        f"maskin: {os.cpu_count()} kjerner, Chromium {timings.browser}; lastsnitt før {before}, etter {load_average()}",
    ]


@contextmanager
def built_site(site: Path, progress: Callable[[str], None]) -> Iterator[Path]:
    """``site`` if it is a built site; otherwise a site built into a temporary folder (removed afterwards)."""
    if (site / "index.html").is_file():
        yield site
        return
    from helseinfo.build import build_site

    with tempfile.TemporaryDirectory(prefix="helseinfo-bench-portal-") as folder:
        progress(f"Fant ikke et bygget nettsted i {site}; bygger et i {folder} …")
        build_site(Path(folder) / "site", verbose=True)
        progress("Bygget.")
        yield Path(folder) / "site"
