"""Legevakt catchments by time of day, local hospitals, merged entries and their redirects.

Two kinds of test: rules every catalogue must keep (one legevakt a time of day or a listed gap,
no 24/7 on a legevakt, every former id redirects), and a hand-written sample of catchments, each
checked against the public page named beside it, compared with what the loader says.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from helseinfo.cli import main
from services_catalog import load_catalog
from services_catalog.catchments import TIMES, describe_times, time_of_day
from services_catalog.hours import TIMEZONE
from site_builder.catalog_pages import pages, redirects, src_of
from site_builder.redirects import redirect_html
from tests.test_services_catalog import ENTRY_END, GROUP, MUNICIPALITIES, load_errors, write_catalog


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# ---------------------------------------------------------------- times of day


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-12-02 10:00", "day"),  # a Wednesday
        ("2026-12-02 15:29", "day"),
        ("2026-12-02 15:30", "evening"),
        ("2026-12-02 21:59", "evening"),
        ("2026-12-02 22:00", "night"),
        ("2026-12-03 07:59", "night"),
        ("2026-12-05 12:00", "weekend"),  # a Saturday
        ("2026-12-06 03:00", "night"),  # a Sunday night is night
        ("2026-12-24 12:00", "day"),  # Christmas Eve is not a public holiday
        ("2026-12-26 12:00", "weekend"),  # Boxing Day is
        ("2026-05-17 12:00", "weekend"),
        ("2027-03-29 12:00", "weekend"),  # Easter Monday
    ],
)
def test_time_of_day_follows_the_clock_weekends_and_norwegian_public_holidays(moment, expected):
    assert time_of_day(at(moment)) == expected


def test_time_of_day_reads_utc_moments_in_oslo_time():
    assert time_of_day(dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.timezone.utc)) == "night"  # 22:30 in Oslo


def test_times_are_described_in_norwegian_and_all_four_is_hele_dognet():
    assert describe_times(TIMES) == "hele døgnet"
    assert describe_times(["weekend", "night"]) == "om natten og i helger og på helligdager"


# ---------------------------------------------------------------- rules for the shipped catalogue


def test_every_municipality_has_at_most_one_legevakt_a_time_of_day_and_the_rest_are_listed_gaps(catalog):
    gaps = catalog.cover_gaps()
    for number in catalog.municipalities:
        for time, found in catalog.legevakt_cover(number).items():
            assert len(found) <= 1, (number, time, [s.id for s in found])
            assert (not found) == (time in gaps.get(number, [])), (number, time)
    check = CliRunner().invoke(main, ["catalog", "check"])
    assert check.exit_code == 0, check.output
    listed = "\n".join(line for line in check.output.splitlines() if line.startswith("Hull: ingen kilde for legevakt"))
    for number in gaps:
        assert f"{number} {catalog.municipalities[number].name}" in listed, number


def test_no_legevakt_claims_24_7_or_any_opening_hours_without_its_own_page(catalog):
    for service in catalog.services.values():
        if service.service_type == "legevakt":
            assert service.opening_hours is None, service.id
            assert service.phone == "116 117", service.id


def test_every_real_catchment_names_a_page_it_was_read_from_and_stays_unverified(catalog):
    real = [s for s in catalog.services.values() if s.serves]
    assert len(real) >= 12
    for service in real:
        assert service.source.url.path not in (None, "", "/"), service.id
        assert service.verification.state == "unverified", service.id


def test_municipalities_without_any_source_keep_a_marked_entry_that_says_ring_116_117(catalog):
    placeholders = [s for s in catalog.services.values() if s.service_type == "legevakt" and not s.serves]
    assert placeholders and all(s.name.endswith(": ikke registrert") for s in placeholders)
    gaps = catalog.cover_gaps()
    for service in placeholders:
        [number] = service.municipalities
        assert gaps[number] == list(TIMES)
        assert "Ring 116 117" in service.description and "113" in service.description


def test_every_one_of_the_65_old_legevakt_ids_is_live_or_redirects(catalog):
    from services_catalog.loader import slug

    old_ids = [f"legevakt-{m.number}-{slug(m.name)}" for m in catalog.municipalities.values()]
    pages_ = redirects(catalog, "https://helse.example/")
    for old in old_ids:
        target = catalog.resolve(old)
        assert target is not None and target.service_type == "legevakt", old
        if old not in catalog.services:
            page = pages_[f"tjenester/tjeneste/{old}/index.html"]
            assert f'<meta http-equiv="refresh" content="0; url=../{target.id}/">' in page
            assert f'<link rel="canonical" href="https://helse.example/tjenester/tjeneste/{target.id}/">' in page
            assert "<script" not in page and "116 117" in page and "113" in page
    assert catalog.resolve("finnes-ikke") is None


def test_a_legevakt_page_lists_its_municipalities_with_the_times(catalog):
    generated = pages(catalog, at("2026-12-02 12:00"))
    page = generated[src_of(catalog.services["legevakta-i-trondheim"])]
    assert "- [Trondheim](../kommune/5001-trondheim.md): hele døgnet" in page
    assert (
        "- [Midtre Gauldal](../kommune/5027-midtre-gauldal.md): på ettermiddag og kveld på hverdager, "
        "om natten og i helger og på helligdager"
    ) in page


def test_a_municipality_page_names_its_legevakt_by_time_and_the_gap_with_116_117(catalog):
    generated = pages(catalog, at("2026-12-02 12:00"))
    page = generated[src_of(catalog.municipalities["5027"])]
    assert "### [Legevakta i Trondheim](../tjeneste/legevakta-i-trondheim.md)" in page
    assert "Dekker Midtre Gauldal på ettermiddag og kveld på hverdager, om natten og i helger og på helligdager." in page
    assert "### På dagtid på hverdager: ikke registrert" in page
    oppdal = generated[src_of(catalog.municipalities["5021"])]
    assert "### Legevakten er ikke registrert" in oppdal and "[116 117](tel:116117)" in oppdal


# ---------------------------------------------------------------- a hand-written sample, checked against its sources

MGK = "https://www.mgk.no/tjenester/helse-og-familie/legevakt"
TRONDHEIM = "https://trondheim.kommune.no/aktuelt/nyhetssaker/2018/legevakta-inn-i-nye-lokaler/"
ORKLAND = "https://www.orkland.kommune.no/legevakten-i-nye-lokaler-ingen-endringer-for-pasientene.6275598-507025.html"
VAERNES = "https://s-n.no/husk-a-bruke-det-nye-legevakt-nummeret/"
VERDAL = "https://www.verdal.kommune.no/Politikk/2019-2023-Formannskapet/20201210/17620-Revidert-selskapsavtale/"
STEINKJER = "https://www.steinkjer.kommune.no/legevakta-serviceerklaering.6113954-463835.html"
HUSTADVIKA = "https://hustadvika.kommune.no/tjenester/vakttelefoner/legevakten/"
ULSTEIN = "https://www.ulstein.kommune.no/tenester/helse-og-omsorg/helsehjelp/legehjelp/legevakt/"
HEROY = "https://www.heroy.kommune.no/tenester/helse-og-omsorg/helsehjelp/legetenester/legevakt/"
FJORD = "https://www.fjord.kommune.no/tenester/helse-og-omsorgstenester/legetenester/legevakt/"
NYSS = "https://www.nyss.no/meiningar/2021/05/05/Legevaktordninga-23906504.ece"
TK = "https://www.tk.no/flytting-av-legevakten-reduserer-smitterisiko/s/5-51-783935"

#: (municipality, moment, the legevakt the source says covers it then, or None for "the local surgery", source page)
SAMPLE = [
    ("5027", "2026-12-02 20:00", "legevakta-i-trondheim", MGK),  # Midtre Gauldal: weekdays from 16.00
    ("5027", "2026-12-02 10:00", None, MGK),  # ... and its own surgery in office hours
    ("5031", "2026-12-02 10:00", "legevakta-i-trondheim", TRONDHEIM),  # Malvik
    ("5061", "2026-12-05 12:00", "legevakten-i-orkdalsregionen", ORKLAND),  # Rindal on a Saturday
    ("1566", "2026-12-02 03:00", "legevakten-i-orkdalsregionen", ORKLAND),  # Surnadal at night
    ("5059", "2026-12-02 10:00", None, ORKLAND),  # Orkland: weekdays 08–15.30 at the surgeries
    ("5033", "2026-12-02 23:00", "vaernesregionen-legevakt", VAERNES),  # Tydal
    ("5053", "2026-12-02 18:00", "innherred-interkommunale-legevakt", VERDAL),  # Inderøy
    ("5041", "2026-12-06 12:00", "steinkjer-legevakt", STEINKJER),  # Snåsa on a Sunday
    ("5041", "2026-12-01 10:00", None, STEINKJER),  # ... but not on a Tuesday morning
    ("5006", "2026-12-01 10:00", "steinkjer-legevakt", STEINKJER),  # Steinkjer: open day and night
    ("1579", "2026-12-02 02:00", "molde-interkommunale-legevakt", HUSTADVIKA),  # Hustadvika at night
    ("1517", "2026-12-01 23:00", "sore-sunnmore-legevakt", ULSTEIN),  # Hareid: night 22–08
    ("1517", "2026-12-01 18:00", "legevakta-i-ulstein-og-hareid", ULSTEIN),  # ... evening 15–22 locally
    ("1515", "2026-12-05 12:00", "sore-sunnmore-legevakt", HEROY),  # Herøy on a Saturday
    ("1578", "2026-12-01 23:00", "legevakta-i-alesund", FJORD),  # Fjord: nights at Åse
    ("1525", "2026-12-01 19:00", "legevakta-for-sykkylven-og-stranda", NYSS),  # Stranda outside office hours
    ("1557", "2026-12-01 19:00", "legevakta-i-kristiansund", TK),  # Gjemnes
]


@pytest.mark.parametrize("number, moment, expected, source", SAMPLE)
def test_sampled_catchment_agrees_with_its_source_page(catalog, number, moment, expected, source):
    found = catalog.legevakt_for(number, at(moment))
    assert (found.id if found else None) == expected, f"{number} {moment}: se {source}"
    if found is not None:
        assert catalog.origin(found)[0] == "services_catalog/data/services/legevakt.yaml"


def test_the_sample_has_at_least_eight_municipalities_each_with_a_source():
    assert len({number for number, *_ in SAMPLE}) >= 8
    assert all(source.startswith("https://") for *_, source in SAMPLE)


# ---------------------------------------------------------------- the loader's rules, on tiny catalogues

TWO = (
    """\
