"""Loans: a copy, a labelled item or a quantity of counted stock lent to one patron.

One select (:data:`_SELECT`) answers "a loan with its patron, its thing's code and title and its
lesson" for every question: a loan by id, the open loan of a copy or item, a patron's open
loans, the loans of a reference. Writes are conditional (a loan is closed or voided only while
open), so two kiosks can never close one loan twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import as_date, as_datetime, execute, fetch_all, fetch_one
from db.queries.catalogue import CopyRow
from db.queries.equipment import EquipmentTypeRow, ItemRow
from db.queries.lessons import LessonRow, lesson_from
from db.queries.patrons import PatronRow
from db.vocabulary import BOOK, EQUIPMENT


@dataclass(frozen=True)
class LoanRow:
    """A loan with everything a screen, a receipt, a record or a register shows of it."""

    id: int
    uid: str
    txn_ref: str
    kind: str  # book | equipment
    patron_id: int
    patron_code: str
    patron_name: str
    patron_kind: str
    patron_class: str
    patron_group: str  # the patron's subject group now (a lesson keeps its own)
    copy_id: int | None
    item_id: int | None
    equipment_type_id: int | None
    code: str  # the copy's or item's barcode, or the type's code for counted stock
    title: str  # the book's title or the equipment's name
    author: str
    isbn: str | None
    store: str
    unit: str
    equipment_code: str
    quantity: int
    out_at: datetime
    due_on: date
    returned_at: datetime | None
    return_condition: str | None
    return_ref: str | None
    returned_by_code: str | None
    voided_at: datetime | None
    void_reason: str | None
    renewals: int
    kiosk_id: str
    return_kiosk_id: str | None
    long_term: bool
    lesson: LessonRow | None
    #: Pieces accounted for by returns so far (good, damaged, missing, declared lost).
    returned_good: int = 0
    returned_damaged: int = 0
    returned_missing: int = 0
    returned_lost: int = 0
    return_note: str = ""
    #: The price of the copy (else its title's) or the equipment's unit price.
    unit_value: int | None = None

    @property
    def is_open(self) -> bool:
        """Still out: neither returned nor voided."""
        return self.returned_at is None and self.voided_at is None

    @property
    def accounted(self) -> int:
        """Pieces a return has accounted for (came back, or reported missing or lost)."""
        return (self.returned_good + self.returned_damaged + self.returned_missing
                + self.returned_lost)

    @property
    def outstanding(self) -> int:
        """Pieces still out with the patron (0 once returned or voided)."""
        if self.voided_at is not None or self.returned_at is not None:
            return 0
        return max(0, self.quantity - self.accounted)

    @property
    def item_kind(self) -> str:
        """``book``, ``equipment_item`` (labelled) or ``equipment_stock`` (counted)."""
        if self.copy_id:
            return "book"
        return "equipment_item" if self.item_id else "equipment_stock"


_SELECT = """
    SELECT loan.id, loan.uid, loan.txn_ref, loan.kind, loan.patron_id, patron.code, patron.name,
           patron.kind, patron.class_name, patron.subject_group,
           loan.copy_id, loan.item_id, loan.equipment_type_id,
           COALESCE(copy.barcode, equipment_item.barcode, stock.code),
           COALESCE(title.title, item_type.name, stock.name),
           COALESCE(title.author, ''), title.isbn, COALESCE(copy.store, ''),
           COALESCE(item_type.unit, stock.unit, ''), COALESCE(item_type.code, stock.code, ''),
           loan.quantity, loan.out_at, loan.due_on, loan.returned_at, loan.return_condition,
           loan.return_ref, returner.code, loan.voided_at, loan.void_reason, loan.renewals,
           loan.kiosk_id, loan.return_kiosk_id, loan.long_term,
           lesson.id, lesson.uid, lesson.txn_ref, lesson.teacher_id, lesson.lesson_date,
           lesson.session, lesson.period, lesson.class_name, lesson.subject,
           lesson.subject_group, lesson.title, lesson.ppct, lesson.purpose, lesson.self_made,
           loan.returned_good, loan.returned_damaged, loan.returned_missing, loan.returned_lost,
           loan.return_note, COALESCE(copy.price, title.price, item_type.unit_price,
                                      stock.unit_price)
    FROM loan
    JOIN patron ON patron.id = loan.patron_id
    LEFT JOIN patron returner ON returner.id = loan.returned_by_id
    LEFT JOIN copy ON copy.id = loan.copy_id
    LEFT JOIN title ON title.id = copy.title_id
    LEFT JOIN equipment_item ON equipment_item.id = loan.item_id
    LEFT JOIN equipment_type item_type ON item_type.id = equipment_item.type_id
    LEFT JOIN equipment_type stock ON stock.id = loan.equipment_type_id
    LEFT JOIN lesson ON lesson.id = loan.lesson_id
