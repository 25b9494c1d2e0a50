"""Rasa's SQL tracker store, with personal data redacted before any event is written.

SQLite by default (embedded, no server), PostgreSQL by configuration: see
``assistant/endpoints.yml``. Bot messages are stored as they are (they are our own text);
every other event (user messages, their parse data, slots) is redacted.
"""
from __future__ import annotations

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


class RedactingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that never writes fødselsnummer, phone numbers or e-mail addresses."""

    def _additional_events(self, session, tracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _RedactedEvent(event)