services:
  - id: legevakta-a
    name: Legevakta A
    service_type: legevakt
    municipalities: ['5006', '5041']
    description: Ring 116 117.
    phone: 116 117
    serves:
      - {municipality: '5006'}
      - {municipality: '5041', times: [evening, night, weekend]}
    former_ids: [legevakt-5006-steinkjer]
"""
    + ENTRY_END
    + """\
  - id: sykehus-a
    name: Sykehus A
    service_type: sykehus
    municipalities: all
    description: Sykehus.
    local_hospital_for: ['5006']
    acute_functions: [akuttmottak, fodeavdeling]
"""
    + ENTRY_END
    + """\
  - id: sykehus-b
    name: Sykehus B
    service_type: sykehus
    municipalities: all
    description: Sykehus.
"""
    + ENTRY_END
)


def tiny(tmp_path, services=TWO):
    return write_catalog(tmp_path, services=services, groups="groups:\n" + GROUP, municipalities=MUNICIPALITIES)


def test_tiny_catchment_answers_by_time_and_resolves_the_old_id(tmp_path):
    catalog = load_catalog(tiny(tmp_path), display_root=tmp_path)
    assert catalog.legevakt_for("5041", at("2026-12-02 10:00")) is None
    assert catalog.legevakt_for("5041", at("2026-12-02 18:00")).id == "legevakta-a"
    assert catalog.cover_gaps() == {"5041": ["day"]}
    assert catalog.resolve("legevakt-5006-steinkjer").id == "legevakta-a"


def test_local_hospital_comes_from_local_hospital_for_and_falls_back_to_the_trust(tmp_path):
    catalog = load_catalog(tiny(tmp_path), display_root=tmp_path)
    assert [s.id for s in catalog.local_hospitals("5006")] == ["sykehus-a"]
    assert catalog.has_local_hospital("5006") and not catalog.has_local_hospital("5041")
    assert [s.id for s in catalog.local_hospitals("5041")] == ["sykehus-a", "sykehus-b"]
    care = catalog.acute_care("5006")
    assert [s.id for s in care["akuttmottak"]] == ["sykehus-a"] and care["fodestue"] == []
    assert catalog.acute_care("5041") == {"akuttmottak": [], "fodeavdeling": [], "fodestue": []}
    page = pages(catalog, at("2026-12-02 12:00"))["tjenester/kommune/5006-steinkjer.md"]
    assert "Lokalsykehuset for Steinkjer:" in page and "[Sykehus B]" not in page
    assert "- Akuttmottak: [Sykehus A](../tjeneste/sykehus-a.md)." in page


def test_check_lists_the_gaps_by_time_local_hospital_and_frisklivssentral(tmp_path):
    result = CliRunner().invoke(main, ["catalog", "check", "--catalog", str(tiny(tmp_path)), "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "Hull: ingen kilde for legevakt på dagtid på hverdager: 1 kommuner: 5041 Snåsa" in result.output
    assert "Hull: ingen lokalsykehus (ingen sykehus har kommunen i local_hospital_for): 1 kommuner: 5041 Snåsa" in result.output
    assert "Hull: ingen frisklivssentral: 2 kommuner: 5006 Steinkjer, 5041 Snåsa" in result.output


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("['5006', '5041']", "['5006']"),
            "services[0].serves: serves og municipalities må ha de samme kommunene (mangler i municipalities: 5041)",
        ),
        (
            ("{municipality: '5041', times: [evening, night, weekend]}", "{municipality: '9999'}"),
            "services[0].serves: serves og municipalities må ha de samme kommunene (mangler i serves: 5041; mangler i municipalities: 9999)",
        ),
        (
            ("times: [evening, night, weekend]", "times: []"),
            "services[0].serves[1].times: forventet minst én av: day, evening, night, weekend",
        ),
        (
            ("{municipality: '5041', times: [evening, night, weekend]}", "{municipality: '5006', times: [night]}"),
            "services[0].serves: kommunen 5006 står mer enn én gang",
        ),
        (
            ("local_hospital_for: ['5006']", "local_hospital_for: ['9999']"),
            "services[1].local_hospital_for[0]: ukjent kommunenummer '9999'",
        ),
        (
            ("former_ids: [legevakt-5006-steinkjer]", "former_ids: [sykehus-b]"),
            "services[0].former_ids[0]: 'sykehus-b' er id-en til en oppføring som finnes",
        ),
    ],
)
def test_catchment_mistakes_are_one_clear_message_naming_file_and_key(tmp_path, change, message):
    services = TWO.replace(*change)
    errors = load_errors(tiny(tmp_path, services))
    assert any(message in e and e.startswith("services/test.yaml:") for e in errors), errors
    assert not any("Traceback" in e for e in errors)


def test_serves_on_a_hospital_is_refused(tmp_path):
    services = TWO.replace("    local_hospital_for: ['5006']\n", "    serves: [{municipality: '5006'}]\n")
    errors = load_errors(tiny(tmp_path, services))
    assert any("services[1].serves: serves gjelder bare legevakt" in e for e in errors), errors


def test_two_legevakter_covering_one_municipality_at_the_same_time_is_an_error(tmp_path):
    services = TWO + TWO.split("  - id: sykehus-a")[0].replace("services:\n", "").replace("legevakta-a", "legevakta-b").replace(
        "Legevakta A", "Legevakta B"
    ).replace("former_ids: [legevakt-5006-steinkjer]", "former_ids: []")
    errors = load_errors(tiny(tmp_path, services))
    assert any("Steinkjer dekkes av både 'legevakta-a' og 'legevakta-b' på dagtid på hverdager" in e for e in errors), errors


def test_a_not_registered_entry_left_beside_a_real_catchment_is_an_error(tmp_path):
    services = (
        TWO
        + """\
  - id: legevakt-5041-snasa
    name: 'Legevakt for Snåsa: ikke registrert'
    service_type: legevakt
    municipalities: ['5041']
    description: Ring 116 117.
    phone: 116 117
