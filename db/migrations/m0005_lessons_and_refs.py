"""Version 5: a lesson is a record of its own; every return keeps its reference.

Until version 4 the lesson (date, session, period, class, subject, title, purpose) was copied
onto each equipment loan, so one lesson with three microscopes was three copies of it, and the
subject group was read from the teacher at query time. Now a ``lesson`` row holds it once, with
the teacher's subject group of that time, and equipment loans point to it.

The condition "missing_parts" becomes "missing", the word receipts and registers use.

Existing loans are grouped into lessons by (teacher, date, session, period, class): one lesson
each, its subject, title and purpose from the group's loans. Their subject group is the
teacher's group at the time of this migration (the only one known). Long-term loans, and loans
without a lesson date, get no lesson. Every loan is kept.
"""
from db.ids import uuid7

VERSION = 5

CREATE = [
    """CREATE TABLE lesson (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        txn_ref TEXT NOT NULL DEFAULT '',
        teacher_id INTEGER NOT NULL REFERENCES patron(id),
        lesson_date DATE NOT NULL,
        session TEXT CHECK (session IN ('morning', 'afternoon', 'evening')),
        period INTEGER,
        class_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        subject_group TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        ppct INTEGER,
        purpose TEXT NOT NULL DEFAULT '',
        kiosk_id TEXT NOT NULL,
        created_at DATETIME NOT NULL
    )""",
    "CREATE INDEX lesson_teacher_date ON lesson (teacher_id, lesson_date)",
    "CREATE INDEX lesson_date ON lesson (lesson_date)",
    "ALTER TABLE loan ADD COLUMN lesson_id INTEGER REFERENCES lesson(id)",
    "CREATE INDEX loan_lesson ON loan (lesson_id) WHERE lesson_id IS NOT NULL",
    "ALTER TABLE loan ADD COLUMN return_ref TEXT",
    "CREATE INDEX loan_return_ref ON loan (return_ref) WHERE return_ref IS NOT NULL",
    # kiosk find GD-7F3A9C21: every action's journal entries and records by its reference.
    "CREATE INDEX journal_txn ON journal (txn_ref)",
    "ALTER TABLE outbox ADD COLUMN action_ref TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX outbox_action ON outbox (action_ref)",
]

_GROUPS = """
    SELECT loan.patron_id, loan.lesson_date, loan.lesson_session, loan.lesson_period,
           COALESCE(loan.lesson_class, ''),
           MIN(COALESCE(loan.lesson_subject, '')), MAX(COALESCE(loan.lesson_title, '')),
           MAX(COALESCE(loan.lesson_purpose, '')), MIN(loan.txn_ref), MIN(loan.kiosk_id),
           MIN(loan.out_at), MAX(patron.subject_group)
    FROM loan JOIN patron ON patron.id = loan.patron_id
    WHERE loan.kind = 'equipment' AND loan.long_term = 0 AND loan.lesson_date IS NOT NULL
    GROUP BY loan.patron_id, loan.lesson_date, loan.lesson_session, loan.lesson_period,
             COALESCE(loan.lesson_class, '')
"""
# MAX(patron.subject_group): one patron per group (grouped by loan.patron_id), so the same value
# as the bare column SQLite accepts; PostgreSQL wants an aggregate there.

_LINK = """
    UPDATE loan SET lesson_id = (
        SELECT lesson.id FROM lesson
        WHERE lesson.teacher_id = loan.patron_id AND lesson.lesson_date = loan.lesson_date
          AND lesson.session IS loan.lesson_session AND lesson.period IS loan.lesson_period
          AND lesson.class_name = COALESCE(loan.lesson_class, ''))
    WHERE loan.kind = 'equipment' AND loan.long_term = 0 AND loan.lesson_date IS NOT NULL
"""

DROP = [f"ALTER TABLE loan DROP COLUMN {column}" for column in (
    "lesson_date", "lesson_period", "lesson_session", "lesson_class", "lesson_subject",
    "lesson_title", "lesson_purpose")]


def apply(db) -> None:
    """Create the lesson table, move the loans' lesson fields into it, drop the copies."""
    for statement in CREATE:
        db.execute_sql(statement)
    groups = db.execute_sql(_GROUPS).fetchall()
    db.connection().executemany(
        "INSERT INTO lesson (uid, txn_ref, teacher_id, lesson_date, session, period, class_name,"
        " subject, subject_group, title, ppct, purpose, kiosk_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        [(uuid7(), txn_ref, teacher, day, session, period, klass, subject, group or "",
          title, purpose, kiosk, created)
         for (teacher, day, session, period, klass, subject, title, purpose, txn_ref, kiosk,
              created, group) in groups])
    db.execute_sql(_LINK)
    for statement in DROP:
        db.execute_sql(statement)
    # One word for "thiếu" everywhere (the registers' and receipts' word).
    for table, column in (("loan", "return_condition"), ("copy", "condition"),
                          ("equipment_item", "condition")):
        db.execute_sql(f"UPDATE {table} SET {column} = 'missing' "
                       f"WHERE {column} = 'missing_parts'")
