"""Redaction of personal data before anything is stored or logged.

- Fødselsnummer, D-numbers (day + 40) and H-numbers (month + 40): every 11 digits grouped as a
  date and a personal number (DD MM YY III CC), whatever the separators between the groups
  (none, space, no-break or thin space, ``.``, ``-``, ``/``, en or em dash, with or without
  spaces around them) and whatever follows (a full stop, a comma, a bracket). Check digits
  are not looked at: the number's format changes from 2032, and a mistyped number is just as
  personal.
- Norwegian phone numbers: 8 digits, optionally after +47 or 0047, grouped 8, 2-2-2-2 or
  3-2-3, also when a full stop, comma or bracket follows.
- E-mail addresses.

The national numbers (113, 116 117, 116 123, 22 40 00 40 is a phone number and is redacted
in user text; our own bot messages are never redacted) and dates such as 01.11.2027 are left.

``install_log_redaction`` redacts every log record of the process, its traceback included
(the traceback is folded into the message, so no handler prints it raw).
"""

from __future__ import annotations

import logging
import re
from typing import Any

_SPACE = r"[ \t\u00a0\u202f\u2009\u2007]"
#: Between the groups of an ID number: spaces, or one separator with optional spaces around.
_SEP = rf"(?:{_SPACE}*[.\-/\u2010-\u2015\u2212]{_SPACE}*|{_SPACE}+)"
ID_NUMBER = re.compile(rf"(?<!\d)\d{{2}}{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?\d{{3}}{_SEP}?\d{{2}}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_SEP = rf"(?:{_SPACE}|-)?"
#: Not part of a longer number or a date: no digit or ``digit.`` before, no digit or ``.digit`` after.
_BEFORE = r"(?<![\d+])(?<!\d\.)"
_AFTER = r"(?!\d)(?!\.\d)"
PHONE = [
    re.compile(rf"{_BEFORE}(?:(?:\+|00)47{_PHONE_SEP})?(?:\d{{2}}{_PHONE_SEP}){{3}}\d{{2}}{_AFTER}"),
    re.compile(rf"{_BEFORE}(?:(?:\+|00)47{_PHONE_SEP})?\d{{3}}{_PHONE_SEP}\d{{2}}{_PHONE_SEP}\d{{3}}{_AFTER}"),
]

PATTERNS = [
    (ID_NUMBER, "[personnummer]"),
    (EMAIL, "[e-post]"),
    *((pattern, "[telefon]") for pattern in PHONE),
]


#: Every pattern needs a digit or an "@": text without one has nothing to redact.
_MAY_HOLD = re.compile(r"[\d@]")


def redact(text: str) -> str:
    if not _MAY_HOLD.search(text):
        return text
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
_formatter = logging.Formatter()


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record's message, traceback and stack, redacted into its message."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 (a malformed log call: leave it to logging's own error handling)
        return record
    if record.exc_info and record.exc_info[0] is not None:
        message += "\n" + _formatter.formatException(record.exc_info)
    elif record.exc_text:
        message += "\n" + record.exc_text
    if record.stack_info:
        message += "\n" + record.stack_info
    record.msg, record.args = redact(message), ()
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    return record


def install_log_redaction() -> None:
    """Redact every log record of this process, whichever logger and handler writes it."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        return redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True
