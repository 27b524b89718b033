"""Version 4: the session (morning/afternoon) of a lesson's period.

Vietnamese schools number periods per session (tiết 1-5 sáng, tiết 1-4 chiều), so "tiết 2" alone
does not say which lesson it was.
"""

VERSION = 4

STATEMENTS = [
    "ALTER TABLE loan ADD COLUMN lesson_session TEXT",
]


def apply(db) -> None:
    """Add the column; existing loans keep NULL (unknown)."""
    for statement in STATEMENTS:
        db.execute_sql(statement)
