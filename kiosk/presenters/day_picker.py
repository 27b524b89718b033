"""A month of days to pick one from (the staff's "another day" on the transactions and summary
tabs): weeks Monday first, as Vietnamese calendars print them; days after today cannot be
picked (nothing happened yet)."""
from __future__ import annotations

import calendar
from datetime import date

from kiosk.i18n import t


class DayPicker:
    """One month on screen, moved a month at a time."""

    def __init__(self, shown: date, today: date):
        self.today = today
        self.month = shown.replace(day=1)

    @property
    def title(self) -> str:
        """'Tháng 11/2026'."""
        return t("ui.day.month", month=self.month.month, year=self.month.year)

    def weeks(self) -> list[list[date | None]]:
        """The month's weeks, Monday first; None pads the first and last week."""
        days = calendar.Calendar(firstweekday=0).monthdatescalendar(self.month.year,
                                                                     self.month.month)
        return [[d if d.month == self.month.month else None for d in week] for week in days]

    def selectable(self, day: date) -> bool:
        """Only days up to today."""
        return day <= self.today

    @property
    def can_go_forward(self) -> bool:
        """False on the current month: the months after it have not happened."""
        return (self.month.year, self.month.month) < (self.today.year, self.today.month)

    def step(self, months: int) -> None:
        """A month back (-1) or forward (+1), never past today's month."""
        index = self.month.year * 12 + self.month.month - 1 + months
        target = date(index // 12, index % 12 + 1, 1)
        if (target.year, target.month) <= (self.today.year, self.today.month):
            self.month = target


def weekday_initials() -> list[str]:
    """The column heads, Monday first: 'T2' ... 'CN'."""
    return [t(f"ui.day.weekday_{n}") for n in range(7)]