"""
_OPEN = "loan.returned_at IS NULL AND loan.voided_at IS NULL"


def loan_from(row: tuple) -> LoanRow:
    """A row of :data:`_SELECT` as a :class:`LoanRow`."""
    return LoanRow(
        *row[:21], out_at=as_datetime(row[21]), due_on=as_date(row[22]),
        returned_at=as_datetime(row[23]), return_condition=row[24], return_ref=row[25],
        returned_by_code=row[26], voided_at=as_datetime(row[27]), void_reason=row[28],
        renewals=row[29], kiosk_id=row[30], return_kiosk_id=row[31], long_term=bool(row[32]),
        lesson=lesson_from(row[33:47]), returned_good=row[47], returned_damaged=row[48],
        returned_missing=row[49], returned_lost=row[50], return_note=row[51] or "",
        unit_value=row[52])


def _select(where: str, params: tuple, order: str = "loan.id") -> list[LoanRow]:
    return [loan_from(row) for row in fetch_all(f"{_SELECT} WHERE {where} ORDER BY {order}",
                                                params)]


def by_id(loan_id: int) -> LoanRow | None:
    """A loan with its patron, thing and lesson."""
    rows = _select("loan.id = ?", (loan_id,))
    return rows[0] if rows else None


def open_loan_of_copy(copy_id: int) -> LoanRow | None:
    """The open loan of a copy, if it is lent (a unique partial index)."""
    rows = _select(f"loan.copy_id = ? AND {_OPEN}", (copy_id,))
    return rows[0] if rows else None


def open_loan_of_item(item_id: int) -> LoanRow | None:
    """The open loan of a labelled item, if it is lent."""
    rows = _select(f"loan.item_id = ? AND {_OPEN}", (item_id,))
    return rows[0] if rows else None


def open_loans_of_patron(patron_id: int, kind: str | None = None) -> list[LoanRow]:
    """A patron's open loans (all, or of one kind), oldest due first."""
    if kind is None:
        return _select(f"loan.patron_id = ? AND {_OPEN}", (patron_id,), "loan.due_on, loan.id")
    return _select(f"loan.patron_id = ? AND loan.kind = ? AND {_OPEN}", (patron_id, kind),
                   "loan.due_on, loan.id")


def made_by(ref: str) -> list[LoanRow]:
    """The loans a borrow (or checkout) made, by its reference, in order."""
    return _select("loan.txn_ref = ?", (ref,))


def closed_by(ref: str) -> list[LoanRow]:
    """The loans a return closed, by its reference, in order."""
    return _select("loan.return_ref = ?", (ref,))


def by_ref(ref: str) -> list[LoanRow]:
    """The loans an action made or took back: a borrow's (``txn_ref``) or a return's (a
    partial return included)."""
    made = made_by(ref)
    if made:
        return made
    ids = [loan_id for (loan_id,) in fetch_all(
        "SELECT DISTINCT loan_id FROM loan_return WHERE return_ref = ? ORDER BY loan_id", (ref,))]
    return by_ids(ids) or closed_by(ref)


def by_ids(loan_ids: list[int]) -> list[LoanRow]:
    """Several loans by id, in id order."""
    if not loan_ids:
        return []
    marks = ", ".join("?" * len(loan_ids))
    return _select(f"loan.id IN ({marks})", tuple(loan_ids))


