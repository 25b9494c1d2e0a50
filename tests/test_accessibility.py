"""Universal design, tested in a real browser: axe-core over every page type and every state of
the chat widget, html-validate over every built page, reflow at 320 px, and screenshots.

The rules are WCAG 2.0 and 2.1 level A and AA (the Norwegian regulation's 47 criteria) plus
axe's best practices; the rules switched off, each with its reason, are in tests/browser.py
(AXE_DISABLED, HTML_VALIDATE_OFF). Screenshots of the main pages at 320 and 1280 px are
written to test-results/screenshots/ for review.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.browser import HTML_VALIDATE, HTML_VALIDATE_CONFIG, SCREENSHOTS, axe_violations, describe
from tests.services import SITE_URL
from tests.test_widget import WEBHOOK, fake_assistant, open_chat, write

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

#: One page of every type the site has.
PAGE_TYPES = {
    "forside": "",
    "akutt": "nb/akutt/",
    "artikkel-bokmaal": "nb/feber/",
    "artikkel-nynorsk": "nn/feber/",
    "tilstand": "nb/diabetes-type-2/",
    "biblioteket": "nb/",
    "kommune": "tjenester/kommune/5006-steinkjer/",
    "tjeneste": "tjenester/tjeneste/legevakt-steinkjer/",
    "gruppe": "tjenester/grupper/diabetesforbundet/",
    "oversikt": "tjenester/",
    "om": "om/",
    "tilgjengelighet": "om/tilgjengelighet/",
    "ikke-funnet": "finnes-ikke/",
}

#: Replies of every type the widget renders: the widget state "mid-conversation".
EVERY_REPLY = [
    {"text": "Ring 113 nå. Det du skrev passer med tegn på hjerteinfarkt."},
    {
        "custom": {
            "type": "triage",
            "level": "emergency",
            "tel": "113",
            "crisis": True,
            "uncertain": False,
            "language": "nb",
            "reasons": [
                {"article": "nb/brystsmerter.md", "criterion": "brystsmerter-med-tegn", "text": "Brystsmerter som stråler ut i armen"}
            ],
            "article": {"title": "Brystsmerter", "url": SITE_URL + "nb/brystsmerter/"},
            "legevakt": {
                "id": "legevakt-steinkjer",
                "name": "Legevakt Steinkjer",
                "phone": "116 117",
                "url": SITE_URL + "tjenester/tjeneste/legevakt-steinkjer/",
            },
        }
    },
    {
        "text": "Er barnet under 3 måneder?",
        "buttons": [
            {"title": "Ja", "payload": "/affirm"},
            {"title": "Nei", "payload": "/deny"},
            {"title": "Vet ikke", "payload": "/dont_know"},
        ],
    },
    {
        "custom": {
            "type": "services",
            "municipality": "5006",
            "items": [
                {
                    "id": "legevakt-steinkjer",
                    "name": "Legevakt Steinkjer",
                    "service_type": "legevakt",
                    "phone": "116 117",
                    "open_now": True,
                    "url": SITE_URL + "tjenester/tjeneste/legevakt-steinkjer/",
                    "verified": False,
                }
            ],
        }
    },
    {
        "custom": {
            "type": "groups",
            "items": [
                {
                    "id": "diabetesforbundet",
                    "name": "Diabetesforbundet",
                    "format": "both",
                    "referral": False,
                    "municipalities": "all",
                    "signup": {"text": "Se nettsiden", "url": None},
                    "url": SITE_URL + "tjenester/grupper/diabetesforbundet/",
                    "verified": False,
                }
            ],
        }
    },
    {
        "custom": {
            "type": "article",
            "id": "nb/helvetesild",
            "title": "Helvetesild",
            "url": SITE_URL + "nb/helvetesild/",
            "more": [{"id": "nb/vannkopper", "title": "Vannkopper", "url": SITE_URL + "nb/vannkopper/"}],
        }
    },
    {
        "custom": {
            "type": "portal_link",
            "task": "renew_prescription",
            "url": "/portal/resepter/forny",
            "title": "Fornye resept",
            "login_required": True,
        }
    },
]


def assert_no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}:\n{describe(violations)}"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_nothing_on_each_page_type(page, site, name):
    page.goto(site + PAGE_TYPES[name])
    page.get_by_role("button", name="Spør helseassistenten").wait_for()
    assert_no_violations(page, name)


def test_axe_finds_nothing_on_search_results(page, site):
    page.goto(site + "nb/")
    page.get_by_role("textbox", name="Søk").first.click()
    page.keyboard.type("feber")
    page.locator(".md-search-result__item").first.wait_for()
    assert_no_violations(page, "søk")


@pytest.mark.parametrize("state", ["lukket", "åpen", "venter på svar", "midt i samtale", "feil"])
def test_axe_finds_nothing_in_each_widget_state(page, site, state):
    if state == "feil":
        page.route(WEBHOOK, lambda route: route.abort("connectionrefused"))
    elif state == "venter på svar":
        page.route(WEBHOOK, lambda route: None)  # never answered while axe looks
    else:
        fake_assistant(page, EVERY_REPLY)
    page.goto(site + "nb/feber/")
    if state != "lukket":
        open_chat(page, "nb/feber/")
    if state in ("midt i samtale", "feil"):
        write(page, "Jeg har vondt i brystet")
        page.locator("#helseinfo-chat .card, #helseinfo-chat [role=alert]").first.wait_for()
    if state == "venter på svar":
        write(page, "Jeg har vondt i brystet")
        page.get_by_text("Assistenten skriver").wait_for()
    assert_no_violations(page, state)


@pytest.mark.parametrize("width", [320, 1280])
def test_pages_reflow_without_sideways_scrolling_and_screenshots_are_written(browser, site, width):
    """WCAG 1.4.10: 320 CSS px is 1280 px at 400 % zoom. Widget open on the article page;
    axe again on the small-screen layout."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 800 if width > 320 else 640})
    page = context.new_page()
    fake_assistant(page, EVERY_REPLY)
    try:
        for name in ("forside", "akutt", "artikkel-bokmaal", "artikkel-nynorsk", "kommune", "oversikt", "gruppe", "tilgjengelighet"):
            page.goto(site + PAGE_TYPES[name])
            page.get_by_role("button", name="Spør helseassistenten").wait_for()
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} ved {width} px: {overflow} px for bred"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=width == 1280)
            if width == 320:  # the small-screen layout is another page as far as axe is concerned
                assert_no_violations(page, f"{name} ved 320 px")
        open_chat(page, "nb/feber/")
        write(page, "Jeg har vondt i brystet")
        page.locator("#helseinfo-chat .card").first.wait_for()
        panel = page.locator("#helseinfo-chat .panel").bounding_box()
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width
        assert page.evaluate(
            "() => { const l = document.getElementById('helseinfo-chat').shadowRoot.querySelector('.log'); return l.scrollWidth <= l.clientWidth; }"
        )
        assert_no_violations(page, f"assistenten ved {width} px")
        page.screenshot(path=str(SCREENSHOTS / f"assistent-{width}.png"))
    finally:
        context.close()


def test_html_validate_finds_no_errors_in_any_built_page(built_site, tmp_path):
    config = tmp_path / "htmlvalidate.json"
    config.write_text(json.dumps(HTML_VALIDATE_CONFIG))
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    result = subprocess.run([str(HTML_VALIDATE), "--config", str(config), "--formatter", "json", *pages], capture_output=True, text=True)
    report = json.loads(result.stdout or "[]")
    errors = [f"{r['filePath']}:{m['line']}: {m['ruleId']}: {m['message']}" for r in report for m in r["messages"] if m["severity"] == 2]
    assert errors == [], "\n".join(errors[:30])
    assert result.returncode == 0, result.stderr
