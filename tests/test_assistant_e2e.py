"""End to end: the real Rasa server and action server over HTTP on 127.0.0.1.

Gitt / Når / Så: each test is a short conversation through the REST channel, the contract
in ARCHITECTURE.md. The servers are the session's (tests/conftest.py); the model is trained first if its data
changed (Rasa's fingerprint).
"""
from __future__ import annotations

import sqlite3
import uuid

import pytest
import requests

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
    first = messages[0]["text"]
    for number in ("113", "116 123", "116 117"):
        assert number in first
    assert "Legevakten for Steinkjer" in first
    assert payloads(messages, "triage")[0]["crisis"] is True


def test_gitt_en_annen_samtale_naar_roedt_flagg_kommer_midt_i_saa_gaar_113_foran(server):
    sender = uuid.uuid4().hex
    first = say("hvor er legevakten?", sender)
    assert "kommune" in all_text(first).lower()
    flagged = say("mannen min har sluttet å puste", sender)
    assert flagged[0]["text"].startswith("Ring 113")
    assert payloads(flagged, "triage")[0]["level"] == "emergency"
    after = say("Steinkjer", sender)
    assert "Steinkjer" in all_text(after)


def test_gitt_feber_hos_barn_saa_stilles_oppfoelgingsspoersmaal_med_knapper(server):
    sender = uuid.uuid4().hex
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
    assert outside == [{"type": "portal_link", "language": "nb", "task": "renew_prescription", "url": "/portal/resepter/forny",
                        "title": "Fornye resept", "login_required": True}]
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
    sender = uuid.uuid4().hex
    say("fødselsnummeret mitt er 01019012345, ring 912 34 567 eller skriv til ola.nordmann@example.no", sender)
    with sqlite3.connect(server["db"]) as connection:
        rows = [row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    stored = " ".join(rows)
    assert rows and "[personnummer]" in stored
    for secret in ("01019012345", "912 34 567", "ola.nordmann@example.no"):
        assert secret not in stored
    logs = " ".join(p.read_text(errors="replace") for p in server["logs"].glob("*.log"))
    assert "01019012345" not in logs


def test_cors_only_for_configured_origins_and_no_http_api(server):
    ok = requests.options(URL + "/webhooks/rest/webhook", headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"})
    assert ok.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    evil = requests.options(URL + "/webhooks/rest/webhook", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
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
