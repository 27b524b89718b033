"""Teachers' use of teaching equipment against the required periods (đánh giá sử dụng TBDH).

How it counts (the report's legend says the same):

- A use is one lesson (teacher, date, buổi, tiết, class) with at least one equipment line that
  was not voided: three microscopes in one lesson count once. A lesson taught with self-made
  equipment (thiết bị tự làm) the teacher declared counts too.
- A long-term loan (dài hạn) counts for no lesson: it records no date, period or class, so it
  cannot say which lessons it served; the lessons taught with that set count when the teacher
  records them.
- A lesson is filed under the teacher's tổ chuyên môn at the time of the lesson (a teacher who
  changed tổ keeps the old lessons in the old tổ); the required periods stand on the line of
  the teacher's tổ now.
- A teacher's required periods (as the district hub counts them): their own total for the term
  if the principal set one, else the sum over the (subject, grade) pairs they teach (their
  subjects and grades, and those of their recorded lessons) of their own rule for the pair or
  else the school's. None when no rule applies.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from db.queries import reports as q
from db.text import search_key, sort_key
from kiosk.reports.calendar import ReportPeriod, ppct_week_start, year_bounds


@functools.lru_cache(maxsize=4096)
def grade_of(class_name: str) -> str:
    """The grade of a class: its leading number (``6A1`` -> ``6``), "" when none."""
    match = re.match(r"\s*(\d{1,2})(?!\d)", class_name or "")
    return match.group(1) if match else ""


def class_order(name: str) -> tuple:
    """Classes in school order: by grade number, then by name."""
    grade = grade_of(name)
    return (int(grade) if grade else 99, sort_key(name))


def percent(part: int, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole`` (None without a whole)."""
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(slots=True)
class LessonUse:
    """A counted lesson: what the number stands for."""

    lesson_id: int
    date: date
    session: str | None
    period: int | None
    class_name: str
    subject: str
    title: str
    ppct: int | None
    purpose: str
    self_made: str
    equipment: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class TeacherUsage:
    """One teacher's line: required, recorded, by month, and the lessons behind it."""

    code: str
    name: str
    group: str
    required: int | None = None
    recorded: int = 0
    by_month: list[int] = field(default_factory=list)
    lessons: list[LessonUse] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Recorded as a percentage of required."""
        return percent(self.recorded, self.required)


@dataclass
class GroupUsage:
    """A tổ chuyên môn's teachers and totals."""

    group: str
    teachers: list[TeacherUsage]
    required: int
    recorded: int
    by_month: list[int]

    @property
    def percent(self) -> float | None:
        """Recorded as a percentage of required."""
        return percent(self.recorded, self.required)


@dataclass(frozen=True)
class MissedLesson:
    """A planned lesson that needs equipment, reached by a class and never recorded for it."""

    class_name: str
    subject: str
    ppct: int
    week: int
    title: str
    equipment: str
    teacher: str  # who recorded that class's lessons of the subject, when anyone did


@dataclass
class UsageReport:
    """The whole report."""

    period: ReportPeriod
    months: list[date]
    groups: list[GroupUsage]
    required: int
    recorded: int
    by_month: list[int]
    has_quotas: bool
    missed: list[MissedLesson]
    plan_has_weeks: bool
    group_filter: str | None = None

    @property
    def percent(self) -> float | None:
        """The school's recorded as a percentage of required."""
        return percent(self.recorded, self.required)


def _lessons(lines: list[q.LessonLine]) -> dict[int, tuple[q.LessonLine, LessonUse]]:
    """The lessons that count, with their equipment, by id, in date order."""
    found: dict[int, tuple[q.LessonLine, LessonUse]] = {}
    for line in lines:
        entry = found.get(line.lesson_id)
        if entry is None:
            entry = (line, LessonUse(line.lesson_id, line.date, line.session, line.period,
                                     line.class_name, line.subject, line.title, line.ppct,
                                     line.purpose, line.self_made))
            found[line.lesson_id] = entry
        if line.equipment is not None:
            entry[1].equipment.append((line.equipment, line.quantity))
    return {key: value for key, value in found.items() if value[1].equipment or value[1].self_made}


