"""The figures of every page, read from the tables kept up to date as records arrive (never
from the raw records, so a page costs the same at 5 million records as at 5 thousand)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, IntegerField, Max, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from hub.calendar import VIETNAM, months_of, term_bounds
from hub.ingest.models import (ClassRoster, ClassVisit, Item, Loan, Quota, ReadingCount,
                               TeacherRoster, UsageCount)
from hub.schools.models import Kiosk, School
from hub.web.health import RANK, SILENT, kiosk_health


def pct(part, whole) -> float | None:
    """``part`` as a percentage of ``whole`` (None when there is no whole)."""
    return round(100.0 * part / whole, 1) if whole else None


def ratio(part, whole) -> float | None:
    """``part / whole`` rounded (None when there is no whole)."""
    return round(part / whole, 2) if whole else None


# -- schools and kiosks ---------------------------------------------------------------------------
@dataclass
class SchoolRow:
    """One line of the schools page."""

    school: School
    kiosks: list = field(default_factory=list)  # (kiosk, health)
    state: str = SILENT
    last_seen: datetime | None = None
    pending: int = 0
    problems: list = field(default_factory=list)
    overdue: int = 0


SORTS = {"name": lambda r: r.school.name,
         "state": lambda r: (-RANK[r.state], r.school.name),
         "pending": lambda r: (-r.pending, r.school.name),
         "seen": lambda r: (r.last_seen is not None, r.last_seen or datetime.min),
         "problems": lambda r: (-len(r.problems), r.school.name),
         "overdue": lambda r: (-r.overdue, r.school.name)}


def school_rows(schools, now: datetime, today: date, sort: str = "state") -> list[SchoolRow]:
    """Every school with its kiosks' health, sorted by ``sort`` (a key of :data:`SORTS`)."""
    rows = {s.id: SchoolRow(school=s) for s in schools}
    for kiosk in Kiosk.objects.filter(school_id__in=rows).order_by("kiosk_id"):
        row = rows[kiosk.school_id]
        health = kiosk_health(kiosk, now, settings.HUB.health)
        row.kiosks.append((kiosk, health))
        row.pending += kiosk.queue_pending or 0
        row.problems += [p for p in health.problems if p not in row.problems]
        if health.last_seen and (row.last_seen is None or health.last_seen > row.last_seen):
            row.last_seen = health.last_seen
    for row in rows.values():
        if row.kiosks:
            row.state = max((h.state for _, h in row.kiosks), key=RANK.get)
    for school_id, count in overdue_counts(list(rows), today).items():
        rows[school_id].overdue = count
    key = SORTS.get(sort, SORTS["state"])
    return sorted(rows.values(), key=key, reverse=(sort == "seen"))


def overdue_counts(school_ids, today: date) -> dict[int, int]:
    """Open loans past their due date, per school."""
    return dict(Loan.objects.filter(school_id__in=school_ids, returned_at__isnull=True,
                                    voided_at__isnull=True, due_date__lt=today)
                .values_list("school_id").annotate(n=Count("loan_id")))


def overdue_loans(school, today: date, limit: int = 500) -> list[dict]:
    """The school's overdue loans, most overdue first (a loan returned in part: the pieces
    still out, ``outstanding`` of ``quantity``)."""
    rows = (Loan.objects.filter(school=school, returned_at__isnull=True, voided_at__isnull=True,
                                due_date__lt=today).order_by("due_date", "patron_name")
            .values("patron_code", "patron_name", "patron_kind", "patron_class", "kind", "loan_id",
                    "item_barcode", "item_name", "due_date", "borrowed_at", "quantity",
                    "outstanding")[:limit])
    return [dict(r, days=(today - r["due_date"]).days) for r in rows]


def overdue_by_school(schools, today: date) -> list[dict]:
    """Overdue books and equipment per school."""
    counts = defaultdict(lambda: {"book": 0, "equipment": 0})
    for school_id, kind, n in (Loan.objects.filter(
            school_id__in=[s.id for s in schools], returned_at__isnull=True,
            voided_at__isnull=True, due_date__lt=today)
            .values_list("school_id", "kind").annotate(n=Count("loan_id"))):
        counts[school_id][kind] = n
    return [{"school": s, **counts[s.id], "total": sum(counts[s.id].values())} for s in schools]


