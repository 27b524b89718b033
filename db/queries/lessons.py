"""Lessons: the lesson a teacher borrowed equipment for, the unit the evaluation counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import as_date, execute, fetch_all


@dataclass(frozen=True)
class LessonRow:
    """One lesson (tiết dạy) with equipment."""

    id: int
    uid: str
    txn_ref: str
    teacher_id: int
    date: date
    session: str | None
    period: int | None
    class_name: str
    subject: str
    subject_group: str
    title: str
    ppct: int | None
    purpose: str
    #: Self-made equipment the teacher declared (thiết bị tự làm); "" for none.
    self_made: str = ""


def lesson_from(values) -> LessonRow | None:
    """Lesson columns (in :class:`LessonRow` order) as a row; None when the id is NULL."""
    if values[0] is None:
        return None
    return LessonRow(*values[:4], date=as_date(values[4]), session=values[5], period=values[6],
                     class_name=values[7] or "", subject=values[8] or "",
                     subject_group=values[9] or "", title=values[10] or "", ppct=values[11],
                     purpose=values[12] or "",
                     self_made=(values[13] or "") if len(values) > 13 else "")


def insert(*, uid: str, txn_ref: str, teacher_id: int, lesson_date: date, session: str | None,
           period: int | None, class_name: str, subject: str, subject_group: str, title: str,
           ppct: int | None, purpose: str, kiosk_id: str, created_at: datetime,
           self_made: str = "") -> int:
    """A new lesson; returns its row id."""
    cursor = execute(
        "INSERT INTO lesson (uid, txn_ref, teacher_id, lesson_date, session, period, class_name,"
        " subject, subject_group, title, ppct, purpose, kiosk_id, created_at, self_made)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (uid, txn_ref, teacher_id, lesson_date, session, period, class_name, subject,
         subject_group, title, ppct, purpose, kiosk_id, created_at, self_made))
    return cursor.fetchone()[0]


def recent_titles(teacher_id: int, limit: int = 6) -> list[str]:
    """A teacher's most recent distinct lesson titles, newest first."""
    rows = fetch_all("SELECT title FROM lesson WHERE teacher_id = ? AND title != '' "
                     "ORDER BY lesson_date DESC, id DESC LIMIT 200", (teacher_id,))
    titles: list[str] = []
    for (title,) in rows:
        if title not in titles:
            titles.append(title)
        if len(titles) >= limit:
            break
    return titles
