"""The services catalogue: the shipped data, the loader's errors, opening hours, FHIR and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fhir.resources.R4B.bundle import Bundle

from helseinfo.cli import main
from helseinfo.kernel.errors import CatalogError
from helseinfo.kernel.paths import SHARED_DATA
from services_catalog import SERVICE_TYPES, hours, load_catalog, url_of
from services_catalog.fhir import fhir_bundle
from services_catalog.loader import DEFAULT_ROOT

OSLO = hours.TIMEZONE

# ---------------------------------------------------------------- a tiny catalogue

MUNICIPALITIES = """\
municipalities:
  - {number: '5006', name: Steinkjer, county: Trøndelag, lat: 64.05, lon: 11.48}
  - {number: '5041', name: Snåsa, other_names: [Snåase], county: Trøndelag, sami_area: true, lat: 64.18, lon: 12.62}
"""
ENTRY_END = """\
    source: {publisher: Helsenorge, url: 'https://www.helsenorge.no/'}
    verification: {state: unverified, date: 2026-11-25}
"""
SERVICES = (
    """\
services:
  - id: legevakt-steinkjer
    name: Legevakten for Steinkjer
    service_type: legevakt
    municipalities: ['5006', '5041']
    description: Ring 116 117.
    phone: 116 117
    opening_hours: 24/7
"""
    + ENTRY_END
    + """\
  - id: sykehuset-levanger
    name: Sykehuset Levanger
    service_type: sykehus
    municipalities: all
    description: Sykehus.
"""
    + ENTRY_END
)
GROUP = (
    """\
  - id: kols-kurs
    name: Kurs om kols
    icpc2: [R95]
    audience: Voksne med kols
    format: physical
    referral: unknown
    municipalities: ['5006']
    signup: {text: Kontakt lærings- og mestringssenteret.}
    description: Kurs.
