"""Opening hours: OpenStreetMap ``opening_hours`` syntax, Norwegian holidays, Europe/Oslo.

Expressions are parsed and evaluated by the maintained ``opening-hours-py`` library
(``opening_hours``). Public holidays come from the maintained ``holidays`` library
(``holidays.country_holidays("NO")``), not from ``opening_hours``' own calendar, which
lacks Good Friday, Easter Monday, Whit Monday and Boxing Day for Norway.

How ``PH`` and Christmas Eve are handled:

- ``PH`` means the twelve Norwegian public holidays (helligdager and 1 and 17 May) that
  ``holidays`` lists for the years evaluated. Before evaluation, ``PH`` is replaced by
  those dates (``2026Dec25,2026Dec26,…``). ``PH`` may stand alone at the start of a rule
  (``PH off``, ``PH 10:00-14:00``) or in its leading day list (``Mo-Fr,PH 08:00-16:00``);
  anything else with ``PH``, and ``SH`` (school holidays), is reported as an error.
- Christmas Eve (24 December) and New Year's Eve are not public holidays in Norway, so
  ``PH`` does not cover them: a service that closes then says so, e.g.
  ``Mo-Fr 08:00-16:00; PH off; Dec 24 off`` or ``Dec 24 09:00-12:00``.

Times given without a timezone are taken as Oslo time; results are in Europe/Oslo.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays
import opening_hours

if TYPE_CHECKING:
    from services_catalog.schema import Service

#: Every service is in Norway: hours are read and shown in Oslo time.
TIMEZONE = ZoneInfo("Europe/Oslo")
#: Country of the public-holiday calendar used for ``PH``.
COUNTRY = "NO"
#: How many days ahead the pages carry concrete intervals for "open now" (8 weeks).
WINDOW_DAYS = 56

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(\[[-0-9,]+\])?$")
_WORD = re.compile(r"\b(PH|SH)\b")


class HoursError(ValueError):
    """An opening-hours expression that cannot be used; the message is for editors."""


def public_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """Norwegian public holidays of ``years``, with their Norwegian names."""
    return dict(holidays.country_holidays(COUNTRY, years=list(years), language="no"))


def _split(expression: str) -> list[str]:
    """Split on the rule separators ``;`` and ``||`` outside quoted comments, keeping them."""
    parts, current, quoted, index = [], "", False, 0
    while index < len(expression):
        char = expression[index]
        if char == '"':
            quoted = not quoted
        if not quoted and char == ";":
            parts += [current, ";"]
            current = ""
        elif not quoted and expression.startswith("||", index):
            parts += [current, "||"]
            current, index = "", index + 1
        else:
            current += char
        index += 1
    return parts + [current]


def _without_comments(rule: str) -> str:
    return re.sub(r'"[^"]*"', "", rule)


def _expand_ph(expression: str, years: tuple[int, ...]) -> str:
    """Replace ``PH`` by the dates of the Norwegian public holidays of ``years``."""
    dates = ",".join(f"{d.year}{_MONTHS[d.month - 1]}{d.day:02d}" for d in sorted(public_holidays(years)))
    out = []
    for part in _split(expression):
        rule = part.strip()
        if part in (";", "||") or not _WORD.search(_without_comments(rule)):
            out.append(part)
            continue
        first, _, rest = rule.partition(" ")
        items = first.split(",")
        if "SH" in _WORD.findall(_without_comments(rule)):
            raise HoursError("SH (skoleferie) støttes ikke; skriv datoene")
        if "PH" not in items or not all(i == "PH" or _WEEKDAY.match(i) for i in items):
            raise HoursError(
                "PH kan bare stå først i en regel, alene eller i en liste av dager (f.eks. 'PH off' eller 'Mo-Fr,PH 08:00-16:00')"
            )
        days = ",".join(i for i in items if i != "PH")
        rules = ([f"{days} {rest}".strip()] if days else []) + [f"{dates} {rest}".strip()]
        out.append(" " + "; ".join(rules) + " ")
    return "".join(out).strip()


@lru_cache(maxsize=512)
def _compile(expression: str, years: tuple[int, ...]) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(_expand_ph(expression, years), timezone=TIMEZONE)


def compile_hours(expression: str, years: Iterable[int]) -> opening_hours.OpeningHours:
    """The parsed expression, with ``PH`` expanded for ``years``. Raises ``HoursError``."""
    try:
        return _compile(expression, tuple(sorted(set(years))))
    except (opening_hours.ParserError, SyntaxError) as exc:  # type: ignore[attr-defined]  # not in the library's stub, there at runtime
        column = re.search(r"--> \d+:(\d+)", str(exc))
        where = f" (feil ved tegn {column.group(1)})" if column and "PH" not in expression else ""
        raise HoursError(
            f"kan ikke tolke åpningstidene '{expression}'{where}; forventet OpenStreetMap-syntaks som 'Mo-Fr 08:00-16:00; PH off'"
        ) from None


def check(expression: str) -> str | None:
    """``None`` if the expression can be used, else a message for editors."""
    try:
        compile_hours(expression, [dt.date.today().year])
    except HoursError as exc:
        return str(exc)
    return None


def _expression(service_or_expression: Service | str | None) -> str | None:
    if service_or_expression is None or isinstance(service_or_expression, str):
        return service_or_expression
    return service_or_expression.opening_hours


def _oslo(when: dt.datetime | None) -> dt.datetime:
    if when is None:
        return dt.datetime.now(TIMEZONE)
    if when.tzinfo is None:
        return when.replace(tzinfo=TIMEZONE)
    return when.astimezone(TIMEZONE)


def _years(start: dt.datetime, end: dt.datetime) -> range:
    return range(start.year - 1, end.year + 2)


def is_open(service: Service | str | None, when: dt.datetime | None = None) -> bool | None:
    """Whether ``service`` (a ``Service`` or an expression) is open at ``when`` (default now).

    ``None`` when the hours are not known (no expression, or the rule says ``unknown``).
    """
    expression = _expression(service)
    if not expression:
        return None
    when = _oslo(when)
    hours = compile_hours(expression, _years(when, when))
    if hours.is_unknown(when):
        return None
    return hours.is_open(when)


def next_change(service: Service | str | None, when: dt.datetime | None = None) -> dt.datetime | None:
    """When the state of ``service`` next changes after ``when``, in Oslo time.

    ``None`` when the hours are not known or never change within a year (``24/7``).
    """
    expression = _expression(service)
    if not expression:
        return None
    when = _oslo(when)
    limit = when + dt.timedelta(days=366)
    for start, end, _state, _comment in compile_hours(expression, _years(when, limit)).intervals(when, limit):
        if end is not None and start <= when < end:
            return end if end < limit else None
    return None


def open_intervals(
    service: Service | str | None, start: dt.datetime | None = None, days: int = WINDOW_DAYS
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Concrete intervals ``(start, end, state)`` in the ``days`` from ``start``.

    ``state`` is ``"open"`` or ``"unknown"``; closed time is left out. An empty list means
    closed the whole time, or no hours known (check ``service.opening_hours``).
    """
    expression = _expression(service)
    if not expression:
        return []
    start = _oslo(start)
    end = start + dt.timedelta(days=days)
    out = []
    for begin, finish, state, _comment in compile_hours(expression, _years(start, end)).intervals(start, end):
        if state == opening_hours.State.CLOSED:
            continue
        out.append((max(begin, start), min(finish or end, end), "open" if state == opening_hours.State.OPEN else "unknown"))
    return out


