"""The school's calendar: holidays (due dates skip them) and its teaching periods."""
from __future__ import annotations

from datetime import date

from db.models import Holiday, Period, SchoolYear, Term
from db.queries import as_date, fetch_all


def holidays_between(start: date, end: date) -> set[date]:
    """Holidays from ``start`` to ``end`` inclusive (an index range on ``holiday.day``)."""
    return {as_date(day) for (day,) in fetch_all(
        "SELECT day FROM holiday WHERE day BETWEEN ? AND ?", (start, end))}


def periods() -> list[tuple[str, int]]:
    """The school's periods as (session, number), unordered."""
    return [(session, number) for session, number in fetch_all(
        "SELECT DISTINCT session, number FROM period")]


def period_times() -> dict[tuple[str, int], tuple[str, str]]:
    """Each period's start and end ("07:00", "07:45") by (session, number)."""
    return {(session, number): (starts, ends) for session, number, starts, ends in fetch_all(
        "SELECT session, number, starts_at, ends_at FROM period")}


def upsert_school_year(name: str, starts_on: date, ends_on: date) -> int:
    """A school year by name, created or moved; returns its id."""
    year, _ = SchoolYear.get_or_create(name=name, defaults={"starts_on": starts_on,
                                                           "ends_on": ends_on})
    SchoolYear.update(starts_on=starts_on, ends_on=ends_on).where(SchoolYear.id == year.id
                                                                 ).execute()
    return year.id


def upsert_term(school_year_id: int, name: str, starts_on: date, ends_on: date) -> None:
    """A term of a school year by name, created or moved."""
    updated = (Term.update(starts_on=starts_on, ends_on=ends_on)
               .where(Term.school_year == school_year_id, Term.name == name).execute())
    if not updated:
        Term.create(school_year=school_year_id, name=name, starts_on=starts_on, ends_on=ends_on)


def upsert_period(number: int, session: str, starts_at: str, ends_at: str) -> None:
    """A teaching period by (session, number), created or re-timed."""
    updated = (Period.update(starts_at=starts_at, ends_at=ends_at)
               .where(Period.number == number, Period.session == session).execute())
    if not updated:
        Period.create(number=number, session=session, starts_at=starts_at, ends_at=ends_at)


def upsert_holiday(day: date, name: str = "") -> None:
    """A holiday, created or renamed."""
    Holiday.insert(day=day, name=name).on_conflict(
        conflict_target=[Holiday.day], update={Holiday.name: name}).execute()


def school_years() -> list[tuple[str, date, date]]:
    """The school years entered, as (name, first day, last day)."""
    return [(name, as_date(start), as_date(end)) for name, start, end in fetch_all(
        "SELECT name, starts_on, ends_on FROM school_year ORDER BY starts_on")]


def terms_of(year_name: str) -> list[tuple[str, date, date]]:
    """A school year's terms in order, as (name, first day, last day)."""
    return [(name, as_date(start), as_date(end)) for name, start, end in fetch_all(
        "SELECT term.name, term.starts_on, term.ends_on FROM term "
        "JOIN school_year ON school_year.id = term.school_year_id "
        "WHERE school_year.name = ? ORDER BY term.starts_on", (year_name,))]