"""
        + ENTRY_END
    )
    errors = load_errors(tiny(tmp_path, services))
    assert any(re.search(r"legevakt-5041-snasa: oppføringen har ingen serves, men Snåsa dekkes", e) for e in errors), errors


def test_redirect_page_without_a_site_url_points_relatively_and_escapes_the_name():
    page = redirect_html("tjenester/tjeneste/gammel/", "tjenester/tjeneste/legevakta-i-trondheim/", "Legevakt <A & B>")
    assert '<link rel="canonical" href="../legevakta-i-trondheim/">' in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nb">' in page
    assert "Legevakt &lt;A &amp; B&gt;" in page and "<A & B>" not in page


# ---------------------------------------------------------------- the assistant


def test_assistant_names_the_legevakt_covering_now_and_always_116_117():
    from assistant.actions.services import legevakt_answer

    lines, items = legevakt_answer("5027", "Midtre Gauldal", "nb", at("2026-12-02 20:00"))
    assert lines[0] == "Legevakten for Midtre Gauldal nå (på ettermiddag og kveld på hverdager): Legevakta i Trondheim."
    assert "116 117" in lines[-1] and items[0]["covers_now"] and items[0]["id"] == "legevakta-i-trondheim"
    lines, items = legevakt_answer("5027", "Midtre Gauldal", "nb", at("2026-12-02 10:00"))
    assert lines[0].startswith("Jeg vet ikke hvilken legevakt som dekker Midtre Gauldal nå (på dagtid på hverdager)")
    assert "Legevakta i Trondheim" in lines[2] and "116 117" in lines[-1] and not items[0]["covers_now"]
    lines, _ = legevakt_answer("5021", "Oppdal", "nn", at("2026-12-05 12:00"))
    assert lines[0].startswith("Eg veit ikkje") and "116 117" in lines[-1]


def test_birth_care_names_the_ward_at_the_local_hospital_rather_than_every_ward_of_the_trust(tmp_path):
    wards = "".join(
        f"""\
  - id: fodeavdeling-{place}
    name: Fødeavdeling {place}
    service_type: fodeavdeling
    municipalities: all
    located_in: '{number}'
    description: Fødeavdeling.
"""
        + ENTRY_END
        for place, number in (("a", "5006"), ("b", "5041"))
    )
    services = TWO.replace("    local_hospital_for: ['5006']\n", "    local_hospital_for: ['5006']\n    located_in: '5006'\n") + wards
    catalog = load_catalog(tiny(tmp_path, services), display_root=tmp_path)
    assert [s.id for s in catalog.acute_care("5006")["fodeavdeling"]] == ["fodeavdeling-a"]
    assert [s.id for s in catalog.acute_care("5041")["fodeavdeling"]] == ["fodeavdeling-a", "fodeavdeling-b"]
