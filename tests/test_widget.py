"""The chat widget (assistant/widget/helseinfo-chat.js) in a real browser.

Gitt / Når / Så where it reads well. Most tests answer the widget's requests with
Playwright's router (``fake_assistant``): that is how a hostile, failing or silent server is
made on purpose. The conversation and keyboard tests talk to the real Rasa server and
action server (tests/conftest.py).
"""
from __future__ import annotations

import gzip
import json
import re

import pytest

from helseinfo.paths import PROJECT
from tests.services import ASSISTANT_URL, SITE_URL

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WIDGET = PROJECT / "assistant" / "widget" / "helseinfo-chat.js"
WEBHOOK = ASSISTANT_URL + "/webhooks/rest/webhook"
ARTICLE = "nb/feber/"
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "POST"}
XSS = '<img src=x onerror="window.__xss=1">'


def fake_assistant(page, replies, status: int = 200) -> list[dict]:
    """Answer the widget's POSTs with ``replies`` (a list, or a function of the request body).
    Returns the request bodies, in order."""
    seen: list[dict] = []

    def handle(route):
        request = route.request
        if request.method == "OPTIONS":
            return route.fulfill(status=204, headers=CORS)
        body = json.loads(request.post_data or "{}")
        seen.append(body)
        answer = replies(body) if callable(replies) else replies
        route.fulfill(status=status, headers={**CORS, "Content-Type": "application/json"}, body=json.dumps(answer))

    page.route(WEBHOOK, handle)
    return seen


def open_chat(page, path: str = ARTICLE, site: str = SITE_URL):
    page.goto(site + path)
    page.get_by_role("button", name="Spør helseassistenten").click()
    return page.locator("#helseinfo-chat textarea")


def write(page, text: str) -> None:
    field = page.locator("#helseinfo-chat textarea")
    field.fill(text)
    field.press("Enter")


def log(page):
    return page.locator("#helseinfo-chat .log")


def shadow_count(page, selector: str) -> int:
    return page.evaluate("(s) => document.getElementById('helseinfo-chat').shadowRoot.querySelectorAll(s).length", selector)


def links(page) -> list[str]:
    return page.evaluate("() => [...document.getElementById('helseinfo-chat').shadowRoot.querySelectorAll('a')].map(a => a.getAttribute('href'))")


def test_widget_script_is_under_25_kb_gzipped_js_and_css_together():
    assert len(gzip.compress(WIDGET.read_bytes(), 9)) <= 25 * 1024


def test_widget_never_builds_html_from_strings():
    source = WIDGET.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


