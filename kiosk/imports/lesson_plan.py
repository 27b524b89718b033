"""The lesson plan (sổ phân định thiết bị dạy học cho từng bài): per subject, grade and PPCT
lesson number, the lesson's title, its PPCT week and the equipment it needs.

Columns: Môn học, Khối, Tiết PPCT, Tên bài (required); Năm học, Tuần, Thiết bị (names separated
by ``;`` or new lines, each with an optional quantity: ``Kính hiển vi (6)``, ``Ống nghiệm x10``),
Mã thiết bị (codes separated by ``;``). A lesson already in the plan (same year, subject, grade,
PPCT number) is updated, its equipment list replaced. Names and codes are matched to the
school's equipment, so the checkout can suggest it; a name not known stays as written.
"""
from __future__ import annotations

import re

from db.queries import planning
from db.queries.reports import plan_lessons
from db.text import search_key
from db.vocabulary import PLAN_UPDATED
from kiosk.imports import values as v
from kiosk.imports.quotas import canonical_subjects
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table
from kiosk.reports.calendar import ppct_week_start, school_year_of
from kiosk.services.payloads import plan_data

KIND = "lesson-plan"
COLUMNS = (
    Column("subject", ("Môn học", "Môn"), required=True),
    Column("grade", ("Khối", "Khối lớp", "Lớp"), required=True),
    Column("ppct", ("Tiết PPCT", "Tiết theo PPCT", "PPCT", "Tiết"), required=True),
    Column("title", ("Tên bài", "Tên bài dạy", "Bài dạy"), required=True),
    Column("school_year", ("Năm học",)),
    Column("week", ("Tuần", "Tuần PPCT")),
    Column("equipment", ("Thiết bị", "Thiết bị dạy học", "Tên thiết bị", "TBDH cần dùng")),
    Column("codes", ("Mã thiết bị", "Mã TB")),
)
_QUANTITY = re.compile(r"^(.*?)\s*(?:\((\d+)\)|[x×]\s*(\d+))\s*$", re.IGNORECASE)


def split_equipment(text: str) -> list[tuple[str, int]]:
    """``"Kính hiển vi (6); Ống nghiệm x10"`` -> ``[("Kính hiển vi", 6), ("Ống nghiệm", 10)]``."""
    found = []
    for part in re.split(r"[;\n]", text or ""):
        part = part.strip(" -•\t")
        if not part:
            continue
        match = _QUANTITY.match(part)
        if match and match.group(1):
            found.append((match.group(1).strip(), int(match.group(2) or match.group(3))))
        else:
            found.append((part, 1))
    return found


def apply(table: Table, session: ImportSession) -> None:
    """Store every good row."""
    report = session.report
    subjects = canonical_subjects()
    known = planning.equipment_by_name()
    default_year = school_year_of(session.context.clock.today())
    existing: dict[str, dict] = {}
    seen: dict[tuple, int] = {}
    touched: set[tuple[str, str, str]] = set()
    for row_number, values in table.rows:
        try:
            subject = v.text(values.get("subject"))
            if not subject:
                raise v.BadValue("missing_subject")
            subject = subjects.get(search_key(subject), subject)
            grade = str(v.whole_number(values.get("grade"), "bad_grade", 1, 12) or "")
            if not grade:
                raise v.BadValue("bad_grade", values.get("grade"))
            ppct = v.whole_number(values.get("ppct"), "bad_ppct", 1, 500)
            if ppct is None:
                raise v.BadValue("bad_ppct", values.get("ppct"))
            week = v.whole_number(values.get("week"), "bad_week", 1, 60)
            title = v.text(values.get("title"))
            if not title:
                raise v.BadValue("missing_lesson_title")
            year = v.text(values.get("school_year")) or default_year
        except v.BadValue as exc:
            report.error(row_number, exc.reason, exc.detail)
            continue
        key = (year, subject, grade, ppct)
        if key in seen:
            report.error(row_number, "duplicate_in_file", f"{subject} {grade} {ppct} ({seen[key]})")
            continue
        seen[key] = row_number
        equipment_text = v.text(values.get("equipment"))
        items = []
        for code in v.split_list(values.get("codes")):
            match = known.get(code)
            items.append((match[0] if match else None, code, 1))
        if not items:
            for name, quantity in split_equipment(equipment_text):
                match = known.get(search_key(name))
                items.append((match[0] if match else None, name, quantity))
        ids = existing.setdefault(year, planning.plan_ids(year))
        stored = ids.get((subject, grade, ppct))
        plan_id = planning.upsert_plan_lesson(year, planning.PlanInput(
            subject=subject, grade=grade, ppct=ppct, week=week, title=title,
            equipment=equipment_text or "; ".join(name for _, name, _ in items),
            items=tuple(items)), stored, session.now)
        ids[(subject, grade, ppct)] = plan_id
        touched.add((year, subject, grade))
        if stored is None:
            report.created += 1
        else:
            report.updated += 1
    for year, subject, grade in sorted(touched):  # the district hub shows what was not taught
        session.record(PLAN_UPDATED, plan_data(
            session.school_code, year, subject, grade, plan_lessons(year, subject, grade),
            lambda week, year=year: ppct_week_start(year, week)))
