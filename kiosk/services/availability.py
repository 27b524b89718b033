"""What equipment a lesson can have: free, held by others' bookings (đặt trước), out on loan.

A booking holds its lines for its slot (date, session, period) until its lesson ends. For a
slot the kiosk counts, per kind of equipment:

- a labelled item is free when it is available or out on a lesson loan due back before the
  slot's day (not long-term, not overdue), and no other booking of that slot holds it;
- counted stock: the pieces on hand, plus those out on lesson loans due back before the slot's
  day, less what other bookings of that slot hold.

Lending now (a lesson today) leaves alone what today's bookings of others hold; a long-term
loan leaves alone what any booking holds. These are plain functions over the query rows, used
by the screens (what the list shows) and inside the actions (what is refused), so both agree.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from db.queries import bookings as booking_rows
from db.queries import equipment
from db.queries.bookings import Hold, OutRow, Slot
from db.queries.equipment import EquipmentTypeRow
from db.vocabulary import AVAILABLE, ON_LOAN
from kiosk.i18n import t
from kiosk.services.results import Addressed, Listed


@dataclass(frozen=True)
class Availability:
    """One kind of equipment for one slot, as a teacher booking it sees it."""

    kind: EquipmentTypeRow
    #: Items or pieces that may still be booked (or lent) for the slot.
    free: int
    #: Held for the slot by other teachers' bookings.
    reserved: int
    #: Who holds them (other teachers' booking lines for the slot).
    holders: tuple[Hold, ...] = ()
    #: Labelled kinds: the ids of the free items, by label.
    free_items: tuple[int, ...] = field(default=())


@dataclass
class Picture:
    """Everything availability needs, read once: what bookings hold and what is out."""

    holds: list[Hold]
    out: list[OutRow]

    @classmethod
    def read(cls, now: datetime) -> "Picture":
        """The holds and open equipment loans as they stand."""
        return cls(booking_rows.holds(now), booking_rows.equipment_out())

    def others(self, teacher_id: int) -> list[Hold]:
        """The holds of other teachers' bookings."""
        return [h for h in self.holds if h.teacher_id != teacher_id]


def for_slot(kinds: list[EquipmentTypeRow], slot: Slot, today: date, picture: Picture,
             teacher_id: int | None = None) -> dict[int, Availability]:
    """Each kind's availability for ``slot`` (by type id). Holds of ``teacher_id``'s own
    bookings count as taken too (a second booking of the same slot cannot reuse them), but
    are not listed among the holders."""
    same_slot = [h for h in picture.holds if h.slot == slot]
    held_items: dict[int, Hold] = {h.item_id: h for h in same_slot if h.item_id is not None}
    held_pieces: dict[int, list[Hold]] = defaultdict(list)
    for hold in same_slot:
        if hold.item_id is None:
            held_pieces[hold.type_id].append(hold)
    back_in_time = [row for row in picture.out if _back_before(row, slot.date, today)]
    returning_items = {row.item_id for row in back_in_time if row.item_id is not None}
    returning_pieces: dict[int, int] = defaultdict(int)
    for row in back_in_time:
        if row.item_id is None:
            returning_pieces[row.type_id] += row.outstanding
    labelled = [kind.id for kind in kinds if not kind.counted]
    items_by_type: dict[int, list[equipment.ItemState]] = defaultdict(list)
    for item in equipment.item_states(labelled):
        items_by_type[item.type_id].append(item)
    found: dict[int, Availability] = {}
    for kind in kinds:
        if kind.counted:
            holds = held_pieces.get(kind.id, [])
            reserved = sum(h.quantity for h in holds)
            free = max(0, kind.stock_on_hand + returning_pieces.get(kind.id, 0) - reserved)
            found[kind.id] = Availability(kind, free, _others_count(holds, teacher_id),
                                          _others(holds, teacher_id))
            continue
        free_items, holds = [], []
        for item in items_by_type.get(kind.id, []):
            hold = held_items.get(item.id)
            if hold is not None:
                holds.append(hold)
            elif item.status == AVAILABLE or (item.status == ON_LOAN
                                              and item.id in returning_items):
                free_items.append(item.id)
        found[kind.id] = Availability(kind, len(free_items), _others_count(holds, teacher_id),
                                      _others(holds, teacher_id), tuple(free_items))
    return found


def _back_before(row: OutRow, day: date, today: date) -> bool:
    """An open loan that will be back before ``day``: a lesson loan due from today on and
    before that day (an overdue or long-term one is not counted on)."""
    return not row.long_term and today <= row.due_on < day


def _others(holds: list[Hold], teacher_id: int | None) -> tuple[Hold, ...]:
    return tuple(h for h in holds if teacher_id is None or h.teacher_id != teacher_id)


def _others_count(holds: list[Hold], teacher_id: int | None) -> int:
    return sum(h.quantity for h in _others(holds, teacher_id))


# -- lending now ---------------------------------------------------------------------------------
def holds_against_lending(picture: Picture, teacher_id: int, until: date | None) -> list[Hold]:
    """The holds a loan made now must leave alone: others' bookings of a lesson up to the
    loan's due day ``until`` (a lesson loan today: today's), every booking of others for a
    long-term loan (``until`` None)."""
    return [h for h in picture.others(teacher_id) if until is None or h.slot.date <= until]


def item_hold(item_id: int, holds: list[Hold]) -> Hold | None:
    """The hold on one labelled item among ``holds``, if any."""
    return next((h for h in holds if h.item_id == item_id), None)


def pieces_held(type_id: int, holds: list[Hold]) -> tuple[int, list[Hold]]:
    """How many pieces of one counted kind ``holds`` keep (the busiest slot's total: the same
    pieces serve slots one after another), and the holds of that kind."""
    mine = [h for h in holds if h.type_id == type_id and h.item_id is None]
    by_slot: dict[Slot, int] = defaultdict(int)
    for hold in mine:
        by_slot[hold.slot] += hold.quantity
    return max(by_slot.values(), default=0), mine


@dataclass(frozen=True)
class HoldNote:
    """"cô Phạm Thu Hà, 6A1, tiết 2 (Sáng) 03/12: 10 cái", translated when read."""

    hold: Hold
    unit: str = ""

    def __str__(self) -> str:
        slot = self.hold.slot
        return t("ui.booking.held_by", who=Addressed(self.hold.teacher_name,
                                                       self.hold.teacher_gender),
                 class_name=self.hold.class_name or "-", period=slot.period,
                 session=t(f"ui.equipment.session_{slot.session}"),
                 date=slot.date.strftime("%d/%m"), quantity=self.hold.quantity,
                 unit=self.unit)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def holders_text(holds, unit: str = "") -> Listed:
    """Who holds what, for a refusal: one part per booking (its items or pieces added up)."""
    merged: dict[int, Hold] = {}
    for hold in holds:
        seen = merged.get(hold.booking_id)
        merged[hold.booking_id] = hold if seen is None else dataclasses.replace(
            seen, quantity=seen.quantity + hold.quantity)
    return Listed(tuple(HoldNote(h, unit) for h in merged.values()))
