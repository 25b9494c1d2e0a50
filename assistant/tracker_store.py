"""Rasa's SQL tracker store, with personal data redacted before any event is written.

SQLite by default (embedded, no server), PostgreSQL by configuration: see
``assistant/endpoints.yml``. Bot messages are stored as they are (they are our own text);
every other event (user messages, their parse data, slots) is redacted. The sender ids Rasa
stores are already the SHA-256 of the person's random id (``assistant/channel.py``).

The SQLite file is created readable and writable by its owner only (0600), in a folder only
the owner can enter (0700), and made so if it already exists. SQLite runs with a write-ahead
log and ``synchronous=NORMAL`` (``sqlite_for_a_server``) on one connection kept open: Rasa
reads and writes the store in its event loop, so each commit's ``fsync`` and each new
connection held every conversation up. After a crash of the process nothing committed is
lost; after a power cut the last commits may be.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.redact import install_log_redaction, redact_data

install_log_redaction()


def stored_row(sender_id: str, event: Any) -> dict:
    """One row of the events table, as Rasa's ``SQLTrackerStore.save`` writes it, redacted."""
    data = event.as_dict()
    if event.type_name != "bot":
        data = redact_data(data)
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


#: The events of a conversation's latest session, oldest first: Rasa's own query
#: (``SQLTrackerStore._event_query``), written once as SQL instead of built by the ORM each time.
_LATEST_SESSION = sa.text(
    "SELECT data FROM events WHERE sender_id = :sender"
    " AND (timestamp >= (SELECT MAX(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started)"
    " OR (SELECT MAX(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started) IS NULL)"
    " ORDER BY id"
)
_ALL_SESSIONS = sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
_COUNT_LATEST_SESSION = sa.text(
    "SELECT COUNT(*) FROM events WHERE sender_id = :sender"
    " AND (timestamp >= (SELECT MAX(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started)"
    " OR (SELECT MAX(timestamp) FROM events WHERE sender_id = :sender AND type_name = :started) IS NULL)"
)


def private_sqlite_file(db: str) -> None:
    """Create the SQLite database file 0600 (its folder 0700) before SQLAlchemy opens it."""
    if not db or db == ":memory:":
        return
    path = Path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except PermissionError:  # a folder we do not own (e.g. /tmp): the file's own mode still holds
        pass
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def sqlite_for_a_server(engine):
    """The same SQLite database with one pooled connection per thread (SQLAlchemy's default for a
    file is a new connection per session), a write-ahead log and ``synchronous=NORMAL``: a commit
    no longer waits for the disk, and readers do not wait for a writer. The WAL and shared-memory
    files get the database file's mode (0600) from SQLite."""
    import sqlalchemy as sa
    from sqlalchemy.pool import SingletonThreadPool

    url = engine.url
    engine.dispose()
    engine = sa.create_engine(url, poolclass=SingletonThreadPool, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class RedactingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that never writes fødselsnummer, phone numbers or e-mail addresses."""

    engine: sa.engine.Engine  # made by SQLTrackerStore.__init__, replaced below

    def __init__(self, domain=None, dialect: str = "sqlite", host=None, port=None, db: str = "rasa.db", *args, **kwargs):
        if dialect == "sqlite":
            old = os.umask(0o077)  # also the journal and WAL files
            try:
                private_sqlite_file(db)
                super().__init__(domain, dialect, host, port, db, *args, **kwargs)
                self.engine = sqlite_for_a_server(self.engine)
                self.sessionmaker.configure(bind=self.engine)
            finally:
                os.umask(old)
        else:
            super().__init__(domain, dialect, host, port, db, *args, **kwargs)
            # A pooled connection is tested before use: after PostgreSQL restarts, a dead one is
            # replaced instead of failing the save of a reply already sent.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker.configure(bind=self.engine)

    #: Conversations retrieved and not yet saved: how many events of the latest session were
    #: stored then. Rasa holds the conversation's lock from its retrieve to its save, so nothing
    #: else writes in between, and the save needs no count query.
    _stored: dict[str, int]

    def _counts(self) -> dict[str, int]:
        if not hasattr(self, "_stored") or len(self._stored) > 10_000:
            self._stored = {}
        return self._stored

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's retrieve in plain SQL (the ORM built the query anew for every message)."""
        query = _ALL_SESSIONS if fetch_events_from_all_sessions else _LATEST_SESSION
        with self.session_scope() as session:
            rows = session.execute(query, {"sender": sender_id, "started": SessionStarted.type_name}).all()
        events = [json.loads(data) for (data,) in rows]
        if not fetch_events_from_all_sessions:
            self._counts()[sender_id] = len(events)
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """The events not stored yet, redacted (bot messages as they are), in one insert."""
        await self.stream_events(tracker)
        stored = self._counts().pop(tracker.sender_id, None)
        with self.session_scope() as session:
            if stored is None:
                stored = session.execute(_COUNT_LATEST_SESSION, {"sender": tracker.sender_id, "started": SessionStarted.type_name}).scalar()
            rows = [stored_row(tracker.sender_id, event) for event in list(tracker.events)[stored:]]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    async def delete_conversation(self, sender_id: str) -> int:
        """Delete every event of one conversation; returns how many were deleted."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        self._counts().pop(sender_id, None)
        return deleted
