"""Read-only queries behind the reports: lessons with equipment, quotas, the lesson plan, reading
by class and month, class visits, declarations.

Portable SQL: months are numbered with ``CASE`` over bounds the caller computes (local months
as stored UTC times), counts with ``GROUP BY``; no engine's own date functions. Every query is
bounded by an indexed column (``lesson.lesson_date``, ``loan(kind, out_at)``,
``class_visit.visit_date``, ``outbox.type``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Sequence

from db.queries import as_date, fetch_all, fetch_one
from db.vocabulary import BOOK, ITEM_DECLARED, STUDENT, TEACHER


def month_case(column: str, bounds: Sequence) -> tuple[str, list]:
    """``CASE WHEN column < b1 THEN 0 WHEN column < b2 THEN 1 ... END`` and its parameters:
    the index of the month a value falls in (``bounds``: each month's end, ascending)."""
    whens = " ".join(f"WHEN {column} < ? THEN {i}" for i in range(len(bounds)))
    return f"CASE {whens} ELSE {len(bounds)} END", list(bounds)


# -- lessons with equipment -----------------------------------------------------------------
class LessonLine(NamedTuple):
    """A lesson in a period, with one of its equipment lines (or none). A tuple: a year holds
    a hundred thousand of them, built fast."""

    lesson_id: int
    teacher_code: str
    teacher_name: str
    date: date
    session: str | None
    period: int | None
    class_name: str
    subject: str
    subject_group: str
    title: str
    ppct: int | None
    purpose: str
    self_made: str
    equipment: str | None  # the line's equipment name; None when the lesson has no live line
    quantity: int


# The lesson's teacher and the line's equipment are looked up in small tables read once (40
# teachers, a few thousand items), not joined into each of a year's hundred thousand lines.
_LESSON_LINES = """
    SELECT lesson.id, lesson.teacher_id, lesson.lesson_date, lesson.session,
           lesson.period, lesson.class_name, lesson.subject, lesson.subject_group, lesson.title,
           lesson.ppct, lesson.purpose, lesson.self_made, loan.item_id, loan.equipment_type_id,
           loan.quantity
    FROM lesson
    LEFT JOIN loan ON loan.lesson_id = lesson.id AND loan.voided_at IS NULL
    WHERE lesson.lesson_date >= ? AND lesson.lesson_date <= ?
    ORDER BY lesson.lesson_date, lesson.session, lesson.period, lesson.id, loan.id
"""


def lesson_lines(start: date, end: date) -> list[LessonLine]:
    """Every lesson taught from ``start`` to ``end`` with each of its lines not voided (a lesson
    all of whose lines were voided comes once, with ``equipment`` None)."""
    rows = fetch_all(_LESSON_LINES, (start, end))
    if not rows:
        return []
    teachers = {pid: (code, name) for pid, code, name in fetch_all(
        "SELECT id, code, name FROM patron WHERE kind = ?", (TEACHER,))}
    types = {tid: name for tid, name in fetch_all("SELECT id, name FROM equipment_type")}
    items = {iid: types.get(tid) for iid, tid in fetch_all(
        "SELECT id, type_id FROM equipment_item")}
    days: dict = {}  # a year's hundred thousand lines fall on some two hundred days
    lines = []
    for (lesson_id, teacher_id, day, session, period, class_name, subject, group, title, ppct,
         purpose, self_made, item_id, type_id, quantity) in rows:
        on = days.get(day)
        if on is None:
            on = days[day] = as_date(day)
        code, name = teachers.get(teacher_id) or fetch_one(
            "SELECT code, name FROM patron WHERE id = ?", (teacher_id,)) or ("", "")
        equipment = items.get(item_id) if item_id is not None else (
            types.get(type_id) if type_id is not None else None)
        lines.append(LessonLine(lesson_id, code, name, on, session, period, class_name or "",
                                subject or "", group or "", title or "", ppct, purpose or "",
                                self_made or "", equipment, quantity or 0))
    return lines


def counted_lessons_by_class(start: date, end: date) -> list[tuple[str, str, int]]:
    """Lessons taught from ``start`` to ``end`` that count (a line not voided, or self-made
    equipment), as (subject, class, lessons): counted in the database, as
    :func:`lesson_lines` would give them one by one."""
    return [(subject or "", class_name or "", count) for subject, class_name, count in fetch_all(
        "SELECT lesson.subject, lesson.class_name, COUNT(*) FROM lesson "
        "WHERE lesson.lesson_date >= ? AND lesson.lesson_date <= ? "
        "AND (COALESCE(lesson.self_made, '') != '' OR EXISTS (SELECT 1 FROM loan "
        "WHERE loan.lesson_id = lesson.id AND loan.voided_at IS NULL "
        "AND (loan.item_id IS NOT NULL OR loan.equipment_type_id IS NOT NULL))) "
        "GROUP BY lesson.subject, lesson.class_name", (start, end))]


@dataclass(frozen=True)
class TeacherEntry:
    """A teacher as the usage report lists them."""

    code: str
    name: str
    subject_group: str
    subjects: tuple[str, ...]
    grades: tuple[str, ...]
    active: bool


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def teachers() -> list[TeacherEntry]:
    """Every teacher (active or not) with their group, subjects and grades."""
    return [TeacherEntry(code, name, group or "", _split(subjects), _split(grades), bool(active))
            for code, name, group, subjects, grades, active in fetch_all(
                "SELECT code, name, subject_group, subjects, grades, active FROM patron "
                "WHERE kind = ?", (TEACHER,))]


# -- quotas ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuotaRule:
    """Required periods using equipment: for a subject x grade, or for one teacher."""

    subject: str
    grade: str
    teacher_code: str
    periods: int


def quota_rules(school_year: str, term: str) -> list[QuotaRule]:
    """The rules of one term (``HK1``, ``HK2`` or ``year``) of a school year."""
    return [QuotaRule(*row) for row in fetch_all(
        "SELECT subject, grade, teacher_code, periods FROM quota "
        "WHERE school_year = ? AND term = ? ORDER BY subject, grade, teacher_code",
        (school_year, term))]




# -- the lesson plan ------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanLesson:
    """A lesson of the sổ phân định TBDH."""

    id: int
    subject: str
    grade: str
    ppct: int
    week: int | None
    title: str
    equipment: str  # as the plan writes it

    @property
    def needs_equipment(self) -> bool:
        """True when the plan names equipment for it."""
        return bool(self.equipment.strip())


def plan_lessons(school_year: str, subject: str | None = None, grade: str | None = None
                 ) -> list[PlanLesson]:
    """A school year's planned lessons (of one subject and grade), in PPCT order."""
    where, params = ["school_year = ?"], [school_year]
    if subject is not None:
        where.append("subject = ?")
        params.append(subject)
    if grade is not None:
        where.append("grade = ?")
        params.append(grade)
    return [PlanLesson(*row) for row in fetch_all(
        f"SELECT id, subject, grade, ppct, week, title, equipment FROM lesson_plan "
        f"WHERE {' AND '.join(where)} ORDER BY subject, grade, ppct", params)]


@dataclass(frozen=True)
class PlanItem:
    """A piece of equipment a planned lesson needs."""

    name: str
    quantity: int
    type_code: str | None
    counted: bool


def plan_items(plan_id: int) -> list[PlanItem]:
    """What a planned lesson needs, the known types with their code."""
    return [PlanItem(name=row[0] or row[2] or "", quantity=row[1], type_code=row[3],
                     counted=row[4] == "counted")
            for row in fetch_all(
                "SELECT lesson_plan_item.name, lesson_plan_item.quantity, equipment_type.name, "
                "equipment_type.code, equipment_type.tracking FROM lesson_plan_item "
                "LEFT JOIN equipment_type ON equipment_type.id = lesson_plan_item.equipment_type_id"
                " WHERE lesson_plan_item.plan_id = ? ORDER BY lesson_plan_item.id", (plan_id,))]


# -- classes --------------------------------------------------------------------------------
def class_sizes() -> dict[str, int]:
    """Active students per class (sĩ số)."""
    return {name: count for name, count in fetch_all(
        "SELECT class_name, COUNT(*) FROM patron WHERE kind = ? AND active = ? "
        "AND class_name != '' GROUP BY class_name", (STUDENT, True))}


# -- reading --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadingCell:
    """Book loans of one class (or of teachers) in one month."""

    patron_kind: str
    class_name: str
    month: int  # index into the month bounds
    loans: int


def book_loans_by_patron_month(low: datetime, month_ends: Sequence[datetime]
                               ) -> list[tuple[int, int, int]]:
    """Book loans (not voided) from ``low`` until the last month end as (patron id, month
    index, loans): one index-only range scan (``loan_reading``) a month, no join."""
    # A query a month rather than one numbering months with CASE: the nine comparisons per
    # row cost more than the scan itself (0.34 s against 0.75 s for a year at 900k loans).
    # "+ 0": grouping by the bare column lets the planner walk loan_patron in patron order
    # and look every loan up in the table (3x slower); the expression keeps the covering index.
    rows = []
    for month, (begin, end) in enumerate(zip([low, *month_ends[:-1]], month_ends)):
        rows += [(patron, month, count) for patron, count in fetch_all(
            "SELECT patron_id + 0 AS patron, COUNT(*) FROM loan WHERE kind = ? "
            "AND out_at >= ? AND out_at < ? AND voided_at IS NULL GROUP BY patron",
            (BOOK, begin, end))]
    return rows


def book_loans_by_copy(low: datetime, high: datetime) -> list[tuple[int, int]]:
    """Book loans (not voided) in [low, high) as (copy id, loans): one index-only scan."""
    return fetch_all("SELECT copy_id + 0 AS copy, COUNT(*) FROM loan WHERE kind = ? "
                     "AND out_at >= ? AND out_at < ? AND voided_at IS NULL GROUP BY copy",
                     (BOOK, low, high))


def patron_classes() -> dict[int, tuple[str, str]]:
    """Every patron's (kind, class) by id."""
    return {pid: (kind, name or "") for pid, kind, name in fetch_all(
        "SELECT id, kind, class_name FROM patron")}


def copy_titles() -> dict[int, tuple[int, str]]:
    """Every copy's (title id, store) by id."""
    return {cid: (title, store or "") for cid, title, store in fetch_all(
        "SELECT id, title_id, store FROM copy")}


def titles_by_id(ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Some titles' (title, author) by id."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return {tid: (title, author or "") for tid, title, author in fetch_all(
        f"SELECT id, title, author FROM title WHERE id IN ({marks})", tuple(ids))}