def test_every_page_of_the_built_site_has_the_widget_once(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 400
    for html in pages:
        text = html.read_text(encoding="utf-8")
        assert text.count("helseinfo-chat.js") == 1, html
    assert (built_site / "assets" / "helseinfo-chat.js").read_bytes() == WIDGET.read_bytes()
    assert f'data-server="{ASSISTANT_URL}"' in (built_site / "index.html").read_text(encoding="utf-8")
    assert 'data-lang="nn"' in (built_site / "nn" / "feber" / "index.html").read_text(encoding="utf-8")


def test_gitt_ondsinnet_bottekst_saa_vises_den_som_tekst_og_ingenting_kjoeres(page, site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fake_assistant(page, [
        {"text": XSS + " <script>window.__xss=2</script>"},
        {"text": "Velg", "buttons": [{"title": XSS, "payload": "/affirm"}]},
        {"custom": {"type": "article", "title": "<b>Fet</b>", "url": "javascript:window.__xss=3",
                    "more": [{"title": "Ute", "url": "https://evil.example/x"}, {"title": "data", "url": "data:text/html,<script>1</script>"}]}},
        {"custom": {"type": "triage", "level": "emergency", "tel": "113\" onclick=\"window.__xss=4", "crisis": False,
                    "reasons": [{"text": XSS}], "article": {"title": "Evil", "url": "//evil.example/"},
                    "legevakt": {"name": XSS, "phone": "javascript:alert(1)", "url": "javascript:alert(1)"}}},
        {"custom": {"type": "portal_link", "title": "Portal", "url": "http://evil.example/portal", "login_required": True}},
    ])
    open_chat(page)
    write(page, "hei")
    page.get_by_text("Evil").wait_for()
    page.locator("#helseinfo-chat .choices button").first.click()  # clicking hostile button text runs nothing either
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    assert shadow_count(page, "img, script, b, iframe, object") == 0
    assert XSS in log(page).inner_text()  # shown literally, as text
    hrefs = links(page)
    assert all(h.startswith(("tel:", SITE_URL)) for h in hrefs), hrefs
    assert "tel:113" in hrefs
    assert not any("evil" in h or "javascript" in h or h.startswith("data:") for h in hrefs)


def test_gitt_brukeren_skriver_html_saa_vises_den_som_tekst(page, site):
    seen = fake_assistant(page, [{"text": "Takk"}])
    open_chat(page)
    write(page, XSS)
    page.get_by_text("Takk").wait_for()
    assert seen[0]["message"] == XSS
    assert XSS in log(page).inner_text()
    assert shadow_count(page, "img") == 0 and page.evaluate("() => window.__xss") is None


@pytest.mark.parametrize("failure", ["nede", "feil 500", "tomt svar", "ikke JSON"])
def test_gitt_assistenten_svarer_ikke_saa_faar_personen_numrene_og_biblioteket(page, site, failure):
    if failure == "nede":
        page.route(WEBHOOK, lambda route: route.abort("connectionrefused"))
    elif failure == "feil 500":
        fake_assistant(page, {"error": "boom"}, status=500)
    elif failure == "tomt svar":
        fake_assistant(page, [])
    else:
        page.route(WEBHOOK, lambda route: route.fulfill(status=200, headers=CORS, body="<html>proxy</html>"))
    open_chat(page)
    write(page, "jeg har vondt i hodet")
    alert = page.locator("#helseinfo-chat [role=alert]")
    alert.wait_for()
    assert "svarer ikke" in alert.inner_text()
    hrefs = links(page)
    for number in ("tel:113", "tel:116117", "tel:116123"):
        assert number in hrefs
    assert SITE_URL in hrefs  # the library
    assert page.locator("#helseinfo-chat .status").inner_text() == ""  # no spinner left behind


def test_english_answers_and_norwegian_criteria_are_marked_with_their_language(page, site):
    fake_assistant(page, [{"text": "Call 113 (the Norwegian emergency number) now."},
                          {"custom": {"type": "triage", "language": "en", "level": "emergency", "tel": "113",
                                      "reasons": [{"article": "nn/akutt.md", "criterion": "x", "text": "Pustar ikkje"}]}}])
    open_chat(page)
    write(page, "my husband is not breathing")
    page.get_by_text("Call 113 (the Norwegian").wait_for()
    assert page.locator("#helseinfo-chat .msg.bot", has_text="Call 113").get_attribute("lang") == "en"
    assert page.locator("#helseinfo-chat li", has_text="Pustar ikkje").get_attribute("lang") == "nn"
    assert page.locator("#helseinfo-chat .msg.bot").first.get_attribute("lang") is None  # the widget's own nb text


def portal_page(page, extra_attributes: str = "") -> str:
    """A stand-in for the logged-in portal: hostile page styles and the one script tag."""
    url = SITE_URL + "portal-test/"
    html = f"""<!doctype html><html lang="nn"><head><meta charset="utf-8"><title>Portal</title>
<style>* {{ color: red !important; font-size: 40px !important; background: yellow !important; }}
button {{ display: none !important; }}</style></head><body><main><h1>Portalen</h1>
<script src="/assets/helseinfo-chat.js" data-server="{ASSISTANT_URL}" data-lang="nn" data-logged-in="true"
 data-municipality="5006" {extra_attributes}></script></main></body></html>"""
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    return url


def test_gitt_assistenten_henger_saa_gir_widgeten_opp_etter_tidsgrensen(page, site):
    page.route(WEBHOOK, lambda route: None)  # never answered
    page.goto(portal_page(page, 'data-timeout="1500"'))
    page.get_by_role("button", name="Spør helseassistenten").click()
    write(page, "hei")
    page.locator("#helseinfo-chat [role=alert]").wait_for(timeout=5000)
    assert "svarar ikkje" in page.locator("#helseinfo-chat [role=alert]").inner_text()


def test_portal_embedding_with_one_script_tag_is_isolated_and_sends_metadata(page, site):
    seen = fake_assistant(page, [{"text": "Du kan fornye resepten i portalen."},
                                 {"custom": {"type": "portal_link", "task": "renew_prescription", "url": "/portal/resepter/forny",
                                             "title": "Fornye resept", "login_required": False}}])
    page.goto(portal_page(page))
    launcher = page.get_by_role("button", name="Spør helseassistenten")
    assert launcher.is_visible()  # the host's "button { display: none }" does not reach in
    style = launcher.evaluate("b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color, s.fontSize]; }")
    assert style == ["rgb(29, 59, 143)", "rgb(255, 255, 255)", "16px"]
    launcher.click()
    assert page.locator("#helseinfo-chat label").inner_text() == "Skriv spørsmålet ditt"
    write(page, "eg må fornye resepten")
    page.get_by_role("link", name="Fornye resept").wait_for()
    assert seen[0]["metadata"] == {"language": "nn", "logged_in": True, "municipality": "5006"}
    assert links(page)[-1] == SITE_URL + "portal/resepter/forny"  # relative portal path, same origin


def test_gitt_samtale_naar_siden_lastes_paa_nytt_saa_fortsetter_samme_samtale(page, site):
    seen = fake_assistant(page, lambda body: [{"text": "Svar på: " + body["message"]}])
    open_chat(page)
    write(page, "første")
    page.get_by_text("Svar på: første").wait_for()
    page.reload()
    assert page.locator("#helseinfo-chat .panel").is_visible()  # still open
    page.get_by_text("Svar på: første").wait_for()
    write(page, "andre")
    page.get_by_text("Svar på: andre").wait_for()
    assert seen[0]["sender"] == seen[1]["sender"]
    page.get_by_role("button", name="Ny samtale").click()
    assert "første" not in log(page).inner_text()
    write(page, "tredje")
    page.get_by_text("Svar på: tredje").wait_for()
    assert seen[2]["sender"] != seen[0]["sender"]


def test_gitt_ventende_svar_naar_ny_samtale_velges_saa_starter_den_nye_straks(page, site):
    requests_seen = []

    def handle(route):
        if route.request.method == "OPTIONS":
            return route.fulfill(status=204, headers=CORS)
        requests_seen.append(json.loads(route.request.post_data))
        if len(requests_seen) > 1:  # the first request is left hanging
            route.fulfill(status=200, headers={**CORS, "Content-Type": "application/json"}, body=json.dumps([{"text": "Nytt svar"}]))

    page.route(WEBHOOK, handle)
    open_chat(page)
    with page.expect_request(lambda request: request.method == "POST"):
        write(page, "gammel")
    page.get_by_role("button", name="Ny samtale").click()
    write(page, "ny")
    page.get_by_text("Nytt svar").wait_for()
    assert "gammel" not in log(page).inner_text()
    assert page.locator("#helseinfo-chat [role=alert]").count() == 0  # the aborted request is not an outage
    assert requests_seen[0]["sender"] != requests_seen[1]["sender"]


def test_csp_is_sent_allows_the_widget_and_blocks_inline_scripts(page, site):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(site + ARTICLE)
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert f"connect-src 'self' {ASSISTANT_URL}" in csp
    for path in ("", "nn/feber/", "tjenester/", "tjenester/kommune/5006-steinkjer/", "finnes-ikke/"):
        page.goto(site + path)
        page.get_by_role("button", name="Spør helseassistenten").wait_for()
    assert violations == []
    # The widget's styles apply under the CSP (a constructed style sheet, not inline CSS).
    background = page.get_by_role("button", name="Spør helseassistenten").evaluate("b => getComputedStyle(b).backgroundColor")
    assert background == "rgb(29, 59, 143)"
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inline") is None
    assert any("Content Security Policy" in v for v in violations)


def test_gitt_ekte_assistent_en_hel_samtale_gjennom_widgeten(page, site, assistant_server):
    open_chat(page)
    write(page, "Mannen min har vondt i brystet som stråler ut i venstre arm og er kaldsvett")
    card = page.locator("#helseinfo-chat .card.emergency")
    card.wait_for(timeout=60000)
    bot_texts = page.locator("#helseinfo-chat .msg.bot").all_inner_texts()
    assert re.search(r"Ring 113", bot_texts[1])  # [0] is the widget's greeting
    assert card.get_by_role("link", name="Ring 113").get_attribute("href") == "tel:113"
    assert "Dette passet med det du skrev:" in card.inner_text() and card.locator("li").count() >= 1  # the matched criteria
    write(page, "Hva er helvetesild?")
    article = page.locator("#helseinfo-chat .card").last.get_by_role("link", name=re.compile("Helvetesild"))
    article.wait_for(timeout=60000)
    assert article.get_attribute("href") == SITE_URL + "nb/helvetesild/"
    write(page, "hvor er legevakten i Steinkjer")
    service = page.locator("#helseinfo-chat .card").last.get_by_role("link", name=re.compile("Legevakt"))
    service.first.wait_for(timeout=60000)
    assert service.first.get_attribute("href").startswith(SITE_URL + "tjenester/tjeneste/")
    article_href = page.locator("#helseinfo-chat a", has_text="Helvetesild").first
    article_href.click()
    page.wait_for_url(SITE_URL + "nb/helvetesild/")
    assert page.locator("h1").first.inner_text().startswith("Helvetesild")
    assert "stråler" in log(page).inner_text()  # the conversation came along to the next page


def test_gitt_bare_tastatur_naar_barn_har_feber_saa_kan_hele_samtalen_foeres(page, site, assistant_server):
    page.goto(site + ARTICLE)
    for _ in range(300):  # Tab through the page until the launcher has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.id === 'helseinfo-chat' && document.activeElement.shadowRoot.activeElement?.classList.contains('launcher')"):
            break
    else:
        pytest.fail("kom aldri til assistentknappen med Tab")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert active_tag(page) == "TEXTAREA"
    page.keyboard.type("Barnet mitt har feber")
    page.keyboard.press("Enter")
    page.locator("#helseinfo-chat .choices button").first.wait_for(timeout=60000)
    page.wait_for_function("() => document.getElementById('helseinfo-chat').shadowRoot.activeElement?.textContent === 'Ja'")
    assert focus_is_visible(page)
    assert "under 3 måneder" in log(page).inner_text()
    page.keyboard.press("Space")  # "Ja": the baby is under 3 months
    card = page.locator("#helseinfo-chat .card.urgent")
    card.wait_for(timeout=60000)
    assert card.get_by_role("link", name="Ring 116 117").get_attribute("href") == "tel:116117"
    page.wait_for_function("() => document.getElementById('helseinfo-chat').shadowRoot.activeElement?.tagName === 'TEXTAREA'")
    page.keyboard.press("Escape")
    assert not page.locator("#helseinfo-chat .panel").is_visible()
    assert page.evaluate("() => document.getElementById('helseinfo-chat').shadowRoot.activeElement?.classList.contains('launcher')")


def active_tag(page) -> str:
    return page.evaluate("() => document.getElementById('helseinfo-chat').shadowRoot.activeElement?.tagName")


def focus_is_visible(page) -> bool:
    """The focused control inside the widget shows its focus outline (WCAG 2.4.7)."""
    return page.evaluate("""() => {
        const el = document.getElementById('helseinfo-chat').shadowRoot.activeElement;
        const s = el && getComputedStyle(el);
        return Boolean(s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2);
    }""")
