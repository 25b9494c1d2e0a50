"""Real Chromium for the browser tests, and the npm test tools (axe-core, html-validate).

Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by
``scripts/install-test-services.sh``); no browser is ever downloaded. The npm tools come from
``package-lock.json`` through ``npm ci`` in the same script.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

from helseinfo.kernel.paths import PROJECT
from helseinfo.serve import served

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: No background connections (the machine has no internet), no GPU, no first-run dialogs.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
NODE_MODULES = PROJECT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
HTML_VALIDATE = NODE_MODULES / ".bin" / "html-validate"
SCREENSHOTS = PROJECT / "test-results" / "screenshots"

#: WCAG 2.0 and 2.1, levels A and AA (the 47 criteria of the Norwegian regulation), plus
#: axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: Rules switched off, each with its reason. Keep this short: fix the page instead.
AXE_DISABLED: dict[str, str] = {}

#: html-validate's recommended rules, less these, each with its reason.
HTML_VALIDATE_OFF = {
    "no-trailing-whitespace": "style only: Material's templates leave trailing spaces, which HTML ignores",
    "doctype-style": "style only: Material writes <!doctype html> in lower case, which is valid HTML",
    "valid-autocomplete": "Material sets autocomplete=off on its menu and search toggles (checkboxes) so that "
    "browsers do not restore a menu's open state; it has no effect on what users type",
    "wcag/h32": "H32 is a sufficient technique, not a requirement: Material's search form searches as you type and needs no submit button",
    "long-title": "a search-engine style rule: titles are the full names of services and groups plus the site name",
}
HTML_VALIDATE_CONFIG = {
    "extends": ["html-validate:recommended"],
    "rules": {
        **{rule: "off" for rule in HTML_VALIDATE_OFF},
        # HTML5 allows any id without spaces; Material's ids begin with "__" (e.g. "__drawer").
        "valid-id": ["error", {"relaxed": True}],
    },
}


def chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} mangler: kjør scripts/install-test-services.sh"
    if not AXE.exists():
        return f"{AXE} mangler: kjør scripts/install-test-services.sh (npm ci)"
    return None


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve(site: Path, port: int):
    """The built site, served by ``helseinfo serve --built``'s handler (with its headers)."""
    with served(site, port) as url:
        yield url


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (open Shadow DOM included)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # devtools evaluation: not subject to the page's CSP
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": {rule: {"enabled": False} for rule in AXE_DISABLED}}
    return page.evaluate("async (options) => (await axe.run(document, options)).violations", options)


def describe(violations: list[dict]) -> str:
    """One line per violation and node: rule, impact, target, and axe's summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)
