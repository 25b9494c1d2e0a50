"""The services an article links to, by rule from the catalogue (site_builder.views.services_view):
coping groups for its ICPC-2 codes, the directory's legevakt finder, and the directory's entries
of a care-card destination's service type."""

from __future__ import annotations

import copy
import re

import pytest

from content_model.loader import collect_library
from helseinfo.build import build_site
from services_catalog import load_catalog
from site_builder.i18n import labels
from site_builder.views import services_view
from tests.base import AKUTT, article, make_project, write_article
from tests.test_services_catalog import write_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalog")
    return load_catalog(write_catalog(root), display_root=root)


def view_of(tmp_path, catalog, meta, src_path="nb/kols.md"):
    write_article(tmp_path, src_path, meta)
    library, _ = collect_library(tmp_path, codes=False)
    item = library.get(src_path)
    return services_view(item, catalog, labels(item.meta.language))


def kols(**changes):
    meta = article(**{"title": "Kols", "icpc2": ["R95"], **changes})
    meta["care_card"]["urgent"] = [{"id": "kols-verre", "text": "Kolsen blir mye verre.", "terms": ["verre"]}]
    return meta


def test_an_article_lists_the_groups_for_its_icpc2_codes_and_the_legevakt_finder(tmp_path, catalog):
    view = view_of(tmp_path, catalog, kols())
    assert view["items"] == [{"text": "Finn legevakten i kommunen din", "url": "../../tjenester/#velg-kommune"}]
    assert view["groups"] == [{"name": "Kurs om kols", "url": "../../tjenester/grupper/kols-kurs/", "format": "Oppmøte", "verified": False}]


def test_no_group_is_listed_for_other_codes_and_no_legevakt_finder_without_an_urgent_level(tmp_path, catalog):
    assert view_of(tmp_path, catalog, article(icpc2=["N01"])) is None


def test_a_destination_links_to_the_directory_entries_of_its_service_type(tmp_path, catalog):
    meta = kols()
    meta["care_card"]["urgent"][0]["destination"] = "lokalsykehus"
    view = view_of(tmp_path, catalog, meta)
    assert view["items"][1] == {
        "text": "Sykehus: finn det som gjelder deg i oversikten over helsetjenester",
        "url": "../../tjenester/?type=sykehus",
    }


def test_a_pharmacy_destination_gives_the_advice_without_a_link_while_the_catalogue_lists_no_pharmacies(tmp_path, catalog):
    meta = kols(language="nn")
    meta["care_card"]["self_care"][0]["destination"] = "apotek"
    view = view_of(tmp_path, catalog, meta, "nn/kols.md")
    assert view["items"] == [
        {"text": "Finn legevakta i kommunen din", "url": "../../tjenester/#velg-kommune"},
        {"text": "Apoteket kan gje deg råd og reseptfrie middel.", "url": None},
    ]


def test_the_built_page_shows_the_services_box_with_working_links(tmp_path):
    """With the real catalogue: a depression article links to the KiD courses and the legevakt finder."""
    meta = kols(title="Depresjon", icpc2=["P76"], area="psykisk-helse")
    pages = {"nb/depresjon.md": meta, "nb/akutt.md": copy.deepcopy(AKUTT)}
    config = make_project(tmp_path, pages, directory=True)
    build_site(tmp_path / "site", config_file=config, today="2026-11-25", verbose=False)
    html = (tmp_path / "site" / "nb" / "depresjon" / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="hi-services".*?</section>', html, re.S).group(0)
    assert 'href="../../tjenester/#velg-kommune">Finn legevakten i kommunen din</a>' in section
    links = re.findall(r'href="\.\./\.\./(tjenester/grupper/[^"]+)"', section)
    assert links and all((tmp_path / "site" / link / "index.html").is_file() for link in links)
    assert 'id="velg-kommune"' in (tmp_path / "site" / "tjenester" / "index.html").read_text(encoding="utf-8")
