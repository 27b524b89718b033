"""Patrons: looking a card up, what a borrower holds now, staff PIN state, class and teacher lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.models import Patron
from db.queries import as_datetime, execute, fetch_one
from db.text import sort_key
from db.vocabulary import BOOK, EQUIPMENT, STUDENT, TEACHER

_COLUMNS = ("id, kind, code, name, class_name, grade, gender, subject_group, subjects, role, "
            "active")


@dataclass(frozen=True)
class PatronRow:
    """A patron as the services see one (never the PIN hash)."""

    id: int
    kind: str
    code: str
    name: str
    class_name: str = ""
    grade: int | None = None
    gender: str = ""
    subject_group: str = ""
    subjects: str = ""
    role: str = ""
    active: bool = True

    @property
    def subject_list(self) -> list[str]:
        """The subjects a teacher teaches."""
        return [s.strip() for s in self.subjects.split(";") if s.strip()]


def _row(values: tuple | None) -> PatronRow | None:
    if values is None:
        return None
    *head, active = values
    return PatronRow(*head, active=bool(active))


def by_code(code: str) -> PatronRow | None:
    """The patron whose card holds ``code`` (a unique index lookup)."""
    return _row(fetch_one(f"SELECT {_COLUMNS} FROM patron WHERE code = ?", (code,)))


def by_id(patron_id: int) -> PatronRow | None:
    """The patron with this row id."""
    return _row(fetch_one(f"SELECT {_COLUMNS} FROM patron WHERE id = ?", (patron_id,)))


@dataclass(frozen=True)
class BorrowerState:
    """What a borrower holds now, read in one statement inside the borrow's transaction."""

    active: bool
    open_books: int
    open_equipment: int
    overdue_books: int


_STATE = """
    SELECT p.active,
      (SELECT count(*) FROM loan WHERE patron_id = p.id AND kind = ? AND returned_at IS NULL
         AND voided_at IS NULL),
      (SELECT count(*) FROM loan WHERE patron_id = p.id AND kind = ? AND returned_at IS NULL
         AND voided_at IS NULL),
      (SELECT count(*) FROM loan WHERE patron_id = p.id AND kind = ? AND returned_at IS NULL
         AND voided_at IS NULL AND due_on < ?)
    FROM patron p WHERE p.id = ?
"""


def borrower_state(patron_id: int, today: date) -> BorrowerState | None:
    """Open books, open equipment lines and overdue books of a patron (open-loan index)."""
    row = fetch_one(_STATE, (BOOK, EQUIPMENT, BOOK, today, patron_id))
    if row is None:
        return None
    return BorrowerState(active=bool(row[0]), open_books=row[1], open_equipment=row[2],
                         overdue_books=row[3])


@dataclass(frozen=True)
class PinState:
    """A staff card's PIN hash and lock-out, for signing in (kept out of every other row)."""

    patron: PatronRow
    pin_hash: str = field(repr=False)  # never in a log line or a traceback's repr
    failed_attempts: int
    locked_until: datetime | None


def pin_state(code: str) -> PinState | None:
    """The PIN state of the patron with this card."""
    row = fetch_one(f"SELECT {_COLUMNS}, pin_hash, failed_pin_attempts, pin_locked_until "
                    "FROM patron WHERE code = ?", (code,))
    if row is None:
        return None
    return PinState(patron=_row(row[:11]), pin_hash=row[11] or "", failed_attempts=row[12],
                    locked_until=as_datetime(row[13]))


def set_pin_state(patron_id: int, failed_attempts: int, locked_until: datetime | None,
                  pin_hash: str | None = None) -> None:
    """Record a sign-in attempt's effect (and a re-hashed PIN, when given)."""
    if pin_hash is None:
        execute("UPDATE patron SET failed_pin_attempts = ?, pin_locked_until = ? WHERE id = ?",
                (failed_attempts, locked_until, patron_id))
    else:
        execute("UPDATE patron SET failed_pin_attempts = ?, pin_locked_until = ?, pin_hash = ?"
                " WHERE id = ?", (failed_attempts, locked_until, pin_hash, patron_id))


def class_names() -> list[str]:
    """The classes of active students (unordered: the caller sorts in school order)."""
    query = (Patron.select(Patron.class_name).distinct()
             .where(Patron.kind == STUDENT, Patron.class_name != "", Patron.active == True))  # noqa: E712
    return [row.class_name for row in query]


def active_teachers() -> list[PatronRow]:
    """Active teachers, in Vietnamese alphabetical order."""
    query = Patron.select(*[getattr(Patron, c.strip()) for c in _COLUMNS.split(",")]).where(
        Patron.kind == TEACHER, Patron.active == True).tuples()  # noqa: E712
    return sorted((_row(row) for row in query), key=lambda p: sort_key(p.name))


# -- bulk import ----------------------------------------------------------------------------
#: Fields an import may set; the rest (pin_hash, lock-out) belong to staff services.
IMPORTABLE = ("kind", "name", "search_key", "class_name", "grade", "birth_date", "gender",
              "subject_group", "subjects", "grades", "role", "active")
INSERT_CHUNK = 500


def importable_by_code(codes: list[str] | None = None) -> dict[str, dict]:
    """The importable fields (and id) of the patrons with these codes (every patron when
    ``codes`` is None), keyed by code: one query (keep ``codes`` to a few hundred)."""
    columns = [getattr(Patron, name) for name in ("id", "code") + IMPORTABLE]
    query = Patron.select(*columns)
    if codes is not None:
        query = query.where(Patron.code.in_(codes))
    return {row["code"]: row for row in query.dicts()}


def update_fields(patron_id: int, changes: dict, at: datetime) -> None:
    """Set some importable fields of one patron."""
    unknown = set(changes) - set(IMPORTABLE)
    if unknown:
        raise ValueError(f"not importable: {sorted(unknown)}")
    Patron.update(**changes, updated_at=at).where(Patron.id == patron_id).execute()


def insert_many(rows: list[dict]) -> None:
    """New patrons, in chunks (fields a row lacks take their defaults)."""
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start:start + INSERT_CHUNK]
        keys = sorted({k for row in chunk for k in row})
        Patron.insert_many([{k: row.get(k, _default(k)) for k in keys} for row in chunk]).execute()


def _default(name: str):
    value = getattr(Patron, name).default
    return value() if callable(value) else value


def staff_without_pin() -> list[int]:
    """Ids of staff cards that have no PIN yet."""
    return [pid for (pid,) in Patron.select(Patron.id).where(Patron.kind == "staff",
                                                             Patron.pin_hash == "").tuples()]


def set_pin_hash(patron_id: int, pin_hash: str) -> None:
    """Store a staff card's PIN hash (and clear its lock-out)."""
    Patron.update(pin_hash=pin_hash, failed_pin_attempts=0, pin_locked_until=None).where(
        Patron.id == patron_id).execute()


def first_codes(kind: str, limit: int, active_only: bool = True) -> list[str]:
    """The first patron codes of a kind (by class, then code): for samples and demos."""
    query = Patron.select(Patron.code).where(Patron.kind == kind)
    if active_only:
        query = query.where(Patron.active == True)  # noqa: E712
    return [code for (code,) in query.order_by(Patron.class_name, Patron.code).limit(limit)
            .tuples()]
