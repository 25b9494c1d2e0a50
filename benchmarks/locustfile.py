"""Conversations with the assistant as the chat widget holds them, for locust (``helseinfo bench load``).

Each simulated person is one conversation: a new random UUID version 4 as ``sender`` (as the
widget makes with ``crypto.randomUUID()``), the widget's metadata, and a dialogue from
``DIALOGUES`` one message at a time, waiting ``HELSEINFO_LOAD_THINK`` seconds between messages
("5-10", or "0" for a closed loop). With probability ``HELSEINFO_LOAD_EAGER`` the person sends
the next message 50 ms after the previous one, without waiting for its answer, so that
reordering within a conversation can show.

Every message is recorded (sender, its place in the conversation, status, time, whether the
reply was usable) and written as JSON lines to ``HELSEINFO_LOAD_RECORDS`` when the run stops;
``benchmarks/load.py`` compares that with what PostgreSQL holds.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import time
import uuid
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, constant, events, task

#: Realistic dialogues: triage with follow-up answers, services, groups, the library, the
#: portal, a crisis in the middle of a dialogue, an emergency, small talk.
DIALOGUES = [
    ("nb", ["hei", "Jeg har hatt feber i tre dager", "/deny", "/deny", "takk for hjelpen"]),
    ("nb", ["barnet har kastet opp fem ganger i dag", "/deny", "/dont_know", "hvor er legevakten i Trondheim?"]),
    ("nb", ["hvor er legevakten i Molde", "kurs for kols i Ålesund", "takk"]),
    ("nb", ["hva er helvetesild", "hva er migrene", "ha det"]),
    ("nb", ["jeg vil fornye resepten min", "se meldingene mine", "bestille time hos fastlegen"]),
    ("nb", ["hei", "jeg sover dårlig og er lei meg", "Jeg vil ikke leve lenger", "takk"]),
    ("nb", ["Jeg har sterke brystsmerter og er kaldsvett"]),
    ("nn", ["eg har fått vondt i korsryggen", "/deny", "kor finn eg jordmortenesta i Ørsta?"]),
    ("nn", ["sjå meldingane mine", "pårørande tilgang", "ha ein god kveld"]),
    ("en", ["hello", "I have had a sore throat for two days", "/deny", "thanks"]),
    ("nb", ["jeg har brent meg på stekeplata", "/deny", "takk, det var veldig bra"]),
    ("nb", ["mestringskurs for pårørende i Trondheim", "selvhjelpsgruppe for angst i Kristiansund"]),
]
#: Messages after which the reply must carry 113.
EMERGENCY = {"Jeg har sterke brystsmerter og er kaldsvett", "Jeg vil ikke leve lenger"}
UNAVAILABLE = ("Jeg får ikke svart deg", "Eg får ikkje svart deg", "I cannot answer you")
MUNICIPALITIES = ("5001", "1506", "1507", "1505", "5007", "1515")

RECORDS: list[dict] = []


def think():
    value = os.environ.get("HELSEINFO_LOAD_THINK", "5-10")
    if value in ("0", ""):
        return constant(0)
    low, high = (float(part) for part in value.split("-"))
    return between(low, high)


class Person(HttpUser):
    wait_time = think()

    def on_start(self):
        self.begin()

    def begin(self):
        self.sender = str(uuid.uuid4())
        self.language, self.dialogue = random.choice(DIALOGUES)
        self.step = 0
        self.seq = 0
        self.metadata = {"language": self.language, "logged_in": random.random() < 0.3, "municipality": random.choice(MUNICIPALITIES)}

    def body(self, text: str, seq: int) -> bytes:
        """The widget's request, with the message's number in the conversation (``metadata.seq``):
        a client that sends without waiting for answers numbers its messages."""
        metadata = {**self.metadata, "seq": seq}
        return json.dumps({"sender": self.sender, "message": text, "metadata": metadata}).encode("utf-8")

    def record(self, text: str, seq: int, began: float, status: int, replies, error: str = "") -> None:
        texts = " ".join(str(reply.get("text", "")) for reply in replies if isinstance(reply, dict)) if isinstance(replies, list) else ""
        ok = status == 200 and bool(replies) and isinstance(replies, list) and not texts.startswith(UNAVAILABLE)
        RECORDS.append(
            {
                "sender": self.sender,
                "seq": seq,
                "text": text,
                "sent": began,
                "status": status,
                "ok": ok,
                "emergency_without_113": text in EMERGENCY and "113" not in texts,
                "error": error,
                "ms": (time.time() - began) * 1000,
            }
        )

    def send(self, text: str) -> None:
        seq, self.seq = self.seq, self.seq + 1
        began = time.time()
        try:
            with self.client.post(
                "/webhooks/rest/webhook",
                data=self.body(text, seq),
                headers={"Content-Type": "application/json"},
                name="webhook",
                catch_response=True,
                timeout=30,
            ) as response:
                replies = response.json() if response.status_code == 200 else []
                self.record(text, seq, began, response.status_code, replies)
                if RECORDS[-1]["ok"]:
                    response.success()
                else:
                    response.failure(f"status {response.status_code}" + (" (kan ikke svare nå)" if replies else ""))
        except Exception as exc:  # noqa: BLE001 (a connection error is an error of the run, not of locust)
            self.record(text, seq, began, 0, [], exc.__class__.__name__)

    def send_two(self, first: str, second: str) -> None:
        """Both messages on their own connection, the second written 50 ms after the first is
        fully written (so the order they left this process in is known), then both answers read."""
        assert self.host, "the run is given --host"
        address = urlsplit(self.host)
        assert address.hostname, "--host names a host"
        connections: list[tuple[http.client.HTTPConnection, str, int, float]] = []
        began: list[float] = []
        for text in (first, second):
            if connections:
                gevent.sleep(0.05)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            began.append(time.time())
            connection.request(
                "POST", "/webhooks/rest/webhook", body=self.body(text, self.seq), headers={"Content-Type": "application/json"}
            )
            connections.append((connection, text, self.seq, began[-1]))
            self.seq += 1
        for connection, text, seq, start in connections:
            try:
                answer = connection.getresponse()
                payload = answer.read()
                replies = json.loads(payload) if answer.status == 200 else []
                self.record(text, seq, start, answer.status, replies)
            except Exception as exc:  # noqa: BLE001
                self.record(text, seq, start, 0, [], exc.__class__.__name__)
            finally:
                connection.close()
            events.request.fire(
                request_type="POST",
                name="webhook (uten å vente)",
                response_time=RECORDS[-1]["ms"],
                response_length=0,
                exception=None if RECORDS[-1]["ok"] else Exception("feil"),
                context={},
            )

    @task
    def turn(self):
        if self.step >= len(self.dialogue):
            self.begin()
        text = self.dialogue[self.step]
        self.step += 1
        eager = self.step < len(self.dialogue) and random.random() < float(os.environ.get("HELSEINFO_LOAD_EAGER", "0.2"))
        if eager:  # the next message 50 ms later, without waiting for this one's answer
            second = self.dialogue[self.step]
            self.step += 1
            self.send_two(text, second)
        else:
            self.send(text)


@events.test_stop.add_listener
def write_records(**_kwargs):
    path = os.environ.get("HELSEINFO_LOAD_RECORDS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            for record in RECORDS:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