def book_loans_by_class_month(low: datetime, month_ends: Sequence[datetime]
                              ) -> list[ReadingCell]:
    """Book loans made from ``low`` until the last month end, not voided, by the borrower's
    kind and class and by month (``month_ends``: each month's end as a stored time)."""
    case, params = month_case("loan.out_at", month_ends)
    rows = fetch_all(
        f"SELECT patron.kind, patron.class_name, {case} AS month, COUNT(*) FROM loan "
        f"JOIN patron ON patron.id = loan.patron_id "
        f"WHERE loan.kind = ? AND loan.out_at >= ? AND loan.out_at < ? "
        f"AND loan.voided_at IS NULL GROUP BY patron.kind, patron.class_name, month",
        (*params, BOOK, low, month_ends[-1]))
    return [ReadingCell(kind, name or "", month, count) for kind, name, month, count in rows]




def book_loans_by_month(low: datetime, month_ends: Sequence[datetime]) -> list[int]:
    """Book loans (not voided) by month: the comparison with last year."""
    case, params = month_case("out_at", month_ends)
    counts = [0] * len(month_ends)
    for month, count in fetch_all(
            f"SELECT {case} AS month, COUNT(*) FROM loan WHERE kind = ? AND out_at >= ? "
            f"AND out_at < ? AND voided_at IS NULL GROUP BY month",
            (*params, BOOK, low, month_ends[-1])):
        if month < len(counts):
            counts[month] += count
    return counts


