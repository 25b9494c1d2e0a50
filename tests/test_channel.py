"""The HTTP boundary (assistant/channel.py): each probe of issue 13 against the real Rasa server.

Gitt / Når / Så over HTTP on 127.0.0.1: what a hostile or broken client sends is refused with
a clear JSON error before Rasa sees it; nothing is a 500 or a silent []."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid

import pytest
import requests

from assistant.channel import MAX_BODY_BYTES, Ordering, conversation_id
from content_model.contacts import MAX_MESSAGE_CHARS
from tests.services import ASSISTANT_URL, say

pytestmark = [pytest.mark.e2e]
WEBHOOK = ASSISTANT_URL + "/webhooks/rest/webhook"


def post(body, **kwargs) -> requests.Response:
    if isinstance(body, (dict, list)):
        kwargs.setdefault("json", body)
    else:
        kwargs.setdefault("data", body)
        kwargs.setdefault("headers", {"Content-Type": "application/json"})
    return requests.post(WEBHOOK, timeout=60, **kwargs)


def refused(response: requests.Response, status: int, error: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error and body["message"], body
    assert "113" in body["message"]
    return body


def new() -> str:
    return str(uuid.uuid4())


@pytest.mark.parametrize(
    "body, status, error",
    [
        (b"", 400, "invalid_json"),  # was 500
        (b"[]", 400, "not_object"),  # was 500
        (b"{not json", 400, "invalid_json"),
        (b"\xff\xfe", 400, "invalid_json"),
    ],
)
def test_gitt_tom_eller_ugyldig_kropp_saa_kommer_en_tydelig_json_feil(assistant_server, body, status, error):
    refused(post(body), status, error)


def test_gitt_feil_innholdstype_saa_415(assistant_server):
    refused(post(json.dumps({"sender": new(), "message": "hei"}), headers={"Content-Type": "text/plain"}), 415, "content_type")


def test_gitt_kropp_over_16_kb_saa_413_som_json(assistant_server):
    refused(post({"sender": new(), "message": "a" * (MAX_BODY_BYTES + 10)}), 413, "too_large")


@pytest.mark.parametrize(
    "sender", [None, "", "default", "oppvarming", "12345", uuid.uuid4().hex, str(uuid.uuid1()), "00000000-0000-0000-0000-000000000000", 42]
)
def test_gitt_manglende_eller_feil_avsender_saa_400_og_ingen_delt_samtale(assistant_server, sender):
    body = {"message": "Jeg er gravid og har vondt i magen"}
    if sender is not None:
        body["sender"] = sender
    refused(post(body), 400, "sender")


@pytest.mark.parametrize("message", [None, 42, ["hei"], {"text": "hei"}, "", "   ", "/", "//"])
def test_gitt_melding_som_ikke_er_tekst_saa_400_ikke_stille_tomt_svar(assistant_server, message):
    body = {"sender": new()}
    if message is not None:
        body["message"] = message
    refused(post(body), 400, "message")


@pytest.mark.parametrize(
    "metadata, error",
    [
        ("nb", "metadata"),
        ([], "metadata"),
        (None, "metadata"),
        ({"logged_in": "false"}, "metadata.logged_in"),
        ({"logged_in": "0"}, "metadata.logged_in"),
        ({"logged_in": "no"}, "metadata.logged_in"),
        ({"logged_in": 0}, "metadata.logged_in"),
        ({"language": "sv"}, "metadata.language"),
        ({"municipality": 5006}, "metadata.municipality"),
        ({"municipality": "50061"}, "metadata.municipality"),
        ({"seq": "1"}, "metadata.seq"),
        ({"seq": -1}, "metadata.seq"),
        ({"seq": True}, "metadata.seq"),
    ],
)
def test_gitt_metadata_med_feil_type_saa_400(assistant_server, metadata, error):
    refused(post({"sender": new(), "message": "hei", "metadata": metadata}), 400, error)


def test_gitt_logged_in_false_som_json_saa_maa_personen_logge_inn(assistant_server):
    messages = post({"sender": new(), "message": "jeg må fornye resepten min", "metadata": {"logged_in": False}}).json()
    [link] = [m["custom"] for m in messages if m.get("custom", {}).get("type") == "portal_link"]
    assert link["login_required"] is True


def test_gitt_melding_over_grensen_saa_200_med_hoeflig_svar_og_numrene(assistant_server):
    response = post({"sender": new(), "message": "jeg lurer på noe " * (MAX_MESSAGE_CHARS // 10)})
    assert response.status_code == 200
    text = " ".join(m.get("text", "") for m in response.json())
    assert "for lang" in text and "113" in text and "116 117" in text


def test_gitt_noen_andres_samtale_naar_avsender_er_en_annen_uuid_saa_faar_de_ingenting_tilbake(assistant_server):
    owner = new()
    say("Jeg er gravid i uke 30 og har sterk hodepine og ser flimmer", owner)
    other = say("/affirm", new())
    assert "gravid" not in json.dumps(other, ensure_ascii=False).lower()


def test_gitt_skraastrek_foran_tekst_saa_leses_den_som_tekst_ikke_som_intensjon(assistant_server):
    messages = say("/jeg vil ikke leve lenger")
    assert "116 123" in messages[0]["text"]


def test_gitt_sletting_saa_er_samtalen_borte_for_den_avsenderen_og_bare_den(assistant_server):
    keep, gone = new(), new()
    say("fødselsnummeret mitt er 01019012345 og jeg har feber", keep)
    say("jeg har hatt vondt i halsen i to dager", gone)
    db = assistant_server["db"]

    def count(sender):
        with sqlite3.connect(db) as connection:
            return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id(sender),)).fetchone()[0]

    assert count(keep) and count(gone)
    response = post({"sender": gone, "delete": True})
    assert response.status_code == 200 and response.json() == {"deleted": True}
    assert count(gone) == 0 and count(keep) > 0
    refused(post({"sender": gone, "delete": "true"}), 400, "delete")
    refused(post({"sender": gone, "delete": True, "message": "hei"}), 400, "delete")
    refused(post({"delete": True}), 400, "sender")


def test_gitt_avsender_saa_lagres_bare_hashen_aldri_uuid_en(assistant_server):
    sender = new()
    say("hei", sender)
    with sqlite3.connect(assistant_server["db"]) as connection:
        senders = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert conversation_id(sender) in senders and sender not in senders
    logs = " ".join(p.read_text(errors="replace") for p in assistant_server["logs"].glob("*.log"))
    assert sender not in logs


def test_recipient_id_is_the_clients_own_sender(assistant_server):
    sender = new()
    assert {m["recipient_id"] for m in say("hei", sender)} == {sender}


def handled_order(arrivals: list[tuple[float, int]], lost: tuple[int, ...] = (), answered_before: int | None = None, **timing):
    """The order an ``Ordering`` lets numbered messages of one conversation through, each
    taking 50 ms to answer, given when (s) each arrives."""

    async def run():
        ordering, done = Ordering(**timing), []
        if answered_before is not None:
            await ordering.turn("c", answered_before)
            await ordering.answered("c", answered_before)

        async def message(delay: float, seq: int):
            await asyncio.sleep(delay)
            await ordering.turn("c", seq)
            done.append(seq)
            await asyncio.sleep(0.05)
            await ordering.answered("c", seq)

        await asyncio.gather(*(message(delay, seq) for delay, seq in arrivals if seq not in lost))
        return done

    return asyncio.run(run())


def test_a_message_sent_without_waiting_is_handled_after_the_one_numbered_before_it():
    assert handled_order([(0.0, 2), (0.03, 1)], answered_before=0) == [1, 2]
    assert handled_order([(0.0, 1), (0.05, 0)]) == [0, 1]  # a new conversation too


def test_a_lost_message_delays_the_next_one_by_at_most_the_unseen_wait():
    began = time.monotonic()
    assert handled_order([(0.0, 2)], answered_before=0, wait=5.0, unseen=0.2) == [2]
    assert time.monotonic() - began < 1.0
