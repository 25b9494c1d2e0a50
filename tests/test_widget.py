"""The chat widget (assistant/widget/helseinfo-chat.js) in a real browser.

Gitt / Når / Så where it reads well. Most tests answer the widget's requests with
Playwright's router (``fake_assistant``): that is how a hostile, failing or silent server is
made on purpose. The conversation and keyboard tests talk to the real Rasa server and
action server (tests/conftest.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import sqlite3
import time
import uuid

import pytest

from content_model.contacts import ALWAYS, NUMBERS
from helseinfo.kernel.paths import PROJECT
from tests.browser import axe_violations, describe
from tests.services import ASSISTANT_URL, SITE_URL, say

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WIDGET = PROJECT / "assistant" / "widget" / "helseinfo-chat.js"
WEBHOOK = ASSISTANT_URL + "/webhooks/rest/webhook"
ARTICLE = "nb/feber/"
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "POST"}
XSS = '<img src=x onerror="window.__xss=1">'
STORE = "helseinfo-chat:" + ASSISTANT_URL
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
#: The national numbers every fallback shows, from the one place they live.
NATIONAL_HREFS = [NUMBERS[key].href() for key in ALWAYS]


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
    return page.evaluate(
        "() => [...document.getElementById('helseinfo-chat').shadowRoot.querySelectorAll('a')].map(a => a.getAttribute('href'))"
    )


def test_widget_script_js_and_css_together_is_within_25_kb_as_served_and_10_kb_gzipped():
    source = WIDGET.read_bytes()
    assert len(source) <= 25 * 1024  # helseinfo serve --built sends it uncompressed
    assert len(gzip.compress(source, 9)) <= 10 * 1024


def test_widget_fallback_numbers_are_the_national_numbers_of_content_model_contacts():
    """The widget cannot import Python: its NUMBERS table (dialled → printed) is checked against
    content_model/contacts.py's ALWAYS, the numbers every fallback shows."""
    source = WIDGET.read_text(encoding="utf-8")
    table = re.search(r"const NUMBERS = \{(.*?)\};", source).group(1)
    pairs = dict(re.findall(r'(\d+): "([^"]+)"', table))
    assert pairs == {NUMBERS[key].tel: NUMBERS[key].display for key in ALWAYS}
    assert "127.0.0.1" not in source  # no default assistant address (fail closed)


def test_widget_never_builds_html_from_strings():
    source = WIDGET.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


