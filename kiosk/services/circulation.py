"""Borrowing, returning and renewing, one scan at a time.

A borrow happens inside a :class:`BorrowSession` opened by the patron's card: the same code
scanned twice in one session counts once. Every action commits its loan change, journal entry
and outbox record in one transaction, or nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import peewee

from db.ids import short_ref, uuid7
from db.models import Copy, EquipmentItem, EquipmentType, Loan, Patron
from kiosk.config import PatronRules
from kiosk.services import identify as ident
from kiosk.services.base import Service, guarded, loan_snapshot
from kiosk.services.calendar import due_date
from kiosk.services.results import LoanInfo, Outcome, done, refuse

log = logging.getLogger(__name__)

CONDITIONS = ("good", "damaged", "missing_parts")


def open_loans_query():
    """Open loans with everything a screen shows joined in."""
    return (Loan.select(Loan, Patron).join(Patron, on=(Loan.patron == Patron.id))
            .where(Loan.returned_at.is_null(), Loan.voided_at.is_null()))


@dataclass
class BorrowSession:
    """One patron at the kiosk, from their card until done or idle."""

    patron: Patron
    txn_ref: str = field(default_factory=short_ref)
    seen: set[str] = field(default_factory=set)
    borrowed: list[LoanInfo] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


class Circulation(Service):
    """Borrow, return and renew books and labelled equipment by scanning them."""

    # -- identify -----------------------------------------------------------------------------
    def identify(self, raw: str) -> ident.Identified:
        """What a scanned code is (an index lookup)."""
        return ident.identify(raw, self.config.codes)

    def rules_for(self, patron: Patron) -> PatronRules:
        """The loan rules of this patron's kind."""
        return getattr(self.config.loans, patron.kind)

    # -- sessions -----------------------------------------------------------------------------
    @guarded
    def start_session(self, raw_code: str) -> Outcome | BorrowSession:
        """Open a borrow session for a scanned card; a refusal when the card cannot borrow."""
        found = self.identify(raw_code)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if found.kind != ident.PATRON:
            return refuse("not_a_card", code=found.code)
        patron: Patron = found.record
        if not patron.active:
            return refuse("patron_inactive", name=patron.name)
        return BorrowSession(patron=patron)

    def patron_block(self, patron: Patron) -> Outcome | None:
        """Why this patron may not borrow now (inactive, overdue books), or None."""
        if not patron.active:
            return refuse("patron_inactive", name=patron.name)
        if patron.kind == "student" and self.config.loans.block_students_with_overdue:
            overdue = (Loan.select().where(Loan.patron == patron.id, Loan.kind == "book",
                                           Loan.returned_at.is_null(), Loan.voided_at.is_null(),
                                           Loan.due_on < self.clock.today()).count())
            if overdue:
                return refuse("patron_has_overdue", count=overdue)
        return None

    def current_loans(self, patron: Patron) -> list[LoanInfo]:
        """A patron's open loans, oldest due first."""
        today = self.clock.today()
        loans = (open_loans_query().where(Loan.patron == patron.id)
                 .order_by(Loan.due_on, Loan.id))
        return [self.loan_info(loan, today) for loan in loans]

    # -- borrow -------------------------------------------------------------------------------
    @guarded
    def borrow(self, session: BorrowSession, raw_code: str) -> Outcome:
        """Lend one scanned book (or labelled item, for staff and teachers) to the session's patron."""
        found = self.identify(raw_code)
        if found.kind == ident.INVALID:
            return self._note(session, refuse("invalid_code"))
        if found.code in session.seen:
            return done("already_in_session", code=found.code)
        if found.kind == ident.PATRON:
            return refuse("is_a_card", code=found.code)
        if found.kind == ident.ISBN:
            return self._note(session, refuse("isbn_not_copy", code=found.code))
        if found.kind == ident.UNKNOWN:
            return self._note(session, refuse("unknown_code", code=found.code))
        if found.kind == ident.STOCK:
            return self._note(session, refuse("stock_needs_quantity", code=found.code))
        outcome = self._borrow_record(session, found)
        if outcome.ok:
            session.seen.add(found.code)
            session.borrowed.append(outcome.loan)
        return self._note(session, outcome)

    def _note(self, session: BorrowSession, outcome: Outcome) -> Outcome:
        session.outcomes.append(outcome)
        return outcome

    def _borrow_record(self, session: BorrowSession, found: ident.Identified) -> Outcome:
        with self.context.db.atomic() as txn:
            patron = Patron.get_by_id(session.patron.id)  # fresh: may have changed since the card
            block = self.patron_block(patron)
            if block:
                return block
            rules = self.rules_for(patron)
            if found.kind == ident.COPY:
                thing = Copy.get_by_id(found.record.id)
                kind, title = "book", found.record.title.title
                if self._open_count(patron, "book") >= rules.max_books:
                    return refuse("limit_reached", limit=rules.max_books)
                days = rules.book_loan_days
            else:
                thing = EquipmentItem.get_by_id(found.record.id)
                kind, title = "equipment", found.record.type.name
                if not rules.may_borrow_equipment:
                    return refuse("equipment_not_for_patron")
                if self._open_count(patron, "equipment") >= rules.max_equipment_items:
                    return refuse("limit_reached", limit=rules.max_equipment_items)
                days = 0
            if thing.status == "on_loan":
                return refuse("item_on_loan", title=title)
            if thing.status in self.config.loans.unlendable_statuses or thing.status != "available":
                return refuse(f"item_{thing.status}", title=title)
            today = self.clock.today()
            loan = Loan.create(
                uid=uuid7(), txn_ref=session.txn_ref, patron=patron, kind=kind,
                copy=thing if kind == "book" else None,
                item=thing if kind == "equipment" else None,
                out_at=self.clock.db_now(),
                due_on=due_date(today, days, self.config.loans.closed_weekdays) if days else today,
                kiosk_id=self.context.kiosk_id)
            thing.status = "on_loan"
            thing.updated_at = self.clock.db_now()
            thing.save()
            try:
                self.record_loan_event(loan, "loan.borrowed", patron.code, "borrow",
                                       None, loan_snapshot(loan))
            except peewee.IntegrityError:  # pragma: no cover - record ids are unique by design
                txn.rollback()
                raise
            info = self.loan_info(loan, today)
        return done("borrowed", loan=info, title=info.title, due=info.due_on.strftime("%d/%m/%Y"))

    def _open_count(self, patron: Patron, kind: str) -> int:
        return (Loan.select().where(Loan.patron == patron.id, Loan.kind == kind,
                                    Loan.returned_at.is_null(), Loan.voided_at.is_null())
                .count())

    # -- return -------------------------------------------------------------------------------
    @guarded
    def return_code(self, raw_code: str, returned_by: Patron | None = None,
                    condition: str = "good") -> Outcome:
        """Take back one scanned copy or labelled item; anyone may return anything on loan."""
        if condition not in CONDITIONS:
            return refuse("bad_condition", condition=condition)
        found = self.identify(raw_code)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if found.kind == ident.UNKNOWN:
            return refuse("unknown_code", code=found.code)
        if found.kind == ident.PATRON:
            return refuse("is_a_card", code=found.code)
        if found.kind == ident.ISBN:
            return refuse("isbn_not_copy", code=found.code)
        if found.kind == ident.STOCK:
            return refuse("stock_needs_quantity", code=found.code)
        column = Loan.copy if found.kind == ident.COPY else Loan.item
        with self.context.db.atomic():
            loan = open_loans_query().where(column == found.record.id).first()
            if loan is None:
                return refuse("not_on_loan", code=found.code)
            info = self._close_loan(loan, returned_by, condition)
        if info.late_days:
            return done("returned_late", loan=info, title=info.title, days=info.late_days)
        return done("returned", loan=info, title=info.title)

    def _close_loan(self, loan: Loan, returned_by: Patron | None, condition: str,
                    quantity_back: int | None = None) -> LoanInfo:
        """Mark a loan returned and put the thing back (inside the caller's transaction)."""
        before = loan_snapshot(loan)
        now = self.clock.db_now()
        loan.returned_at = now
        loan.returned_by = returned_by
        loan.return_condition = condition
        loan.return_kiosk_id = self.context.kiosk_id
        loan.save()
        # Anything not back in good condition waits for staff before it is lent again.
        back_status = "available" if condition == "good" else "damaged"
        if loan.copy_id:
            Copy.update(status=back_status, condition=condition, updated_at=now
                        ).where(Copy.id == loan.copy_id).execute()
        elif loan.item_id:
            EquipmentItem.update(status=back_status, condition=condition, updated_at=now
                                 ).where(EquipmentItem.id == loan.item_id).execute()
        else:
            back = loan.quantity if quantity_back is None else max(0, min(quantity_back,
                                                                            loan.quantity))
            EquipmentType.update(stock_on_hand=EquipmentType.stock_on_hand + back, updated_at=now
                                 ).where(EquipmentType.id == loan.equipment_type_id).execute()
        actor = returned_by.code if returned_by else ""
        self.record_loan_event(loan, "loan.returned", actor, "return", before, loan_snapshot(loan))
        return self.loan_info(loan)

    # -- renew --------------------------------------------------------------------------------
    @guarded
    def renew(self, raw_code: str) -> Outcome:
        """Extend the open loan of a scanned copy by its patron kind's loan length."""
        found = self.identify(raw_code)
        if found.kind not in (ident.COPY, ident.ITEM):
            return refuse("unknown_code" if found.kind != ident.INVALID else "invalid_code",
                          code=found.code)
        column = Loan.copy if found.kind == ident.COPY else Loan.item
        with self.context.db.atomic():
            loan = open_loans_query().where(column == found.record.id).first()
            if loan is None:
                return refuse("not_on_loan", code=found.code)
            rules = self.rules_for(loan.patron)
            if loan.renewals >= rules.max_renewals:
                return refuse("renew_limit", limit=rules.max_renewals)
            if loan.long_term or loan.kind == "equipment":
                return refuse("renew_not_for_equipment")
            before = loan_snapshot(loan)
            today = self.clock.today()
            loan.due_on = max(loan.due_on, due_date(today, rules.book_loan_days,
                                                    self.config.loans.closed_weekdays))
            loan.renewals += 1
            loan.save()
            self.record_loan_event(loan, "loan.renewed", loan.patron.code, "renew", before,
                                   loan_snapshot(loan))
            info = self.loan_info(loan, today)
        return done("renewed", loan=info, title=info.title, due=info.due_on.strftime("%d/%m/%Y"))
