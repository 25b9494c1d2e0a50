"""Redaction of personal data before anything is stored or logged.

Fødselsnummer and D-numbers are redacted as every run of 11 digits (with or without a
space after the date part), since the check digits change from 2032 and must not be
relied on. Norwegian phone numbers (8 digits, optionally +47/0047) and e-mail addresses
are redacted too. The national three- and six-digit numbers (113, 116 117) are left alone.
"""
from __future__ import annotations

import logging
import re
from typing import Any

PATTERNS = [
    (re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)"), "[personnummer]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-post]"),
    # Spaces or hyphens between digit groups, not dots: "01.11.2027" is a date.
    (re.compile(r"(?<![\d+.])(?:(?:\+|00)47[ -]?)?(?:\d{2}[ -]?){3}\d{2}(?![\d.])"), "[telefon]"),
    (re.compile(r"(?<![\d+.])(?:(?:\+|00)47[ -]?)?\d{3}[ -]?\d{2}[ -]?\d{3}(?![\d.])"), "[telefon]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_data(value: Any) -> Any:
    """Every string in a JSON-like structure, redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(item) for item in value]
    return value


_installed = False


def install_log_redaction() -> None:
    """Redact every log record of this process, whichever logger and handler writes it."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call; leave it to logging's own error handling
            return record
        record.msg, record.args = redact(message), ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
