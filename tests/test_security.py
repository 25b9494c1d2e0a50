"""The site's security headers (site_builder/security.py): a CSP that allows nothing inline
but the exact scripts Material writes, written by the build and sent by ``serve --built``."""

from __future__ import annotations

import base64
import hashlib
import re

import requests

from site_builder.security import (
    STATIC_HEADERS,
    content_security_policy,
    inline_script_hashes,
    read_headers,
    write_headers,
)
from tests.browser import serve
from tests.services import ASSISTANT_URL, free_port


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_only_executable_inline_scripts_are_hashed():
    html = (
        "<script>var a = 1;</script>"
        '<script src="x.js"></script>'
        '<script type="application/json" id="__config">{"a": 1}</script>'
        '<script type="application/ld+json">{"@context": "https://schema.org"}</script>'
        "<script>  </script>"
    )
    assert inline_script_hashes(html) == {sha("var a = 1;")}


def test_policy_allows_nothing_inline_and_connects_only_to_the_assistant():
    csp = content_security_policy({sha("x")}, "https://assistent.example.no/webhooks/rest/")
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self' " + sha("x")
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self' https://assistent.example.no"
    assert "unsafe" not in csp
    assert content_security_policy(set()).startswith("default-src 'none'; script-src 'self'; ")


def test_search_service_on_the_sites_own_path_adds_nothing_and_on_another_origin_exactly_that_origin():
    def connect(search_api: str) -> str:
        csp = content_security_policy(set(), "https://assistent.example.no", search_api)
        return dict(d.split(" ", 1) for d in csp.split("; "))["connect-src"]

    assert connect("/api/search") == "'self' https://assistent.example.no"
    assert connect("") == "'self' https://assistent.example.no"
    assert connect("https://sok.example.no/api/search") == "'self' https://assistent.example.no https://sok.example.no"
    assert connect("https://assistent.example.no/api/search") == "'self' https://assistent.example.no"


def test_headers_file_round_trips_and_defaults_to_the_static_headers(tmp_path):
    assert read_headers(tmp_path) == STATIC_HEADERS
    headers = {**STATIC_HEADERS, "Content-Security-Policy": "default-src 'none'"}
    write_headers(tmp_path, headers)
    assert read_headers(tmp_path) == headers


def test_built_site_csp_covers_every_inline_script_of_every_page(built_site):
    csp = read_headers(built_site)["Content-Security-Policy"]
    allowed = set(re.findall(r"'sha256-[^']+'", csp))
    assert f"connect-src 'self' {ASSISTANT_URL}" in csp
    for page in built_site.rglob("*.html"):
        assert inline_script_hashes(page.read_text(encoding="utf-8")) <= allowed, page


def test_serve_built_sends_the_headers_the_build_wrote(built_site):
    with serve(built_site, free_port()) as url:
        for path in ("", "nb/feber/", "finnes-ikke/", "assets/helseinfo-chat.js"):
            response = requests.get(url + path, timeout=10)
            assert response.headers["Content-Security-Policy"] == read_headers(built_site)["Content-Security-Policy"], path
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "Set-Cookie" not in response.headers
