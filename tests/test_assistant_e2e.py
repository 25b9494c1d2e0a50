"""End to end: the real Rasa server and action server over HTTP on 127.0.0.1.

Gitt / Når / Så: each test is a short conversation through the REST channel, the contract
in ARCHITECTURE.md. The servers are the session's (tests/conftest.py); the model is trained first if its data
changed (Rasa's fingerprint).
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
import requests

from assistant.channel import conversation_id
from tests.services import ACTION_PORT, ASSISTANT_PORT, ASSISTANT_URL, say

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PORT, ACTION_PORT = ASSISTANT_PORT, ACTION_PORT
URL = ASSISTANT_URL
ALLOWED_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def server(assistant_server):
    return assistant_server


def payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def all_text(messages: list[dict]) -> str:
    return " ".join(m.get("text", "") for m in messages)


def test_gitt_hilsen_naar_bruker_sier_hei_saa_svarer_assistenten_med_113(server):
    messages = say("hei")
    assert "113" in all_text(messages)


def test_gitt_hjerteinfarkttegn_naar_bruker_skriver_saa_er_ring_113_foerst(server):
    messages = say("Jeg har vondt i brystet og det stråler ut i venstre arm, og jeg er kaldsvett")
    assert messages[0]["text"].startswith("Ring 113")
    [triage] = payloads(messages, "triage")
    assert triage["level"] == "emergency" and triage["tel"] == "113"
    assert any(r["criterion"] == "brystsmerter-med-tegn" for r in triage["reasons"])


def test_gitt_selvmordstanker_saa_faar_personen_113_116123_og_legevakt_i_samme_svar(server):
    messages = say("jeg orker ikke mer og tenker på selvmord", municipality="5006")
    first = messages[0]["text"]  # from the domain, before any action runs
    for number in ("113", "116 123", "22 40 00 40", "116 117"):
        assert number in first
    assert payloads(messages, "numbers")[0]["reason"] == "crisis"
    assert "Legevakten for Steinkjer" in all_text(messages)  # the action's explanation, after
    assert payloads(messages, "triage")[0]["crisis"] is True


def test_gitt_en_annen_samtale_naar_roedt_flagg_kommer_midt_i_saa_gaar_113_foran(server):
    sender = str(uuid.uuid4())
    first = say("hvor er legevakten?", sender)
    assert "kommune" in all_text(first).lower()
    flagged = say("mannen min har sluttet å puste", sender)
    assert flagged[0]["text"].startswith("Ring 113")
    assert payloads(flagged, "triage")[0]["level"] == "emergency"
    after = say("Steinkjer", sender)
    assert "Steinkjer" in all_text(after)


def test_gitt_feber_hos_barn_saa_stilles_oppfoelgingsspoersmaal_med_knapper(server):
    sender = str(uuid.uuid4())
    question = say("Barnet mitt har feber", sender)
    [asked] = [m for m in question if m.get("buttons")]
    assert asked["text"] == "Er barnet under 3 måneder?"
    assert [b["payload"] for b in asked["buttons"]] == ["/affirm", "/deny", "/dont_know"]
    answer = say("/affirm", sender, municipality="5006")
    [triage] = payloads(answer, "triage")
    assert triage["level"] == "urgent" and triage["tel"] == "116117"
    assert triage["legevakt"]["phone"] == "116 117"
    assert "feber-spedbarn" in [r["criterion"] for r in triage["reasons"]]


def test_gitt_spoersmaal_om_legevakt_i_en_kommune_saa_kommer_tjenestene(server):
    messages = say("hvor er legevakten i Steinkjer")
    [services] = payloads(messages, "services")
    assert services["municipality"] == "5006"
    assert any(item["service_type"] == "legevakt" for item in services["items"])
    assert "116 117" in all_text(messages)


def test_gitt_diabetes_og_bosted_saa_foreslaas_mestringskurs(server):
    messages = say("Jeg har fått diabetes type 2 og bor i Steinkjer. Finnes det kurs for meg?")
    [groups] = payloads(messages, "groups")
    assert groups["items"], messages
    assert all(item["url"].startswith(server["site_url"] + "tjenester/grupper/") for item in groups["items"])


def test_gitt_portaloppgave_saa_kommer_lenke_fra_tillatelseslisten(server):
    outside = payloads(say("jeg må fornye resepten min"), "portal_link")
    assert outside == [
        {
            "type": "portal_link",
            "language": "nb",
            "task": "renew_prescription",
            "url": "/portal/resepter/forny",
            "title": "Fornye resept",
            "login_required": True,
        }
    ]
    inside = payloads(say("jeg må fornye resepten min", logged_in=True), "portal_link")
    assert inside[0]["login_required"] is False


def test_gitt_spoersmaal_om_sykdom_saa_svarer_biblioteket(server):
    messages = say("Hva er helvetesild?")
    [article] = payloads(messages, "article")
    assert article["id"] == "nb/helvetesild"
    assert article["id"] not in [more["id"] for more in article["more"]]  # the nynorsk hit is not the same article twice
    assert "Helvetesild" in messages[0]["text"]


def test_gitt_for_lang_melding_saa_svarer_assistenten_hoeflig(server):
    messages = say("jeg lurer på noe " * 200)
    assert "for lang" in all_text(messages)
    assert "113" in all_text(messages)


def test_gitt_personopplysninger_saa_lagres_de_aldri(server):
    sender = str(uuid.uuid4())
    say("fødselsnummeret mitt er 01019012345, ring 912 34 567 eller skriv til ola.nordmann@example.no", sender)
    with sqlite3.connect(server["db"]) as connection:
        rows = [row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ?", (conversation_id(sender),))]
    stored = " ".join(rows)
    assert rows and "[personnummer]" in stored
    for secret in ("01019012345", "912 34 567", "ola.nordmann@example.no"):
        assert secret not in stored
    logs = " ".join(p.read_text(errors="replace") for p in server["logs"].glob("*.log"))
    assert "01019012345" not in logs


def test_cors_only_for_configured_origins_and_no_http_api(server):
    ok = requests.options(URL + "/webhooks/rest/webhook", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"})
    assert ok.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    evil = requests.options(
        URL + "/webhooks/rest/webhook", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert evil.headers.get("Access-Control-Allow-Origin") is None
    assert requests.get(URL + "/conversations/x/tracker").status_code in (403, 404, 405)
    assert requests.get(URL + "/status").status_code in (403, 404, 405)


def listening_addresses(port: int) -> list[str]:
    """Local addresses listening on a TCP port, read from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.append(address)
    return found


