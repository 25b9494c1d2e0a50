"""``helseinfo bench portal``: the size part reads a small built site; no timing is asserted here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.portal import api_sizes, module_sizes, size_lines
from helseinfo.build import build_site
from helseinfo.cli import main
from helseinfo.kernel.paths import PROJECT
from tests.base import make_project

#: Two municipalities' services files, written into the small site (it has no catalogue).
SERVICES = {"5006": b'{"version": 1, "services": []}', "1505": b'{"version": 1, "services": [], "municipality": "1505"}'}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portal-bench")
    build_site(root / "site", config_file=make_project(root), today="2026-11-25", verbose=False)
    services = root / "site" / "api" / "v1" / "services"
    services.mkdir()
    for number, body in SERVICES.items():
        (services / f"{number}.json").write_bytes(body)
    return root / "site"


def test_sizes_are_read_from_the_built_site_raw_and_gzip_level_6(small_site):
    module = (PROJECT / "assistant" / "widget" / "helseinfo-portal.js").read_bytes()
    assert module_sizes(small_site) == (len(module), len(gzip.compress(module, compresslevel=6)))
    sizes = api_sizes(small_site)
    api = small_site / "api" / "v1"
    listed = json.loads((api / "index.json").read_text(encoding="utf-8"))["files"]
    for name in ("codes.json", "articles/nb.json", "articles/nn.json"):
        assert sizes[name] == (listed[name]["bytes"], len(gzip.compress((api / name).read_bytes(), compresslevel=6))), name
    assert sizes["index.json"][0] == (api / "index.json").stat().st_size
    assert sizes["groups.json"] is None  # a site built without the catalogue
    lengths = sorted(len(body) for body in SERVICES.values())
    assert sizes["services"]["files"] == 2
    assert sizes["services"]["raw"] == (lengths[0], lengths[1], sum(lengths))


def test_the_report_names_every_document_type(small_site):
    lines = size_lines(module_sizes(small_site), api_sizes(small_site))
    assert lines[0].startswith("modul assets/helseinfo-portal.js:") and lines[0].endswith("innenfor")
    assert "api/v1/groups.json: finnes ikke" in lines
    assert any(line.startswith("en portalside på bokmål henter modulen") for line in lines)
    assert lines[-1].startswith("api/v1/services/<kommunenummer>.json: 2 filer")


def test_without_chromium_the_command_says_so_in_norwegian_without_a_traceback(small_site, monkeypatch):
    monkeypatch.setattr("tests.browser.CHROMIUM", "/finnes/ikke/chromium")
    result = CliRunner().invoke(main, ["bench", "portal", "--site", str(small_site), "--rounds", "1"])
    assert result.exit_code == 1
    assert "Feil: fant ikke Chromium (/finnes/ikke/chromium)" in result.output
    assert "Traceback" not in result.output