# -- teachers' use of equipment -----------------------------------------------------------------
@dataclass
class TeacherUse:
    """One teacher's line of the usage report."""

    code: str
    name: str
    group: str
    required: int | None = None
    recorded: int = 0
    by_month: dict = field(default_factory=dict)
    pairs: set = field(default_factory=set)

    @property
    def percent(self) -> float | None:
        """Recorded as a percentage of required."""
        return pct(self.recorded, self.required)


def _usage_rows(school_ids, school_year: str, term: str):
    query = UsageCount.objects.filter(school_id__in=school_ids, school_year=school_year)
    if term != "year":
        query = query.filter(term=term)
    return query


def _required(teacher_code: str, pairs: set, rules: dict) -> int | None:
    """A teacher's required periods: their own total if the principal set one, else the sum
    over the (subject, grade) they teach of their own rule or the school's rule."""
    if not rules:
        return None
    own_total = rules.get(("", "", teacher_code))
    if own_total is not None:
        return own_total
    total, found = 0, False
    for subject, grade in pairs:
        value = rules.get((subject, grade, teacher_code), rules.get((subject, grade, "")))
        if value is not None:
            total, found = total + value, True
    return total if found else None


def usage_report(school, school_year: str, term: str) -> dict:
    """Per tổ chuyên môn, each teacher's required and recorded lessons with equipment, by month."""
    months = months_of(school_year, term)
    teachers: dict[tuple, TeacherUse] = {}
    for row in _usage_rows([school.id], school_year, term).values(
            "teacher_code", "teacher_name", "subject_group", "subject", "grade", "month",
            "lessons"):
        key = (row["subject_group"], row["teacher_code"])
        use = teachers.setdefault(key, TeacherUse(row["teacher_code"], row["teacher_name"],
                                                  row["subject_group"]))
        use.recorded += row["lessons"]
        use.by_month[row["month"]] = use.by_month.get(row["month"], 0) + row["lessons"]
        use.pairs.add((row["subject"], row["grade"]))
    roster = {t.code: t for t in TeacherRoster.objects.filter(school=school,
                                                              school_year=school_year)}
    # The required periods are shown once, in the teacher's tổ now: the roster's, else the tổ
    # of their latest lesson (a teacher who changed tổ keeps their old lessons in the old one).
    home: dict[str, tuple] = {}
    from hub.ingest.models import Lesson

    for code, group, _ in (Lesson.objects.filter(school=school, school_year=school_year,
                                                 lines__gt=0)
                           .values_list("teacher_code", "subject_group")
                           .annotate(last=Max("date")).order_by("last")):
        if (group, code) in teachers:
            home[code] = (group, code)
    for key, use in sorted(teachers.items(), key=lambda kv: -kv[1].recorded):
        home.setdefault(use.code, key)
    for code, entry in roster.items():
        pairs = {(p.get("subject", ""), p.get("grade", "")) for p in entry.teaches}
        key = (entry.subject_group, code)
        if key not in teachers:
            teachers[key] = TeacherUse(code, entry.name, entry.subject_group)
        teachers[key].pairs |= pairs
        home[code] = key
    rules = {(q.subject, q.grade, q.teacher_code): q.periods
             for q in Quota.objects.filter(school=school, school_year=school_year, term=term)}
    all_pairs = defaultdict(set)
    for (_, code), use in teachers.items():
        all_pairs[code] |= use.pairs
    for code, key in home.items():
        teachers[key].required = _required(code, all_pairs[code], rules)
    groups = defaultdict(list)
    for use in teachers.values():
        groups[use.group].append(use)
    out = []
    for group in sorted(groups, key=lambda g: (g == "", g)):
        members = sorted(groups[group], key=lambda u: u.name)
        required = sum(u.required or 0 for u in members)
        recorded = sum(u.recorded for u in members)
        out.append({"group": group, "teachers": members, "required": required,
                    "recorded": recorded, "percent": pct(recorded, required),
                    "by_month": {m: sum(u.by_month.get(m, 0) for u in members) for m in months}})
    required = sum(g["required"] for g in out)
    recorded = sum(g["recorded"] for g in out)
    return {"months": months, "groups": out, "required": required, "recorded": recorded,
            "percent": pct(recorded, required), "has_quotas": bool(rules)}


