"""The directory's generated pages: Markdown from the catalogue, and a tiny site built for real."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from helseinfo.build import build_site
from services_catalog import load_catalog
from site_builder import catalog_pages
from site_builder.catalog_pages import page_context, pages, src_of
from tests.base import make_project
from tests.test_services_catalog import GROUP, SERVICES, write_catalog

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
JS = Path(catalog_pages.__file__).parent / "overrides" / "assets" / "javascripts" / "open-now.js"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def generated(catalog):
    return pages(catalog, NOW)


def test_a_page_exists_for_every_municipality_service_group_and_the_overview(catalog, generated):
    expected = {src_of(e) for e in [*catalog.municipalities.values(), *catalog.services.values(), *catalog.groups.values()]}
    assert set(generated) == expected | {"tjenester/index.md"}
    assert "tjenester/kommune/5006-steinkjer.md" in generated
    assert all(src.startswith("tjenester/") for src in generated)


def test_municipality_page_has_its_services_groups_and_the_three_numbers(generated):
    page = generated["tjenester/kommune/5006-steinkjer.md"]
    assert page.startswith("---\ntemplate: partials/catalog-page.html\n")
    assert "# Helsetjenester i Steinkjer" in page
    for text in (
        "[113](tel:113)",
        "[116 117](tel:116117)",
        "[116 123](tel:116123)",
        "## Legevakt",
        "[Steinkjer legevakt](../tjeneste/steinkjer-legevakt.md)",
        "Dekker Steinkjer hele døgnet.",
        "[Sykehuset Levanger](../tjeneste/sykehuset-levanger.md)",
        "[Lærings- og mestringssenteret i Helse Nord-Trøndelag](../tjeneste/lms-helse-nord-trondelag.md)",
        "## Frisklivssentral",
        "## Mestringskurs og grupper",
        "(../grupper/diabetesforbundet.md)",
        "[Se alle tjenester og grupper i Steinkjer](../index.md?kommune=5006)",
    ):
        assert text in page, text


def test_municipality_page_without_a_registered_frisklivssentral_says_ask_the_municipality(generated):
    assert "Vi har ikke registrert en frisklivssentral i Snåsa ennå. Spør Snåsa kommune." in generated["tjenester/kommune/5041-snasa.md"]


def test_sami_names_and_the_sami_language_area_are_shown(generated):
    page = generated["tjenester/kommune/5041-snasa.md"]
    assert "Andre offisielle navn: Snåase." in page
    assert "forvaltningsområdet for samisk språk" in page
    assert "samisk språk" not in generated["tjenester/kommune/5006-steinkjer.md"]


def test_every_link_between_generated_pages_resolves(generated):
    for src, page in generated.items():
        for target in re.findall(r"\]\(([^)\s]+\.md)(?:\?[^)]*)?\)", page):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
            assert resolved in generated, f"{src} -> {target}"


def test_unverified_facts_are_marked_on_every_service_and_group_page(catalog, generated):
    for entity in [*catalog.services.values(), *catalog.groups.values()]:
        assert "**Ikke bekreftet**" in generated[src_of(entity)], entity.id


def test_missing_contact_details_point_to_116_117_and_the_municipality_or_source(catalog, generated):
    helsestasjon = generated["tjenester/tjeneste/helsestasjon-5006-steinkjer.md"]
    assert "Kontaktinformasjon er ikke registrert her ennå. Kontakt Steinkjer kommune, eller ring [116 117](tel:116117)" in helsestasjon
    bare = [s for s in catalog.services.values() if not (s.phone or s.address or s.web) and not (s.organization or "").endswith(" kommune")]
    assert bare
    for service in bare:
        assert f"Se [{service.source.publisher}]({service.source.url}), eller ring [116 117](tel:116117)" in generated[src_of(service)]


def test_hours_are_text_and_open_now_data_covers_eight_weeks(tmp_path):
    page = pages(load_catalog(write_catalog(tmp_path), display_root=tmp_path), NOW)["tjenester/tjeneste/legevakt-steinkjer.md"]
    assert "- Åpningstider: døgnet rundt" in page
    raw = re.search(r'data-hi-open-now="([^"]*)" hidden', page).group(1)
    data = json.loads(unescape(raw))
    assert (data["from"], data["until"]) == ("2026-11-25T00:00:00+01:00", "2027-01-20T00:00:00+01:00")
    assert data["intervals"] == [["2026-11-25T00:00:00+01:00", "2027-01-20T00:00:00+01:00", "open"]]


def test_group_page_says_conditions_format_referral_and_how_to_sign_up(generated):
    page = generated["tjenester/grupper/lms-kols-st-olavs-hospital.md"]
    for text in (
        "- Tilstander: kronisk obstruktiv lungesykdom (R95)",
        "- Form: Oppmøte",
        "- Henvisning: ikke registrert – spør arrangøren",
        "- Arrangør: [Lærings- og mestringssenteret ved St. Olavs hospital](../tjeneste/lms-st-olavs-hospital.md)",
        "Kontakt lærings- og mestringssenteret ved St. Olavs hospital. [www.stolav.no](https://www.stolav.no/)",
    ):
        assert text in page, text
    assert "- Henvisning: nei, du trenger ikke henvisning" in generated["tjenester/grupper/diabetesforbundet.md"]


def test_overview_is_a_plain_list_with_filter_data_and_labelled_controls(catalog, generated):
    page = generated["tjenester/index.md"]
    items = re.findall(r'^- \[[^\]]+\]\(([^)]+)\)\{ data-hi-type="([a-z_]+)" data-hi-municipalities="([^"]+)" \}', page, re.M)
    assert len(items) == len(catalog.services) + len(catalog.groups)
    types = {t for _, t, _ in items}
    assert types == {s.service_type for s in catalog.services.values()} | {"gruppe"}
    assert set(re.findall(r'<option value="([a-z_0-9]+)">', page)) == types | set(catalog.municipalities)
    assert ("tjeneste/steinkjer-legevakt.md", "legevakt", "5006 5041") in items
    assert ("grupper/diabetesforbundet.md", "gruppe", "alle") in items
    form = re.search(r"<form [^>]*data-hi-filter hidden>.*</form>", page).group(0)
    assert '<label for="hi-filter-kommune">Kommune</label>' in form and 'id="hi-filter-kommune"' in form
    assert '<label for="hi-filter-type">Type</label>' in form and 'id="hi-filter-type"' in form
    assert 'role="status"' in form
    assert page.count("- [Steinkjer](kommune/5006-steinkjer.md)") == 1


def test_service_pages_get_schema_org_json_ld_with_area_served(catalog):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="tjenester/tjeneste/sykehuset-namsos.md"))
    context = page_context({"config": SimpleNamespace(site_url="https://helse.example/")}, page, catalog)
    data = json.loads(str(context["catalog_view"]["json_ld"]))
    assert data["@type"] == "Hospital" and data["parentOrganization"]["name"] == "Helse Nord-Trøndelag HF"
    assert {"@type": "AdministrativeArea", "name": "Namsos"} in data["areaServed"]
    assert data["url"] == "https://helse.example/tjenester/tjeneste/sykehuset-namsos/"
    other = page_context({}, SimpleNamespace(file=SimpleNamespace(src_uri="nb/feber.md")), catalog)
    assert "catalog_view" not in other


def test_open_now_js_is_plain_and_writes_text_only():
    script = JS.read_text(encoding="utf-8")
    assert "textContent" in script
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write", "import "):
        assert forbidden not in script
    assert "Åpen nå" in script and "Stengt nå" in script


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("katalog")
    merged = SERVICES.replace("    opening_hours: 24/7\n", "    opening_hours: 24/7\n    former_ids: [legevakt-5006-steinkjer]\n", 1)
    renamed = "groups:\n" + GROUP.replace("    description: Kurs.\n", "    description: Kurs.\n    former_ids: [kolskurs-steinkjer]\n")
    catalog_root = write_catalog(root / "katalog", services=merged, groups=renamed)
    config_path = make_project(root, directory=True)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["plugins"][1]["helseinfo"]["catalog"] = str(catalog_root)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build_site(root / "site", config_file=config_path, today="2026-11-25", verbose=False)
    return root / "site"


def test_built_pages_are_bokmal_with_json_ld_and_the_script_in_the_head(site):
    html = (site / "tjenester" / "tjeneste" / "legevakt-steinkjer" / "index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert '<html lang="nb"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["@type"] == "EmergencyService" and data["telephone"] == "116 117"
    assert re.search(r'<script src="\.\./\.\./\.\./assets/javascripts/open-now\.js" defer></script>', head)
    assert (site / "assets" / "javascripts" / "open-now.js").is_file()
    assert '<span class="hi-open-now" data-hi-open-now=' in html


def test_built_site_has_a_page_per_municipality_and_the_overview(site):
    for url in (
        "tjenester",
        "tjenester/kommune/5006-steinkjer",
        "tjenester/kommune/5041-snasa",
        "tjenester/tjeneste/sykehuset-levanger",
        "tjenester/grupper/kols-kurs",
    ):
        assert (site / url / "index.html").is_file(), url
    overview = (site / "tjenester" / "index.html").read_text(encoding="utf-8")
    assert '<form class="hi-filter" data-hi-filter hidden>' in overview
    assert 'data-hi-type="legevakt"' in overview and 'href="tjeneste/legevakt-steinkjer/"' in overview


def test_built_site_redirects_a_merged_entry_s_old_address_without_a_script(site):
    html = (site / "tjenester" / "tjeneste" / "legevakt-5006-steinkjer" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../legevakt-steinkjer/">' in html
    assert '<link rel="canonical" href="' in html and "tjenester/tjeneste/legevakt-steinkjer/" in html
    assert "<script" not in html and "116 117" in html
    headers = (site / "_headers").read_text(encoding="utf-8")
    assert "Content-Security-Policy: default-src 'none'" in headers


def test_built_site_redirects_a_renamed_group_s_old_address_to_its_page(site):
    html = (site / "tjenester" / "grupper" / "kolskurs-steinkjer" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../kols-kurs/">' in html
    assert '<link rel="canonical" href="https://helse.example/tjenester/grupper/kols-kurs/">' in html
    assert '<html lang="nb">' in html and '<meta name="robots" content="noindex">' in html
    assert "<script" not in html and "Kurs om kols" in html
    assert "Trenger du legehjelp som ikke kan vente, ring 116 117. Ved fare for liv, ring 113." in html
    assert (site / "tjenester" / "grupper" / "kols-kurs" / "index.html").is_file()


def test_the_plugins_icpc2_list_names_conditions_on_the_catalogue_pages_and_in_the_search_index(tmp_path):
    """``icpc2_list`` reaches the catalogue, its pages and the search index, not only the articles."""
    import csv

    from content_model import load_library
    from content_model.icpc2 import default_path, load_codes
    from helseinfo.kernel.paths import CONTENT
    from search_index.build import article_documents, catalog_documents

    codes = {**load_codes(), "R95": "Kols (egen kodeliste)"}
    listing = tmp_path / "icpc2.csv"
    with listing.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="#")
        writer.writerow(["system", "code", "text"])
        writer.writerows(["ICPC2", code, name] for code, name in codes.items())
    assert load_codes(listing) == codes and listing != default_path()

    config = make_project(tmp_path, directory=True)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["plugins"][1]["helseinfo"]["icpc2_list"] = str(listing)
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    site = build_site(tmp_path / "site", config_file=config, today="2026-11-25", verbose=False)
    group = next(g for g in load_catalog().groups.values() if "R95" in g.icpc2)
    assert "kols (egen kodeliste) (R95)" in (site / "tjenester" / "grupper" / group.id / "index.html").read_text(encoding="utf-8")

    library = load_library(CONTENT, codes=codes)
    docs = article_documents(library) + catalog_documents(load_catalog(codes=codes), library)
    assert any("Kols (egen kodeliste)" in doc["synonyms"] for doc in docs)
