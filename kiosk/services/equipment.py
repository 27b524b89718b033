"""A teacher's equipment loan for a lesson: a basket of labelled items and counted stock,
checked as it is filled and committed at once on confirm (one action, one transaction: the
lesson, its loan lines, their journal entries and records)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date as Date

from db.ids import uuid7
from db.queries import calendar, equipment, lessons, loans, patrons
from db.queries.lessons import LessonRow
from db.queries.patrons import PatronRow
from db.vocabulary import (AVAILABLE, CONDITIONS, LESSON_RECORDED, LOAN_BORROWED, LOAN_RENEWED,
                           MORNING, REF_EQUIPMENT_BACK, REF_EQUIPMENT_OUT, REF_RENEW)
from kiosk.services import identify as ident
from kiosk.services import availability
from kiosk.services.base import guarded, loan_snapshot
from kiosk.services.circulation import Circulation
from kiosk.services.payloads import lesson_record_data
from kiosk.services.results import LoanInfo, Outcome, Refused, done, refuse
from kiosk.services.takeback import ReturnSplit, take_back


@dataclass
class Lesson:
    """The lesson a teacher borrows equipment for, as picked on the screen."""

    date: Date
    period: int | None
    class_name: str
    subject: str
    title: str = ""
    purpose: str = ""
    session: str = MORNING  # periods are numbered per session: tiết 1-5 sáng, 1-4 chiều
    ppct: int | None = None
    #: Self-made equipment (thiết bị tự làm) used in the lesson: it counts with no loan line.
    self_made: str = ""


@dataclass
class BasketLine:
    """One labelled item, or a quantity of one kind of counted stock."""

    code: str
    name: str
    quantity: int = 1
    unit: str = ""
    item: equipment.ItemRow | None = None
    stock: equipment.EquipmentTypeRow | None = None


@dataclass
class EquipmentBasket:
    """What a teacher has picked so far for one lesson."""

    teacher: PatronRow
    lesson: Lesson | None = None
    long_term: bool = False
    #: How long a long-term loan runs: ``term`` (a term) or ``year`` (to the school year's end).
    long_term_until: str = "term"
    lines: list[BasketLine] = field(default_factory=list)
    #: The checkout's reference, made by its transaction on confirm.
    txn_ref: str | None = None

    def line_for(self, code: str) -> BasketLine | None:
        """The line already holding ``code``, if any."""
        return next((line for line in self.lines if line.code == code), None)


class EquipmentLending(Circulation):
    """Fill and confirm a teacher's equipment basket; take equipment back."""

    def start(self, teacher: PatronRow, lesson: Lesson | None = None, long_term: bool = False
              ) -> Outcome | EquipmentBasket:
        """A new basket for a patron allowed to borrow equipment."""
        if not teacher.active:
            return refuse("patron_inactive", name=teacher.name)
        if not self.rules_for(teacher).may_borrow_equipment:
            return refuse("equipment_not_for_patron")
        return EquipmentBasket(teacher=teacher, lesson=lesson, long_term=long_term)

    @guarded
    def add_scan(self, basket: EquipmentBasket, code: str | ident.Identified) -> Outcome:
        """Add a scanned labelled item (or one unit of counted stock by its type code)."""
        found = self._identified(code)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if basket.line_for(found.code) and found.kind == ident.ITEM:
            return done("already_in_session", code=found.code)
        if found.kind == ident.STOCK:
            line = basket.line_for(found.code)
            return self.set_quantity(basket, found.code, (line.quantity if line else 0) + 1)
        if found.kind != ident.ITEM:
            return refuse("not_equipment" if found.kind != ident.UNKNOWN else "unknown_code",
                          code=found.code)
        item: equipment.ItemRow = found.record
        if item.status != AVAILABLE:
            return refuse(f"item_{item.status}", title=item.type.name)
        basket.lines.append(BasketLine(code=item.barcode, name=item.type.name,
                                       unit=item.type.unit, item=item))
        return done("added", title=item.type.name)

    @guarded
    def set_quantity(self, basket: EquipmentBasket, type_code: str, quantity: int) -> Outcome:
        """Set how many of one kind of counted stock the basket holds (0 removes the line)."""
        kind = equipment.type_by_code(type_code)
        if kind is None or not kind.counted:
            return refuse("unknown_code", code=type_code)
        if quantity < 0:
            return refuse("quantity_invalid")
        if quantity > kind.stock_on_hand:
            return refuse("quantity_above_stock", name=kind.name, on_hand=kind.stock_on_hand)
        line = basket.line_for(type_code)
        if quantity == 0:
            if line:
                basket.lines.remove(line)
            return done("removed", title=kind.name)
        if line:
            line.quantity, line.stock = quantity, kind
        else:
            basket.lines.append(BasketLine(code=kind.code, name=kind.name, quantity=quantity,
                                           unit=kind.unit, stock=kind))
        return done("quantity_set", title=kind.name, quantity=quantity)

    def remove(self, basket: EquipmentBasket, code: str) -> None:
        """Take a line out of the basket."""
        line = basket.line_for(code)
        if line:
            basket.lines.remove(line)

    @guarded
    def confirm(self, basket: EquipmentBasket) -> Outcome:
        """Lend everything in the basket at once; all lines or none."""
        plan = basket.lesson
        self_made_only = (not basket.lines and plan is not None and bool(plan.self_made)
                          and not basket.long_term)
        if not basket.lines and not self_made_only:
            return refuse("basket_empty")
        if plan is None and not basket.long_term:
            return refuse("lesson_required")
        today = self.clock.today()
        due = None if basket.long_term else max(plan.date, today)
        teacher = basket.teacher
        made: list = []
        if basket.long_term:
            due = self.long_term_due(basket.long_term_until)
        # A lesson taught with self-made equipment only lends nothing: it is journalled and
        # sent as ``lesson.recorded`` (contract v1.1), a use of equipment like a checkout.
        with self.action(teacher.code, prefix=REF_EQUIPMENT_OUT) as act:
            now = act.who.at
            state = patrons.borrower_state(teacher.id, today)
            block = self._block(teacher, state)
            if block:
                raise Refused(block)
            rules = self.rules_for(teacher)
            if state.open_equipment + len(basket.lines) > rules.max_equipment_items:
                raise Refused(refuse("limit_reached", limit=rules.max_equipment_items))
            lesson = None if basket.long_term else self._record_lesson(act, teacher, plan)
            if self_made_only:
                act.journal("lesson", entity="lesson", entity_key=lesson.uid,
                            after={"class": lesson.class_name, "date": lesson.date,
                                   "period": lesson.period, "self_made": lesson.self_made})
                act.record(LESSON_RECORDED, lesson_record_data(
                    lesson, teacher, self.config.school.code, self.context.kiosk_id))
            made = self._lend_lines(act, basket, due, lesson)
        basket.txn_ref = act.ref
        infos = [self.loan_info(loan, today) for loan in made]
        if self_made_only:
            return done("lesson_self_made", count=0, loans=[], ref=act.ref)
        return done("equipment_lent", count=len(infos), loans=infos, ref=act.ref)

    def _lend_lines(self, act, basket: EquipmentBasket, due: Date, lesson: LessonRow | None,
                    holds_checked: bool = True) -> list:
        """Lend each line of the basket inside the caller's action, leaving alone what
        other teachers' bookings hold (today's; any for a long-term loan)."""
        now, teacher = act.who.at, basket.teacher
        type_ids = sorted({(line.item.type.id if line.item else line.stock.id)
                           for line in basket.lines})
        equipment.lock_types(type_ids)
        holds = availability.holds_against_lending(availability.Picture.read(now), teacher.id,
                                                   None if basket.long_term else due)
        made = []
        for line in basket.lines:
            if line.item is not None:
                hold = availability.item_hold(line.item.id, holds)
                if hold is not None:
                    raise Refused(refuse("item_booked", title=line.name,
                                         holder=availability.HoldNote(hold)))
                if not equipment.take_item(line.item.id, now):
                    raise Refused(self._not_available(line.code, line.name))
            else:
                kind = equipment.type_by_id(line.stock.id)
                held, by = availability.pieces_held(kind.id, holds)
                if line.quantity > kind.stock_on_hand - held:
                    raise Refused(self._stock_short(kind, held, by))
                if not equipment.take_stock(line.stock.id, line.quantity, now):
                    raise Refused(refuse("quantity_above_stock", name=kind.name,
                                         on_hand=kind.stock_on_hand))
            loan = loans.lend(uid=uuid7(), txn_ref=act.ref, patron=teacher, out_at=now,
                              due_on=due, kiosk_id=self.context.kiosk_id, item=line.item,
                              stock=line.stock, quantity=line.quantity,
                              long_term=basket.long_term, lesson=lesson)
            self._record(act, loan, LOAN_BORROWED, "borrow", None)
            made.append(loan)
        return made

    @staticmethod
    def _stock_short(kind, held: int, holds) -> Outcome:
        lendable = max(0, kind.stock_on_hand - held)
        if held:
            return refuse("quantity_booked", name=kind.name, on_hand=lendable, held=held,
                          holders=availability.holders_text(holds, kind.unit))
        return refuse("quantity_above_stock", name=kind.name, on_hand=kind.stock_on_hand)

    def stock_refusal(self, teacher: PatronRow, type_code: str, until: Date | None) -> Outcome:
        """Why no more of a counted kind may be lent now: what is on hand, and what other
        teachers' bookings hold of it, with who."""
        kind = equipment.type_by_code(type_code)
        if kind is None:
            return refuse("unknown_code", code=type_code)
        holds = availability.holds_against_lending(
            availability.Picture.read(self.clock.db_now()), teacher.id, until)
        held, by = availability.pieces_held(kind.id, holds)
        return self._stock_short(kind, held, by)

    def lendable(self, teacher: PatronRow, until: Date | None
                 ) -> tuple[dict[int, int], dict[int, object]]:
        """What a loan made now and due back ``until`` (None: long term) leaves alone: pieces
        held by kind (type id -> count) and the labelled items held (item id -> its hold)."""
        holds = availability.holds_against_lending(
            availability.Picture.read(self.clock.db_now()), teacher.id, until)
        pieces = {}
        for hold in holds:
            if hold.item_id is None and hold.type_id not in pieces:
                pieces[hold.type_id] = availability.pieces_held(hold.type_id, holds)[0]
        return pieces, {h.item_id: h for h in holds if h.item_id is not None}

    def long_term_due(self, until: str) -> Date:
        """A long-term loan's due date: a term (``long_term_equipment_days``) or the school
        year's end (``year``; a term's length twice when the year is not known)."""
        days = self.config.loans.long_term_equipment_days
        if until == "year":
            today = self.clock.today()
            end = next((ends for _, starts, ends in calendar.school_years()
                        if starts <= today <= ends), None)
            if end is not None and end > today:
                return end
            days *= 2
        return self.due_in(days)

    @guarded
    def renew_long_term(self, teacher: PatronRow, loan_ids: list[int]) -> Outcome:
        """Renew a teacher's long-term loans (``GH-``): each runs a term again from today,
        once per loan up to the teacher's renewals; refused when none would move."""
        rules = self.rules_for(teacher)
        with self.action(teacher.code, prefix=REF_RENEW) as act:
            wanted = [loan for loan in loans.by_ids(loan_ids)
                      if loan.patron_id == teacher.id and loan.is_open and loan.long_term]
            if not wanted:
                raise Refused(refuse("nothing_to_renew"))
            due = self.long_term_due("term")
            renewed = []
            for loan in wanted:
                if loan.renewals >= rules.max_renewals:
                    raise Refused(refuse("renew_limit", limit=rules.max_renewals))
                if due <= loan.due_on:
                    raise Refused(refuse("renew_not_yet", title=loan.title,
                                         due=loan.due_on.strftime("%d/%m/%Y")))
                loans.renew(loan.id, due_on=due, renewals=loan.renewals + 1)
                after = dataclasses.replace(loan, due_on=due, renewals=loan.renewals + 1)
                self._record(act, after, LOAN_RENEWED, "renew", loan_snapshot(loan))
                renewed.append(after)
        return done("long_term_renewed", count=len(renewed), ref=act.ref,
                    due=due.strftime("%d/%m/%Y"))

    def long_term_loans(self, teacher: PatronRow) -> list[LoanInfo]:
        """A teacher's open long-term equipment loans, soonest due first."""
        today = self.clock.today()
        return [self.loan_info(loan, today) for loan in loans.open_loans_of_patron(teacher.id)
                if loan.long_term]

    def _record_lesson(self, act, teacher: PatronRow, plan: Lesson) -> LessonRow:
        """The lesson row of a checkout, with the teacher's subject group of today."""
        uid = uuid7()
        session = plan.session if plan.period else None
        lesson_id = lessons.insert(
            uid=uid, txn_ref=act.ref, teacher_id=teacher.id, lesson_date=plan.date,
            session=session, period=plan.period, class_name=plan.class_name,
            subject=plan.subject, subject_group=teacher.subject_group, title=plan.title,
            ppct=plan.ppct, purpose=plan.purpose, kiosk_id=self.context.kiosk_id,
            created_at=act.who.at, self_made=plan.self_made)
        return LessonRow(id=lesson_id, uid=uid, txn_ref=act.ref, teacher_id=teacher.id,
                         date=plan.date, session=session, period=plan.period,
                         class_name=plan.class_name, subject=plan.subject,
                         subject_group=teacher.subject_group, title=plan.title, ppct=plan.ppct,
                         purpose=plan.purpose, self_made=plan.self_made)

    def open_equipment_loan(self, code: str | ident.Identified, teacher: PatronRow,
                            skip: set[int] = frozenset()) -> LoanInfo | Outcome:
        """The open loan a scanned equipment code stands for (a labelled item's, anyone's; for
        counted stock, the teacher's own not in ``skip``), or why there is none."""
        found = self._identified(code)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if found.kind == ident.ITEM:
            loan = loans.open_loan_of_item(found.record.id)
        elif found.kind == ident.STOCK:
            loan = next((row for row in loans.open_loans_of_patron(teacher.id)
                         if row.equipment_type_id == found.record.id and row.id not in skip),
                        None)
        else:
            return refuse("not_equipment", code=found.code)
        if loan is None:
            return refuse("not_on_loan", code=found.code)
        return self.loan_info(loan)

    @guarded
    def return_lines(self, entries: list, returned_by: PatronRow | None) -> Outcome:
        """Return several open loans at once, in one action. Each entry is a
        ``(loan_id, ReturnSplit)`` (how many pieces came back good, damaged, missing; the rest
        stays on loan), or ``(loan_id, condition, quantity_back)`` (``quantity_back`` pieces,
        default all still out, in one condition)."""
        if not entries:
            return refuse("basket_empty")
        wanted = []
        for entry in entries:
            if len(entry) == 3:
                loan_id, condition, quantity_back = entry
                if condition not in CONDITIONS:
                    return refuse("bad_condition", condition=condition)
                wanted.append((loan_id, condition, quantity_back))
            else:
                wanted.append((entry[0], entry[1], None))
        actor = returned_by.code if returned_by else ""
        with self.action(actor, prefix=REF_EQUIPMENT_BACK) as act:
            by_id = {row.id: row for row in loans.by_ids([entry[0] for entry in wanted])}
            closed = []
            for loan_id, split, quantity_back in wanted:
                loan = by_id.get(loan_id)
                if loan is None or not loan.is_open:
                    raise Refused(refuse("not_on_loan", code=str(loan_id)))
                if isinstance(split, str):
                    pieces = loan.outstanding if quantity_back is None else quantity_back
                    split = ReturnSplit.of(split, pieces)
                closed.append(take_back(self, act, loan, returned_by, split))
        infos = [self.loan_info(loan) for loan in closed]
        still_out = sum(info.outstanding for info in infos)
        return done("equipment_returned", count=len(infos), loans=infos, ref=act.ref,
                    still_out=still_out)
