"""The first schema: school, calendar, patrons, books, equipment, loans, journal, outbox."""

VERSION = 1

STATEMENTS = [
    # The school and the kiosks that have written to this file.
    """CREATE TABLE school (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        level TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE kiosk (
        kiosk_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        first_seen_at DATETIME NOT NULL
    )""",
    # The calendar.
    """CREATE TABLE school_year (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        starts_on DATE NOT NULL,
        ends_on DATE NOT NULL
    )""",
    """CREATE TABLE term (
        id INTEGER PRIMARY KEY,
        school_year_id INTEGER NOT NULL REFERENCES school_year(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        starts_on DATE NOT NULL,
        ends_on DATE NOT NULL
    )""",
    """CREATE TABLE period (
        id INTEGER PRIMARY KEY,
        number INTEGER NOT NULL,
        session TEXT NOT NULL DEFAULT 'morning',
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        UNIQUE (session, number)
    )""",
    """CREATE TABLE holiday (
        id INTEGER PRIMARY KEY,
        day DATE NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT ''
    )""",
    # Everyone who may scan a card: students, teachers, staff.
    """CREATE TABLE patron (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('student', 'teacher', 'staff')),
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        search_key TEXT NOT NULL DEFAULT '',
        class_name TEXT NOT NULL DEFAULT '',
        grade INTEGER,
        birth_date DATE,
        gender TEXT NOT NULL DEFAULT '',
        subject_group TEXT NOT NULL DEFAULT '',
        subjects TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        pin_hash TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1,
        updated_at DATETIME NOT NULL
    )""",
    "CREATE INDEX patron_kind_class ON patron (kind, class_name)",
    # Books: titles and their copies; the copy's barcode is its accession number.
    """CREATE TABLE title (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        search_key TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        year INTEGER,
        isbn TEXT,
        classification TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'vi',
        price INTEGER,
        updated_at DATETIME NOT NULL
    )""",
    "CREATE INDEX title_isbn ON title (isbn)",
    """CREATE TABLE copy (
        id INTEGER PRIMARY KEY,
        barcode TEXT NOT NULL UNIQUE,
        title_id INTEGER NOT NULL REFERENCES title(id),
        store TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'available'
            CHECK (status IN ('available', 'on_loan', 'reference', 'lost', 'withdrawn', 'damaged')),
        condition TEXT NOT NULL DEFAULT 'good',
        price INTEGER,
        shelf_mark TEXT NOT NULL DEFAULT '',
        added_on DATE,
        updated_at DATETIME NOT NULL
    )""",
    "CREATE INDEX copy_title ON copy (title_id)",
    # Equipment: types; labelled items; counted stock lives on the type.
    """CREATE TABLE equipment_type (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        search_key TEXT NOT NULL DEFAULT '',
        group_name TEXT NOT NULL DEFAULT '',
        type_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        grade TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        tracking TEXT NOT NULL DEFAULT 'item' CHECK (tracking IN ('item', 'counted')),
        stock_total INTEGER NOT NULL DEFAULT 0 CHECK (stock_total >= 0),
        stock_on_hand INTEGER NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
        updated_at DATETIME NOT NULL
    )""",
    """CREATE TABLE equipment_item (
        id INTEGER PRIMARY KEY,
        barcode TEXT NOT NULL UNIQUE,
        type_id INTEGER NOT NULL REFERENCES equipment_type(id),
        status TEXT NOT NULL DEFAULT 'available'
            CHECK (status IN ('available', 'on_loan', 'reference', 'lost', 'withdrawn', 'damaged')),
        condition TEXT NOT NULL DEFAULT 'good',
        updated_at DATETIME NOT NULL
    )""",
    "CREATE INDEX equipment_item_type ON equipment_item (type_id)",
    # Loans: a copy, a labelled item, or a quantity of counted stock.
    """CREATE TABLE loan (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        txn_ref TEXT NOT NULL,
        patron_id INTEGER NOT NULL REFERENCES patron(id),
        kind TEXT NOT NULL CHECK (kind IN ('book', 'equipment')),
        copy_id INTEGER REFERENCES copy(id),
        item_id INTEGER REFERENCES equipment_item(id),
        equipment_type_id INTEGER REFERENCES equipment_type(id),
        quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
        out_at DATETIME NOT NULL,
        due_on DATE NOT NULL,
        returned_at DATETIME,
        returned_by_id INTEGER REFERENCES patron(id),
        return_condition TEXT,
        voided_at DATETIME,
        void_reason TEXT,
        renewals INTEGER NOT NULL DEFAULT 0,
        kiosk_id TEXT NOT NULL,
        return_kiosk_id TEXT,
        long_term INTEGER NOT NULL DEFAULT 0,
        lesson_date DATE,
        lesson_period INTEGER,
        lesson_class TEXT,
        lesson_subject TEXT,
        lesson_title TEXT,
        lesson_purpose TEXT,
        CHECK ((copy_id IS NOT NULL) + (item_id IS NOT NULL) + (equipment_type_id IS NOT NULL) = 1)
    )""",
    # At most one open loan per copy and per labelled item: the database itself refuses a double loan.
    """CREATE UNIQUE INDEX loan_open_copy ON loan (copy_id)
        WHERE copy_id IS NOT NULL AND returned_at IS NULL AND voided_at IS NULL""",
    """CREATE UNIQUE INDEX loan_open_item ON loan (item_id)
        WHERE item_id IS NOT NULL AND returned_at IS NULL AND voided_at IS NULL""",
    "CREATE INDEX loan_open_type ON loan (equipment_type_id) WHERE equipment_type_id IS NOT NULL",
    """CREATE INDEX loan_open_patron ON loan (patron_id, kind, due_on)
        WHERE returned_at IS NULL AND voided_at IS NULL""",
    "CREATE INDEX loan_patron ON loan (patron_id, out_at)",
    "CREATE INDEX loan_out_at ON loan (out_at)",
    "CREATE INDEX loan_returned_at ON loan (returned_at) WHERE returned_at IS NOT NULL",
    "CREATE INDEX loan_voided_at ON loan (voided_at) WHERE voided_at IS NOT NULL",
    "CREATE INDEX loan_txn ON loan (txn_ref)",
    # The append-only journal of every action.
    """CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        at DATETIME NOT NULL,
        kiosk_id TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        entity TEXT NOT NULL DEFAULT '',
        entity_key TEXT NOT NULL DEFAULT '',
        txn_ref TEXT NOT NULL DEFAULT '',
        before TEXT,
        after TEXT,
        reason TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX journal_at ON journal (at)",
    """CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END""",
    """CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END""",
    # Records the provincial systems must receive, written in the same transaction as the action.
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        data TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        sent_at DATETIME
    )""",
    "CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending'",
]


def apply(db) -> None:
    """Create every table of version 1."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
