"""The mkdocs plugin: a tiny site built for real in a temporary folder, then read back."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helseinfo.build import build_site
from helseinfo.kernel.errors import BuildError
from tests.base import AKUTT, approve_pages, article, make_project


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mini")
    nn = article(language="nn", title="Hovudverk", translation="nb/hodepine.md", former_slugs=["hovudpine"])
    pages = {
        "nb/hodepine.md": article(translation="nn/hodepine.md", former_slugs=["vondt-i-hodet"]),
        "nn/hodepine.md": nn,
        "nb/akutt.md": copy.deepcopy(AKUTT),
        "nb/forgiftning.md": article(
            title="Forgiftning",
            area="forgiftning",
            icpc2=["A86"],
            care_card={
                "emergency": [{"id": "gift-sloev", "text": "Personen er svært sløv etter å ha fått i seg noe.", "terms": ["sløv"]}],
                "urgent": [
                    {
                        "id": "gift-smakt",
                        "text": "Et barn har smakt på noe giftig, men har ingen plager.",
                        "terms": ["smakt på"],
                        "destination": "giftinformasjonen",
                    }
                ],
                "self_care": [
                    {
                        "id": "gift-vann",
                        "text": "Personen har bare svelget litt vann fra vasen.",
                        "terms": ["vann"],
                        "with_terms": [["vasen"]],
                    }
                ],
            },
        ),
    }
    config = make_project(root, pages)
    build_site(root / "site", config_file=config, today="2026-11-25", verbose=False)
    return root / "site"


def test_care_card_shows_levels_most_urgent_first_with_one_or_more_wording(site):
    text = text_of(html_of(site, "nb/hodepine"))
    emergency = text.index("Ring 113 hvis ett eller flere av disse gjelder")
    gp = text.index("Bestill time hos fastlegen hvis ett eller flere av disse gjelder")
    self_care = text.index("Du kan som regel ta vare på deg selv hvis dette gjelder")
    assert emergency < gp < self_care
    assert "Plutselig, voldsom hodepine" in text[emergency:gp]


def test_a_criterion_with_a_destination_names_it_on_the_card_with_the_number_from_contacts(site):
    # Gitt et kriterium som sender leseren til Giftinformasjonen, så viser kortet hvor og nummeret
    # fra content_model/contacts.py som lenke, ved siden av legevaktnivåets eget nummer.
    html = html_of(site, "nb/forgiftning")
    text = text_of(html)
    assert "Et barn har smakt på noe giftig, men har ingen plager. Ring Giftinformasjonen på 22 59 13 00 for råd." in text
    assert 'href="tel:22591300"' in html and 'href="tel:116117"' in html


def test_emergency_level_has_a_tel_link_and_points_to_the_akutt_card(site):
    html = html_of(site, "nb/hodepine")
    assert 'href="tel:113"' in html
    assert 'href="../akutt/"' in html


def test_a_draft_says_it_awaits_review_shows_its_date_and_claims_no_review(site):
    """Outside Git the date comes from the front matter; no 'Sist faglig oppdatert', no reviewer."""
    text = text_of(html_of(site, "nb/hodepine"))
    assert "Denne teksten venter på faglig godkjenning. Ingen navngitt fagperson har gått den gjennom ennå." in text
    assert "Skrevet eller sist endret: 1. november 2026" in text
    assert "Status Venter på faglig godkjenning" in text
    assert "Sist faglig oppdatert" not in text and "Faglig godkjent av" not in text and "Neste revisjon" not in text
    assert "kvalitetssikret" not in text
    assert "Ansvarlig Fagredaktør" in text


def test_sources_and_self_care_advice_are_rendered(site):
    text = text_of(html_of(site, "nb/hodepine"))
    assert "Dette kan du gjøre selv Drikk vann." in text
    assert "Kilder Spenningshodepine – Helsenorge" in text


def test_json_ld_is_a_medical_web_page_about_the_icpc2_coded_symptom(site):
    data = json_ld(html_of(site, "nb/hodepine"))
    assert data["@type"] == "MedicalWebPage"
    assert data["creativeWorkStatus"] == "Draft" and "lastReviewed" not in data and "reviewedBy" not in data
    assert data["dateModified"] == "2026-11-01"
    assert data["inLanguage"] == "nb"
    assert data["url"] == "https://helse.example/nb/hodepine/"
    assert data["about"]["@type"] == "MedicalSignOrSymptom"
    assert data["about"]["code"][0]["codeValue"] == "N01"
    assert data["about"]["code"][0]["codingSystem"] == "ICPC-2"
    assert data["about"]["code"][0]["name"] == "Hodepine"


def test_nynorsk_page_has_lang_nn_and_links_to_bokmaal(site):
    html = html_of(site, "nn/hodepine")
    assert '<html lang="nn"' in html
    assert "Ring 113 om eitt eller fleire av desse gjeld" in text_of(html)
    assert re.search(r'<a href="../../nb/hodepine/" hreflang="nb" lang="nb">Les på bokmål</a>', html)
    assert '<html lang="nb"' in html_of(site, "nb/hodepine")


def test_a_renamed_article_s_old_address_redirects_to_the_new_one_without_a_script(site):
    html = html_of(site, "nb/vondt-i-hodet")
    assert '<html lang="nb">' in html
    assert '<meta http-equiv="refresh" content="0; url=../hodepine/">' in html
    assert '<link rel="canonical" href="https://helse.example/nb/hodepine/">' in html
    assert '<meta name="robots" content="noindex">' in html and "<script" not in html
    assert "Trenger du legehjelp som ikke kan vente, ring 116 117. Ved fare for liv, ring 113." in text_of(html)


def test_a_nynorsk_article_s_old_address_redirects_in_nynorsk(site):
    html = html_of(site, "nn/hovudpine")
    assert '<html lang="nn">' in html
    assert '<meta http-equiv="refresh" content="0; url=../hodepine/">' in html
    assert '<link rel="canonical" href="https://helse.example/nn/hodepine/">' in html
    assert "Treng du legehjelp som ikkje kan vente, ring 116 117. Ved fare for liv, ring 113." in text_of(html)
    assert not (site / "nn" / "vondt-i-hodet").exists() and not (site / "nb" / "hovudpine").exists()


def test_generated_library_index_lists_articles_by_area(site):
    text = text_of(html_of(site, "nb"))
    assert "Hode og nerver Hodepine" in text


def test_sitemap_lists_every_article(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://helse.example/nb/hodepine/" in sitemap
    assert "https://helse.example/nn/hodepine/" in sitemap


def test_search_index_carries_lay_synonyms_and_norwegian_stemming(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = next(doc for doc in index["docs"] if doc["location"] == "nb/hodepine/")
    assert "hodepinne" in page["text"]
    assert index["config"]["lang"] == ["no"]


def test_site_makes_no_third_party_requests(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert [u for u in external if not u.startswith("https://helse.example/")] == [], page


#: A production build needs the assistant's public address (helseinfo.build.production_assistant_url).
PRODUCTION_ASSISTANT = "https://assistent.helse.example"


def test_production_build_fails_on_drafts_and_keeps_the_old_site(tmp_path, monkeypatch):
    monkeypatch.setenv("HELSEINFO_ASSISTANT_URL", PRODUCTION_ASSISTANT)
    config = make_project(tmp_path)
    build_site(tmp_path / "site", config_file=config, today="2026-11-25", verbose=False)
    before = (tmp_path / "site").resolve()
    with pytest.raises(BuildError) as info:
        build_site(tmp_path / "site", config_file=config, strict=True, today="2026-11-25", verbose=False)
    assert "nb/hodepine.md:44: review.status: venter på faglig godkjenning (status: draft)" in str(info.value)
    assert (tmp_path / "site").resolve() == before
    assert (before / "nb" / "hodepine" / "index.html").is_file()
    assert len(list((tmp_path / ".site-releases").iterdir())) == 1  # the failed release is gone


def test_production_build_passes_approved_and_fails_overdue(tmp_path, monkeypatch):
    monkeypatch.setenv("HELSEINFO_ASSISTANT_URL", PRODUCTION_ASSISTANT)
    config = approved_project(tmp_path)
    build_site(tmp_path / "site", config_file=config, strict=True, today="2026-11-25", verbose=False)
    text = text_of(html_of(tmp_path / "site", "nb/hodepine"))
    assert "Faglig godkjent av Kari Testlege, Fastlege Sist faglig oppdatert 1. november 2026" in text
    assert "venter på faglig godkjenning" not in text
    with pytest.raises(BuildError, match=r"revisjonen forfalt 01\.11\.2027"):
        build_site(tmp_path / "site", config_file=config, strict=True, today="2027-12-01", verbose=False)


def approved_project(tmp_path) -> Path:
    config = make_project(tmp_path)
    approve_pages(tmp_path / "content", "nb/hodepine.md", "nb/akutt.md")
    return config


@pytest.mark.parametrize("value", [None, "", "   "])
def test_production_build_without_the_assistant_url_fails_before_writing_anything(tmp_path, monkeypatch, value):
    """Fail closed: without HELSEINFO_ASSISTANT_URL a production build would give every page a
    widget posting to 127.0.0.1:5005, the visitor's own machine. It stops, naming the variable."""
    if value is None:
        monkeypatch.delenv("HELSEINFO_ASSISTANT_URL", raising=False)
    else:
        monkeypatch.setenv("HELSEINFO_ASSISTANT_URL", value)
    config = approved_project(tmp_path)
    with pytest.raises(BuildError) as info:
        build_site(tmp_path / "site", config_file=config, strict=True, today="2026-11-25", verbose=False)
    assert str(info.value).startswith("HELSEINFO_ASSISTANT_URL er ikke satt")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "site").exists() and not (tmp_path / ".site-releases").exists()