def by_uids(uids: list[str]) -> list[LoanRow]:
    """Several loans by their stable ids, in id order."""
    if not uids:
        return []
    marks = ", ".join("?" * len(uids))
    return _select(f"loan.uid IN ({marks})", tuple(uids))


def history_of_patron(patron_id: int, limit: int = 30) -> list[LoanRow]:
    """A patron's closed loans (returned or voided), the newest first (``loan_patron``)."""
    return _select(f"loan.patron_id = ? AND NOT ({_OPEN})", (patron_id,),
                   f"loan.out_at DESC, loan.id DESC LIMIT {int(limit)}")


def open_of_copies(barcodes: list[str]) -> list[LoanRow]:
    """The open loans of some copies, by accession number (who holds each copy now)."""
    if not barcodes:
        return []
    marks = ", ".join("?" * len(barcodes))
    return _select(f"copy.barcode IN ({marks}) AND {_OPEN}", tuple(barcodes))


def overdue(today: date, kind: str | None = None) -> list[LoanRow]:
    """Open loans due before ``today`` (all kinds, or one)."""
    if kind is None:
        return _select(f"{_OPEN} AND loan.due_on < ?", (today,))
    return _select(f"{_OPEN} AND loan.due_on < ? AND loan.kind = ?", (today, kind))


def open_equipment_due_by(day: date, limit: int) -> list[LoanRow]:
    """Open short equipment loans due by ``day`` (still out at the end of the day)."""
    return _select(f"{_OPEN} AND loan.kind = 'equipment' AND loan.long_term = 0 "
                   f"AND loan.due_on <= ?", (day,), f"loan.due_on, loan.id LIMIT {int(limit)}")


def in_period(column: str, start: datetime, end: datetime, extra: str = "",
              params: tuple = ()) -> list[LoanRow]:
    """Loans whose ``out_at``, ``returned_at`` or ``voided_at`` falls in [start, end)."""
    if column not in ("out_at", "returned_at", "voided_at"):
        raise ValueError(column)
    where = f"loan.{column} >= ? AND loan.{column} < ?" + (f" AND {extra}" if extra else "")
    return _select(where, (start, end, *params), f"loan.{column}, loan.id")


# -- writes ---------------------------------------------------------------------------------
def lend(*, uid: str, txn_ref: str, patron: PatronRow, out_at: datetime, due_on: date,
         kiosk_id: str, copy: CopyRow | None = None, item: ItemRow | None = None,
         stock: EquipmentTypeRow | None = None, quantity: int = 1, long_term: bool = False,
         lesson: LessonRow | None = None) -> LoanRow:
    """Insert a new open loan of a copy, an item or a quantity of stock, and return it as a
    row built from what the caller already read (no second query)."""
    if copy is not None:
        kind, code, title, unit, equipment_code = BOOK, copy.barcode, copy.title, "", ""
    else:
        kind_row = item.type if item is not None else stock
        kind, code, title, unit, equipment_code = (
            EQUIPMENT, item.barcode if item is not None else kind_row.code, kind_row.name,
            kind_row.unit, kind_row.code)
        quantity = 1 if item is not None else quantity
    loan_id = insert(uid=uid, txn_ref=txn_ref, patron_id=patron.id, kind=kind, out_at=out_at,
                     due_on=due_on, kiosk_id=kiosk_id,
                     copy_id=copy.id if copy else None, item_id=item.id if item else None,
                     equipment_type_id=stock.id if stock else None, quantity=quantity,
                     long_term=long_term, lesson_id=lesson.id if lesson else None)
    return LoanRow(
        id=loan_id, uid=uid, txn_ref=txn_ref, kind=kind, patron_id=patron.id,
        patron_code=patron.code, patron_name=patron.name, patron_kind=patron.kind,
        patron_class=patron.class_name, patron_group=patron.subject_group,
        copy_id=copy.id if copy else None, item_id=item.id if item else None,
        equipment_type_id=stock.id if stock else None, code=code, title=title,
        author=copy.author if copy else "", isbn=copy.isbn if copy else None,
        store=copy.store if copy else "", unit=unit, equipment_code=equipment_code,
        quantity=quantity, out_at=out_at, due_on=due_on, returned_at=None,
        return_condition=None, return_ref=None, returned_by_code=None, voided_at=None,
        void_reason=None, renewals=0, kiosk_id=kiosk_id, return_kiosk_id=None,
        long_term=long_term, lesson=lesson)