def usage_by_subject(school_ids, school_year: str, term: str) -> dict:
    """"Thống kê số tiết sử dụng thiết bị": lessons with equipment per subject and grade."""
    cells = defaultdict(int)
    grades, subjects = set(), set()
    for subject, grade, n in (_usage_rows(school_ids, school_year, term)
                              .values_list("subject", "grade").annotate(n=Sum("lessons"))):
        cells[(subject, grade)] += n
        grades.add(grade)
        subjects.add(subject)
    grades = sorted(grades, key=lambda g: (not g.isdigit(), int(g) if g.isdigit() else 0, g))
    rows = [{"subject": s, "cells": [cells.get((s, g), 0) for g in grades],
             "total": sum(cells.get((s, g), 0) for g in grades)} for s in sorted(subjects)]
    return {"grades": grades, "rows": rows,
            "totals": [sum(cells.get((s, g), 0) for s in subjects) for g in grades],
            "total": sum(cells.values())}


def required_by_school(school_ids, school_year: str, term: str) -> dict[int, int | None]:
    """Each school's required periods (the sum of its teachers' own, as in
    :func:`usage_report`), from a few queries for all the schools together."""
    rules: dict[int, dict] = defaultdict(dict)
    for sid, subject, grade, teacher, periods in Quota.objects.filter(
            school_id__in=school_ids, school_year=school_year, term=term).values_list(
            "school_id", "subject", "grade", "teacher_code", "periods"):
        rules[sid][(subject, grade, teacher)] = periods
    pairs: dict[int, dict] = defaultdict(lambda: defaultdict(set))
    for sid, teacher, subject, grade in (_usage_rows(list(rules), school_year, term)
                                         .values_list("school_id", "teacher_code", "subject",
                                                      "grade").distinct()):
        pairs[sid][teacher].add((subject, grade))
    for sid, code, teaches in TeacherRoster.objects.filter(
            school_id__in=list(rules), school_year=school_year).values_list(
            "school_id", "code", "teaches"):
        pairs[sid][code] |= {(p.get("subject", ""), p.get("grade", "")) for p in teaches}
    out: dict[int, int | None] = {}
    for sid in school_ids:
        if sid not in rules:
            out[sid] = None
            continue
        out[sid] = sum(_required(code, taught, rules[sid]) or 0
                       for code, taught in pairs[sid].items())
    return out


def usage_by_school(schools, school_year: str, term: str) -> list[dict]:
    """Per school: teachers who recorded, lessons recorded, required (from quotas), percent."""
    ids = [s.id for s in schools]
    recorded = dict(_usage_rows(ids, school_year, term).values_list("school_id")
                    .annotate(n=Sum("lessons")))
    teachers = dict(_usage_rows(ids, school_year, term).filter(lessons__gt=0)
                    .values_list("school_id").annotate(n=Count("teacher_code", distinct=True)))
    required = required_by_school(ids, school_year, term)
    return [{"school": school, "teachers": teachers.get(school.id, 0),
             "recorded": recorded.get(school.id, 0), "required": required[school.id],
             "percent": pct(recorded.get(school.id, 0), required[school.id])}
            for school in schools]


# -- reading culture -----------------------------------------------------------------------------
def reading_report(school, school_year: str) -> dict:
    """Loans to take home by class and month (also per student: the class's loans of the month
    over its sĩ số), class visits and their readers by class and month."""
    months = months_of(school_year)
    loans = defaultdict(lambda: defaultdict(int))
    teachers_by_month = defaultdict(int)
    for class_name, month, kind, n in ReadingCount.objects.filter(
            school=school, school_year=school_year).values_list(
            "class_name", "month", "patron_kind", "loans"):
        if kind == "student":
            loans[class_name][month] += n
        else:
            teachers_by_month[month] += n
    roster = dict(ClassRoster.objects.filter(school=school, school_year=school_year)
                  .values_list("class_name", "students"))
    visits = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for class_name, month, n, readers in (ClassVisit.objects.filter(
            school=school, school_year=school_year).values_list("class_name", "month")
            .annotate(n=Count("record_id"), readers=Sum("students"))):
        visits[class_name][month] = [n, readers or 0]
    classes = sorted(set(loans) | set(roster) | set(visits), key=_class_order)
    rows = []
    for name in classes:
        total = sum(loans[name].values())
        by_month = [loans[name].get(m, 0) for m in months]
        rows.append({"class": name, "students": roster.get(name),
                     "months": by_month, "total": total,
                     "per_student": ratio(total, roster.get(name)),
                     "per_student_months": [ratio(n, roster.get(name)) for n in by_month],
                     "visits": sum(v[0] for v in visits[name].values()),
                     "readers": sum(v[1] for v in visits[name].values()),
                     "visit_months": [visits[name].get(m, [0, 0]) for m in months]})
    students = sum(v for v in roster.values())
    total = sum(r["total"] for r in rows)
    by_month = [sum(r["months"][i] for r in rows) for i in range(len(months))]
    return {"months": months, "rows": rows, "students": students, "total": total,
            "per_student": ratio(total, students), "by_month": by_month,
            "per_student_by_month": [ratio(n, students) for n in by_month],
            "visits_by_month": [sum(r["visit_months"][i][0] for r in rows)
                                for i in range(len(months))],
            "readers_by_month": [sum(r["visit_months"][i][1] for r in rows)
                                 for i in range(len(months))],
            "teachers": sum(teachers_by_month.values()),
            "visits": sum(r["visits"] for r in rows), "readers": sum(r["readers"] for r in rows)}