@pytest.mark.parametrize(
    "value", ["http://127.0.0.1:5005", "http://localhost:5005/", "assistent.helse.example", "ftp://assistent.helse.example"]
)
def test_production_build_refuses_a_local_or_malformed_assistant_url(tmp_path, monkeypatch, value):
    monkeypatch.setenv("HELSEINFO_ASSISTANT_URL", value)
    with pytest.raises(BuildError, match="HELSEINFO_ASSISTANT_URL="):
        build_site(tmp_path / "site", config_file=approved_project(tmp_path), strict=True, today="2026-11-25", verbose=False)
    assert not (tmp_path / "site").exists()


def test_production_build_writes_the_assistant_url_into_every_widget_and_the_csp(tmp_path, monkeypatch):
    """The test project's mkdocs.yml has no assistant_url (the plugin's default is the local one):
    a production build takes HELSEINFO_ASSISTANT_URL whatever the configuration says."""
    monkeypatch.setenv("HELSEINFO_ASSISTANT_URL", PRODUCTION_ASSISTANT)
    build_site(tmp_path / "site", config_file=approved_project(tmp_path), strict=True, today="2026-11-25", verbose=False)
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'data-server="{PRODUCTION_ASSISTANT}"' in html, page
        assert "127.0.0.1" not in html, page
    headers = (tmp_path / "site" / "_headers").read_text(encoding="utf-8")
    assert f"connect-src 'self' {PRODUCTION_ASSISTANT};" in headers


def test_preview_build_keeps_the_local_assistant_for_make_run(tmp_path, monkeypatch):
    monkeypatch.delenv("HELSEINFO_ASSISTANT_URL", raising=False)
    build_site(tmp_path / "site", config_file=make_project(tmp_path), today="2026-11-25", verbose=False)
    assert 'data-server="http://127.0.0.1:5005"' in html_of(tmp_path / "site", "nb/hodepine")


def test_preview_build_marks_an_approved_text_whose_review_is_overdue(tmp_path):
    config = approved_project(tmp_path)
    build_site(tmp_path / "site", config_file=config, today="2028-01-01", verbose=False)
    assert "Revisjonen av denne teksten er forsinket" in text_of(html_of(tmp_path / "site", "nb/hodepine"))


def test_invalid_front_matter_fails_the_build_with_the_file_and_key(tmp_path):
    config = make_project(tmp_path, {"nb/hodepine.md": article(area="hjertet")})
    with pytest.raises(BuildError) as info:
        build_site(tmp_path / "site", config_file=config, verbose=False)
    assert "hodepine.md:6: area: forventet et av temaene: akutt, barn" in str(info.value)
    assert not (tmp_path / "site").exists()