@dataclass(frozen=True)
class TopTitle:
    """A title and how many times it was borrowed."""

    title: str
    author: str
    loans: int



@dataclass(frozen=True)
class TopReader:
    """A student and how many books they borrowed (shown only where the school allows)."""

    name: str
    class_name: str
    loans: int


def top_readers(low: datetime, high: datetime, limit: int = 5) -> list[TopReader]:
    """The students who borrowed the most books in a period."""
    return [TopReader(name, class_name or "", count) for _, name, class_name, count in fetch_all(
        f"SELECT patron.id, patron.name, patron.class_name, COUNT(*) AS n FROM loan "
        f"JOIN patron ON patron.id = loan.patron_id WHERE loan.kind = ? AND loan.out_at >= ? "
        f"AND loan.out_at < ? AND loan.voided_at IS NULL AND patron.kind = ? "
        f"GROUP BY patron.id, patron.name, patron.class_name ORDER BY n DESC, patron.name "
        f"LIMIT {int(limit)}", (BOOK, low, high, STUDENT))]


def newest_titles(limit: int = 5) -> list[tuple[str, str]]:
    """The titles whose copies were added last, as (title, author)."""
    rows = fetch_all(
        "SELECT title.id, title.title, title.author, MAX(copy.added_on) AS added FROM copy "
        "JOIN title ON title.id = copy.title_id WHERE copy.status != 'withdrawn' "
        f"GROUP BY title.id, title.title, title.author ORDER BY added DESC, title.id DESC "
        f"LIMIT {int(limit)}")
    return [(title, author or "") for _, title, author, _ in rows]


# -- class visits ---------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitCell:
    """Class visits of one class in one month."""

    class_name: str
    month: int
    visits: int
    readers: int


def visits_by_class_month(start: date, month_ends: Sequence[date]) -> list[VisitCell]:
    """Class visits (not voided) from ``start`` to before the last month end, by class and
    month (``month_ends``: the day after each month)."""
    case, params = month_case("visit_date", month_ends)
    return [VisitCell(name, month, visits, readers or 0)
            for name, month, visits, readers in fetch_all(
                f"SELECT class_name, {case} AS month, COUNT(*), SUM(students) FROM class_visit "
                f"WHERE visit_date >= ? AND visit_date < ? AND voided_at IS NULL "
                f"GROUP BY class_name, month", (*params, start, month_ends[-1]))]


