"""The static content API under site/api/v1/: real build output, validated against the JSON
Schemas in schemas/api/v1/, and served by `helseinfo serve --built`'s handler with CORS and ETag."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helseinfo.kernel.paths import PROJECT
from services_catalog.hours import TIMEZONE as OSLO

SCHEMAS = PROJECT / "schemas" / "api" / "v1"
PORT = 8731
PORTAL = "http://127.0.0.1:8732"


def schema_for(name: str) -> str:
    """``services/5006.json`` → ``services``, ``articles/nn.json`` → ``articles``."""
    return name.split("/")[0].removesuffix(".json")


@pytest.fixture(scope="module")
def api(built_site) -> Path:
    return built_site / "api" / "v1"


def read(api: Path, name: str):
    return json.loads((api / name).read_text(encoding="utf-8"))


def test_every_written_file_is_valid_against_the_schema_of_its_document_type(api):
    files = sorted(p.relative_to(api).as_posix() for p in api.rglob("*.json"))
    assert len(files) == 1 + 1 + 1 + 2 + 65  # index, codes, groups, articles nb/nn, services of 65 municipalities
    for name in files:
        schema = json.loads((SCHEMAS / f"{schema_for(name)}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        errors = [
            f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(read(api, name))
        ]
        assert errors == []


def test_schemas_refuse_a_document_missing_a_required_field():
    schema = json.loads((SCHEMAS / "groups.schema.json").read_text(encoding="utf-8"))
    group = {"id": "x", "name": "X", "url": "tjenester/grupper/x/", "icpc2": ["T90"]}
    assert not Draft202012Validator(schema).is_valid({"version": 1, "groups": [group]})


def test_index_lists_every_file_with_its_size_and_sha256(api):
    files = read(api, "index.json")["files"]
    on_disk = sorted(p.relative_to(api).as_posix() for p in api.rglob("*.json") if p.name != "index.json")
    assert sorted(files) == on_disk
    for name, entry in files.items():
        body = (api / name).read_bytes()
        assert entry == {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def test_one_code_index_maps_icpc2_and_icd10_codes_to_groups_and_articles(api):
    codes = read(api, "codes.json")
    assert set(codes["icd10"]["E11"]["articles"]) >= {"nb/diabetes-type-2", "nn/diabetes-type-2"}
    assert "lms-diabetes-type-2-st-olavs-hospital" in codes["icd10"]["E11"]["groups"]
    assert "lms-diabetes-type-2-st-olavs-hospital" in codes["icpc2"]["T90"]["groups"]
    assert codes["icd10"]["J45"]["articles"] == ["nb/astma", "nn/astma"]
    assert "astma-og-allergiforbundet" in codes["icpc2"]["R96"]["groups"]
    assert all("nb/akutt" not in entry["articles"] for entry in codes["icpc2"].values())  # the akutt card is for everyone


def test_groups_carry_both_code_systems_and_the_audience_as_data(api):
    groups = {g["id"]: g for g in read(api, "groups.json")["groups"]}
    assert len(groups) == 37
    kid = groups["kid-5006-steinkjer"]
    assert (kid["icpc2"], kid["icd10"], kid["for"], kid["age"]) == (
        ["P76", "P03"],
        ["F32", "F33"],
        ["person"],
        {"from_years": 18, "to_years": None},
    )
    assert kid["municipalities"] == ["5006"] and kid["url"] == "tjenester/grupper/kid-5006-steinkjer/"
    assert groups["diabetesforbundet"]["municipalities"] == "all"
    assert groups["lms-parorende"]["for"] == ["parorende"]


def test_articles_carry_summary_care_card_with_levels_criteria_and_destinations_sources_review_and_codes(api):
    articles = {a["id"]: a for a in read(api, "articles/nb.json")["articles"]}
    astma = articles["nb/astma"]
    assert (astma["icpc2"], astma["icd10"], astma["translation"], astma["url"]) == (["R96"], ["J45"], "nn/astma", "nb/astma/")
    assert astma["summary"] and astma["sources"] and astma["review"]["status"] in ("draft", "approved")
    assert next(iter(astma["care_card"])) == "emergency"
    waters = articles["nb/vannavgang"]["care_card"]
    destinations = {c["destination"]["id"] for level in waters.values() for c in level if "destination" in c}
    assert "fodeavdeling" in destinations
    assert {a["language"] for a in read(api, "articles/nn.json")["articles"]} == {"nn"}


def test_articles_and_groups_list_their_former_addresses_so_a_portal_can_map_an_old_link(api, tmp_path):
    from content_model import load_library
    from services_catalog import load_catalog
    from site_builder.content_api import documents
    from tests.base import article, write_article
    from tests.test_services_catalog import GROUP, write_catalog

    assert all(a["former_slugs"] == [] for a in read(api, "articles/nb.json")["articles"])
    assert all(g["former_ids"] == [] for g in read(api, "groups.json")["groups"])
    write_article(tmp_path / "content", "nb/hodepine.md", article(former_slugs=["vondt-i-hodet"]))
    groups = "groups:\n" + GROUP.replace("    description: Kurs.\n", "    description: Kurs.\n    former_ids: [kolskurs]\n")
    catalog = load_catalog(write_catalog(tmp_path / "katalog", groups=groups), display_root=tmp_path)
    docs = documents(load_library(tmp_path / "content"), catalog)
    [hodepine] = docs["articles/nb.json"]["articles"]
    assert (hodepine["url"], hodepine["former_slugs"]) == ("nb/hodepine/", ["vondt-i-hodet"])
    [group] = docs["groups.json"]["groups"]
    assert (group["url"], group["former_ids"]) == ("tjenester/grupper/kols-kurs/", ["kolskurs"])
    for name in ("articles/nb.json", "groups.json"):
        schema = json.loads((SCHEMAS / f"{schema_for(name)}.schema.json").read_text(encoding="utf-8"))
        assert Draft202012Validator(schema).is_valid(docs[name]), name


def test_services_by_municipality_have_osm_hours_and_the_next_eight_weeks_as_intervals(api, tmp_path):
    steinkjer = read(api, "services/5006.json")
    assert steinkjer["municipality"] == {"number": "5006", "name": "Steinkjer"}
    assert {"legevakt", "sykehus"} <= {s["service_type"] for s in steinkjer["services"]}
    # The shipped catalogue gives no opening hours yet (none is known from a source); a tiny one does.
    from services_catalog import load_catalog
    from site_builder.content_api import services_documents
    from tests.test_services_catalog import SERVICES, write_catalog

    office = SERVICES.replace("    opening_hours: 24/7\n", "    opening_hours: Mo-Fr 08:00-16:00; PH off\n")
    catalog = load_catalog(write_catalog(tmp_path, services=office), display_root=tmp_path)
    now = dt.datetime(2026, 12, 2, 13, 0, tzinfo=OSLO)
    document = services_documents(catalog, now)["services/5006.json"]
    legevakt = next(s for s in document["services"] if s["service_type"] == "legevakt")
    assert (document["from"], document["until"]) == ("2026-12-02T00:00:00+01:00", "2027-01-27T00:00:00+01:00")
    assert legevakt["opening_hours"] == "Mo-Fr 08:00-16:00; PH off"
    assert legevakt["open_intervals"][0] == ["2026-12-02T08:00:00+01:00", "2026-12-02T16:00:00+01:00", "open"]
    days = [start[:10] for start, _end, _state in legevakt["open_intervals"]]
    # 8 weeks hold 40 weekdays; two are public holidays (Friday 25 December, Friday 1 January).
    assert len(days) == 40 - 2 and "2026-12-25" not in days and "2027-01-01" not in days


def test_served_api_sends_cors_for_the_configured_portal_origin_only_and_etag_with_304(built_site, monkeypatch):
    from tests.browser import serve

    monkeypatch.setenv("HELSEINFO_API_ORIGINS", PORTAL)
    with serve(built_site, PORT) as url:

        def get(path, **headers):
            try:
                with urllib.request.urlopen(urllib.request.Request(url + path, headers=headers)) as response:
                    return response.status, response.headers, response.read()
            except HTTPError as error:
                return error.code, error.headers, b""

        status, headers, body = get("api/v1/codes.json", Origin=PORTAL)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == PORTAL and headers["Vary"] == "Origin"
        assert headers["Content-Type"] == "application/json"
        assert headers["ETag"] == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        assert headers["Cache-Control"] == "public, max-age=300"
        status, headers, _ = get("api/v1/codes.json", Origin="https://evil.example")
        assert status == 200 and headers["Access-Control-Allow-Origin"] is None
        status, headers, again = get("api/v1/codes.json", Origin=PORTAL, **{"If-None-Match": headers["ETag"]})
        assert (status, again, headers["Access-Control-Allow-Origin"]) == (304, b"", PORTAL)
        status, headers, _ = get("index.html", Origin=PORTAL)
        assert status == 200 and headers["Access-Control-Allow-Origin"] is None  # CORS only for the API