def test_both_servers_listen_on_loopback_only(server):
    loopback = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it
    for port in (PORT, ACTION_PORT):
        assert listening_addresses(port) == [loopback], port


# -- Issue 13: the emergency answer survives long conversations, a dead or hung action server,
# -- hostile input; privacy and hardening as promised.

#: The issue's probe. The akutt card's guard (``red_flags``) does not yet read the compound
#: "brystsmerter" (the triage-concepts issue, the lead's), so without the action server it gets
#: the "cannot answer" reply with 113; CHEST_SIGNS is what the guard reads today.
CHEST = "Jeg har sterke brystsmerter og er kaldsvett"
CHEST_SIGNS = "Jeg har vondt i brystet og er kaldsvett"
SUICIDE = "Jeg vil ikke leve lenger"
SUICIDE_EN = "I want to kill myself"


def assert_emergency_numbers(messages: list[dict], crisis: bool = False) -> None:
    assert messages, "empty answer"
    first = messages[0]["text"]
    assert first.startswith(("Ring 113", "Call 113")), first
    if crisis:
        for number in ("116 123", "22 40 00 40", "116 117"):
            assert number in first


def test_gitt_200_turer_i_samme_samtale_saa_gir_brystsmerter_fortsatt_113_og_forklaringen(server):
    """Was: after ~20 turns every action call got HTTP 413 and chest pain got []."""
    sender = str(uuid.uuid4())
    for turn in range(200):
        text = "Jeg har hatt vondt i halsen i to dager" if turn % 5 == 0 else "hei"
        assert say(text, sender), turn
    messages = say(CHEST_SIGNS, sender)
    assert_emergency_numbers(messages)
    assert payloads(messages, "triage")[0]["level"] == "emergency"  # the action still answered: no 413
    logs = (server["logs"] / "actions.log").read_text(errors="replace")
    assert "413" not in logs and "PayloadTooLarge" not in logs


def wait_healthy(url: str, seconds: float = 60) -> None:
    import time

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} came not back")


def test_gitt_handlingsserveren_er_drept_saa_faar_roedt_flagg_113_og_den_kommer_tilbake(server):
    """Was: HTTP 200 [] in 70 ms, and nothing restarted the action server."""
    import os
    import signal

    actions = server["services"]["actions"]
    first = actions.process.pid
    os.killpg(first, signal.SIGKILL)
    actions.process.wait(10)
    try:
        assert "113" in say(CHEST)[0]["text"]  # never [] (was [] in 70 ms)
        assert_emergency_numbers(say(CHEST_SIGNS))
        assert_emergency_numbers(say(SUICIDE), crisis=True)
        assert_emergency_numbers(say(SUICIDE_EN), crisis=True)
        ordinary = say("Jeg har hatt vondt i halsen i to dager")
        assert "113" in all_text(ordinary) and "116 117" in all_text(ordinary)  # not []
    finally:
        wait_healthy(f"http://127.0.0.1:{ACTION_PORT}/health")
    assert actions.process.pid != first
    assert any("SIGKILL" in why for why in actions.history)  # the supervisor logged why


