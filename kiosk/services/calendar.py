"""Due dates: a loan's length in days, rolled forward past closed weekdays and holidays."""
from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Callable

from db.queries.calendar import holidays_between
from kiosk.i18n import t


def next_open_day(day: date, closed_weekdays: set[int], holidays: set[date]) -> date:
    """``day`` itself when the library is open then, else the next day that it is."""
    for _ in range(366):
        if day.weekday() not in closed_weekdays and day not in holidays:
            return day
        day += timedelta(days=1)
    raise ValueError("no open day within a year")


def due_date(start: date, days: int, closed_weekdays: list[int],
             holidays: set[date] | None = None) -> date:
    """The due date of a loan of ``days`` days starting ``start``, never on a closed day
    (``holidays``: already known ones, else they are read for the weeks after the target)."""
    target = start + timedelta(days=days)
    if holidays is None:
        holidays = holidays_between(target, target + timedelta(days=60))
    return next_open_day(target, set(closed_weekdays), holidays)


class HolidayCache:
    """The school's holidays for the year ahead, read again every few minutes: a scan's due date
    then costs no query (holidays change when staff import the calendar, rarely)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic, max_age_s: float = 300):
        self._monotonic = monotonic
        self._max_age_s = max_age_s
        self._read_at: float | None = None
        self._from: date | None = None
        self._days: set[date] = set()

    def around(self, today: date, refresh: bool = True) -> set[date]:
        """Holidays from ``today`` to about a year later. ``refresh=False`` (a scan inside a
        session) reads them only when nothing is known for today yet."""
        now = self._monotonic()
        stale = self._read_at is None or now - self._read_at > self._max_age_s
        if self._from != today or (refresh and stale):
            self._days = holidays_between(today, today + timedelta(days=400))
            self._read_at, self._from = now, today
        return self._days


def period_label(number: int | None, session: str | None) -> str:
    """A lesson's period as registers write it: ``2``, or ``2 (chiều)`` for the afternoon."""
    if not number:
        return ""
    if session in (None, "", "morning"):
        return str(number)
    return t("slip.period_in_session", n=number, session=t(f"ui.equipment.session_{session}").lower())
