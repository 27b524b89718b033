"""Version 2: staff PIN lock-out on the patron row, and a key/value table for sync status."""

VERSION = 2

STATEMENTS = [
    "ALTER TABLE patron ADD COLUMN failed_pin_attempts INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE patron ADD COLUMN pin_locked_until DATETIME",
    """CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at DATETIME NOT NULL
    )""",
]


def apply(db) -> None:
    """Add the lock-out columns and the sync state table."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