@dataclass(frozen=True)
class VisitRow:
    """One class visit."""

    id: int
    uid: str
    class_name: str
    date: date
    students: int
    titles: tuple[str, ...]
    voided: bool


def visits_between(start: date, end: date) -> list[VisitRow]:
    """Class visits from ``start`` to ``end`` (voided ones too), newest first."""
    return [VisitRow(row[0], row[1], row[2], as_date(row[3]), row[4],
                     tuple(t for t in (row[5] or "").split("\n") if t), row[6] is not None)
            for row in fetch_all(
                "SELECT id, uid, class_name, visit_date, students, titles, voided_at "
                "FROM class_visit WHERE visit_date >= ? AND visit_date <= ? "
                "ORDER BY visit_date DESC, id DESC", (start, end))]


# -- declarations ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DeclaredRecord:
    """An ``item.declared`` record: what it declared and where the province has it."""

    state: str  # pending | sent | dead
    data: str  # the record's JSON
    last_error: str


def declared_records(low: str, high: str) -> list[DeclaredRecord]:
    """``item.declared`` records whose moment (ISO 8601, local) falls in [low, high)."""
    return [DeclaredRecord(state, data, error or "") for state, data, error in fetch_all(
        "SELECT state, data, last_error FROM outbox WHERE type = ? AND occurred_at >= ? "
        "AND occurred_at < ? ORDER BY id", (ITEM_DECLARED, low, high))]


@dataclass(frozen=True)
class IncompleteItem:
    """An item whose record misses what the registers need."""

    kind: str  # book | equipment
    code: str
    name: str
    missing: tuple[str, ...]


def incomplete_books(limit: int) -> tuple[int, list[IncompleteItem]]:
    """Copies (not withdrawn) missing price, classification, publisher or year: how many, and
    the first ``limit``."""
    where = ("copy.status != 'withdrawn' AND ((copy.price IS NULL AND title.price IS NULL) "
             "OR title.classification = '' OR title.publisher = '' OR title.year IS NULL)")
    total = fetch_one(f"SELECT COUNT(*) FROM copy JOIN title ON title.id = copy.title_id "
                      f"WHERE {where}")[0]
    rows = fetch_all(
        f"SELECT copy.barcode, title.title, copy.price, title.price, title.classification, "
        f"title.publisher, title.year FROM copy JOIN title ON title.id = copy.title_id "
        f"WHERE {where} ORDER BY copy.barcode LIMIT {int(limit)}")
    items = []
    for barcode, name, copy_price, title_price, classification, publisher, year in rows:
        missing = tuple(field for field, absent in (
            ("price", copy_price is None and title_price is None),
            ("classification", not classification), ("publisher", not publisher),
            ("year", year is None)) if absent)
        items.append(IncompleteItem(BOOK, barcode, name, missing))
    return total, items


def incomplete_equipment(limit: int) -> tuple[int, list[IncompleteItem]]:
    """Equipment types missing unit, subject or grade: how many, and the first ``limit``."""
    where = "unit = '' OR subject = '' OR grade = ''"
    total = fetch_one(f"SELECT COUNT(*) FROM equipment_type WHERE {where}")[0]
    items = []
    for code, name, unit, subject, grade in fetch_all(
            f"SELECT code, name, unit, subject, grade FROM equipment_type WHERE {where} "
            f"ORDER BY code LIMIT {int(limit)}"):
        missing = tuple(field for field, value in (("unit", unit), ("subject", subject),
                                                   ("grade", grade)) if not value)
        items.append(IncompleteItem("equipment", code, name, missing))
    return total, items


def known_subject_grades() -> tuple[set[str], set[tuple[str, str]]]:
    """Every subject the school files something under, and the (subject, grade) pairs of its
    equipment, plan, quotas and lessons (the grade of a lesson is its class's leading
    number, worked out by the caller from the class names returned as pairs (subject, class))."""
    subjects: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for table in ("equipment_type", "lesson_plan", "quota"):
        for subject, grade in fetch_all(f"SELECT DISTINCT subject, grade FROM {table}"):
            if subject:
                subjects.add(subject)
                if grade:
                    pairs.add((subject, grade))
    for (subjects_text,) in fetch_all("SELECT subjects FROM patron WHERE kind = ?", (TEACHER,)):
        subjects.update(_split(subjects_text))
    for subject, class_name in fetch_all("SELECT DISTINCT subject, class_name FROM lesson"):
        if subject:
            subjects.add(subject)
            pairs.add((subject, "class:" + (class_name or "")))
    return subjects, pairs


def teacher_codes() -> dict[str, str]:
    """Every teacher's code and name."""
    return {code: name for code, name in fetch_all(
        "SELECT code, name FROM patron WHERE kind = ?", (TEACHER,))}
