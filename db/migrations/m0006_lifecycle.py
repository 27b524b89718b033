"""Version 6: books and equipment through their whole life.

- A return accounts for every piece: each return of a loan is a ``loan_return`` row (how many
  came back good, damaged, missing, with a note); the loan keeps the running counts and stays
  open until every piece is accounted for ("trả 2/3, còn 1").
- Counted stock keeps damaged and missing pieces apart from lendable stock
  (``stock_damaged``, ``stock_missing`` beside ``stock_on_hand``).
- An ``incident`` is a damage, a missing piece or a loss, with the patron who had it, until
  staff resolve it (repaired, found, written off).
- Stock-takes (kiểm kê): a session, its scans and loaded files, counted quantities, and the
  status each item ended with (the biên bản's figures).
- Withdrawals (thanh lý, xuất kho): a decision with its reason, and its lines.
- Declarations a register can be built from: a title's place of publication; equipment's unit
  price, country, year and room.

Existing returned loans get one ``loan_return`` row each, their counts from their condition.
Portable DDL only (SQLite and PostgreSQL): no triggers, no engine-specific functions.
"""

VERSION = 6

STATEMENTS = [
    # Counted stock: damaged and missing pieces are not lendable.
    "ALTER TABLE equipment_type ADD COLUMN stock_damaged INTEGER NOT NULL DEFAULT 0 "
    "CHECK (stock_damaged >= 0)",
    "ALTER TABLE equipment_type ADD COLUMN stock_missing INTEGER NOT NULL DEFAULT 0 "
    "CHECK (stock_missing >= 0)",
    # Declarations a register can be built from.
    "ALTER TABLE equipment_type ADD COLUMN unit_price INTEGER",
    "ALTER TABLE equipment_type ADD COLUMN country TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE equipment_type ADD COLUMN year INTEGER",
    "ALTER TABLE equipment_type ADD COLUMN location TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE equipment_item ADD COLUMN location TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE title ADD COLUMN place TEXT NOT NULL DEFAULT ''",
    # A loan's pieces accounted for so far, and the last return's note.
    "ALTER TABLE loan ADD COLUMN returned_good INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE loan ADD COLUMN returned_damaged INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE loan ADD COLUMN returned_missing INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE loan ADD COLUMN returned_lost INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE loan ADD COLUMN return_note TEXT NOT NULL DEFAULT ''",
    # Each return of a loan (a partial return is one, the rest another).
    """CREATE TABLE loan_return (
        id INTEGER PRIMARY KEY,
        loan_id INTEGER NOT NULL REFERENCES loan(id),
        return_ref TEXT NOT NULL,
        returned_at DATETIME NOT NULL,
        returned_by_id INTEGER REFERENCES patron(id),
        kiosk_id TEXT NOT NULL,
        good INTEGER NOT NULL DEFAULT 0 CHECK (good >= 0),
        damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
        missing INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
        lost INTEGER NOT NULL DEFAULT 0 CHECK (lost >= 0),
        outstanding INTEGER NOT NULL DEFAULT 0 CHECK (outstanding >= 0),
        note TEXT NOT NULL DEFAULT '',
        CHECK (good + damaged + missing + lost > 0)
    )""",
    "CREATE INDEX loan_return_loan ON loan_return (loan_id)",
    "CREATE INDEX loan_return_by_ref ON loan_return (return_ref)",
    "CREATE INDEX loan_return_at ON loan_return (returned_at)",
    # Damage, missing pieces and losses, until staff resolve them.
    """CREATE TABLE incident (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('damaged', 'missing', 'lost')),
        copy_id INTEGER REFERENCES copy(id),
        item_id INTEGER REFERENCES equipment_item(id),
        equipment_type_id INTEGER REFERENCES equipment_type(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        open_quantity INTEGER NOT NULL CHECK (open_quantity >= 0),
        patron_id INTEGER REFERENCES patron(id),
        loan_id INTEGER REFERENCES loan(id),
        ref TEXT NOT NULL,
        at DATETIME NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        unit_value INTEGER,
        resolution TEXT,
        resolved_at DATETIME,
        resolved_ref TEXT,
        CHECK (open_quantity <= quantity),
        CHECK ((CASE WHEN copy_id IS NULL THEN 0 ELSE 1 END)
               + (CASE WHEN item_id IS NULL THEN 0 ELSE 1 END)
               + (CASE WHEN equipment_type_id IS NULL THEN 0 ELSE 1 END) = 1)
    )""",
    "CREATE INDEX incident_open ON incident (kind, at) WHERE open_quantity > 0",
    "CREATE INDEX incident_at ON incident (at)",
    "CREATE INDEX incident_patron ON incident (patron_id) WHERE patron_id IS NOT NULL",
    # Stock-takes.
    """CREATE TABLE stocktake (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        ref TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('book', 'equipment')),
        store TEXT NOT NULL DEFAULT '',
        room TEXT NOT NULL DEFAULT '',
        shelf TEXT NOT NULL DEFAULT '',
        committee TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'finished', 'cancelled')),
        opened_at DATETIME NOT NULL,
        opened_by TEXT NOT NULL DEFAULT '',
        finished_at DATETIME,
        finished_ref TEXT
    )""",
    "CREATE INDEX stocktake_state ON stocktake (state)",
    """CREATE TABLE stocktake_load (
        id INTEGER PRIMARY KEY,
        stocktake_id INTEGER NOT NULL REFERENCES stocktake(id),
        name TEXT NOT NULL,
        digest TEXT NOT NULL,
        codes INTEGER NOT NULL,
        loaded_at DATETIME NOT NULL,
        UNIQUE (stocktake_id, digest)
    )""",
    """CREATE TABLE stocktake_scan (
        id INTEGER PRIMARY KEY,
        stocktake_id INTEGER NOT NULL REFERENCES stocktake(id),
        code TEXT NOT NULL,
        at DATETIME NOT NULL,
        load_id INTEGER REFERENCES stocktake_load(id),
        result TEXT NOT NULL
            CHECK (result IN ('found', 'misplaced', 'unknown', 'duplicate')),
        copy_id INTEGER REFERENCES copy(id),
        item_id INTEGER REFERENCES equipment_item(id),
        damaged INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX stocktake_scan_session ON stocktake_scan (stocktake_id, result)",
    "CREATE INDEX stocktake_scan_code ON stocktake_scan (stocktake_id, code)",
    """CREATE TABLE stocktake_count (
        id INTEGER PRIMARY KEY,
        stocktake_id INTEGER NOT NULL REFERENCES stocktake(id),
        equipment_type_id INTEGER NOT NULL REFERENCES equipment_type(id),
        good INTEGER NOT NULL CHECK (good >= 0),
        damaged INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
        at DATETIME NOT NULL,
        UNIQUE (stocktake_id, equipment_type_id)
    )""",
    # What each item ended as when the stock-take finished (the biên bản's figures).
    """CREATE TABLE stocktake_result (
        id INTEGER PRIMARY KEY,
        stocktake_id INTEGER NOT NULL REFERENCES stocktake(id),
        copy_id INTEGER REFERENCES copy(id),
        item_id INTEGER REFERENCES equipment_item(id),
        equipment_type_id INTEGER REFERENCES equipment_type(id),
        status TEXT NOT NULL
            CHECK (status IN ('ok', 'missing', 'damaged', 'lost', 'unchecked')),
        quantity INTEGER NOT NULL DEFAULT 1,
        unit_value INTEGER
    )""",
    "CREATE INDEX stocktake_result_session ON stocktake_result (stocktake_id, status)",
    # Withdrawals (thanh lý, xuất kho).
    """CREATE TABLE withdrawal (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        ref TEXT NOT NULL,
        reason TEXT NOT NULL,
        decision_no TEXT NOT NULL DEFAULT '',
        decision_date DATE,
        note TEXT NOT NULL DEFAULT '',
        at DATETIME NOT NULL,
        staff_code TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX withdrawal_at ON withdrawal (at)",
    """CREATE TABLE withdrawal_line (
        id INTEGER PRIMARY KEY,
        withdrawal_id INTEGER NOT NULL REFERENCES withdrawal(id),
        copy_id INTEGER REFERENCES copy(id),
        item_id INTEGER REFERENCES equipment_item(id),
        equipment_type_id INTEGER REFERENCES equipment_type(id),
        quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
        unit_value INTEGER,
        store TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX withdrawal_line_withdrawal ON withdrawal_line (withdrawal_id)",
]

BACKFILL = [
    # Returned loans: their pieces counted by the condition they came back in.
    "UPDATE loan SET returned_good = quantity WHERE returned_at IS NOT NULL "
    "AND (return_condition IS NULL OR return_condition = 'good')",
    "UPDATE loan SET returned_damaged = quantity WHERE returned_at IS NOT NULL "
    "AND return_condition = 'damaged'",
    "UPDATE loan SET returned_missing = quantity WHERE returned_at IS NOT NULL "
    "AND return_condition = 'missing'",
    """INSERT INTO loan_return (loan_id, return_ref, returned_at, returned_by_id, kiosk_id,
                                good, damaged, missing, lost, outstanding, note)
       SELECT id, COALESCE(return_ref, ''), returned_at, returned_by_id,
              COALESCE(return_kiosk_id, kiosk_id), returned_good, returned_damaged,
              returned_missing, 0, 0, ''
       FROM loan WHERE returned_at IS NOT NULL AND voided_at IS NULL
       ORDER BY id""",
]


def apply(db) -> None:
    """Add the columns and tables; give every returned loan its return row."""
    for statement in STATEMENTS + BACKFILL:
        db.execute_sql(statement)