_TEXT = [
    (re.compile(r"\b24/7\b"), "døgnet rundt"),
    (re.compile(r"\b(off|closed)\b"), "stengt"),
    (re.compile(r"\bopen\b"), "åpent"),
    (re.compile(r"\bunknown\b"), "usikkert"),
    (re.compile(r"\bPH\b"), "helligdager"),
    (re.compile(r"(\d\d:\d\d)-(\d\d:\d\d)"), r"\1–\2"),
]
_DAYS = dict(zip(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"), ("man", "tir", "ons", "tor", "fre", "lør", "søn")))
_MONTHS_NB = dict(zip(_MONTHS, ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")))


def describe(expression: str) -> list[str]:
    """The expression as short Norwegian lines for people: ``["man–fre 08:00–16:00", "helligdager stengt"]``."""
    lines = []
    for part in _split(expression):
        rule = part.strip()
        if not rule or rule in (";", "||"):
            continue
        rule = re.sub(
            r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ?(\d{1,2})\b",
            lambda m: f"{int(m.group(2))}. {_MONTHS_NB[m.group(1)]}",
            rule,
        )
        rule = re.sub(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b", lambda m: _DAYS[m.group(1)], rule)
        rule = re.sub(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", lambda m: _MONTHS_NB[m.group(1)], rule)
        rule = re.sub(r"\b(man|tir|ons|tor|fre|lør|søn)-(man|tir|ons|tor|fre|lør|søn)\b", r"\1–\2", rule)
        for pattern, replacement in _TEXT:
            rule = pattern.sub(replacement, rule)
        lines.append(rule.replace('"', ""))
    return lines
