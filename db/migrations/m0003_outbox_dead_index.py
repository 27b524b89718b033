"""Version 3: an index for the dead letters the staff screen counts and lists every few seconds."""

VERSION = 3

STATEMENTS = [
    "CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead'",
]


def apply(db) -> None:
    """Add the partial index on dead letters."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
