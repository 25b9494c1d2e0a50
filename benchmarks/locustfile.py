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

import json
import os
import random
import time
import uuid

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
        self.metadata = {"language": self.language, "logged_in": random.random() < 0.3,
                         "municipality": random.choice(MUNICIPALITIES)}

    def send(self, text: str, delay: float = 0.0) -> None:
        if delay:
            gevent.sleep(delay)
        seq, self.seq = self.seq, self.seq + 1
        began = time.time()
        record = {"sender": self.sender, "seq": seq, "text": text, "sent": began}
        try:
            with self.client.post("/webhooks/rest/webhook", json={"sender": self.sender, "message": text, "metadata": self.metadata},
                                  name="webhook", catch_response=True, timeout=30) as response:
                record["status"] = response.status_code
                replies = response.json() if response.status_code == 200 else []
                texts = " ".join(str(reply.get("text", "")) for reply in replies if isinstance(reply, dict))
                record["ok"] = response.status_code == 200 and bool(replies) and not texts.startswith(UNAVAILABLE)
                record["emergency_without_113"] = text in EMERGENCY and "113" not in texts
                if record["ok"]:
                    response.success()
                else:
                    response.failure(f"status {response.status_code}" + (" (kan ikke svare nå)" if replies else ""))
        except Exception as exc:  # noqa: BLE001 (a connection error is an error of the run, not of locust)
            record["status"], record["ok"], record["error"] = 0, False, exc.__class__.__name__
        record["ms"] = (time.time() - began) * 1000
        RECORDS.append(record)

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
            later = gevent.spawn(self.send, second, 0.05)
            self.send(text)
            later.join()
        else:
            self.send(text)


@events.test_stop.add_listener
def write_records(**_kwargs):
    path = os.environ.get("HELSEINFO_LOAD_RECORDS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            for record in RECORDS:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
