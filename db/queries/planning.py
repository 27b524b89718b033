"""Writes of the evaluation's inputs: quotas, the lesson plan, class visits, teachers' grades."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import as_date, execute, fetch_all, fetch_one


@dataclass(frozen=True)
class RuleInput:
    """One quota rule to store."""

    subject: str
    grade: str
    teacher_code: str
    periods: int


def replace_quotas(school_year: str, term: str, rules: list[RuleInput], set_by: str,
                   at: datetime) -> None:
    """Replace the whole table of one term of a school year (as ``quota.set`` says)."""
    execute("DELETE FROM quota WHERE school_year = ? AND term = ?", (school_year, term))
    for rule in rules:
        execute("INSERT INTO quota (school_year, term, subject, grade, teacher_code, periods,"
                " set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (school_year, term, rule.subject, rule.grade, rule.teacher_code, rule.periods,
                 set_by, at))


@dataclass(frozen=True)
class PlanInput:
    """One lesson of the plan to store, with its equipment as (type id or None, name, qty)."""

    subject: str
    grade: str
    ppct: int
    week: int | None
    title: str
    equipment: str
    items: tuple[tuple[int | None, str, int], ...]


def plan_ids(school_year: str) -> dict[tuple[str, str, int], int]:
    """The stored lessons of a year's plan by (subject, grade, ppct)."""
    return {(subject, grade, ppct): plan_id for plan_id, subject, grade, ppct in fetch_all(
        "SELECT id, subject, grade, ppct FROM lesson_plan WHERE school_year = ?", (school_year,))}


def upsert_plan_lesson(school_year: str, lesson: PlanInput, existing: int | None,
                       at: datetime) -> int:
    """Store one planned lesson (replacing its equipment list); returns its id."""
    if existing is None:
        plan_id = execute(
            "INSERT INTO lesson_plan (school_year, subject, grade, ppct, week, title, equipment,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (school_year, lesson.subject, lesson.grade, lesson.ppct, lesson.week, lesson.title,
             lesson.equipment, at)).fetchone()[0]
    else:
        plan_id = existing
        execute("UPDATE lesson_plan SET week = ?, title = ?, equipment = ?, updated_at = ? "
                "WHERE id = ?", (lesson.week, lesson.title, lesson.equipment, at, plan_id))
        execute("DELETE FROM lesson_plan_item WHERE plan_id = ?", (plan_id,))
    for type_id, name, quantity in lesson.items:
        execute("INSERT INTO lesson_plan_item (plan_id, equipment_type_id, name, quantity) "
                "VALUES (?, ?, ?, ?)", (plan_id, type_id, name, quantity))
    return plan_id


def equipment_by_name() -> dict[str, tuple[int, str]]:
    """Equipment types by code and by search key of their name: (id, code)."""
    from db.text import search_key
    found: dict[str, tuple[int, str]] = {}
    for type_id, code, name in fetch_all("SELECT id, code, name FROM equipment_type"):
        found[code] = (type_id, code)
        found.setdefault(search_key(name), (type_id, code))
    return found


def insert_visit(*, uid: str, txn_ref: str, class_name: str, visit_date: date, students: int,
                 titles: list[str], recorded_by: str, kiosk_id: str, at: datetime) -> int:
    """A class visit; returns its id."""
    return execute(
        "INSERT INTO class_visit (uid, txn_ref, class_name, visit_date, students, titles,"
        " recorded_by, kiosk_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (uid, txn_ref, class_name, visit_date, students, "\n".join(titles), recorded_by,
         kiosk_id, at)).fetchone()[0]


def void_visit(visit_id: int, at: datetime) -> tuple[str, str, date] | None:
    """Mark a visit voided; its (uid, class, date), or None when unknown or already voided."""
    row = fetch_one("SELECT uid, class_name, visit_date FROM class_visit "
                    "WHERE id = ? AND voided_at IS NULL", (visit_id,))
    if row is None:
        return None
    execute("UPDATE class_visit SET voided_at = ? WHERE id = ? AND voided_at IS NULL",
            (at, visit_id))
    return row[0], row[1], as_date(row[2])


def roster_classes() -> list[tuple[str, int | None, int]]:
    """Classes of active students as (class, grade, students)."""
    return [(name, grade, count) for name, grade, count in fetch_all(
        "SELECT class_name, MIN(grade), COUNT(*) FROM patron WHERE kind = 'student' "
        "AND active = ? AND class_name != '' GROUP BY class_name", (True,))]


def roster_teachers() -> list[tuple[str, str, str, str, str]]:
    """Active teachers as (code, name, group, subjects, grades)."""
    return fetch_all("SELECT code, name, subject_group, subjects, grades FROM patron "
                     "WHERE kind = 'teacher' AND active = ? ORDER BY code", (True,))
