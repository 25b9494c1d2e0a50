"""The portal module (assistant/widget/helseinfo-portal.js) in a real browser, on a stand-in for
the portal on another origin, reading the real build's content API from `helseinfo serve --built`.

Gitt / Når / Så where it reads well. The expected groups of the 21 code combinations are
written by hand from the catalogue (services_catalog/data/groups/), not computed.
"""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helseinfo.kernel.paths import PROJECT
from tests.browser import axe_violations, describe
from tests.services import SITE_URL, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

MODULE = PROJECT / "assistant" / "widget" / "helseinfo-portal.js"
PORTAL_PORT = free_port()
PORTAL = f"http://127.0.0.1:{PORTAL_PORT}"  # another origin than the site: another port
API = SITE_URL + "api/v1/"
#: The stand-in portal's pages, path → HTML, served by a real HTTP server on its own origin.
PAGES: dict[str, str] = {}


class PortalHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGES.get(self.path, "").encode("utf-8")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module", autouse=True)
def portal_server():
    server = ThreadingHTTPServer(("127.0.0.1", PORTAL_PORT), PortalHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield
    server.shutdown()
    server.server_close()


@pytest.fixture
def portal(page, site, monkeypatch):
    """A portal page on its own origin with the module's one script tag; the site allows its origin."""
    monkeypatch.setenv("HELSEINFO_API_ORIGINS", PORTAL)
    html = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Min side</title>
<style>* {{ color: red; }} a {{ display: none; }}</style></head>
<body><main><h1>Min side</h1><div id="forslag"></div></main>
<script src="{site}assets/helseinfo-portal.js"></script></body></html>"""
    PAGES["/min-side/"] = html
    page.goto(PORTAL + "/min-side/")
    return page


def show(page, **options) -> dict:
    """Call the module as the portal does; returns what it reports and the groups and articles shown."""
    result = page.evaluate("(o) => HelseinfoPortal.show(document.getElementById('forslag'), o)", {"api": API, **options})
    shown = page.evaluate("""() => {
      const root = document.getElementById('forslag').shadowRoot;
      const ids = (i) => [...root.querySelectorAll('section')[i].querySelectorAll('li a')].map(a => a.getAttribute('href'));
      return {groups: ids(0), articles: ids(1)};
    }""")
    return {
        **result,
        "groups": [h.split("/")[-2] for h in shown["groups"]],
        "articles": [h.removeprefix(SITE_URL).rstrip("/") for h in shown["articles"]],
    }


#: (who, options, the groups expected), written by hand from the catalogue.
CASES = [
    (
        "diabetes type 2 og hjertesvikt i Steinkjer",
        dict(icd10=["E11.9", "I50.0"], municipality="5006", ageGroup="voksen"),
        {"lms-diabetes-type-2-helse-nord-trondelag", "lms-hjertesykdom-helse-nord-trondelag", "diabetesforbundet", "lhl-hjertesykdom"},
    ),
    ("depresjon i Volda, nynorsk", dict(icpc2=["P76"], municipality="1577", language="nn", ageGroup="voksen"), {"mental-helse"}),
    (
        "15-åring med astma i Trondheim",
        dict(icd10=["J45.9"], municipality="5001", ageGroup="ungdom"),
        {"astma-og-allergiforbundet", "lhl-lungesykdom"},
    ),
    (
        "voksen med depresjon i Steinkjer",
        dict(icd10=["F32.1"], municipality="5006", ageGroup="voksen"),
        {"kid-5006-steinkjer", "mental-helse"},
    ),
    (
        "16-åring med depresjon i Steinkjer (KiD er fra 18 år)",
        dict(icd10=["F32.1"], municipality="5006", ageGroup="ungdom"),
        {"mental-helse"},
    ),
    ("kols i Kristiansund", dict(icpc2=["R95"], municipality="1505"), {"lms-kols-helse-more-og-romsdal", "lhl-lungesykdom"}),
    ("kols i Trondheim, ICD-10 uten punktum", dict(icd10=["J441"], municipality="5001"), {"lms-kols-st-olavs-hospital", "lhl-lungesykdom"}),
    (
        "diabetes type 2 i Kristiansund",
        dict(icpc2=["T90"], municipality="1505", ageGroup="voksen"),
        {"lms-diabetes-type-2-helse-more-og-romsdal", "diabetesforbundet", "bra-mat-for-bedre-helse", "fysisk-aktivitet-i-gruppe"},
    ),
    ("barn med diabetes type 1 i Molde", dict(icd10=["E10.9"], municipality="1506", ageGroup="barn"), {"diabetesforbundet"}),
    ("høyt blodtrykk i Kristiansund", dict(icd10=["I10"], municipality="1505"), {"fysisk-aktivitet-i-gruppe"}),
    ("høyt blodtrykk i Trondheim", dict(icpc2=["K86"], municipality="5001"), set()),
    ("røyker i Kristiansund", dict(icpc2=["P17"], municipality="1505"), {"royke-og-snusslutt"}),
    ("revmatoid artritt i Ålesund", dict(icd10=["M06.9"], municipality="1508"), {"lms-revmatisk-sykdom", "norsk-revmatikerforbund"}),
    ("fedme i Levanger", dict(icd10=["E66.0"], municipality="5037"), {"lms-overvekt"}),
    ("søvnvansker i Kristiansund", dict(icpc2=["P06"], municipality="1505"), {"sovnkurs-1505-kristiansund"}),
    ("atrieflimmer på Røros", dict(icd10=["I48"], municipality="5025"), {"lhl-hjertesykdom"}),
    (
        "angina i Ørsta, nynorsk",
        dict(icpc2=["K74"], municipality="1520", language="nn"),
        {"lms-hjertesykdom-helse-more-og-romsdal", "lhl-hjertesykdom"},
    ),
    (
        "tilbakevendende depresjon i Ørsta",
        dict(icd10=["F33.1"], municipality="1520", language="nn", ageGroup="voksen"),
        {"kid-1520-orsta", "mental-helse"},
    ),
    (
        "barn med allergisk rhinitt i Snåsa (kategorien J30)",
        dict(icd10=["J30"], municipality="5041", ageGroup="barn"),
        {"astma-og-allergiforbundet"},
    ),
    ("tykktarmskreft i Trondheim", dict(icpc2=["D75"], municipality="5001"), {"lms-kreft-st-olavs-hospital", "kreftforeningen"}),
    ("stress i Sunndal", dict(icpc2=["P02"], municipality="1563", ageGroup="voksen"), {"kib-1563-sunndal", "mental-helse"}),
]


def test_gitt_21_realistiske_kodekombinasjoner_saa_foreslaas_gruppene_skrevet_for_haand(portal):
    for who, options, expected in CASES:
        assert set(show(portal, **options)["groups"]) == expected, who


def test_local_groups_come_before_groups_for_everyone_and_les_mer_om_follows_the_language(portal):
    nb = show(portal, icd10=["F32.1"], municipality="5006", ageGroup="voksen")
    assert nb["groups"] == ["kid-5006-steinkjer", "mental-helse"]
    assert nb["articles"] == ["nb/depresjon"]
    nn = show(portal, icpc2=["T90"], municipality="5006", language="nn")
    assert nn["articles"] == ["nn/diabetes-type-2"]
    root = "document.getElementById('forslag').shadowRoot"
    assert portal.evaluate(f"() => [...{root}.querySelectorAll('h2')].map(h => h.textContent)") == [
        "Kurs og grupper for deg",
        "Les meir om",
    ]


def test_gitt_ukjente_koder_saa_sier_modulen_at_den_ikke_fant_noe(portal):
    result = show(portal, icd10=["Z99.9", "'); alert(1); //"], icpc2=["<img>"], municipality="5006")
    assert (result["groups"], result["articles"]) == ([], [])
    text = portal.evaluate("() => document.getElementById('forslag').shadowRoot.textContent")
    assert "Vi fant ingen kurs eller grupper for deg" in text


def test_gitt_personens_koder_saa_sendes_de_aldri_i_noen_foresporsel(portal):
    requests = []
    portal.on("request", lambda r: requests.append((r.url, r.method, r.post_data, r.headers)))
    codes = {"icpc2": ["T90", "K77"], "icd10": ["E11.9", "I50.0"]}
    show(portal, **codes, municipality="5006", ageGroup="voksen")
    portal.evaluate("() => fetch('about:blank').catch(() => null)")  # let every request event arrive
    api_requests = sorted(url for url, *_ in requests if url.startswith(API))
    assert api_requests == [API + "articles/nb.json", API + "codes.json", API + "groups.json"]
    needles = [c for system in codes.values() for c in system] + ["E11", "I50", "E119", "5006"]
    for url, method, body, headers in requests:
        assert method == "GET" and body is None, url
        for needle in needles:
            assert needle not in url and all(needle not in value for value in headers.values()), (needle, url)


def test_gitt_innholdsapiet_svarer_ikke_saa_vises_en_feilmelding_med_lenke_til_biblioteket(page, site, monkeypatch):
    monkeypatch.setenv("HELSEINFO_API_ORIGINS", "https://annen-portal.example")  # the portal's origin is not allowed
    html = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Min side</title></head>
<body><main><h1>Min side</h1><div id="forslag"></div></main><script src="{site}assets/helseinfo-portal.js"></script></body></html>"""
    PAGES["/feil/"] = html
    page.goto(PORTAL + "/feil/")
    result = page.evaluate("(o) => HelseinfoPortal.show(document.getElementById('forslag'), o)", {"api": API, "icd10": ["E11"]})
    assert result == {"groups": 0, "articles": 0, "error": True}
    alert = page.locator("#forslag [role=alert]")
    assert "kan ikke vises akkurat nå" in alert.inner_text()
    assert alert.get_by_role("link", name="Helsebiblioteket").get_attribute("href") == site + "nb/"


def test_axe_finds_nothing_and_every_link_is_reached_with_the_keyboard_at_320_px(browser, site, monkeypatch):
    monkeypatch.setenv("HELSEINFO_API_ORIGINS", PORTAL)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nb-NO")
    page = context.new_page()
    try:
        html = f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Min side</title></head><body><main><h1>Min side</h1><div id="forslag"></div></main>
<script src="{site}assets/helseinfo-portal.js"></script></body></html>"""
        PAGES["/smal/"] = html
        page.goto(PORTAL + "/smal/")
        shown = show(page, icd10=["E11.9", "I50.0"], municipality="5006", ageGroup="voksen")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        reached = []
        for _ in range(len(shown["groups"]) + len(shown["articles"])):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("() => document.getElementById('forslag').shadowRoot.activeElement?.getAttribute('href')"))
        assert [h.split("/")[-2] for h in reached[: len(shown["groups"])]] == shown["groups"]
        outline = page.evaluate("() => getComputedStyle(document.getElementById('forslag').shadowRoot.activeElement).outlineStyle")
        assert outline == "solid"  # the focus is visible
    finally:
        context.close()


def test_module_is_a_separate_file_within_10_kb_gzipped_and_never_builds_html_from_strings():
    source = MODULE.read_bytes()
    assert len(gzip.compress(source, 9)) <= 10 * 1024
    assert b"innerHTML" not in source and b"insertAdjacentHTML" not in source and b"document.write" not in source


def test_the_build_publishes_the_module_beside_the_chat_widget(built_site):
    assert (built_site / "assets" / "helseinfo-portal.js").read_bytes() == MODULE.read_bytes()
    assert json.loads((built_site / "api" / "v1" / "index.json").read_text(encoding="utf-8"))["version"] == 1