def test_gitt_handlingsserveren_henger_saa_kommer_113_innen_noen_sekunder(server):
    """Was: no answer for up to 300 s with the action server stopped by SIGSTOP."""
    import os
    import signal
    import time

    actions = server["services"]["actions"]
    pid = actions.process.pid
    os.killpg(pid, signal.SIGSTOP)
    try:
        began = time.monotonic()
        assert_emergency_numbers(say(SUICIDE), crisis=True)
        assert_emergency_numbers(say(CHEST_SIGNS))
        ordinary = say("Jeg har hatt vondt i halsen i to dager")
        elapsed = time.monotonic() - began
        assert "116 117" in all_text(ordinary)
        assert elapsed < 25, elapsed  # three calls, each bounded by HELSEINFO_ACTION_TIMEOUT (5 s)
    finally:
        try:
            os.killpg(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
        wait_healthy(f"http://127.0.0.1:{ACTION_PORT}/health")
    logs = (server["logs"] / "rasa.log").read_text(errors="replace")
    assert "vondt i halsen" not in logs and "leve lenger" not in logs  # timeouts do not log the text


def test_gitt_engelsk_krise_saa_kommer_alle_numrene(server):
    messages = say(SUICIDE_EN, language="en")
    assert_emergency_numbers(messages, crisis=True)
    assert messages[0]["text"].startswith("Call 113")


def test_gitt_en_melding_paa_59_kb_saa_avvises_den_raskt_og_hei_svares_straks(server):
    """Was: 12–17 s and 108–190 MB for one 59 KB message; a "hei" a second later waited 12 s."""
    import time

    began = time.monotonic()
    body = json.dumps({"sender": str(uuid.uuid4()), "message": "ø" * 30000}, ensure_ascii=False).encode()  # 59 KB
    big = requests.post(URL + "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert big.status_code == 413 and big.json()["error"] == "too_large"
    huge = requests.post(URL + "/webhooks/rest/webhook", json={"sender": str(uuid.uuid4()), "message": "ø" * 30000}, timeout=60)
    assert huge.status_code == 413  # 180 KB as JSON escapes: refused by Sanic before it is read
    assert time.monotonic() - began < 2
    began = time.monotonic()
    assert say("hei")
    assert time.monotonic() - began < 5


def test_root_does_not_tell_the_rasa_version(server):
    response = requests.get(URL + "/")
    assert "Rasa" not in response.text and "3.6" not in response.text
    assert response.json() == {"status": "ok"}


def test_cors_without_credentials_and_only_post_and_options(server):
    preflight = requests.options(
        URL + "/webhooks/rest/webhook",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    assert set(preflight.headers["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}
    for method in ("DELETE", "PUT", "PATCH"):
        denied = requests.options(
            URL + "/webhooks/rest/webhook", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": method}
        )
        assert method not in denied.headers.get("Access-Control-Allow-Methods", "")


def test_the_conversation_database_is_readable_by_its_owner_only(server):
    import stat

    assert stat.S_IMODE(server["db"].stat().st_mode) == 0o600


def test_action_server_refuses_calls_without_the_shared_token(server):
    base = f"http://127.0.0.1:{ACTION_PORT}"
    assert requests.get(base + "/actions").status_code == 401
    forged = {
        "next_action": "action_triage",
        "sender_id": "x",
        "version": "3.6.21",
        "tracker": {"sender_id": "x", "slots": {}, "latest_message": {"text": "Jeg er gravid og blør"}, "events": []},
    }
    response = requests.post(base + "/webhook", json=forged)
    assert response.status_code == 401 and "gravid" not in response.text
    wrong = requests.post(base + "/webhook", json=forged, headers={"X-Helseinfo-Token": "gjett"})
    assert wrong.status_code == 401


def test_action_server_errors_never_echo_the_request(server):
    base = f"http://127.0.0.1:{ACTION_PORT}"
    headers = {"X-Helseinfo-Token": server["token"]}
    broken = {"next_action": "action_triage", "sender_id": "x", "tracker": {"latest_message": "Jeg er gravid og blør"}}
    response = requests.post(base + "/webhook", json=broken, headers=headers)
    assert response.status_code >= 400 and "gravid" not in response.text
    assert requests.get(base + "/actions", headers=headers).status_code == 200


def test_a_message_starting_with_a_slash_is_not_printed_raw_in_a_warning(server):
    secret = "01019012345"
    say(f'/jeg_har_feber{{"fnr": "{secret}"}}')
    say(f"/{secret}")
    logs = " ".join(p.read_text(errors="replace") for p in server["logs"].glob("*.log"))
    assert secret not in logs