def _class_order(name: str):
    digits = ""
    for char in name:
        if not char.isdigit():
            break
        digits += char
    return (int(digits) if digits else 99, name)


def reading_by_school(schools, school_year: str) -> list[dict]:
    """Per school: student loans, students, loans per student, class visits and readers."""
    ids = [s.id for s in schools]
    loans = dict(ReadingCount.objects.filter(school_id__in=ids, school_year=school_year,
                                             patron_kind="student")
                 .values_list("school_id").annotate(n=Sum("loans")))
    students = dict(ClassRoster.objects.filter(school_id__in=ids, school_year=school_year)
                    .values_list("school_id").annotate(n=Sum("students")))
    visits = {sid: (n, r) for sid, n, r in ClassVisit.objects.filter(
        school_id__in=ids, school_year=school_year).values_list("school_id")
        .annotate(n=Count("record_id"), r=Sum("students"))}
    return [{"school": s, "loans": loans.get(s.id, 0), "students": students.get(s.id),
             "per_student": ratio(loans.get(s.id, 0), students.get(s.id)),
             "visits": visits.get(s.id, (0, 0))[0], "readers": visits.get(s.id, (0, 0))[1] or 0}
            for s in schools]


def reading_months_district(schools, school_year: str) -> tuple[list, list]:
    """Student loans per month across the schools given (for the district's line)."""
    months = months_of(school_year)
    by_month = dict(ReadingCount.objects.filter(
        school_id__in=[s.id for s in schools], school_year=school_year, patron_kind="student")
        .values_list("month").annotate(n=Sum("loans")))
    return months, [by_month.get(m, 0) for m in months]


# -- declarations --------------------------------------------------------------------------------
#: An item still held (not withdrawn) whose record lacks what the registers need.
INCOMPLETE = ~Q(missing=[]) & Q(withdrawn_at__isnull=True)


def declarations_by_school(schools, school_year: str) -> list[dict]:
    """Per school: pieces declared in the year (a copy or item is one, counted stock what each
    declaration added, as the kiosk's report counts), sent on to the province, waiting,
    withdrawn since, and items still held whose record lacks what the registers need."""
    first, last = term_bounds(school_year, "year")
    start = datetime.combine(first, datetime.min.time(), VIETNAM)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), VIETNAM)
    ids = [s.id for s in schools]
    base = Item.objects.filter(school_id__in=ids, declared_at__gte=start, declared_at__lt=end)
    counts = {row["school_id"]: row for row in base.values("school_id").annotate(
        declared=Sum("declared_pieces"), incomplete=Count("id", filter=INCOMPLETE),
        withdrawn=Sum("withdrawn_pieces"))}
    forwarded = _forwarded_counts(ids, start, end)
    out = []
    for school in schools:
        row = counts.get(school.id, {"declared": 0, "incomplete": 0, "withdrawn": 0})
        sent = forwarded.get(school.id, 0)
        out.append({"school": school, "declared": row["declared"], "forwarded": sent,
                    "waiting": row["declared"] - sent, "incomplete": row["incomplete"],
                    "withdrawn": row["withdrawn"]})
    return out


def _forwarded_counts(ids, start, end) -> dict[int, int]:
    """Pieces of the declarations the provincial connector delivered, per school."""
    from hub.ingest.models import Record

    pieces = Coalesce(Cast(KeyTextTransform("quantity_added", "data"), IntegerField()), 1)
    return dict(Record.objects.filter(school_id__in=ids, type="item.declared",
                                      occurred_at__gte=start, occurred_at__lt=end,
                                      forwarded_at__isnull=False)
                .values_list("school_id").annotate(n=Sum(pieces)))


