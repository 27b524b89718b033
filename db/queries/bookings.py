"""Bookings (đặt trước): what a teacher reserved for a later lesson, what bookings hold now,
and the open equipment loans that keep things away from a lesson.

A booking holds its lines while it is ``booked`` and its lesson has not ended
(``lapses_at`` is still ahead); the queries take ``now`` so that a booking past its lesson stops
holding at once, before the lapse is recorded. Writes are conditional (a booking is closed only
while ``booked``), so two kiosks can never collect one booking twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.queries import as_date, as_datetime, execute, fetch_all
from db.vocabulary import BOOKED


@dataclass(frozen=True)
class Slot:
    """A lesson's place in the timetable: a day, its session (buổi) and period (tiết)."""

    date: date
    session: str
    period: int


@dataclass(frozen=True)
class BookingLineRow:
    """One line of a booking: a labelled item, or a quantity of one kind of equipment."""

    id: int
    type_id: int
    type_code: str
    type_name: str
    unit: str
    tracking: str
    item_id: int | None
    item_barcode: str | None
    quantity: int


@dataclass(frozen=True)
class BookingRow:
    """A booking with its teacher and lines."""

    id: int
    uid: str
    txn_ref: str
    teacher_id: int
    teacher_code: str
    teacher_name: str
    teacher_gender: str
    lesson_date: date
    session: str
    period: int
    class_name: str
    subject: str
    title: str
    ppct: int | None
    purpose: str
    status: str
    kiosk_id: str
    created_at: datetime
    collect_from: datetime | None
    lapses_at: datetime
    closed_at: datetime | None
    closed_ref: str
    lesson_id: int | None
    #: The lesson's stable id once collected.
    lesson_uid: str | None = None
    lines: tuple[BookingLineRow, ...] = ()


_SELECT = """
    SELECT b.id, b.uid, b.txn_ref, b.teacher_id, p.code, p.name, p.gender, b.lesson_date,
           b.session, b.period, b.class_name, b.subject, b.title, b.ppct, b.purpose, b.status,
           b.kiosk_id, b.created_at, b.collect_from, b.lapses_at, b.closed_at, b.closed_ref,
           b.lesson_id, lesson.uid
    FROM booking b JOIN patron p ON p.id = b.teacher_id
    LEFT JOIN lesson ON lesson.id = b.lesson_id
"""
_LINES = """
    SELECT l.booking_id, l.id, t.id, t.code, t.name, t.unit, t.tracking, l.item_id, i.barcode,
           l.quantity
    FROM booking_line l
    JOIN equipment_type t ON t.id = l.equipment_type_id
    LEFT JOIN equipment_item i ON i.id = l.item_id
"""
#: Sessions in the order of a day, for ordering bookings.
_SESSION_ORDER = ("CASE b.session WHEN 'morning' THEN 0 WHEN 'afternoon' THEN 1 ELSE 2 END")


def _bookings(where: str, params: tuple, order: str = "b.id") -> list[BookingRow]:
    rows = fetch_all(f"{_SELECT} WHERE {where} ORDER BY {order}", params)
    if not rows:
        return []
    ids = [row[0] for row in rows]
    marks = ", ".join("?" * len(ids))
    lines: dict[int, list[BookingLineRow]] = {}
    for row in fetch_all(f"{_LINES} WHERE l.booking_id IN ({marks}) ORDER BY l.id", tuple(ids)):
        lines.setdefault(row[0], []).append(BookingLineRow(*row[1:]))
    return [BookingRow(*row[:7], lesson_date=as_date(row[7]), session=row[8], period=row[9],
                       class_name=row[10], subject=row[11], title=row[12], ppct=row[13],
                       purpose=row[14], status=row[15], kiosk_id=row[16],
                       created_at=as_datetime(row[17]), collect_from=as_datetime(row[18]),
                       lapses_at=as_datetime(row[19]), closed_at=as_datetime(row[20]),
                       closed_ref=row[21], lesson_id=row[22], lesson_uid=row[23],
                       lines=tuple(lines.get(row[0], ()))) for row in rows]


def by_id(booking_id: int) -> BookingRow | None:
    """A booking with its lines."""
    found = _bookings("b.id = ?", (booking_id,))
    return found[0] if found else None


def holding_of_teacher(teacher_id: int, now: datetime) -> list[BookingRow]:
    """A teacher's bookings that still hold their equipment, the soonest lesson first."""
    return _bookings("b.teacher_id = ? AND b.status = ? AND b.lapses_at > ?",
                     (teacher_id, BOOKED, now),
                     f"b.lesson_date, {_SESSION_ORDER}, b.period, b.id")