def insert(*, uid: str, txn_ref: str, patron_id: int, kind: str, out_at: datetime,
           due_on: date, kiosk_id: str, copy_id: int | None = None, item_id: int | None = None,
           equipment_type_id: int | None = None, quantity: int = 1, long_term: bool = False,
           lesson_id: int | None = None) -> int:
    """A new open loan; returns its row id."""
    cursor = execute(
        "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, item_id, equipment_type_id,"
        " quantity, out_at, due_on, renewals, kiosk_id, long_term, lesson_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
        (uid, txn_ref, patron_id, kind, copy_id, item_id, equipment_type_id, quantity, out_at,
         due_on, kiosk_id, int(long_term), lesson_id))
    return cursor.fetchone()[0]


def account(loan: LoanRow, *, good: int, damaged: int, missing: int, lost: int, note: str,
            at: datetime, returned_by_id: int | None, condition: str, kiosk_id: str,
            return_ref: str) -> bool:
    """Count pieces of an open loan as back (good, damaged), missing or lost, from the counts
    read in this transaction; the loan closes (returned, with ``condition``) once every piece
    is accounted for. False (nothing changed) when the loan changed since it was read."""
    closing = loan.accounted + good + damaged + missing + lost >= loan.quantity
    closed_fields = (", returned_at = ?, returned_by_id = ?, return_condition = ?,"
                     " return_kiosk_id = ?, return_ref = ?") if closing else ""
    params = [good, damaged, missing, lost, note]
    if closing:
        params += [at, returned_by_id, condition, kiosk_id, return_ref]
    cursor = execute(
        f"UPDATE loan SET returned_good = returned_good + ?,"
        f" returned_damaged = returned_damaged + ?, returned_missing = returned_missing + ?,"
        f" returned_lost = returned_lost + ?, return_note = ?{closed_fields}"
        f" WHERE id = ? AND {_OPEN.replace('loan.', '')} AND returned_good = ?"
        f" AND returned_damaged = ? AND returned_missing = ? AND returned_lost = ?",
        (*params, loan.id, loan.returned_good, loan.returned_damaged, loan.returned_missing,
         loan.returned_lost))
    return cursor.rowcount == 1


def void(loan_id: int, *, at: datetime, reason: str) -> bool:
    """Cancel a loan made by mistake; False when it was already voided."""
    cursor = execute("UPDATE loan SET voided_at = ?, void_reason = ? "
                     "WHERE id = ? AND voided_at IS NULL", (at, reason, loan_id))
    return cursor.rowcount == 1


def unvoid(loan_id: int) -> bool:
    """Undo a void: the loan stands again; False when it was not voided."""
    cursor = execute("UPDATE loan SET voided_at = NULL, void_reason = NULL "
                     "WHERE id = ? AND voided_at IS NOT NULL", (loan_id,))
    return cursor.rowcount == 1


def renew(loan_id: int, *, due_on: date, renewals: int) -> bool:
    """Move an open loan's due date, its ``renewals`` becoming the count given; False (nothing
    changed) when it was no longer open or another renewal came first."""
    cursor = execute(f"UPDATE loan SET due_on = ?, renewals = ? "
                     f"WHERE id = ? AND renewals = ? AND {_OPEN.replace('loan.', '')}",
                     (due_on, renewals, loan_id, renewals - 1))
    return cursor.rowcount == 1


def any_loan() -> bool:
    """True when the database holds at least one loan."""
    return fetch_one("SELECT 1 FROM loan LIMIT 1") is not None
