"""The site's search box (site_builder/overrides/assets/javascripts/helseinfo-search.js) in a
real Chromium, on the built site served by ``helseinfo serve --built``'s handler, which also
answers ``/api/search`` from the index published beside the site (tests/conftest.py).

Gitt / Når / Så where it reads well: the box gives the command line's top hits, says what
each hit is, offers "Mente du …?", never loads Material's lunr index while the service
answers, and falls back to Material's own search when the service is down.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helseinfo.cli import main
from search_index import index_dir_for
from search_index.api import MAX_QUERY
from tests.browser import axe_violations, describe

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: Queries typed into the box and given to ``helseinfo search``: lay words, a typo, nynorsk,
#: a service type with a place, a course.
QUERIES = ["vondt i magen", "sukker syke", "hovudverk", "sykehus Midtre Gauldal", "legevakt orkanger", "kurs diabetes"]


def cli_urls(built_site, q: str, site: str) -> list[str]:
    result = CliRunner().invoke(main, ["search", q, "--json", "--index", str(index_dir_for(built_site))])
    assert result.exit_code == 0, result.output
    return [site + hit["url"] for hit in json.loads(result.stdout)["hits"]]


def type_query(page, q: str):
    box = page.get_by_role("textbox", name="Søk").first
    box.click()
    box.fill("")
    box.press_sequentially(q, delay=20)
    page.wait_for_function("q => document.querySelector('[data-md-component=search-result]').getAttribute('data-hi-query') === q", arg=q)
    return box


def shown_urls(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__list .md-search-result__link", "links => links.map(a => a.href)")


def watch(page) -> dict:
    seen = {"requests": [], "csp": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: seen["csp"].append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def test_gitt_tjenesten_svarer_saa_gir_feltet_de_samme_toppene_som_kommandolinjen(page, site, built_site):
    seen = watch(page)
    page.goto(site + "nb/feber/")
    for q in QUERIES:
        type_query(page, q)
        assert shown_urls(page)[:3] == cli_urls(built_site, q, site)[:3], q
    assert seen["csp"] == []


def test_hver_treff_sier_hva_det_er_hvor_det_gjelder_og_om_det_er_aapent(page, site):
    page.goto(site + "nb/")
    type_query(page, "sykehus Midtre Gauldal")
    first = page.locator(".md-search-result__item").first
    assert first.locator(".hi-search-about").inner_text().startswith("Sykehus · ")
    assert "Midtre Gauldal" in page.locator(".md-search-result__list").inner_text()
    type_query(page, "hodepine")
    assert page.locator(".md-search-result__item .hi-search-about").first.inner_text() == "Artikkel"
    marks = page.locator(".hi-open-now")
    for i in range(marks.count()):  # only services with known hours carry one, and it is words, not colour
        assert marks.nth(i).inner_text() in ("Åpen nå", "Stengt nå")


def test_naar_et_ord_er_feilstavet_saa_tilbys_mente_du_og_knappen_soeker_paa_det(page, site):
    page.goto(site + "nb/")
    type_query(page, "Legevak Orkanger")
    meta = page.locator(".md-search-result__meta")
    assert meta.get_attribute("aria-live") == "polite"
    assert "Mente du Legevakt Orkanger?" in meta.inner_text()
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Legevakt Orkanger").click()
    page.wait_for_function(
        "() => document.querySelector('[data-md-component=search-result]').getAttribute('data-hi-query') === 'Legevakt Orkanger'"
    )
    assert page.get_by_role("textbox", name="Søk").first.input_value() == "Legevakt Orkanger"
    assert "Mente du" not in meta.inner_text()


def test_rask_skriving_gir_ett_kall_og_lunr_indeksen_lastes_aldri(page, site):
    seen = watch(page)
    page.goto(site + "nb/")
    type_query(page, "vondt i kneet")
    page.wait_for_timeout(500)
    calls = [url for url in seen["requests"] if "/api/search" in url]
    assert len(calls) == 1 and calls[0].endswith("q=vondt+i+kneet")  # debounced: not one per key
    assert not [url for url in seen["requests"] if "search_index.json" in url or "/workers/search." in url]
    assert page.evaluate("document.documentElement.getAttribute('data-hi-search')") == "api"


def test_med_tastaturet_gaar_pil_ned_og_enter_til_treffet(page, site):
    page.goto(site + "nb/")
    type_query(page, "legevakt orkanger")
    first = shown_urls(page)[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(first)


def test_for_lang_soeketekst_gir_tjenestens_norske_melding(page, site):
    page.goto(site + "nb/")
    box = page.get_by_role("textbox", name="Søk").first
    box.click()
    long = "vondt " * (MAX_QUERY // 6 + 2)
    box.fill(long)
    page.wait_for_function(
        "q => document.querySelector('[data-md-component=search-result]').getAttribute('data-hi-query') === q", arg=long.strip()
    )
    message = page.locator(".md-search-result__meta").inner_text()
    assert message.startswith("Kan ikke søke: q er for lang") and "113" in message
    assert page.locator(".md-search-result__item").count() == 0


def test_naar_tjenesten_er_nede_svarer_materials_eget_soek(page, site):
    seen = watch(page)
    page.route("**/api/search*", lambda route: route.abort())
    page.goto(site + "nb/")
    box = page.get_by_role("textbox", name="Søk").first
    box.click()
    box.press_sequentially("hodepine", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    assert page.evaluate("document.documentElement.getAttribute('data-hi-search')") == "fallback"
    assert [url for url in seen["requests"] if url.endswith("search/search_index.json")]
    assert [url for url in seen["requests"] if "/workers/search." in url]
    urls = shown_urls(page)
    assert any("/nb/hodepine/" in url for url in urls[:3]) and any("?h=" in url for url in urls)  # Material's own hits


def test_naar_tjenesten_svarer_500_svarer_materials_eget_soek(page, site):
    page.route("**/api/search*", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    page.goto(site + "nb/")
    box = page.get_by_role("textbox", name="Søk").first
    box.click()
    box.press_sequentially("feber", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=30000)
    assert page.evaluate("document.documentElement.getAttribute('data-hi-search')") == "fallback"


def test_naar_feltet_toemmes_mens_et_svar_venter_blir_det_gamle_svaret_aldri_vist(page, site):
    pending = []
    page.route("**/api/search*", lambda route: pending.append(route))  # held: the answer is late
    page.goto(site + "nb/")
    box = page.get_by_role("textbox", name="Søk").first
    box.click()
    box.press_sequentially("feber", delay=20)
    page.wait_for_timeout(600)
    assert pending  # the request went out and is waiting
    box.fill("")
    box.dispatch_event("input")
    page.wait_for_timeout(400)
    for route in pending:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 (the browser has already cancelled it)
            pass
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.getAttribute('data-hi-search')") == "api"  # no fallback
    assert page.locator(".md-search-result__list .md-search-result__item").count() == 0
