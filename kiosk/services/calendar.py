"""Due dates: a loan's length in days, rolled forward past closed weekdays and holidays."""
from __future__ import annotations

from datetime import date, timedelta

from db.models import Holiday
from kiosk.i18n import t


def holidays_between(start: date, end: date) -> set[date]:
    """Holidays from ``start`` to ``end`` inclusive (an index range on ``holiday.day``)."""
    return {row.day for row in Holiday.select(Holiday.day)
            .where(Holiday.day.between(start, end))}


def next_open_day(day: date, closed_weekdays: set[int], holidays: set[date]) -> date:
    """``day`` itself when the library is open then, else the next day that it is."""
    for _ in range(366):
        if day.weekday() not in closed_weekdays and day not in holidays:
            return day
        day += timedelta(days=1)
    raise ValueError("no open day within a year")


def due_date(start: date, days: int, closed_weekdays: list[int]) -> date:
    """The due date of a loan of ``days`` days starting ``start``, never on a closed day."""
    target = start + timedelta(days=days)
    holidays = holidays_between(target, target + timedelta(days=60))
    return next_open_day(target, set(closed_weekdays), holidays)


def period_label(number: int | None, session: str | None) -> str:
    """A lesson's period as registers write it: ``2``, or ``2 (chiều)`` for the afternoon."""
    if not number:
        return ""
    if session in (None, "", "morning"):
        return str(number)
    return t("slip.period_in_session", n=number, session=t(f"ui.equipment.session_{session}").lower())