def declarations_report(school, school_year: str) -> dict:
    """The school's declarations: counts by store or equipment group, and incomplete items."""
    summary = declarations_by_school([school], school_year)[0]
    first, last = term_bounds(school_year, "year")
    start = datetime.combine(first, datetime.min.time(), VIETNAM)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), VIETNAM)
    items = Item.objects.filter(school=school, declared_at__gte=start, declared_at__lt=end)
    groups = list(items.values("item_kind", "group").annotate(
        declared=Sum("declared_pieces"), incomplete=Count("id", filter=INCOMPLETE))
        .order_by("item_kind", "group"))
    incomplete = list(items.filter(INCOMPLETE).order_by("group", "key")
                      .values("key", "name", "group", "item_kind", "missing", "declared_at")[:500])
    return {"summary": summary, "groups": groups, "incomplete": incomplete}


def last_activity(school_ids) -> dict[int, datetime]:
    """When each school's kiosks last pushed."""
    return dict(Kiosk.objects.filter(school_id__in=school_ids).values_list("school_id")
                .annotate(m=Max("last_records_at")))


# -- the plan: lessons needing equipment never recorded ------------------------------------------
def _fold(text: str) -> str:
    """Text compared as the kiosk's ``db.text.search_key`` compares it: case folded, without
    diacritics, ``đ`` as ``d``."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", unicodedata.normalize(
        "NFC", text or "").strip().casefold())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d")


@dataclass(frozen=True)
class MissedLesson:
    """A planned lesson that needs equipment, whose week has begun, never recorded for a
    class of its grade (as the kiosk's own usage report lists them)."""

    class_name: str
    subject: str
    ppct: int
    week: int | None
    week_starts: date | None
    title: str
    equipment: str
    teacher: str


def missed_lessons(school, school_year: str, as_of: date) -> dict:
    """The school's planned lessons needing equipment whose PPCT week began by ``as_of``, for
    each class of their grade that has no recorded lesson (not voided) matching it by PPCT
    number, else by title; with the teacher who taught the class that subject most. Also
    whether the kiosk sent a plan with weeks at all."""
    from hub.ingest.models import Lesson, PlanLesson
    from hub.ingest.effects import grade_of

    plan = list(PlanLesson.objects.filter(school=school, school_year=school_year)
                .exclude(equipment="").order_by("subject", "grade", "ppct"))
    has_weeks = any(p.week_starts for p in plan)
    by_ppct, by_title = set(), set()
    teachers: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    classes = set(ClassRoster.objects.filter(school=school, school_year=school_year)
                  .values_list("class_name", flat=True))
    for class_name, subject, ppct, title, teacher in Lesson.objects.filter(
            school=school, school_year=school_year, lines__gt=0).values_list(
            "class_name", "subject", "ppct", "title", "teacher_name"):
        classes.add(class_name)
        subject = _fold(subject)
        if ppct is not None:
            by_ppct.add((class_name, subject, ppct))
        if title:
            by_title.add((class_name, subject, _fold(title)))
        teachers[(class_name, subject)][teacher] += 1
    due = defaultdict(list)
    for lesson in plan:
        if lesson.week_starts is not None and lesson.week_starts <= as_of:
            due[lesson.grade].append(lesson)
    missed = []
    for class_name in sorted(classes, key=_class_order):
        for lesson in due.get(grade_of(class_name), []):
            subject = _fold(lesson.subject)
            if (class_name, subject, lesson.ppct) in by_ppct or (
                    lesson.title and (class_name, subject, _fold(lesson.title)) in by_title):
                continue
            who = teachers.get((class_name, subject))
            missed.append(MissedLesson(class_name, lesson.subject, lesson.ppct, lesson.week,
                                       lesson.week_starts, lesson.title, lesson.equipment,
                                       max(who, key=who.get) if who else ""))
    planned = sum(len(v) for v in due.values())
    return {"missed": missed, "has_plan": bool(plan), "has_weeks": has_weeks,
            "planned_due": planned,
            "by_class": sorted(_count_by(missed, "class_name").items(),
                               key=lambda kv: _class_order(kv[0]))}


def _count_by(rows, attribute: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[getattr(row, attribute)] += 1
    return dict(counts)