def due_to_lapse(now: datetime, limit: int = 200) -> list[BookingRow]:
    """Bookings still ``booked`` whose lesson has ended."""
    return _bookings("b.status = ? AND b.lapses_at <= ?", (BOOKED, now),
                     f"b.lapses_at, b.id LIMIT {int(limit)}")


@dataclass(frozen=True)
class Hold:
    """What one booking line holds: who, for which lesson, which item or how many pieces."""

    booking_id: int
    teacher_id: int
    teacher_name: str
    teacher_gender: str
    type_id: int
    item_id: int | None
    quantity: int
    slot: Slot
    class_name: str


def holds(now: datetime) -> list[Hold]:
    """Every line of every booking that holds now (booked, its lesson not over), soonest
    first. A school has a few dozen at a time."""
    rows = fetch_all(
        "SELECT b.id, b.teacher_id, p.name, p.gender, l.equipment_type_id, l.item_id,"
        " l.quantity, b.lesson_date, b.session, b.period, b.class_name"
        " FROM booking_line l JOIN booking b ON b.id = l.booking_id"
        " JOIN patron p ON p.id = b.teacher_id"
        f" WHERE b.status = ? AND b.lapses_at > ? ORDER BY b.lesson_date, {_SESSION_ORDER},"
        " b.period, l.id", (BOOKED, now))
    return [Hold(*row[:7], slot=Slot(as_date(row[7]), row[8], row[9]), class_name=row[10])
            for row in rows]


@dataclass(frozen=True)
class OutRow:
    """An open equipment loan as availability sees it: what it keeps out and until when."""

    loan_id: int
    patron_id: int
    type_id: int
    item_id: int | None
    outstanding: int
    due_on: date
    long_term: bool
    lesson: Slot | None


def equipment_out() -> list[OutRow]:
    """Every open equipment loan (the partial open-loan index; a school has dozens)."""
    rows = fetch_all(
        "SELECT loan.id, loan.patron_id, COALESCE(item.type_id, loan.equipment_type_id),"
        " loan.item_id, loan.quantity - loan.returned_good - loan.returned_damaged"
        " - loan.returned_missing - loan.returned_lost, loan.due_on, loan.long_term,"
        " lesson.lesson_date, lesson.session, lesson.period"
        " FROM loan LEFT JOIN equipment_item item ON item.id = loan.item_id"
        " LEFT JOIN lesson ON lesson.id = loan.lesson_id"
        " WHERE loan.kind = 'equipment' AND loan.returned_at IS NULL AND loan.voided_at IS NULL")
    out = []
    for row in rows:
        lesson = (Slot(as_date(row[7]), row[8] or "morning", row[9])
                  if row[7] is not None and row[9] is not None else None)
        out.append(OutRow(row[0], row[1], row[2], row[3], max(0, row[4]), as_date(row[5]),
                          bool(row[6]), lesson))
    return out


# -- writes ---------------------------------------------------------------------------------
def insert(*, uid: str, txn_ref: str, teacher_id: int, slot: Slot, class_name: str,
           subject: str, title: str, ppct: int | None, purpose: str, kiosk_id: str,
           created_at: datetime, collect_from: datetime | None, lapses_at: datetime) -> int:
    """A new booking, ``booked``; returns its row id."""
    cursor = execute(
        "INSERT INTO booking (uid, txn_ref, teacher_id, lesson_date, session, period,"
        " class_name, subject, title, ppct, purpose, status, kiosk_id, created_at,"
        " collect_from, lapses_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        (uid, txn_ref, teacher_id, slot.date, slot.session, slot.period, class_name, subject,
         title, ppct, purpose, BOOKED, kiosk_id, created_at, collect_from, lapses_at))
    return cursor.fetchone()[0]


def insert_line(booking_id: int, type_id: int, item_id: int | None, quantity: int) -> None:
    """One line of a booking."""
    execute("INSERT INTO booking_line (booking_id, equipment_type_id, item_id, quantity)"
            " VALUES (?, ?, ?, ?)", (booking_id, type_id, item_id, quantity))


def close(booking_id: int, status: str, at: datetime, ref: str,
          lesson_id: int | None = None) -> bool:
    """A booked booking becomes ``status`` (collected, cancelled, lapsed); False when it was
    not booked any more (nothing changed)."""
    cursor = execute("UPDATE booking SET status = ?, closed_at = ?, closed_ref = ?,"
                     " lesson_id = ? WHERE id = ? AND status = ?",
                     (status, at, ref, lesson_id, booking_id, BOOKED))
    return cursor.rowcount == 1
