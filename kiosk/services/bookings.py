"""Booking equipment ahead (đặt trước) for a later lesson, collecting it, and its lapse.

A booking is one action (``DT-``): the booking row, a line per labelled item (the kiosk picks
free items by label) or per quantity of counted stock, its journal entry and its
``booking.made`` record. It holds its lines for the lesson's slot until the lesson ends; a
booking that would need what another teacher's booking of the same slot holds is refused with
who holds it. The check runs inside the action's write transaction, so two kiosks booking the
last item at once give one booking and one refusal.

Collecting (``collect``) turns a booking into the lesson's loan in one action (``TB-``, the
checkout's reference): the lesson row, the loans, their ``loan.borrowed`` records, and the
booking closed with ``booking.collected``. A booking not collected before its lesson ends
lapses (``QD-``, ``booking.lapsed``); until then it holds nothing once its ``lapses_at`` is
past (every query takes ``now``), so a late lapse never blocks anyone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from db.ids import uuid7
from db.queries import bookings as booking_rows
from db.queries import calendar, equipment, patrons
from db.queries.bookings import BookingRow, Slot
from db.queries.patrons import PatronRow
from db.vocabulary import (BOOKING_CANCELLED, BOOKING_COLLECTED, BOOKING_LAPSED, BOOKING_MADE,
                           CANCELLED, COLLECTED, LAPSED, REF_BOOK, REF_EQUIPMENT_OUT, REF_LAPSE,
                           REF_UNBOOK)
from kiosk.clock import format_date
from kiosk.services import availability
from kiosk.services.base import guarded
from kiosk.services.equipment import BasketLine, EquipmentBasket, EquipmentLending, Lesson
from kiosk.services.payloads import booking_data
from kiosk.services.results import Outcome, Refused, done, refuse


class Bookings(EquipmentLending):
    """Book equipment for a later lesson, cancel, collect, lapse."""

    # -- the slot ---------------------------------------------------------------------------
    def window(self, slot: Slot) -> tuple[datetime | None, datetime]:
        """When the teacher's card alone collects a booking of ``slot`` (from some minutes
        before the period starts; None: all that day, when period times are not known), and
        when it lapses (the end of the period, else the end of the day); stored UTC."""
        times = calendar.period_times().get((slot.session, slot.period))
        day_end = self.clock.local_day_bounds(slot.date)[1]
        if not times:
            return None, day_end
        starts, ends = (self._stored(slot.date, text) for text in times)
        early = timedelta(minutes=self.config.loans.booking_collect_minutes)
        return starts - early, max(ends, starts)

    def _stored(self, day: date, hhmm: str) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":")[:2])
        local = datetime.combine(day, time(hour, minute), tzinfo=self.clock.tz)
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    def availability(self, slot: Slot, teacher: PatronRow, kinds=None
                     ) -> dict[int, availability.Availability]:
        """Each kind of equipment (all kinds by default) for ``slot``, as ``teacher`` sees it."""
        kinds = equipment.all_types() if kinds is None else kinds
        picture = availability.Picture.read(self.clock.db_now())
        return availability.for_slot(kinds, slot, self.clock.today(), picture, teacher.id)

    # -- booking ----------------------------------------------------------------------------
    @guarded
    def book(self, teacher: PatronRow, lesson: Lesson, wanted: dict[str, int]) -> Outcome:
        """Book ``wanted`` (a kind's code -> how many items or pieces) for the lesson, in one
        action; refused whole when one kind is short, with who holds it."""
        today = self.clock.today()
        if not teacher.active:
            return refuse("patron_inactive", name=teacher.name)
        if not self.rules_for(teacher).may_borrow_equipment:
            return refuse("equipment_not_for_patron")
        if lesson.period is None or not lesson.class_name:
            return refuse("lesson_required")
        if lesson.date < today:
            return refuse("booking_in_past")
        if (lesson.date - today).days > self.config.loans.booking_days_ahead:
            return refuse("booking_too_far", days=self.config.loans.booking_days_ahead)
        wanted = {code: n for code, n in wanted.items() if n > 0}
        if not wanted:
            return refuse("basket_empty")
        slot = Slot(lesson.date, lesson.session, lesson.period)
        collect_from, lapses_at = self.window(slot)
        with self.action(teacher.code, prefix=REF_BOOK) as act:
            if lapses_at <= act.who.at:
                raise Refused(refuse("booking_lesson_over"))
            kinds = []
            for code in wanted:
                kind = equipment.type_by_code(code)
                if kind is None:
                    raise Refused(refuse("unknown_code", code=code))
                kinds.append(kind)
            equipment.lock_types([kind.id for kind in kinds])  # PostgreSQL: one booker a kind
            picture = availability.Picture.read(act.who.at)
            free = availability.for_slot(kinds, slot, today, picture, teacher.id)
            booking_id = booking_rows.insert(
                uid=uuid7(), txn_ref=act.ref, teacher_id=teacher.id, slot=slot,
                class_name=lesson.class_name, subject=lesson.subject, title=lesson.title,
                ppct=lesson.ppct, purpose=lesson.purpose, kiosk_id=self.context.kiosk_id,
                created_at=act.who.at, collect_from=collect_from, lapses_at=lapses_at)
            for kind in kinds:
                count, offer = wanted[kind.code], free[kind.id]
                if count > offer.free:
                    raise Refused(self.short(kind, count, offer))
                if kind.counted:
                    booking_rows.insert_line(booking_id, kind.id, None, count)
                else:
                    for item_id in offer.free_items[:count]:
                        booking_rows.insert_line(booking_id, kind.id, item_id, 1)
            made = booking_rows.by_id(booking_id)
            act.record(BOOKING_MADE, self._journal(act, made, "book", None))
        return done("booked", ref=act.ref, date=format_date(lesson.date), period=lesson.period,
                    count=sum(wanted.values()), booking=made)

    @staticmethod
    def short(kind, count: int, offer: availability.Availability) -> Outcome:
        """Why ``count`` of ``kind`` cannot be booked: how many are free, who holds the rest."""
        if offer.holders:
            return refuse("booking_held", name=kind.name, free=offer.free, wanted=count,
                          holders=availability.holders_text(offer.holders, kind.unit))
        return refuse("booking_short", name=kind.name, free=offer.free, wanted=count)

    def _journal(self, act, booking: BookingRow, action: str, before: str | None) -> dict:
        """The journal entry of a booking's change; returns the booking as records carry it."""
        data = booking_data(booking, self.config.school.code, self.context.kiosk_id)
        act.journal(action, entity="booking", entity_key=booking.uid,
                    before={"status": before} if before else None, after=data)
        return data

    def of_teacher(self, teacher: PatronRow) -> list[BookingRow]:
        """A teacher's bookings that still hold, the soonest lesson first."""
        return booking_rows.holding_of_teacher(teacher.id, self.clock.db_now())

    @guarded
    def cancel(self, teacher: PatronRow, booking_id: int) -> Outcome:
        """The teacher cancels one of their bookings (``HD-``)."""
        with self.action(teacher.code, prefix=REF_UNBOOK) as act:
            booking = booking_rows.by_id(booking_id)
            if booking is None or booking.teacher_id != teacher.id:
                raise Refused(refuse("booking_not_found"))
            if not booking_rows.close(booking.id, CANCELLED, act.who.at, act.ref):
                raise Refused(refuse("booking_closed", status=booking.status))
            act.record(BOOKING_CANCELLED, self._journal(
                act, booking_rows.by_id(booking.id), "unbook", booking.status))
        return done("booking_cancelled", ref=act.ref, date=format_date(booking.lesson_date),
                    period=booking.period)

    # -- collecting ---------------------------------------------------------------------------
    def collectable(self, teacher: PatronRow) -> list[BookingRow]:
        """The teacher's bookings that the card alone collects now: today's, from some
        minutes before the period until it ends."""
        now, today = self.clock.db_now(), self.clock.today()
        return [b for b in self.of_teacher(teacher) if b.lesson_date == today
                and (b.collect_from is None or b.collect_from <= now)]

    @guarded
    def collect(self, teacher: PatronRow, booking_id: int) -> Outcome:
        """Turn a booking into the lesson's loan: one checkout (``TB-``) with the lesson, the
        loans and their records, and the booking closed (``booking.collected``)."""
        today = self.clock.today()
        with self.action(teacher.code, prefix=REF_EQUIPMENT_OUT) as act:
            booking = booking_rows.by_id(booking_id)
            if booking is None or booking.teacher_id != teacher.id:
                raise Refused(refuse("booking_not_found"))
            if booking.status != "booked" or booking.lapses_at <= act.who.at:
                raise Refused(refuse("booking_closed", status=booking.status))
            if booking.lesson_date != today:
                raise Refused(refuse("booking_not_today", date=format_date(booking.lesson_date)))
            state = patrons.borrower_state(teacher.id, today)
            block = self._block(teacher, state)
            if block:
                raise Refused(block)
            rules = self.rules_for(teacher)
            if state.open_equipment + len(booking.lines) > rules.max_equipment_items:
                raise Refused(refuse("limit_reached", limit=rules.max_equipment_items))
            basket = EquipmentBasket(teacher=teacher, lesson=Lesson(
                date=booking.lesson_date, period=booking.period, session=booking.session,
                class_name=booking.class_name, subject=booking.subject, title=booking.title,
                ppct=booking.ppct, purpose=booking.purpose))
            for line in booking.lines:
                if line.item_id is not None:
                    item = equipment.item_by_id(line.item_id)
                    basket.lines.append(BasketLine(code=item.barcode, name=item.type.name,
                                                   unit=item.type.unit, item=item))
                else:
                    kind = equipment.type_by_id(line.type_id)
                    basket.lines.append(BasketLine(code=kind.code, name=kind.name,
                                                   quantity=line.quantity, unit=kind.unit,
                                                   stock=kind))
            lesson = self._record_lesson(act, teacher, basket.lesson)
            made = self._lend_lines(act, basket, booking.lesson_date, lesson)
            if not booking_rows.close(booking.id, COLLECTED, act.who.at, act.ref, lesson.id):
                raise Refused(refuse("booking_closed", status=booking.status))
            act.record(BOOKING_COLLECTED, self._journal(
                act, booking_rows.by_id(booking.id), "collect", booking.status))
        basket.txn_ref = act.ref
        infos = [self.loan_info(loan, today) for loan in made]
        return done("booking_collected", count=len(infos), loans=infos, ref=act.ref,
                    period=booking.period, class_name=booking.class_name)

    # -- lapsing ------------------------------------------------------------------------------
    def lapse_pending(self) -> bool:
        """True when some booking's lesson ended uncollected and its lapse is not recorded."""
        return bool(booking_rows.due_to_lapse(self.clock.db_now(), 1))

    def lapse_due(self, limit: int = 50) -> Outcome:
        """Record the lapse of every booking whose lesson ended uncollected, each its own
        action (``QD-``, ``booking.lapsed``); ``count`` says how many lapsed. A booking
        collected or cancelled meanwhile (another kiosk) is left as it is."""
        lapsed = 0
        for booking in booking_rows.due_to_lapse(self.clock.db_now(), limit):
            if self._lapse(booking).ok:
                lapsed += 1
        return done("bookings_lapsed", count=lapsed)

    @guarded
    def _lapse(self, booking: BookingRow) -> Outcome:
        with self.action("", prefix=REF_LAPSE) as act:
            if not booking_rows.close(booking.id, LAPSED, act.who.at, act.ref):
                raise Refused(refuse("booking_closed", status=booking.status))
            act.record(BOOKING_LAPSED, self._journal(
                act, booking_rows.by_id(booking.id), "lapse", booking.status))
        return done("booking_lapsed", ref=act.ref)
