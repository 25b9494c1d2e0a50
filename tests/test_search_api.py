"""The site's search service (``search_index.api``) over HTTP: a real ``helseinfo search-api``
process on 127.0.0.1 with a real index; the contract's shape, the same hits as the command
line, bad input, the rate limit, the log, a new release; and ``helseinfo serve --built``."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from helseinfo.cli import main
from helseinfo.kernel.paths import PROJECT
from search_index.build import write_index
from tests.services import free_port, wait_for

CONTRACT = {"kind", "id", "title", "url", "icpc2", "municipalities"}
HELSEINFO = Path(sys.executable).parent / "helseinfo"


@contextmanager
def search_api(index: Path, log: Path, *args: str):
    """``helseinfo search-api`` in its own process, as production runs it; yields its address."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(HELSEINFO), "search-api", "--host", "127.0.0.1", "--port", str(port), "--index", str(index), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PROJECT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", 120)
        yield f"http://127.0.0.1:{port}/api/search"
    finally:
        process.terminate()
        process.wait(20)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The index of the real library and catalogue, as ``helseinfo build`` writes it."""
    from content_model import load_library
    from helseinfo.kernel.paths import CONTENT
    from search_index import build_index
    from services_catalog import load_catalog

    path = tmp_path_factory.mktemp("sok") / "var" / "search-index"
    build_index(load_library(CONTENT), load_catalog(), path)
    return path


@pytest.fixture(scope="module")
def api(index, tmp_path_factory):
    log = tmp_path_factory.mktemp("logg") / "search-api.log"
    with search_api(index, log, "--burst", "1000", "--rate", "100") as url:
        yield {"url": url, "log": log, "index": index}


def get(url: str, **params):
    return requests.get(url, params=params, timeout=30)


def cli_hits(index: Path, q: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["search", q, "--json", "--index", str(index), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["hits"]


def test_answer_is_the_cli_contract_plus_open_now_and_suggestion_only(api):
    for q in ("hodepine", "legevakt Orkanger", "kurs diabetes", "Legevak Orkanger"):
        response = get(api["url"], q=q)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        assert set(body) <= {"q", "hits", "suggestion"} and body["q"] == q and body["hits"]
        for hit in body["hits"]:
            extra = {"service_type", "open_now"} if hit["kind"] == "service" else set()
            assert CONTRACT <= set(hit) <= CONTRACT | extra
            assert hit.get("open_now", False) in (True, False)


def test_the_service_gives_the_same_hits_as_the_command_line(api):
    for q, params in [
        ("vondt i magen", {}),
        ("sykehus Midtre Gauldal", {"kind": "service"}),
        ("diabetes", {"kind": "group", "municipality": "Steinkjer"}),
        ("hovudverk", {"limit": "3"}),
    ]:
        args = [a for k, v in params.items() for a in (f"--{k}", v)]
        cli = cli_hits(api["index"], q, *args)
        served = get(api["url"], q=q, **params).json()["hits"]
        assert [{k: v for k, v in h.items() if k != "open_now"} for h in served] == cli, q


def test_a_typo_gets_a_suggestion_and_a_correct_query_none(api):
    assert get(api["url"], q="Legevak Orkanger").json()["suggestion"] == "Legevakt Orkanger"
    assert "suggestion" not in get(api["url"], q="legevakt Orkanger").json()


def test_open_now_is_given_for_services_with_readable_opening_hours(tmp_path):
    service = {"kind": "service", "service_type": "legevakt", "municipalities": "5001", "url": "x/", "text": "legevakt"}
    docs = [
        {**service, "key": f"service:{id_}", "id": id_, "title": f"Legevakt {id_}", "opening_hours": hours}
        for id_, hours in [("alltid", "24/7"), ("aldri", "off"), ("uleselig", "når det passer"), ("ukjent", None)]
    ]
    index = tmp_path / "var" / "search-index"
    write_index(docs, index)
    with search_api(index, tmp_path / "log") as url:
        hits = {h["id"]: h for h in get(url, q="legevakt").json()["hits"]}
    assert hits["alltid"]["open_now"] is True and hits["aldri"]["open_now"] is False
    assert "open_now" not in hits["uleselig"] and "open_now" not in hits["ukjent"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "vondt i magen " * 800}, "q"),  # about 10 kB
        ({"q": "legevakt", "kind": "../../etc"}, "kind"),
        ({"q": "legevakt", "kind": "tjeneste"}, "kind"),
        ({"q": "legevakt", "municipality": "Oslo"}, "municipality"),
        ({"q": "legevakt", "municipality": "9999"}, "municipality"),
        ({"q": "lege\u200bvakt"}, "q"),  # zero-width space
        ({"q": "\u202elegevakt"}, "q"),  # right-to-left override
        ({"q": "lege\x00vakt"}, "q"),
        ({"q": "\U000f0000"}, "q"),  # private use
        ({"q": "legevakt", "limit": "mange"}, "limit"),
        ({"q": "legevakt", "limit": "1000"}, "limit"),
    ],
)
def test_bad_input_gets_a_clear_norwegian_400_and_the_service_stays_up(api, params, code):
    response = get(api["url"], **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code
    assert body["message"].startswith("Kan ikke søke: ") and "113" in body["message"] and "Traceback" not in body["message"]
    assert get(api["url"], q="legevakt").status_code == 200


@pytest.mark.parametrize("raw", ["q=%ff%fe", "q=a&q=b", "q=legevakt&" + "&".join(f"x{i}=1" for i in range(30))])
def test_an_address_that_cannot_be_read_gets_a_400(api, raw):
    response = requests.get(f"{api['url']}?{raw}", timeout=30)
    assert response.status_code == 400 and response.json()["error"] == "query"


def test_another_path_or_method_gets_json_in_norwegian(api):
    root = api["url"].rsplit("/api/search", 1)[0]
    for response in (
        requests.post(api["url"], data="q=feber", timeout=30),
        requests.get(root + "/api/sok", timeout=30),
        requests.get(root + "/../../etc/passwd", timeout=30),
    ):
        assert response.status_code in (404, 405) and response.json()["error"] == "request"
        assert "GET /api/search" in response.json()["message"]
    assert get(api["url"], q="feber").status_code == 200


def test_no_query_and_no_address_is_logged(api):
    secret = "Kari Nordmann 01019912345 har vondt i magen"
    assert get(api["url"], q=secret).status_code == 200
    assert get(api["url"], q=secret, kind="../../etc").status_code == 400
    time.sleep(0.5)
    log = api["log"].read_text(encoding="utf-8")
    assert "søk: status 200" in log and "søk: status 400" in log
    for word in ("Nordmann", "01019912345", "magen", "etc", "q="):
        assert word not in log


def test_too_many_searches_from_one_address_get_a_norwegian_429(index, tmp_path):
    with search_api(index, tmp_path / "log", "--burst", "5", "--rate", "1") as url:
        statuses = [get(url, q="feber").status_code for _ in range(8)]
        assert statuses[:5] == [200] * 5 and statuses[-1] == 429
        body = get(url, q="feber").json()
        assert body["error"] == "rate_limited" and "vent litt" in body["message"] and "113" in body["message"]
        time.sleep(2.2)
        assert get(url, q="feber").status_code == 200  # the bucket fills again


def test_a_new_release_of_the_index_is_searched_without_a_restart(tmp_path):
    doc = {"key": "article:nb/a", "kind": "article", "id": "nb/a", "url": "nb/a/", "title": "Feber", "text": "feber"}
    index = tmp_path / "var" / "search-index"
    write_index([doc], index)
    with search_api(index, tmp_path / "log") as url:
        assert [h["id"] for h in get(url, q="feber").json()["hits"]] == ["nb/a"]
        write_index([{**doc, "key": "article:nb/b", "id": "nb/b", "url": "nb/b/"}], index)
        assert [h["id"] for h in get(url, q="feber").json()["hits"]] == ["nb/b"]


def test_no_index_is_a_clear_error_at_start(tmp_path):
    result = subprocess.run(
        [str(HELSEINFO), "search-api", "--index", str(tmp_path / "ingen")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT,
        check=False,
    )
    assert result.returncode == 1 and "fant ingen søkeindeks" in result.stderr and "Traceback" not in result.stderr


def test_serve_built_answers_the_search_service_beside_the_site(index, tmp_path):
    """``helseinfo serve --built`` serves /api/search from the index published beside the site."""
    from tests.browser import serve

    site = index.parent.parent / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    with serve(site, free_port()) as root:
        answer = requests.get(root + "api/search", params={"q": "legevakt Orkanger"}, timeout=30)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
        assert answer.json()["hits"][0]["id"] == cli_hits(index, "legevakt Orkanger")[0]["id"]
        bad = requests.get(root + "api/search", params={"q": "x", "kind": "../../etc"}, timeout=30)
        assert bad.status_code == 400 and bad.json()["error"] == "kind"
        assert "Content-Security-Policy" in bad.headers or "X-Content-Type-Options" in bad.headers
        assert requests.get(root, timeout=30).status_code == 200
