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

import os
from pathlib import Path
from typing import Any, Iterator

from rasa.core.tracker_store import SQLTrackerStore

from assistant.redact import install_log_redaction, redact_data

install_log_redaction()


class _RedactedEvent:
    """What ``SQLTrackerStore.save`` reads of an event (``type_name``, ``as_dict``), redacted."""

    def __init__(self, event: Any):
        self.type_name = event.type_name
        data = event.as_dict()
        self._data = data if event.type_name == "bot" else redact_data(data)

    def as_dict(self) -> dict:
        return self._data


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

    def _additional_events(self, session, tracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _RedactedEvent(event)

    async def delete_conversation(self, sender_id: str) -> int:
        """Delete every event of one conversation; returns how many were deleted."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return deleted