"""
    + ENTRY_END
)


def write_catalog(root: Path, services: str = SERVICES, groups: str = "groups:\n" + GROUP, municipalities: str = MUNICIPALITIES) -> Path:
    """A catalogue folder with one file of each kind; returns the folder."""
    (root / "services").mkdir(parents=True)
    (root / "groups").mkdir()
    (root / "kommuner.yaml").write_text(municipalities, encoding="utf-8")
    (root / "services" / "test.yaml").write_text(services, encoding="utf-8")
    (root / "groups" / "test.yaml").write_text(groups, encoding="utf-8")
    return root


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first ``needle`` after ``after`` in ``text``."""
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def load_errors(root: Path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(root, display_root=root)
    return [str(p) for p in info.value.problems]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# ---------------------------------------------------------------- the shipped catalogue


def test_all_65_municipalities_have_a_legevakt_and_a_hospital(catalog):
    assert len(catalog.municipalities) == 65
    without_legevakt = [m.name for m in catalog.municipalities.values() if not catalog.services_for(m.number, "legevakt")]
    without_hospital = [m.name for m in catalog.municipalities.values() if not catalog.services_for(m.number, "sykehus")]
    assert without_legevakt == [] and without_hospital == []


def test_every_legevakt_shows_the_national_number_116_117(catalog):
    legevakter = [s for s in catalog.services.values() if s.service_type == "legevakt"]
    assert legevakter and all(s.phone == "116 117" for s in legevakter)


def test_municipalities_keep_sami_names_the_sami_area_flag_and_the_2024_division(catalog):
    snasa = catalog.municipalities["5041"]
    assert (snasa.name, snasa.other_names, snasa.sami_area) == ("Snåsa", ["Snåase"], True)
    assert catalog.municipality_by_name("tråante").number == "5001"
    assert catalog.municipality_by_name("  ålesund ").number == "1508"
    assert "1580" in catalog.municipalities and "1507" not in catalog.municipalities
    assert catalog.municipality_by_name("Oslo") is None


def test_places_resolve_to_the_municipality_they_lie_in_now(catalog, tmp_path):
    assert catalog.municipality_by_name("Brattvåg").number == "1580"
    assert catalog.municipality_by_name("orkanger").number == "5059"
    assert catalog.municipality_by_name("Løkken  Verk").name == "Orkland"
    assert all(p.municipality in catalog.municipalities for p in catalog.places.values())
    root = write_catalog(tmp_path)
    (root / "steder.yaml").write_text("places:\n- {name: Snåsa sentrum, municipality: '9999'}\n", encoding="utf-8")
    assert load_errors(root) == ["steder.yaml:2: places[0].municipality: ukjent kommunenummer '9999'"]


def test_shipped_catalogue_gives_contact_details_only_with_a_page_as_source_and_is_marked_unverified(catalog):
    for service in catalog.services.values():
        if service.address or service.phone not in (None, "116 117") or service.opening_hours:
            assert service.source.url.path not in (None, "", "/"), f"{service.id}: kontaktopplysninger uten en bestemt kildeside"
        if service.service_type == "legevakt":
            assert service.opening_hours is None, f"{service.id}: 24/7 gjelder 116 117, ikke hver legevakt"
    for entry in [*catalog.services.values(), *catalog.groups.values()]:
        assert entry.verification.state == "unverified" and entry.verification.date >= dt.date(2026, 11, 25), entry.id
        assert entry.source.url.startswith("https://") or entry.source.url.startswith("http://"), entry.id


def test_hospitals_belong_to_the_three_health_trusts(catalog):
    trusts = {s.organization for s in catalog.services.values() if s.service_type == "sykehus"}
    assert trusts == {"Helse Nord-Trøndelag HF", "St. Olavs hospital HF", "Helse Møre og Romsdal HF"}


def test_groups_cover_the_common_long_term_conditions(catalog):
    assert len(catalog.groups) >= 25
    for code in ("T90", "R95", "K77", "A79", "P76", "P74", "L18", "L88", "T82", "R96", "Z22"):
        assert catalog.groups_for([code]), code
    assert {g.format for g in catalog.groups.values()} >= {"physical", "both"}


def test_public_helpers_find_services_groups_and_page_urls(catalog):
    steinkjer = catalog.municipality_by_name("Steinkjer")
    assert [s.service_type for s in catalog.services_for("5006")][:2] == ["legevakt", "sykehus"]
    assert all(s.service_type in SERVICE_TYPES for s in catalog.services.values())
    diabetes = catalog.groups_for(["T90"], "5006")
    assert diabetes and all("T90" in g.icpc2 and "5006" in g.municipalities for g in diabetes)
    assert url_of(steinkjer) == "tjenester/kommune/5006-steinkjer/"
    assert url_of(catalog.services["sykehuset-levanger"]) == "tjenester/tjeneste/sykehuset-levanger/"
    assert url_of(catalog.groups["diabetesforbundet"]) == "tjenester/grupper/diabetesforbundet/"
    assert url_of() == "tjenester/"


def test_import_municipalities_reproduces_the_shipped_file(tmp_path):
    out = tmp_path / "kommuner.yaml"
    result = CliRunner().invoke(main, ["catalog", "import-municipalities", str(SHARED_DATA / "kommuner-midt-norge.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Skrev 65 kommuner" in result.output
    assert out.read_text(encoding="utf-8") == (DEFAULT_ROOT / "kommuner.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- loader errors


def test_tiny_catalogue_loads_and_expands_all_municipalities(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path), display_root=tmp_path)
    assert catalog.services["sykehuset-levanger"].municipalities == ["5006", "5041"]
    assert catalog.origin(catalog.groups["kols-kurs"]) == ("groups/test.yaml", 2)


def test_unknown_municipality_number_names_file_line_and_key(tmp_path):
    services = SERVICES.replace("['5006', '5041']", "['5006', '9999']")
    errors = load_errors(write_catalog(tmp_path, services=services))
    line = line_of(services, "'9999'")
    assert f"services/test.yaml:{line}: services[0].municipalities[1]: ukjent kommunenummer '9999'" in errors


def test_duplicate_id_names_both_places(tmp_path):
    services = SERVICES + SERVICES.replace("services:\n", "").replace("sykehuset-levanger", "sykehuset-namsos")
    errors = load_errors(write_catalog(tmp_path, services=services))
    second = line_of(services, "legevakt-steinkjer", after="sykehuset-levanger")
    assert errors == [f"services/test.yaml:{second}: services[2].id: id 'legevakt-steinkjer' er brukt før (services/test.yaml:2)"]


def test_unparsable_opening_hours_is_one_clear_error(tmp_path):
    services = SERVICES.replace("opening_hours: 24/7", "opening_hours: Mo-Fx 08:00-16:00")
    errors = load_errors(write_catalog(tmp_path, services=services))
    assert errors == [
        f"services/test.yaml:{line_of(services, 'opening_hours')}: services[0].opening_hours: kan ikke tolke åpningstidene "
        "'Mo-Fx 08:00-16:00' (feil ved tegn 4); forventet OpenStreetMap-syntaks som 'Mo-Fr 08:00-16:00; PH off'"
    ]


def test_group_without_conditions_is_an_error(tmp_path):
    groups = "groups:\n" + GROUP.replace("    icpc2: [R95]\n", "")
    errors = load_errors(write_catalog(tmp_path, groups=groups))
    assert errors == ["groups/test.yaml:2: groups[0].icpc2: en gruppe må ha minst én tilstand (ICPC-2-kode)"]


def test_unknown_icpc2_code_and_unknown_key_are_reported_together(tmp_path):
    services = SERVICES.replace("    phone: 116 117\n", "    phone: 116 117\n    colour: blue\n")
    groups = "groups:\n" + GROUP.replace("[R95]", "[R95, Q12]")
    errors = load_errors(write_catalog(tmp_path, services=services, groups=groups))
    assert errors == [
        f"services/test.yaml:{line_of(services, 'colour')}: services[0].colour: ukjent nøkkel",
        f"groups/test.yaml:{line_of(groups, 'icpc2')}: groups[0].icpc2[1]: ukjent ICPC-2-kode 'Q12'",
    ]


def test_municipality_without_legevakt_or_hospital_is_an_error(tmp_path):
    services = SERVICES.replace("['5006', '5041']", "['5006']").replace("municipalities: all", "municipalities: ['5006']")
    errors = load_errors(write_catalog(tmp_path, services=services))
    assert errors == [
        "kommuner.yaml:3: 5041: Snåsa har ingen legevakt i katalogen",
        "kommuner.yaml:3: 5041: Snåsa har ingen sykehus i katalogen",
    ]


def test_every_problem_in_every_file_is_raised_at_once(tmp_path):
    services = SERVICES.replace("service_type: sykehus", "service_type: hospital").replace("phone: 116 117", "phone: ring oss")
    errors = load_errors(write_catalog(tmp_path, services=services, groups="groups: []\n"))
    assert [e.split(": ")[1] for e in errors] == ["services[0].phone", "services[1].service_type"]
    assert "forventet en av: legevakt, sykehus" in errors[1]


def test_bad_referral_and_unquoted_municipality_numbers_get_one_message_each(tmp_path):
    groups = "groups:\n" + GROUP.replace("referral: unknown", "referral: maybe").replace("['5006']", "[5006]")
    errors = load_errors(write_catalog(tmp_path, groups=groups))
    assert errors == [
        f"groups/test.yaml:{line_of(groups, 'referral')}: groups[0].referral: forventet true, false eller unknown",
        f"groups/test.yaml:{line_of(groups, 'municipalities')}: groups[0].municipalities: "
        "forventet kommunenumre med fire sifre i anførselstegn, som '5006', ikke 5006",
    ]


def test_failing_catalogue_makes_export_write_nothing(tmp_path):
    root = write_catalog(tmp_path / "cat", services=SERVICES.replace("'5041'", "'9999'"))
    out = tmp_path / "out" / "bundle.json"
    result = CliRunner().invoke(main, ["catalog", "export", "--fhir", "--catalog", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "ukjent kommunenummer '9999'" in result.output and "Traceback" not in result.output
    assert not out.exists() and not out.parent.exists()


# ---------------------------------------------------------------- opening hours and holidays

OFFICE = "Mo-Fr 08:00-16:00; PH off"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=OSLO)


def test_office_hours_are_closed_on_a_sunday_and_open_on_a_weekday():
    assert hours.is_open(OFFICE, at("2026-11-29 10:00")) is False  # Sunday
    assert hours.is_open(OFFICE, at("2026-11-30 10:00")) is True
    assert hours.next_change(OFFICE, at("2026-11-29 10:00")) == at("2026-11-30 08:00")


def test_christmas_eve_is_an_ordinary_day_unless_the_hours_say_dec_24():
    christmas_eve = at("2026-12-24 10:00")  # a Thursday; not a public holiday in Norway
    assert hours.is_open(OFFICE, christmas_eve) is True
    assert hours.is_open(OFFICE + "; Dec 24 off", christmas_eve) is False
    assert hours.is_open(OFFICE, at("2026-12-25 10:00")) is False  # 1. juledag is PH
    assert hours.describe(OFFICE + "; Dec 24 off") == ["man–fre 08:00–16:00", "helligdager stengt", "24. des stengt"]


def test_17_may_and_the_holidays_opening_hours_py_lacks_are_closed():
    assert hours.is_open(OFFICE, at("2028-05-17 10:00")) is False  # a Wednesday, Grunnlovsdag
    assert hours.is_open(OFFICE, at("2028-05-16 10:00")) is True
    for day in ("2026-04-03", "2026-04-06", "2026-05-25", "2026-12-26"):  # langfredag, 2. påskedag, 2. pinsedag, 2. juledag
        assert hours.is_open("24/7; PH off", at(f"{day} 12:00")) is False, day
    assert hours.public_holidays([2028])[dt.date(2028, 5, 17)] == "Grunnlovsdag"


def test_ph_in_a_day_list_opens_on_holidays_only_for_those_hours():
    assert hours.is_open("Mo-Fr,PH 10:00-12:00", at("2026-05-17 11:00")) is True  # Sunday, but 17 May
    assert hours.is_open("Mo-Fr,PH 10:00-12:00", at("2026-05-16 11:00")) is False


def test_unsupported_holiday_rules_are_explained():
    assert hours.check("Jun PH off") == (
        "PH kan bare stå først i en regel, alene eller i en liste av dager (f.eks. 'PH off' eller 'Mo-Fr,PH 08:00-16:00')"
    )
    assert hours.check("SH off") == "SH (skoleferie) støttes ikke; skriv datoene"
    assert hours.check('Mo-Fr 08:00-16:00 "ring; først"') is None


def test_open_intervals_expand_weeks_in_oslo_time_across_daylight_saving():
    intervals = hours.open_intervals(OFFICE, at("2026-10-23 00:00"), 4)  # DST ends Sunday 25 October
    assert [(a.isoformat(), b.isoformat(), s) for a, b, s in intervals] == [
        ("2026-10-23T08:00:00+02:00", "2026-10-23T16:00:00+02:00", "open"),
        ("2026-10-26T08:00:00+01:00", "2026-10-26T16:00:00+01:00", "open"),
    ]
    assert hours.open_intervals("24/7", at("2026-11-25 00:00"), 56) == [(at("2026-11-25 00:00"), at("2027-01-20 00:00"), "open")]


def test_hours_unknown_without_an_expression(catalog):
    assert hours.is_open(catalog.services["sykehuset-levanger"]) is None
    assert hours.is_open("24/7", at("2026-12-24 03:00")) is True
    assert hours.next_change("24/7", at("2026-12-24 03:00")) is None
    assert hours.is_open("Mo-Fr 08:00-16:00 unknown", at("2026-11-25 12:00")) is None


# ---------------------------------------------------------------- FHIR and the CLI


def test_fhir_bundle_validates_and_every_reference_resolves(catalog):
    bundle = fhir_bundle(catalog, today=dt.date(2026, 11, 25))
    Bundle.parse_obj(bundle)  # validates again from plain JSON
    resources = [e["resource"] for e in bundle["entry"]]
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    services = [r for r in resources if r["resourceType"] == "HealthcareService"]
    assert len(services) == len(catalog.services)
    assert sum(r["resourceType"] == "Location" and r["id"].startswith("kommune-") for r in resources) == 65
    for service in services:
        refs = [c["reference"] for c in service["coverageArea"]] + [service.get("providedBy", {}).get("reference")]
        assert all(ref in full_urls for ref in refs if ref), service["id"]
    legevakt = next(r for r in services if r["id"] == "steinkjer-legevakt")
    assert "availableTime" not in legevakt  # no opening hours: 24/7 is true of 116 117, not of every legevakt
    assert legevakt["telecom"] == [{"system": "phone", "value": "116 117", "use": "work"}]


def test_fhir_available_time_comes_from_an_ordinary_week():
    from services_catalog.fhir import available_time

    assert available_time(OFFICE + "; Sa 10:00-14:00", dt.date(2026, 12, 20)) == [
        {"daysOfWeek": ["mon", "tue", "wed", "thu", "fri"], "availableStartTime": "08:00:00", "availableEndTime": "16:00:00"},
        {"daysOfWeek": ["sat"], "availableStartTime": "10:00:00", "availableEndTime": "14:00:00"},
    ]


def test_export_writes_the_bundle_atomically(tmp_path):
    out = tmp_path / "bundle.json"
    result = CliRunner().invoke(main, ["catalog", "export", "--fhir", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.json"]


def test_check_lists_unverified_and_stale_entries_with_a_summary(tmp_path):
    root = write_catalog(tmp_path)
    result = CliRunner().invoke(main, ["catalog", "check", "--catalog", str(root), "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "2 kommuner, 2 tjenester, 1 grupper: 3 ikke bekreftet, 0 utdatert (eldre enn 12 måneder)."
    assert lines[0].endswith(": legevakt-steinkjer: ikke bekreftet")
    later = CliRunner().invoke(main, ["catalog", "check", "--catalog", str(root), "--today", "2027-11-26"])
    assert "utdatert (sist sjekket 2026-11-25)" in later.output
    assert later.output.strip().splitlines()[-1].endswith("3 ikke bekreftet, 3 utdatert (eldre enn 12 måneder).")


# ---------------------------------------------------------------- ICD-10 codes and audience as data


def test_group_icd10_codes_are_checked_against_the_icd10_code_list_with_file_and_line(tmp_path):
    groups = "groups:\n" + GROUP.replace("    icpc2: [R95]\n", "    icpc2: [R95]\n    icd10: [J44, J44.99, j44]\n")
    errors = load_errors(write_catalog(tmp_path, groups=groups))
    line = line_of(groups, "icd10")
    assert errors == [
        f"groups/test.yaml:{line}: groups[0].icd10[1]: ukjent ICD-10-kode 'J44.99' (finnes ikke i ICD-10-kodelisten)",
        f"groups/test.yaml:{line}: groups[0].icd10[2]: forventet en ICD-10-kode som 'E11' eller 'M54.5' "
        "(stor bokstav, to sifre, eventuelt punktum og ett eller to sifre), ikke 'j44'",
    ]


def test_group_audience_fields_load_and_a_reversed_age_range_is_one_clear_error(tmp_path):
    ok = "groups:\n" + GROUP.replace(
        "    audience: Voksne med kols\n", "    audience: Voksne med kols\n    for: [person, parorende]\n    age: {from_years: 18}\n"
    )
    group = load_catalog(write_catalog(tmp_path / "ok", groups=ok), display_root=tmp_path).groups["kols-kurs"]
    assert (group.for_, group.age.from_years, group.age.to_years) == (["person", "parorende"], 18, None)
    bad = "groups:\n" + GROUP.replace(
        "    audience: Voksne med kols\n", "    audience: Voksne med kols\n    for: [barn]\n    age: {from_years: 20, to_years: 12}\n"
    )
    errors = load_errors(write_catalog(tmp_path / "bad", groups=bad))
    assert errors == [
        f"groups/test.yaml:{line_of(bad, 'for:')}: groups[0].for[0]: forventet en av: person, parorende",
        f"groups/test.yaml:{line_of(bad, 'age:')}: groups[0].age: from_years kan ikke være større enn to_years",
    ]


def test_shipped_groups_carry_icd10_codes_for_the_common_long_term_conditions_and_adult_courses_say_18(catalog):
    groups = catalog.groups
    assert groups["lms-diabetes-type-2-st-olavs-hospital"].icd10 == ["E11"]
    assert groups["lms-kols-helse-more-og-romsdal"].icd10 == ["J44"]
    assert "J45" in groups["astma-og-allergiforbundet"].icd10
    assert groups["kid-1520-orsta"].icd10 == ["F32", "F33"]
    assert groups["lms-kreft-st-olavs-hospital"].icd10 == []  # too broad to code with certainty
    assert groups["lms-parorende"].for_ == ["parorende"]
    for group in groups.values():
        if group.audience.startswith(("Voksne", "Vaksne")):
            assert group.age is not None and group.age.from_years == 18, group.id


# ---------------------------------------------------------------- former ids of groups (renamed groups)


def with_former_ids(text: str, ids: str) -> str:
    """An entry's text with ``former_ids`` added after its description."""
    return text.replace("    description: Kurs.\n", f"    description: Kurs.\n    former_ids: {ids}\n", 1)


def test_a_renamed_group_s_former_id_resolves_to_the_group(tmp_path):
    catalog = load_catalog(
        write_catalog(tmp_path, groups="groups:\n" + with_former_ids(GROUP, "[kolskurs-steinkjer]")), display_root=tmp_path
    )
    assert catalog.groups["kols-kurs"].former_ids == ["kolskurs-steinkjer"]
    assert catalog.resolve_group("kolskurs-steinkjer").id == "kols-kurs"
    assert catalog.resolve_group("kols-kurs").id == "kols-kurs"
    assert catalog.resolve_group("finnes-ikke") is None


@pytest.mark.parametrize("taken, where", [("legevakt-steinkjer", "services/test.yaml:2"), ("kols-kurs-2", "groups/test.yaml:14")])
def test_a_group_former_id_that_is_a_current_id_of_a_service_or_group_is_one_clear_error(tmp_path, taken, where):
    groups = "groups:\n" + with_former_ids(GROUP, f"[{taken}]") + GROUP.replace("kols-kurs", "kols-kurs-2")
    errors = load_errors(write_catalog(tmp_path, groups=groups))
    assert errors == [
        f"groups/test.yaml:{line_of(groups, 'former_ids')}: groups[0].former_ids[0]: '{taken}' er id-en til en oppføring "
        f"som finnes ({where}); en gammel id kan bare peke til én ny oppføring"
    ]


def test_a_former_id_claimed_by_two_groups_or_a_service_and_a_group_is_one_clear_error(tmp_path):
    groups = "groups:\n" + with_former_ids(GROUP, "[kolskurs]") + with_former_ids(GROUP.replace("kols-kurs", "kols-kurs-2"), "[kolskurs]")
    errors = load_errors(write_catalog(tmp_path, groups=groups))
    second = line_of(groups, "former_ids", after="kols-kurs-2")
    assert errors == [f"groups/test.yaml:{second}: groups[1].former_ids[0]: 'kolskurs' står også i former_ids til 'kols-kurs'"]
    services = SERVICES.replace("    opening_hours: 24/7\n", "    opening_hours: 24/7\n    former_ids: [kolskurs]\n")
    errors = load_errors(write_catalog(tmp_path / "b", services=services, groups="groups:\n" + with_former_ids(GROUP, "[kolskurs]")))
    assert errors == [
        f"groups/test.yaml:{line_of(with_former_ids(GROUP, '[kolskurs]'), 'former_ids') + 1}: groups[0].former_ids[0]: "
        "'kolskurs' står også i former_ids til 'legevakt-steinkjer'"
    ]
