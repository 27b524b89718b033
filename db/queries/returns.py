"""Returns: each return of a loan, with how many pieces came back in which condition and how
many are still out after it (a partial return "trả 2/3, còn 1" is one, the rest another)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.queries import as_datetime, execute, fetch_all
from db.queries.loans import LoanRow, by_ids


@dataclass(frozen=True)
class ReturnRow:
    """One return of one loan."""

    id: int
    loan_id: int
    return_ref: str
    returned_at: datetime
    returned_by_code: str | None
    good: int
    damaged: int
    missing: int
    lost: int
    outstanding: int
    note: str

    @property
    def pieces(self) -> int:
        """Pieces this return accounted for."""
        return self.good + self.damaged + self.missing + self.lost


@dataclass(frozen=True)
class ReturnedLine:
    """A return with its loan (for slips, the staff list and registers)."""

    loan: LoanRow
    back: ReturnRow


_SELECT = """
    SELECT r.id, r.loan_id, r.return_ref, r.returned_at, p.code, r.good, r.damaged, r.missing,
           r.lost, r.outstanding, r.note
    FROM loan_return r LEFT JOIN patron p ON p.id = r.returned_by_id
"""


def _rows(where: str, params: tuple, order: str = "r.id") -> list[ReturnRow]:
    return [ReturnRow(row[0], row[1], row[2], as_datetime(row[3]), *row[4:])
            for row in fetch_all(f"{_SELECT} WHERE {where} ORDER BY {order}", params)]


def insert(*, loan_id: int, return_ref: str, at: datetime, returned_by_id: int | None,
           kiosk_id: str, good: int, damaged: int, missing: int, lost: int, outstanding: int,
           note: str) -> int:
    """Record one return of a loan; returns its id."""
    cursor = execute(
        "INSERT INTO loan_return (loan_id, return_ref, returned_at, returned_by_id, kiosk_id,"
        " good, damaged, missing, lost, outstanding, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (loan_id, return_ref, at, returned_by_id, kiosk_id, good, damaged, missing, lost,
         outstanding, note))
    return cursor.fetchone()[0]


def _with_loans(rows: list[ReturnRow]) -> list[ReturnedLine]:
    loans = {loan.id: loan for loan in by_ids(sorted({row.loan_id for row in rows}))}
    return [ReturnedLine(loans[row.loan_id], row) for row in rows if row.loan_id in loans]


def by_ref(ref: str) -> list[ReturnedLine]:
    """What one return action took back (by its reference), with the loans, in order."""
    return _with_loans(_rows("r.return_ref = ?", (ref,)))


def of_loan(loan_id: int) -> list[ReturnRow]:
    """Every return of one loan, oldest first."""
    return _rows("r.loan_id = ?", (loan_id,))


def in_period(start: datetime, end: datetime) -> list[ReturnedLine]:
    """Returns made in [start, end), with their loans, oldest first."""
    return _with_loans(_rows("r.returned_at >= ? AND r.returned_at < ?", (start, end),
                             "r.returned_at, r.id"))