def test_every_page_of_the_built_site_has_the_widget_once(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 400
    redirects = 0
    for html in pages:
        text = html.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:  # a merged entry's old address: no script, the numbers in text
            redirects += 1
            assert "helseinfo-chat.js" not in text and "116 117" in text and "113" in text, html
            continue
        assert text.count("helseinfo-chat.js") == 1, html
    assert redirects < len(pages) / 10
    assert (built_site / "assets" / "helseinfo-chat.js").read_bytes() == WIDGET.read_bytes()
    assert f'data-server="{ASSISTANT_URL}"' in (built_site / "index.html").read_text(encoding="utf-8")
    assert 'data-lang="nn"' in (built_site / "nn" / "feber" / "index.html").read_text(encoding="utf-8")


def test_gitt_ondsinnet_bottekst_saa_vises_den_som_tekst_og_ingenting_kjoeres(page, site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fake_assistant(
        page,
        [
            {"text": XSS + " <script>window.__xss=2</script>"},
            {"text": "Velg", "buttons": [{"title": XSS, "payload": "/affirm"}]},
            {
                "custom": {
                    "type": "article",
                    "title": "<b>Fet</b>",
                    "url": "javascript:window.__xss=3",
                    "more": [
                        {"title": "Ute", "url": "https://evil.example/x"},
                        {"title": "data", "url": "data:text/html,<script>1</script>"},
                    ],
                }
            },
            {
                "custom": {
                    "type": "triage",
                    "level": "emergency",
                    "tel": '113" onclick="window.__xss=4',
                    "crisis": False,
                    "reasons": [{"text": XSS}],
                    "article": {"title": "Evil", "url": "//evil.example/"},
                    "legevakt": {"name": XSS, "phone": "javascript:alert(1)", "url": "javascript:alert(1)"},
                }
            },
            {"custom": {"type": "portal_link", "title": "Portal", "url": "http://evil.example/portal", "login_required": True}},
        ],
    )
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
    numbers = alert.get_by_role("link").all()
    assert [a.get_attribute("href") for a in numbers] == NATIONAL_HREFS + [SITE_URL]  # contacts.py's numbers, then the library
    for a, key in zip(numbers, ALWAYS):
        assert a.inner_text().startswith(NUMBERS[key].display)
    assert page.locator("#helseinfo-chat .status").inner_text() == ""  # no spinner left behind


def test_english_answers_and_norwegian_criteria_are_marked_with_their_language(page, site):
    fake_assistant(
        page,
        [
            {"text": "Call 113 (the Norwegian emergency number) now."},
            {
                "custom": {
                    "type": "triage",
                    "language": "en",
                    "level": "emergency",
                    "tel": "113",
                    "reasons": [{"article": "nn/akutt.md", "criterion": "x", "text": "Pustar ikkje"}],
                }
            },
        ],
    )
    open_chat(page)
    write(page, "my husband is not breathing")
    page.get_by_text("Call 113 (the Norwegian").wait_for()
    assert page.locator("#helseinfo-chat .msg.bot", has_text="Call 113").get_attribute("lang") == "en"
    assert page.locator("#helseinfo-chat li", has_text="Pustar ikkje").get_attribute("lang") == "nn"
    assert page.locator("#helseinfo-chat .msg.bot").first.get_attribute("lang") is None  # the widget's own nb text


def portal_page(
    page, extra_attributes: str = "", server: str | None = f'data-server="{ASSISTANT_URL}"', lang: str = "nn", styles: bool = True
) -> str:
    """A stand-in for the logged-in portal: hostile page styles and the one script tag."""
    url = SITE_URL + "portal-test/"
    hostile = (
        """<style>* { color: red !important; font-size: 40px !important; background: yellow !important; }
button { display: none !important; }</style>"""
        if styles
        else ""
    )
    html = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Portal</title>
{hostile}</head><body><main><h1>Portalen</h1>
<script src="/assets/helseinfo-chat.js" {server or ""} data-lang="{lang}" data-logged-in="true"
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
    seen = fake_assistant(
        page,
        [
            {"text": "Du kan fornye resepten i portalen."},
            {
                "custom": {
                    "type": "portal_link",
                    "task": "renew_prescription",
                    "url": "/portal/resepter/forny",
                    "title": "Fornye resept",
                    "login_required": False,
                }
            },
        ],
    )
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
    seen = fake_assistant(page, restart_replies)
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
    assert seen[2] == {"sender": seen[0]["sender"], "delete": True}  # "Ny samtale" deleted the old one
    assert seen[3]["sender"] != seen[0]["sender"]


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
    service = page.locator("#helseinfo-chat .card").last.get_by_role("link", name=re.compile("legevakt", re.IGNORECASE))
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
        if page.evaluate(
            "() => document.activeElement?.id === 'helseinfo-chat' && document.activeElement.shadowRoot.activeElement?.classList.contains('launcher')"
        ):
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


# ---- privacy: the sender id, redaction before sessionStorage, "Ny samtale" deletes (issue 13) ----


def stored(page) -> dict | None:
    """The conversation as the widget keeps it in this tab's sessionStorage."""
    raw = page.evaluate("(key) => sessionStorage.getItem(key)", STORE)
    return json.loads(raw) if raw else None


def wait_for_replies(page, n: int) -> None:
    """Until the log shows ``n`` answers besides the widget's greeting."""
    page.wait_for_function("(n) => document.getElementById('helseinfo-chat').shadowRoot.querySelectorAll('.msg.bot').length > n", arg=n)


@pytest.mark.parametrize("path", ["crypto.randomUUID", "crypto.getRandomValues"])
def test_sender_id_is_a_random_uuid_version_4_in_both_paths(page, site, path):
    """The id is the conversation's only credential: every one, from crypto.randomUUID or (in
    browsers without it) from crypto.getRandomValues with the version and variant bits set, is a
    UUIDv4, and each "Ny samtale" makes a new one."""
    if path == "crypto.getRandomValues":
        page.add_init_script("delete Crypto.prototype.randomUUID;")
    seen = fake_assistant(page, restart_replies)
    open_chat(page)
    assert page.evaluate("() => typeof crypto.randomUUID") == ("function" if path == "crypto.randomUUID" else "undefined")
    for _ in range(4):
        write(page, "hei")
        wait_for_replies(page, 1)
        page.get_by_role("button", name="Ny samtale").click()
    senders = [body["sender"] for body in seen if "message" in body]
    assert len(senders) == 4 and len(set(senders)) == 4
    assert all(UUID4.match(sender) for sender in senders), senders
    assert UUID4.match(stored(page)["sender"])


@pytest.mark.parametrize("sender", ["1715000000000a1b2c3", "4f0c2d3e-8a41-4b6a-9c1e-2f3a4b5c6d7e"])
def test_gitt_lagret_samtale_fra_eldre_versjon_saa_redigeres_den_og_id_en_er_en_uuid(page, site, sender):
    """A tab that kept a conversation from the widget before this change (text unredacted, and
    perhaps the old non-UUID id, which the assistant now refuses): a non-UUID conversation is
    dropped and a new one started; a UUID one is kept with its text redacted. Either way the
    number is gone from sessionStorage at once."""
    old = {"sender": sender, "open": True, "items": [{"from": "user", "text": "Fnr 01019012345"}]}
    page.add_init_script(f"if (!sessionStorage.length) sessionStorage.setItem({json.dumps(STORE)}, {json.dumps(json.dumps(old))});")
    seen = fake_assistant(page, [{"text": "Svar"}])
    page.goto(site + ARTICLE)
    page.locator("#helseinfo-chat .launcher, #helseinfo-chat .panel").first.wait_for(state="attached")
    assert "01019012345" not in page.evaluate("() => JSON.stringify(sessionStorage)")
    if UUID4.match(sender):
        assert stored(page)["items"][0]["text"] == "Fnr [fjernet]" and stored(page)["sender"] == sender
    else:
        assert stored(page)["items"] == [] and UUID4.match(stored(page)["sender"])
        page.get_by_role("button", name="Spør helseassistenten").click()
    write(page, "hei")
    wait_for_replies(page, 1)
    assert UUID4.match(seen[0]["sender"])


def fnr(rng: random.Random, *, kind: str = "fnr", valid: bool = True) -> str:
    """A generated fødselsnummer (D-number: day + 40, H-number: month + 40) with correct or wrong
    check digits (the format changes from 2032, so redaction must not rely on them)."""
    while True:
        day, month, year, person = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99), rng.randint(0, 999)
        day += 40 if kind == "d" else 0
        month += 40 if kind == "h" else 0
        digits = [int(c) for c in f"{day:02d}{month:02d}{year:02d}{person:03d}"]
        k1 = 11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = 11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), digits + [k1])) % 11
        k2 = 0 if k2 == 11 else k2
        if k1 < 10 and k2 < 10:
            number = "".join(map(str, digits)) + f"{k1}{k2}"
            return number if valid else number[:10] + str((int(number[10]) + 1) % 10)


