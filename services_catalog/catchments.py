"""Times of day a legevakt's cover can differ by, and which of them a moment falls in.

A legevakt entry's ``serves`` says, for each municipality, at which of ``COVER_TIMES`` it
covers it (see ``services_catalog.schema.Cover``). This module only decides which time of
day a moment is, in Oslo time, with the Norwegian public holidays of ``services_catalog.hours``:

- ``night``: every night, 22:00–08:00 (weekends and holidays too);
- ``weekend``: Saturdays, Sundays and public holidays, 08:00–22:00;
- ``day``: other days 08:00–15:30 (the fastlege's opening hours);
- ``evening``: other days 15:30–22:00.

The boundaries differ by up to half an hour between legevakter (15:00, 15:30 or 16:00 in the
afternoon; 22:00 or 23:00 at night). Near a boundary the answer can be the neighbouring time
of day, which is why every answer also gives 116 117: the number always reaches the legevakt
that is on duty. Christmas Eve and New Year's Eve are not public holidays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from services_catalog import hours
from services_catalog.schema import COVER_TIMES

#: Times of day, in the order pages list them.
TIMES = COVER_TIMES
#: Norwegian labels of the times of day, for pages and the assistant.
TIME_LABELS = {
    "day": "på dagtid på hverdager",
    "evening": "på ettermiddag og kveld på hverdager",
    "night": "om natten",
    "weekend": "i helger og på helligdager",
}
DAY_START = dt.time(8, 0)
EVENING_START = dt.time(15, 30)
NIGHT_START = dt.time(22, 0)


def time_of_day(when: dt.datetime | None = None) -> str:
    """``day``, ``evening``, ``night`` or ``weekend`` for a moment (default: now), in Oslo time."""
    when = when or dt.datetime.now(hours.TIMEZONE)
    when = when.replace(tzinfo=hours.TIMEZONE) if when.tzinfo is None else when.astimezone(hours.TIMEZONE)
    clock = when.time()
    if clock >= NIGHT_START or clock < DAY_START:
        return "night"
    if when.weekday() >= 5 or when.date() in hours.public_holidays([when.year]):
        return "weekend"
    return "day" if clock < EVENING_START else "evening"


def describe_times(times: Iterable[str]) -> str:
    """``["night", "weekend"]`` → ``"om natten og i helger og på helligdager"``; all four → ``"hele døgnet"``."""
    ordered = [t for t in TIMES if t in set(times)]
    if len(ordered) == len(TIMES):
        return "hele døgnet"
    labels = [TIME_LABELS[t] for t in ordered]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]
