"""School years and terms: which year and term a local date falls in.

A school year runs from 1 August to 31 July (``2026-2027``). Terms come from the ``Term`` table
(district staff edit them in the admin); a year without rows uses HK1 = 1 August to 15 January,
HK2 = 16 January to 31 July. Times are turned into Vietnam dates first.
"""
from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TERMS = ("HK1", "HK2")
_CACHE: dict = {"at": 0.0, "terms": {}}
_TTL_S = 60.0


def local_date(moment: datetime) -> date:
    """The Vietnam date of an aware moment."""
    return moment.astimezone(VIETNAM).date()


def school_year_of(day: date) -> str:
    """``2026-2027`` for any day from 1 August 2026 to 31 July 2027."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def year_bounds(school_year: str) -> tuple[date, date]:
    """First and last day of a school year."""
    start = int(school_year[:4])
    return date(start, 8, 1), date(start + 1, 7, 31)


def _terms() -> dict[tuple[str, str], tuple[date, date]]:
    now = time.monotonic()
    if now - _CACHE["at"] > _TTL_S:
        from hub.schools.models import Term

        _CACHE["terms"] = {(t.school_year, t.code): (t.starts_on, t.ends_on)
                           for t in Term.objects.all()}
        _CACHE["at"] = now
    return _CACHE["terms"]


def forget_terms() -> None:
    """Drop the cached terms (after an edit, or between tests)."""
    _CACHE["at"] = 0.0


def term_bounds(school_year: str, term: str) -> tuple[date, date]:
    """First and last day of ``HK1``, ``HK2`` or ``year``."""
    if term == "year":
        return year_bounds(school_year)
    known = _terms().get((school_year, term))
    if known:
        return known
    start = int(school_year[:4])
    if term == "HK1":
        return date(start, 8, 1), date(start + 1, 1, 15)
    return date(start + 1, 1, 16), date(start + 1, 7, 31)


def term_of(day: date) -> str:
    """``HK1`` or ``HK2`` (``""`` for a day between two terms' defined bounds)."""
    year = school_year_of(day)
    for term in TERMS:
        first, last = term_bounds(year, term)
        if first <= day <= last:
            return term
    return ""


def month_start(day: date) -> date:
    """The first day of the day's month (how monthly figures are keyed)."""
    return day.replace(day=1)


def months_of(school_year: str, term: str = "year", today: date | None = None) -> list[date]:
    """The first days of the months a term (or the year) touches, in order, up to this month
    (no empty columns for months still to come)."""
    first, last = term_bounds(school_year, term)
    last = min(last, today or datetime.now(VIETNAM).date())
    if last < first:
        last = first
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def current_school_year(today: date | None = None) -> str:
    """The school year of today (Vietnam time)."""
    return school_year_of(today or datetime.now(VIETNAM).date())