def id_forms(n: str) -> list[str]:
    """Every grouping and separator people write an ID number with."""
    return [
        n,
        f"{n[:6]} {n[6:]}",
        f"{n[:6]} {n[6:9]} {n[9:]}",
        f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:]}",
        f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
        f"{n[:6]}/{n[6:]}",
        f"{n[:6]}–{n[6:]}",
        f"{n[:6]}\u00a0{n[6:]}",
        f"{n[:6]}-{n[6:]}",
        f"{n[:2]}/{n[2:4]}/{n[4:6]} {n[6:]}",
    ]


def phone_forms(p: str) -> list[str]:
    return [
        p,
        f"{p[:3]} {p[3:5]} {p[5:]}",
        f"{p[:2]} {p[2:4]} {p[4:6]} {p[6:]}",
        f"{p[:4]} {p[4:]}",
        f"+47 {p}",
        f"+47 {p[:3]} {p[3:5]} {p[5:]}",
        f"+47{p}",
        f"0047 {p}",
        f"{p[:3]}\u00a0{p[3:5]}\u00a0{p[5:]}",
    ]


def test_gitt_fnr_telefon_og_epost_saa_sendes_teksten_som_skrevet_og_fanen_lagrer_den_redigert(page, site):
    """What is sent is the text as typed (the assistant redacts before it stores); the copy in
    sessionStorage, and so what a reload shows, has every ID number (valid and invalid check
    digits, D- and H-numbers, every grouping, followed by punctuation), phone number and e-mail
    address replaced by "[fjernet]". Health details without such numbers are kept as written."""
    rng = random.Random(13)
    numbers = [
        form + punct
        for kind, valid in (("fnr", True), ("fnr", False), ("d", True), ("h", True), ("h", False))
        for form, punct in zip(id_forms(fnr(rng, kind=kind, valid=valid)), ".,!?):;.,!")
    ]
    phones = [form + punct for form, punct in zip(phone_forms(rng.choice("49") + "".join(rng.choices("0123456789", k=7))), ".....,!?)")]
    emails = ["kari.nordmann@example.no.", "ola+helse@post.eksempel.com,", "pål@sykehus.no"]
    messages = [
        " Nr ".join(["Nummeret mitt er"] + numbers),
        " Ring ".join(["Ring meg på"] + phones),
        " eller ".join(["Skriv til"] + emails),
    ]
    seen = fake_assistant(page, [{"text": "Takk"}])
    open_chat(page)
    for i, message in enumerate(messages, 1):
        write(page, message)
        wait_for_replies(page, i)
    assert [body["message"] for body in seen] == messages  # sent as typed
    kept = [item["text"] for item in stored(page)["items"] if item["from"] == "user"]
    assert kept == [
        " Nr ".join(["Nummeret mitt er"] + ["[fjernet]" + n[-1] for n in numbers]),
        " Ring ".join(["Ring meg på"] + ["[fjernet]" + p[-1] for p in phones]),
        " eller ".join(["Skriv til"] + ["[fjernet]" + (e[-1] if e[-1] in ".," else "") for e in emails]),
    ]
    everything = page.evaluate("() => JSON.stringify(sessionStorage)")
    digits_kept = re.sub(r"\D", "", everything.replace(stored(page)["sender"], ""))
    for raw in numbers + phones + emails:
        assert raw.rstrip(".,!?):;") not in everything, raw
        assert not re.search(r"\d", raw) or re.sub(r"\D", "", raw) not in digits_kept, raw
    page.reload()
    assert re.search(r"\d{3}", log(page).inner_text().replace("113", "")) is None  # what the tab shows is the kept copy

    write(page, "Jeg har hatt 38,5 i feber i 3 dager siden 01.03.2025, og ringte 113 og 116 117 kl. 14.30.")
    wait_for_replies(page, 4)
    assert stored(page)["items"][-2]["text"] == "Jeg har hatt 38,5 i feber i 3 dager siden 01.03.2025, og ringte 113 og 116 117 kl. 14.30."


