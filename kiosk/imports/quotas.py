"""Quotas: the required periods using equipment (số tiết sử dụng TBDH tối thiểu) set by the
principal, from the template ``kiosk export template quotas`` writes.

Columns: Số tiết (required); Năm học, Học kỳ (HK1, HK2 or Cả năm), Môn học, Khối, Mã giáo viên
(optional). A row is a rule for a subject x grade, or (with a teacher's code) for that teacher:
for one subject x grade, or, without subject and grade, the teacher's total for the term. A row
with no number of periods sets nothing (the template lists every subject and grade). Each term
of the file replaces that term's whole table (and queues one ``quota.set`` record); terms the
file does not name are left as they are. Subjects are written the way the school already
writes them ("khtn" becomes "KHTN").
"""
from __future__ import annotations

from collections import defaultdict

from db.queries import planning
from db.queries import reports as q
from db.text import search_key
from db.vocabulary import QUOTA_SET
from kiosk.imports import values as v
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table
from kiosk.reports.calendar import school_year_of
from kiosk.services.payloads import quota_data

KIND = "quotas"
COLUMNS = (
    Column("periods", ("Số tiết tối thiểu", "Số tiết", "Định mức", "Số tiết sử dụng TBDH"),
           required=True),
    Column("school_year", ("Năm học",)),
    Column("term", ("Học kỳ", "Kỳ")),
    Column("subject", ("Môn học", "Môn")),
    Column("grade", ("Khối", "Khối lớp", "Lớp")),
    Column("teacher_code", ("Mã giáo viên", "Mã GV")),
)
_TERMS = {"hk1": "HK1", "hoc ky 1": "HK1", "hoc ky i": "HK1", "ki 1": "HK1", "ky 1": "HK1",
          "1": "HK1", "i": "HK1", "hk2": "HK2", "hoc ky 2": "HK2", "hoc ky ii": "HK2",
          "ki 2": "HK2", "ky 2": "HK2", "2": "HK2", "ii": "HK2", "year": "year",
          "ca nam": "year", "nam hoc": "year", "": "year"}


def term_of(value: object) -> str:
    """``HK1``, ``HK2`` or ``year`` from what a person writes; BadValue otherwise."""
    key = search_key(v.text(value)).replace("-", " ").strip()
    if key not in _TERMS:
        raise v.BadValue("bad_term", value)
    return _TERMS[key]


def canonical_subjects() -> dict[str, str]:
    """The school's subjects by search key (how it already writes each)."""
    subjects, _ = q.known_subject_grades()
    return {search_key(s): s for s in sorted(subjects)}


def apply(table: Table, session: ImportSession) -> None:
    """Check every row, then replace the table of each term the file names."""
    report = session.report
    subjects = canonical_subjects()
    teachers = q.teacher_codes()
    default_year = school_year_of(session.context.clock.today())
    rules: dict[tuple[str, str], dict[tuple[str, str, str], int]] = defaultdict(dict)
    for row_number, values in table.rows:
        try:
            periods = v.whole_number(values.get("periods"), "bad_periods", 0, 1000)
            year = v.text(values.get("school_year")) or default_year
            if len(year) != 9 or year[4] != "-" or not (year[:4] + year[5:]).isdigit():
                raise v.BadValue("bad_school_year", year)
            term = term_of(values.get("term"))
            subject = v.text(values.get("subject"))
            subject = subjects.get(search_key(subject), subject)
            grade = v.text(values.get("grade"))
            if grade:
                grade = str(v.whole_number(grade, "bad_grade", 1, 12))
            teacher = v.text(values.get("teacher_code"))
        except v.BadValue as exc:
            report.error(row_number, exc.reason, exc.detail)
            continue
        if periods is None:
            continue  # a template line left empty
        if teacher and teacher not in teachers:
            report.error(row_number, "unknown_teacher", teacher)
            continue
        if not teacher and not (subject and grade):
            report.error(row_number, "missing_subject_grade")
            continue
        if bool(subject) != bool(grade):
            report.error(row_number, "missing_subject_grade")
            continue
        key = (subject, grade, teacher)
        if key in rules[(year, term)]:
            report.error(row_number, "duplicate_in_file", " ".join(x for x in key if x))
            continue
        rules[(year, term)][key] = periods
    for (year, term), table_rules in sorted(rules.items()):
        stored = [planning.RuleInput(s, g, c, n) for (s, g, c), n in sorted(table_rules.items())]
        planning.replace_quotas(year, term, stored, session.action.who.actor, session.now)
        session.record(QUOTA_SET, quota_data(session.school_code, year, term, stored,
                                               session.action.who.actor))
        report.created += len(stored)
    report.extra["terms"] = len(rules)

