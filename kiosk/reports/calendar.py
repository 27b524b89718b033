"""School years, terms and months as the reports count them.

A school year runs from 1 August to 31 July (``2026-2027``) unless the school entered its own
year; its terms are the ones entered (the first is HK1, the second HK2), else HK1 runs from
1 August to 15 January and HK2 from 16 January to 31 July, as the district hub counts them.
PPCT week 1 is the week (Monday to Sunday) holding the school year's first day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db.queries import calendar

TERMS = ("HK1", "HK2", "year")


def school_year_of(day: date) -> str:
    """``2026-2027`` for a day of that school year."""
    for name, start, end in calendar.school_years():
        if start <= day <= end:
            return name
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def year_bounds(school_year: str) -> tuple[date, date]:
    """The first and last day of a school year (1 August to 31 July when not entered)."""
    start = int(school_year[:4])
    return date(start, 8, 1), date(start + 1, 7, 31)


def teaching_start(school_year: str) -> date:
    """The first teaching day of a school year: the entered year's, else 5 September."""
    for name, start, _ in calendar.school_years():
        if name == school_year:
            return start
    return date(int(school_year[:4]), 9, 5)


def term_bounds(school_year: str, term: str) -> tuple[date, date]:
    """The first and last day of ``HK1``, ``HK2`` or the whole ``year``."""
    if term not in TERMS:
        raise ValueError(term)
    first, last = year_bounds(school_year)
    if term == "year":
        return first, last
    entered = calendar.terms_of(school_year)
    if len(entered) >= 2:
        index = TERMS.index(term)
        start = entered[index][1]
        # A term runs until the next one starts (holidays between terms belong to the first).
        end = entered[1][1] - timedelta(days=1) if index == 0 else last
        return (first if index == 0 else start), end
    start = int(school_year[:4])
    if term == "HK1":
        return first, date(start + 1, 1, 15)
    return date(start + 1, 1, 16), last


def term_of(day: date) -> str:
    """``HK1`` or ``HK2``."""
    year = school_year_of(day)
    first, last = term_bounds(year, "HK1")
    return "HK1" if first <= day <= last else "HK2"


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def ppct_week_start(school_year: str, week: int) -> date:
    """The Monday that PPCT week ``week`` begins."""
    first = teaching_start(school_year)
    return first - timedelta(days=first.weekday()) + timedelta(weeks=week - 1)


@dataclass(frozen=True)
class ReportPeriod:
    """What a report covers: days (inclusive), the school year and the term its quotas are for."""

    start: date
    end: date
    school_year: str
    term: str  # HK1 | HK2 | year

    @property
    def months(self) -> list[date]:
        """The months the period touches."""
        return month_starts(self.start, self.end)


def report_period(start: date | None, end: date | None, term: str | None,
                  today: date) -> ReportPeriod:
    """The period of a report: ``term`` of the school year holding ``start`` (or today), its
    days narrowed by ``start``/``end``; without ``term``, the term that holds both days, else
    the year. Without any, this term up to today."""
    anchor = start or end or today
    year = school_year_of(anchor)
    if term is None:
        if start is None and end is None:
            term = term_of(today)
        else:
            low, high = start or anchor, end or anchor
            term = next((name for name in ("HK1", "HK2")
                         if term_bounds(year, name)[0] <= low
                         and high <= term_bounds(year, name)[1]), "year")
    first, last = term_bounds(year, term)
    if term != "HK2":  # the summer before teaching starts holds no lessons worth a column
        first = max(first, teaching_start(year) - timedelta(days=teaching_start(year).day - 1))
    return ReportPeriod(start=start or first, end=end or min(last, max(today, first)),
                        school_year=year, term=term)
