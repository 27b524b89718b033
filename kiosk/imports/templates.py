"""Import templates filled with what the school has: the quota sheet lists every subject x
grade (and the rules already set), the lesson-plan sheet every planned lesson (or an example)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from db.queries import reports as q
from db.text import sort_key
from kiosk.export.xlsx import Column, XlsxBook
from kiosk.reports.usage import grade_of


def grades_in(text: str) -> list[str]:
    """The grades a grade cell names: ``"6"``, ``"6-9"`` (a range), ``"6, 7"``."""
    found = []
    for part in re.split(r"[,;]", text or ""):
        numbers = [int(n) for n in re.findall(r"\d{1,2}", part)]
        if len(numbers) == 2 and "-" in part:
            found += [str(n) for n in range(numbers[0], numbers[1] + 1) if 1 <= n <= 12]
        elif len(numbers) == 1 and 1 <= numbers[0] <= 12:
            found.append(str(numbers[0]))
    return found


def subject_grade_pairs() -> list[tuple[str, str]]:
    """The (subject, grade) pairs the school files equipment, lessons, plans or rules under,
    and its teachers' subjects x grades."""
    _, raw = q.known_subject_grades()
    pairs = set()
    for subject, grade in raw:
        if grade.startswith("class:"):
            grade = grade_of(grade[6:])
        pairs.update((subject, g) for g in grades_in(grade))
    for teacher in q.teachers():
        pairs.update((s, g) for s in teacher.subjects for g in teacher.grades)
    return sorted(pairs, key=lambda p: (sort_key(p[0]), int(p[1]) if p[1].isdigit() else 99))


def write_quota_template(path: Path, school_year: str, t: Callable[..., str]) -> int:
    """The quota template for one school year; returns how many rule lines it holds."""
    book = XlsxBook(path)
    sheet = book.sheet(t("imports.quota_template_sheet"),
                       title=t("imports.quota_template_title", year=school_year),
                       subtitles=[t("imports.quota_template_hint")],
                       columns=[Column("Năm học", 11), Column("Học kỳ", 9),
                                Column("Môn học", 22), Column("Khối", 7),
                                Column("Mã giáo viên", 14), Column("Họ tên giáo viên", 26),
                                Column("Số tiết tối thiểu", 16, "number")])
    rows = 0
    names = q.teacher_codes()
    for term in ("HK1", "HK2"):
        existing = {(r.subject, r.grade, r.teacher_code): r.periods
                    for r in q.quota_rules(school_year, term)}
        for subject, grade in subject_grade_pairs():
            sheet.row([school_year, term, subject, grade, "", "",
                       existing.pop((subject, grade, ""), None)])
            rows += 1
        for (subject, grade, code), periods in sorted(existing.items()):
            sheet.row([school_year, term, subject, grade, code, names.get(code, ""), periods])
            rows += 1
    book.close()
    return rows


def write_lesson_plan_template(path: Path, school_year: str, t: Callable[..., str]) -> int:
    """The lesson-plan template: the plan already entered, else one example line."""
    book = XlsxBook(path)
    sheet = book.sheet(t("imports.plan_template_sheet"),
                       title=t("imports.plan_template_title", year=school_year),
                       subtitles=[t("imports.plan_template_hint")],
                       columns=[Column("Năm học", 11), Column("Môn học", 16), Column("Khối", 7),
                                Column("Tiết PPCT", 10, "number"), Column("Tuần", 7, "number"),
                                Column("Tên bài", 40), Column("Thiết bị", 46),
                                Column("Mã thiết bị", 20)])
    plan = q.plan_lessons(school_year)
    for lesson in plan:
        sheet.row([school_year, lesson.subject, lesson.grade, lesson.ppct, lesson.week,
                   lesson.title, lesson.equipment, ""])
    if not plan:
        sheet.row([school_year, "KHTN", "6", 12, 4, "Bài 5: Kính lúp, kính hiển vi",
                   "Kính hiển vi quang học (6); Kính lúp x12", ""])
    book.close()
    return max(len(plan), 1)