def required_periods(code: str, pairs: set[tuple[str, str]],
                     rules: dict[tuple[str, str, str], int]) -> int | None:
    """A teacher's required periods (see the module's docstring)."""
    if not rules:
        return None
    own_total = rules.get(("", "", code))
    if own_total is not None:
        return own_total
    total, found = 0, False
    for subject, grade in pairs:
        value = rules.get((subject, grade, code), rules.get((subject, grade, "")))
        if value is not None:
            total, found = total + value, True
    return total if found else None


def usage_report(period: ReportPeriod, today: date, group: str | None = None) -> UsageReport:
    """Build the report for ``period`` (optionally one tổ: diacritics and case ignored)."""
    months = period.months
    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    # With a plan of PPCT weeks, the lessons missed are looked for since the year began: the
    # lessons are read once for both, from the earlier of the two starts.
    plan = [p for p in q.plan_lessons(period.school_year) if p.needs_equipment]
    year_start = year_bounds(period.school_year)[0]
    first = min(year_start, period.start) if any(p.week for p in plan) else period.start
    every = _lessons(q.lesson_lines(first, period.end))
    counted = {key: entry for key, entry in every.items() if entry[1].date >= period.start}
    teachers: dict[tuple[str, str], TeacherUsage] = {}
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for line, use in counted.values():
        key = (line.subject_group, line.teacher_code)
        usage = teachers.get(key)
        if usage is None:
            usage = teachers[key] = TeacherUsage(line.teacher_code, line.teacher_name,
                                                 line.subject_group, by_month=[0] * len(months))
        usage.recorded += 1
        usage.by_month[month_index[(use.date.year, use.date.month)]] += 1
        usage.lessons.append(use)
        pairs[line.teacher_code].add((use.subject, grade_of(use.class_name)))
    home: dict[str, tuple[str, str]] = {}
    for key, usage in sorted(teachers.items(), key=lambda kv: -kv[1].recorded):
        home.setdefault(usage.code, key)
    for teacher in q.teachers():
        if not teacher.active and not any(code == teacher.code for _, code in teachers):
            continue
        key = (teacher.subject_group, teacher.code)
        if key not in teachers:
            teachers[key] = TeacherUsage(teacher.code, teacher.name, teacher.subject_group,
                                         by_month=[0] * len(months))
        pairs[teacher.code] |= {(s, g) for s in teacher.subjects for g in teacher.grades}
        home[teacher.code] = key
    rules = {(r.subject, r.grade, r.teacher_code): r.periods
             for r in q.quota_rules(period.school_year, period.term)}
    for code, key in home.items():
        teachers[key].required = required_periods(code, pairs[code], rules)
    wanted = search_key(group) if group else None
    by_group: dict[str, list[TeacherUsage]] = defaultdict(list)
    for usage in teachers.values():
        if wanted is None or search_key(usage.group) == wanted:
            by_group[usage.group].append(usage)
    groups = []
    for name in sorted(by_group, key=lambda g: (g == "", sort_key(g))):
        members = sorted(by_group[name], key=lambda u: sort_key(u.name))
        groups.append(GroupUsage(
            group=name, teachers=members, required=sum(u.required or 0 for u in members),
            recorded=sum(u.recorded for u in members),
            by_month=[sum(u.by_month[i] for u in members) for i in range(len(months))]))
    as_of = min(period.end, today)
    missed, has_weeks = missed_lessons(period, as_of,
                                       {code for members in by_group.values()
                                        for code in (u.code for u in members)}
                                       if wanted else None, plan=plan,
                                       lessons={key: entry for key, entry in every.items()
                                                if year_start <= entry[1].date <= as_of})
    return UsageReport(
        period=period, months=months, groups=groups,
        required=sum(g.required for g in groups), recorded=sum(g.recorded for g in groups),
        by_month=[sum(g.by_month[i] for g in groups) for i in range(len(months))],
        has_quotas=bool(rules), missed=missed, plan_has_weeks=has_weeks, group_filter=group)


