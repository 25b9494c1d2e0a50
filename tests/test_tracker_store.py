"""The redacting SQL tracker store, in SQLite and in a real PostgreSQL, and retention."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.redact import redact
from assistant.retention import purge_conversations
from assistant.tracker_store import RedactingSQLTrackerStore
from tests.services import postgres

SECRET = "fødselsnummer 01019012345, D-nummer 41019012345, tlf +47 912 34 567 og 73 80 00 00, ola@example.no"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01019012345", "[personnummer]"),
        ("010190 12345", "[personnummer]"),
        ("ring 91234567", "ring [telefon]"),
        ("ring +47 912 34 567", "ring [telefon]"),
        ("skriv til kari.nordmann@helse.no", "skriv til [e-post]"),
        ("ring 113 eller 116 117 eller 116 123", "ring 113 eller 116 117 eller 116 123"),
        ("feber i 3 dager, 38,5 grader", "feber i 3 dager, 38,5 grader"),
        ("neste revisjon 01.11.2027", "neste revisjon 01.11.2027"),
    ],
)
def test_redaction_keeps_health_text_and_national_numbers(text, expected):
    assert redact(text) == expected


def conversation(sender: str, timestamp: float | None = None) -> DialogueStateTracker:
    events = [
        UserUttered(SECRET, {"name": "describe_symptom", "confidence": 0.9}, [], {"text": SECRET}, timestamp=timestamp),
        SlotSet("triage_text", SECRET, timestamp=timestamp),
        BotUttered("Kirkens SOS: 22 40 00 40", timestamp=timestamp),
    ]
    return DialogueStateTracker.from_events(sender, events)


def stored_rows(url: str, sender: str) -> list[dict]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
    engine.dispose()
    return [{"type": t, **json.loads(d)} for t, d in rows]


def assert_redacted(rows: list[dict]) -> None:
    text = json.dumps(rows, ensure_ascii=False)
    for secret in ("01019012345", "41019012345", "912 34 567", "73 80 00 00", "ola@example.no"):
        assert secret not in text
    user = next(r for r in rows if r["type"] == "user")
    assert user["text"].startswith("fødselsnummer [personnummer], D-nummer [personnummer], tlf [telefon]")
    assert user["parse_data"]["text"] == user["text"]
    assert next(r for r in rows if r["type"] == "slot")["value"] == user["text"]
    assert next(r for r in rows if r["type"] == "bot")["text"] == "Kirkens SOS: 22 40 00 40"  # our own text is kept


def test_sqlite_store_writes_no_personal_data(tmp_path):
    store = RedactingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "samtaler.db"))
    asyncio.run(store.save(conversation("sqlite-bruker")))
    assert_redacted(stored_rows(f"sqlite:///{tmp_path / 'samtaler.db'}", "sqlite-bruker"))


@pytest.mark.e2e
def test_postgresql_store_writes_no_personal_data_and_purges_old_conversations():
    with postgres() as pg:
        store = RedactingSQLTrackerStore(Domain.empty(), dialect="postgresql", **pg)
        old = time.time() - 100 * 86400
        asyncio.run(store.save(conversation("gammel", timestamp=old)))
        asyncio.run(store.save(conversation("ny")))
        url = f"postgresql://{pg['username']}@{pg['host']}:{pg['port']}/{pg['db']}"
        assert_redacted(stored_rows(url, "ny"))
        assert purge_conversations(url, days=90) == 1
        assert stored_rows(url, "gammel") == []
        assert stored_rows(url, "ny")


def test_retention_deletes_only_conversations_older_than_the_limit(tmp_path):
    store = RedactingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "s.db"))
    asyncio.run(store.save(conversation("gammel", timestamp=time.time() - 91 * 86400)))
    asyncio.run(store.save(conversation("ny", timestamp=time.time() - 89 * 86400)))
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert purge_conversations(url, days=90) == 1
    assert stored_rows(url, "gammel") == [] and stored_rows(url, "ny")


def test_plain_sql_retrieve_and_save_keep_the_conversation_as_rasas_own_store_does(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    from helseinfo.kernel.paths import PROJECT

    domain = Domain.load(str(PROJECT / "assistant" / "domain"))
    db = str(tmp_path / "s.db")
    store = RedactingSQLTrackerStore(domain, dialect="sqlite", db=db)
    old, new = time.time() - 7200, time.time() - 60
    first = DialogueStateTracker.from_events(
        "a",
        [
            ActionExecuted("action_session_start", timestamp=old),
            SessionStarted(timestamp=old),
            UserUttered("gammel økt", timestamp=old + 1),
            BotUttered("svar", timestamp=old + 2),
            ActionExecuted("action_session_start", timestamp=new),
            SessionStarted(timestamp=new),
            UserUttered("ny økt", timestamp=new + 1),
        ],
        slots=domain.slots,
    )
    asyncio.run(store.save(first))  # nothing retrieved before: the count query
    again = asyncio.run(store.retrieve("a"))
    again.update(BotUttered("svar på ny økt", timestamp=new + 2))
    asyncio.run(store.save(again))  # retrieved before: the count from the retrieve
    asyncio.run(store.save(again))  # saved twice: nothing is written twice
    ours = asyncio.run(store.retrieve("a"))
    rasas = asyncio.run(SQLTrackerStore(domain, dialect="sqlite", db=db).retrieve("a"))
    assert [e.as_dict() for e in ours.events] == [e.as_dict() for e in rasas.events]
    assert [e.get("text") for e in (e.as_dict() for e in ours.events) if e["event"] in ("user", "bot")] == ["ny økt", "svar på ny økt"]
    assert len(stored_rows(f"sqlite:///{db}", "a")) == 8
    full = asyncio.run(store.retrieve_full_tracker("a"))
    assert len(full.events) == 8


def test_sqlite_runs_with_a_write_ahead_log_and_its_files_stay_private(tmp_path):
    import os
    import stat

    store = RedactingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "w.db"))
    asyncio.run(store.save(conversation("wal")))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    for name in ("w.db", "w.db-wal", "w.db-shm"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