def restart_replies(body):
    return {"deleted": True} if body.get("delete") else [{"text": "Svar på: " + body["message"]}]


def test_gitt_ny_samtale_saa_slettes_samtalen_hos_assistenten_for_den_avsenderen(page, site):
    seen = fake_assistant(page, restart_replies)
    open_chat(page)
    write(page, "Jeg har vondt i magen, ring meg på 91234567")
    page.get_by_text("Svar på: Jeg har vondt").wait_for()
    old = stored(page)["sender"]
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_text("Samtalen er slettet.").wait_for()
    assert seen[-1] == {"sender": old, "delete": True}  # that sender only, nothing else in the body
    now = stored(page)
    assert UUID4.match(now["sender"]) and now["sender"] != old and now["items"] == []
    assert "vondt" not in log(page).inner_text() and "vondt" not in page.evaluate("() => JSON.stringify(sessionStorage)")
    write(page, "ny")
    page.get_by_text("Svar på: ny").wait_for()
    assert seen[-1]["sender"] == now["sender"]


def test_gitt_ny_samtale_foer_noe_er_sendt_saa_sendes_ingenting(page, site):
    seen = fake_assistant(page, restart_replies)
    open_chat(page)
    page.get_by_role("button", name="Ny samtale").click()
    page.wait_for_timeout(300)
    assert seen == []