def missed_lessons(period: ReportPeriod, as_of: date, teacher_codes: set[str] | None = None,
                   plan: list[q.PlanLesson] | None = None, lessons: dict | None = None
                   ) -> tuple[list[MissedLesson], bool]:
    """Planned lessons needing equipment whose PPCT week began by ``as_of`` (and ended within
    the period), never recorded for a class of their grade this school year: matched by PPCT
    number, else by title. Also whether the plan has weeks at all. ``plan`` (the lessons
    needing equipment) and ``lessons`` (the counted lessons since the year began) when the
    caller has read them already."""
    if plan is None:
        plan = [p for p in q.plan_lessons(period.school_year) if p.needs_equipment]
    if not any(p.week for p in plan):
        return [], False
    year_start = year_bounds(period.school_year)[0]
    if lessons is None:
        lessons = _lessons(q.lesson_lines(year_start, as_of))
    recorded_ppct: set[tuple[str, str, int]] = set()
    recorded_title: set[tuple[str, str, str]] = set()
    teacher_of: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line, use in lessons.values():
        subject = search_key(use.subject)
        if use.ppct is not None:
            recorded_ppct.add((use.class_name, subject, use.ppct))
        if use.title:
            recorded_title.add((use.class_name, subject, search_key(use.title)))
        teacher_of[(use.class_name, subject)][line.teacher_name] += 1
    names = {t.name: t.code for t in q.teachers()}
    by_grade: dict[str, list[q.PlanLesson]] = defaultdict(list)
    for lesson in plan:
        if lesson.week is None:
            continue
        starts = ppct_week_start(period.school_year, lesson.week)
        if starts <= as_of and starts + timedelta(days=6) >= period.start:
            by_grade[lesson.grade].append(lesson)
    missed = []
    for class_name in sorted(q.class_sizes(), key=class_order):
        for lesson in by_grade.get(grade_of(class_name), []):
            subject = search_key(lesson.subject)
            if ((class_name, subject, lesson.ppct) in recorded_ppct
                    or (lesson.title and (class_name, subject, search_key(lesson.title))
                        in recorded_title)):
                continue
            who = teacher_of.get((class_name, subject))
            teacher = max(who, key=who.get) if who else ""
            if teacher_codes is not None and names.get(teacher) not in teacher_codes:
                continue
            missed.append(MissedLesson(class_name, lesson.subject, lesson.ppct, lesson.week,
                                       lesson.title, lesson.equipment, teacher))
    missed.sort(key=lambda m: (class_order(m.class_name), sort_key(m.subject), m.ppct))
    return missed, True


@dataclass(frozen=True)
class SubjectGradeCount:
    """The "thống kê số tiết sử dụng thiết bị": lessons per subject (rows) and grade (columns)."""

    grades: list[str]
    subjects: list[str]
    cells: dict[tuple[str, str], int]
    required: dict[tuple[str, str], int]

    def row_total(self, subject: str) -> int:
        """A subject's lessons over every grade."""
        return sum(self.cells.get((subject, g), 0) for g in self.grades)

    def column_total(self, grade: str) -> int:
        """A grade's lessons over every subject."""
        return sum(self.cells.get((s, grade), 0) for s in self.subjects)

    @property
    def total(self) -> int:
        """Every counted lesson."""
        return sum(self.cells.values())


def subject_grade_counts(period: ReportPeriod) -> SubjectGradeCount:
    """Counted lessons of the period by subject and grade, with the school's rules beside."""
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for subject, class_name, count in q.counted_lessons_by_class(period.start, period.end):
        cells[(subject, grade_of(class_name))] += count
    required = {(r.subject, r.grade): r.periods
                for r in q.quota_rules(period.school_year, period.term) if not r.teacher_code}
    grades = sorted({g for _, g in cells} | {g for _, g in required},
                    key=lambda g: (not g.isdigit(), int(g) if g.isdigit() else 0, g))
    subjects = sorted({s for s, _ in cells} | {s for s, _ in required}, key=sort_key)
    return SubjectGradeCount(grades, subjects, dict(cells), required)
