"""Bookings (đặt trước): a teacher reserves equipment for a later lesson.

- ``booking``: the lesson it is for (date, session, period, class, subject, title, PPCT,
  purpose), who booked it, and where it stands: ``booked`` (it holds its lines), ``collected``
  (turned into the loan of ``lesson_id`` by the checkout ``closed_ref``), ``cancelled`` or
  ``lapsed`` (not collected before ``lapses_at``, the end of the lesson). ``collect_from`` is
  the moment the teacher's card alone collects it (some time before the period starts); NULL
  when the school's period times are not known (then the whole day).
- ``booking_line``: a labelled item (``item_id``) or a quantity of one kind of equipment.

Portable SQL (SQLite and PostgreSQL): plain types, no triggers.
"""
VERSION = 8

STATEMENTS = [
    """CREATE TABLE booking (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        txn_ref TEXT NOT NULL,
        teacher_id INTEGER NOT NULL REFERENCES patron(id),
        lesson_date DATE NOT NULL,
        session TEXT NOT NULL DEFAULT 'morning',
        period INTEGER NOT NULL,
        class_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        ppct INTEGER,
        purpose TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'booked'
            CHECK (status IN ('booked', 'collected', 'cancelled', 'lapsed')),
        kiosk_id TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        collect_from DATETIME,
        lapses_at DATETIME NOT NULL,
        closed_at DATETIME,
        closed_ref TEXT NOT NULL DEFAULT '',
        lesson_id INTEGER REFERENCES lesson(id)
    )""",
    "CREATE INDEX booking_slot ON booking (status, lesson_date, session, period)",
    "CREATE INDEX booking_teacher ON booking (teacher_id, status, lesson_date)",
    """CREATE TABLE booking_line (
        id INTEGER PRIMARY KEY,
        booking_id INTEGER NOT NULL REFERENCES booking(id) ON DELETE CASCADE,
        equipment_type_id INTEGER NOT NULL REFERENCES equipment_type(id),
        item_id INTEGER REFERENCES equipment_item(id),
        quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0)
    )""",
    "CREATE INDEX booking_line_booking ON booking_line (booking_id)",
]


def apply(db) -> None:
    """Create the tables."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