@pytest.mark.parametrize("failure", ["nede", "feil 500", "ikke slettet"])
def test_gitt_sletting_feiler_saa_sier_widgeten_det_og_sletter_likevel_i_fanen(page, site, failure):
    def handle(route):
        request = route.request
        if request.method == "OPTIONS":
            return route.fulfill(status=204, headers=CORS)
        body = json.loads(request.post_data)
        if not body.get("delete"):
            return route.fulfill(status=200, headers={**CORS, "Content-Type": "application/json"}, body=json.dumps([{"text": "Svar"}]))
        if failure == "nede":
            return route.abort("connectionrefused")
        answer, status = ({"error": "boom"}, 500) if failure == "feil 500" else ({"deleted": False}, 200)
        route.fulfill(status=status, headers={**CORS, "Content-Type": "application/json"}, body=json.dumps(answer))

    page.route(WEBHOOK, handle)
    open_chat(page)
    write(page, "hemmelig helseopplysning")
    wait_for_replies(page, 1)
    old = stored(page)["sender"]
    page.get_by_role("button", name="Ny samtale").click()
    note = page.get_by_text("Assistenten kunne ikke slette samtalen nå.")
    note.wait_for()
    assert "etter 90 dager" in note.inner_text()
    assert "hemmelig" not in log(page).inner_text()
    now = stored(page)
    assert now["sender"] != old and [item["from"] for item in now["items"]] == ["undeleted"]
    assert "hemmelig" not in page.evaluate("() => JSON.stringify(sessionStorage)")
    assert page.get_by_text("Samtalen er slettet.").count() == 0


def test_privacy_text_says_what_is_stored_where_and_for_how_long_in_each_language(page, site):
    expected = {
        "nb": ["90 dager", "«Ny samtale» sletter den straks", "Denne fanen husker samtalen", "til du lukker den"],
        "nn": ["90 dagar", "«Ny samtale» slettar han straks", "Denne fana hugsar samtalen", "til du lukkar ho"],
        "en": ["90 days", "“New conversation” deletes it at once", "This tab keeps the conversation", "until you close it"],
    }
    for lang, phrases in expected.items():
        page.goto(portal_page(page, lang=lang, styles=False))
        text = page.evaluate("() => document.getElementById('helseinfo-chat').shadowRoot.querySelector('.privacy').textContent")
        for phrase in phrases:
            assert phrase in text, (lang, phrase)
        assert "lukker fanen eller velger" not in text  # the old promise that "Ny samtale" alone deleted it


def test_gitt_ekte_assistent_naar_ny_samtale_velges_saa_er_samtalen_slettet_paa_serveren(page, site, assistant_server):
    """Through the real channel: the conversation is in the tracker store, "Ny samtale" removes
    it there, and another person's conversation (another random id) is untouched."""
    other = str(uuid.uuid4())
    say("hei", other)
    open_chat(page)
    write(page, "Hva er helvetesild?")
    page.locator("#helseinfo-chat .card").last.wait_for(timeout=60000)
    sender = stored(page)["sender"]

    def events(who: str) -> int:
        # The tracker store knows a conversation by the id or (the channel of issue 13) its SHA-256.
        ids = (who, hashlib.sha256(who.lower().encode()).hexdigest())
        with sqlite3.connect(assistant_server["db"]) as db:
            return db.execute("SELECT count(*) FROM events WHERE sender_id IN (?, ?)", ids).fetchone()[0]

    assert events(sender) > 0 and events(other) > 0
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_text("Samtalen er slettet.").wait_for(timeout=30000)
    deadline = time.time() + 10
    while events(sender) and time.time() < deadline:
        time.sleep(0.2)
    assert events(sender) == 0
    assert events(other) > 0


# ---- fail closed: no configured assistant, no chat ----


@pytest.mark.parametrize("server", [None, 'data-server=""', 'data-server="javascript:alert(1)"'])
def test_gitt_ingen_assistentadresse_saa_viser_widgeten_bare_numrene_og_biblioteket(page, site, server):
    """A widget without a configured data-server never defaults to 127.0.0.1:5005 (the visitor's
    own machine): no text field, no "Ny samtale", nothing stored, no request; only 113, 116 117,
    116 123 and the library, with axe finding nothing."""
    requests_made = []
    page.on("request", lambda request: requests_made.append((request.method, request.url)))
    page.goto(portal_page(page, server=server, lang="nb", styles=False))
    page.get_by_role("button", name="Spør helseassistenten").click()
    panel = page.locator("#helseinfo-chat .panel")
    assert panel.is_visible()
    assert "ikke tilgjengelig her" in panel.inner_text()
    assert shadow_count(page, "textarea, form, .restart, .privacy") == 0
    assert links(page) == ["tel:113"] + NATIONAL_HREFS + [SITE_URL]  # the header's "Ring 113", the fallback, the library
    assert page.evaluate("() => sessionStorage.length") == 0
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert [r for r in requests_made if r[0] != "GET" or not r[1].startswith(SITE_URL)] == []
