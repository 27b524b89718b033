"""Reports: quotas, the lesson plan (sổ phân định), class visits, and what registers need.

- ``quota``: the required periods using equipment (số tiết sử dụng TBDH tối thiểu) per subject x
  grade, or per teacher, for a term of a school year (contract v1.1 ``quota.set``).
- ``lesson_plan`` and ``lesson_plan_item``: per subject, grade and PPCT lesson number its title,
  its PPCT week and the equipment it needs; the checkout offers its titles and equipment.
- ``class_visit``: a class's visit to the library for in-library reading (``class.visit``).
- ``lesson.self_made``: self-made equipment (thiết bị tự làm) the teacher declared for the
  lesson; such a lesson counts even without a loan line.
- ``patron.grades``: the grades a teacher teaches ("6;7"), with ``subjects`` the (subject, grade)
  pairs the required periods are summed over.
- ``loan_reading``: an index the reading report scans alone.
- ``equipment_type.added_on`` and ``equipment_item.added_on``: the day it was declared; the
  asset ledger (sổ theo dõi tài sản TBDH) counts a year's additions by it.

Portable SQL (SQLite and PostgreSQL): plain types, no triggers. Partial returns, and the
equipment's unit price, country and year, came with version 6 (the item lifecycle).
"""
from db.engine import engine_of

VERSION = 7

STATEMENTS = [
    """CREATE TABLE quota (
        id INTEGER PRIMARY KEY,
        school_year TEXT NOT NULL,
        term TEXT NOT NULL CHECK (term IN ('HK1', 'HK2', 'year')),
        subject TEXT NOT NULL DEFAULT '',
        grade TEXT NOT NULL DEFAULT '',
        teacher_code TEXT NOT NULL DEFAULT '',
        periods INTEGER NOT NULL CHECK (periods >= 0),
        set_by TEXT NOT NULL DEFAULT '',
        set_at DATETIME NOT NULL
    )""",
    "CREATE UNIQUE INDEX quota_rule ON quota (school_year, term, subject, grade, teacher_code)",
    """CREATE TABLE lesson_plan (
        id INTEGER PRIMARY KEY,
        school_year TEXT NOT NULL,
        subject TEXT NOT NULL,
        grade TEXT NOT NULL,
        ppct INTEGER NOT NULL,
        week INTEGER,
        title TEXT NOT NULL DEFAULT '',
        equipment TEXT NOT NULL DEFAULT '',
        updated_at DATETIME NOT NULL
    )""",
    "CREATE UNIQUE INDEX lesson_plan_lesson ON lesson_plan (school_year, subject, grade, ppct)",
    """CREATE TABLE lesson_plan_item (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES lesson_plan(id) ON DELETE CASCADE,
        equipment_type_id INTEGER REFERENCES equipment_type(id),
        name TEXT NOT NULL DEFAULT '',
        quantity INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX lesson_plan_item_plan ON lesson_plan_item (plan_id)",
    """CREATE TABLE class_visit (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        txn_ref TEXT NOT NULL DEFAULT '',
        class_name TEXT NOT NULL,
        visit_date DATE NOT NULL,
        students INTEGER NOT NULL CHECK (students >= 0),
        titles TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL DEFAULT '',
        kiosk_id TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        voided_at DATETIME
    )""",
    "CREATE INDEX class_visit_date ON class_visit (visit_date)",
    "ALTER TABLE lesson ADD COLUMN self_made TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX lesson_class_subject ON lesson (class_name, subject)",
    "ALTER TABLE patron ADD COLUMN grades TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE equipment_type ADD COLUMN added_on DATE",
    "ALTER TABLE equipment_item ADD COLUMN added_on DATE",
    # The reading report counts a year's book loans by borrower and by copy from the index
    # alone (a million loans: no table lookups).
    "CREATE INDEX loan_reading ON loan (kind, out_at, voided_at, patron_id, copy_id)",
]


#: Until now the day equipment was declared was not kept: the day it last changed is the best
#: that is known (and for copies declared without one).
BACKFILL = (("equipment_type", ""), ("equipment_item", ""), ("copy", " WHERE added_on IS NULL"))


def apply(db) -> None:
    """Create the tables and columns, then date what was declared before."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
    param = engine_of(db).param
    for table, where in BACKFILL:
        rows = db.execute_sql(f"SELECT id, updated_at FROM {table}{where}").fetchall()
        for start in range(0, len(rows), 500):
            for row_id, stamp in rows[start:start + 500]:
                day = str(stamp)[:10] if stamp is not None else None
                db.execute_sql(f"UPDATE {table} SET added_on = {param} WHERE id = {param}",
                               (day, row_id))
