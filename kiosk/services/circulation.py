"""Borrowing, returning and renewing, one scan at a time.

A borrow happens inside a :class:`BorrowSession` opened by the patron's card; returns inside a
:class:`ReturnRun`. Each scan is one action: the state change, its journal entry and its outbox
record commit in one transaction, or nothing. The session's (or run's) reference is made by the
first action's transaction and kept by the next ones: it is what the receipt prints.

A book scan costs one lookup (identify) and five statements in the transaction: the borrower's
state, the conditional take of the copy, the loan, the journal entry, the record.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from db.queries import catalogue, equipment, loans, patrons
from db.queries.loans import LoanRow
from db.queries.patrons import PatronRow
from db.vocabulary import (AVAILABLE, BOOK, CONDITIONS, EQUIPMENT, GOOD, LOAN_BORROWED,
                           LOAN_RENEWED, ON_LOAN, REF_BORROW, REF_RENEW, REF_RETURN, STUDENT)
from db.ids import uuid7
from kiosk.config import PatronRules
from kiosk.services import identify as ident
from kiosk.services.base import Service, guarded, loan_snapshot
from kiosk.services.calendar import HolidayCache, due_date
from kiosk.services.payloads import loan_data
from kiosk.services.results import LoanInfo, Outcome, Refused, done, refuse
from kiosk.services.takeback import ReturnSplit, take_back

log = logging.getLogger(__name__)


@dataclass
class BorrowSession:
    """One patron at the kiosk, from their card until done or idle."""

    patron: PatronRow
    #: The session's reference, made by its first borrow's transaction.
    txn_ref: str | None = None
    #: The staff member lending on the patron's behalf (the journal's actor), if any.
    staff_code: str = ""
    seen: set[str] = field(default_factory=set)
    borrowed: list[LoanInfo] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class ReturnRun:
    """Returns made one after another (at the kiosk, or one ``kiosk return`` command)."""

    #: The run's reference (on its receipt), made by its first return's transaction.
    ref: str | None = None
    returned: list[LoanInfo] = field(default_factory=list)


class Circulation(Service):
    """Borrow, return and renew books and labelled equipment by scanning them."""

    def __init__(self, context):
        super().__init__(context)
        self.holidays = HolidayCache()

    # -- identify -----------------------------------------------------------------------------
    def identify(self, raw: str) -> ident.Identified:
        """What a scanned code is (one index lookup, the code's pattern chooses which first)."""
        return ident.identify(raw, self.config.codes)

    def _identified(self, code: str | ident.Identified) -> ident.Identified:
        return code if isinstance(code, ident.Identified) else self.identify(code)

    def rules_for(self, patron: PatronRow) -> PatronRules:
        """The loan rules of this patron's kind."""
        return getattr(self.config.loans, patron.kind)

    def due_in(self, days: int) -> date:
        """The due date ``days`` from today, rolled past closed days and holidays (as known
        when the session opened: a book scan costs no calendar query)."""
        today = self.clock.today()
        return due_date(today, days, self.config.loans.closed_weekdays,
                        self.holidays.around(today, refresh=False))

    # -- sessions -----------------------------------------------------------------------------
    def start_session(self, card: str | ident.Identified) -> Outcome | BorrowSession:
        """Open a borrow session for a scanned card; a refusal when the card cannot borrow."""
        found = self._identified(card)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if found.kind != ident.PATRON:
            return refuse("not_a_card", code=found.code)
        patron: PatronRow = found.record
        if not patron.active:
            return refuse("patron_inactive", name=patron.name)
        self.holidays.around(self.clock.today())  # read again now if old, not during a scan
        return BorrowSession(patron=patron)

    def patron_block(self, patron: PatronRow) -> Outcome | None:
        """Why this patron may not borrow now (inactive, overdue books, already at the limit),
        or None: said at the greeting, before any book is scanned."""
        state = patrons.borrower_state(patron.id, self.clock.today())
        block = self._block(patron, state)
        if block is None and state.open_books >= self.rules_for(patron).max_books:
            return refuse("limit_reached", limit=self.rules_for(patron).max_books)
        return block

    def _block(self, patron: PatronRow, state: patrons.BorrowerState | None) -> Outcome | None:
        if state is None or not state.active:
            return refuse("patron_inactive", name=patron.name)
        if (patron.kind == STUDENT and self.config.loans.block_students_with_overdue
                and state.overdue_books):
            return refuse("patron_has_overdue", count=state.overdue_books)
        return None

    def current_loans(self, patron: PatronRow) -> list[LoanInfo]:
        """A patron's open loans, oldest due first."""
        today = self.clock.today()
        return [self.loan_info(loan, today) for loan in loans.open_loans_of_patron(patron.id)]

    # -- borrow -------------------------------------------------------------------------------
    @guarded
    def borrow(self, session: BorrowSession, code: str | ident.Identified) -> Outcome:
        """Lend one scanned book (or labelled item, for staff and teachers) to the session's
        patron."""
        found = self._identified(code)
        if found.kind == ident.INVALID:
            return self._note(session, refuse("invalid_code"))
        if found.code in session.seen:
            title = found.record.title if found.kind == ident.COPY else found.code
            return done("already_scanned", code=found.code, title=title)
        if found.kind == ident.PATRON:
            return refuse("is_a_card", code=found.code)
        if found.kind == ident.ISBN:
            return self._note(session, refuse("isbn_not_copy", code=found.code))
        if found.kind == ident.UNKNOWN:
            return self._note(session, refuse("unknown_code", code=found.code))
        if found.kind in (ident.STOCK, ident.ITEM):
            if not self.rules_for(session.patron).may_borrow_equipment:
                return self._note(session, refuse("equipment_not_for_patron"))
            # A lesson's equipment is lent with its lesson, on the equipment screen.
            return self._note(session, refuse("equipment_in_book_flow", code=found.code))
        if found.record.status == ON_LOAN:
            held = self._held_by(session.patron, found.record)
            if held is not None:
                return self._note(session, held)
        try:
            loan = self._lend_copy(session, found.record)
        except Refused as refusal:
            return self._note(session, refusal.outcome)
        info = self.loan_info(loan)
        session.seen.add(found.code)
        session.borrowed.append(info)
        return self._note(session, done("borrowed", loan=info, title=info.title,
                                        due=info.due_on.strftime("%d/%m/%Y")))

    def _held_by(self, patron: PatronRow, copy: catalogue.CopyRow) -> Outcome | None:
        """``held_by_you`` (with the loan, so the screen can offer to return it) when the
        patron already holds this copy; costs a query only for a copy that is out."""
        loan = loans.open_loan_of_copy(copy.id)
        if loan is None or loan.patron_id != patron.id:
            return None
        info = self.loan_info(loan)
        return dataclasses.replace(refuse("held_by_you", title=info.title,
                                          due=info.due_on.strftime("%d/%m/%Y")), loan=info)

    def _note(self, session: BorrowSession, outcome: Outcome) -> Outcome:
        session.outcomes.append(outcome)
        return outcome

    def _lend_copy(self, session: BorrowSession, copy: catalogue.CopyRow) -> LoanRow:
        patron = session.patron
        rules = self.rules_for(patron)
        with self.action(session.staff_code or patron.code, prefix=REF_BORROW,
                         ref=session.txn_ref) as act:
            now = act.who.at
            state = patrons.borrower_state(patron.id, self.clock.today())
            block = self._block(patron, state)
            if block:
                raise Refused(block)
            if state.open_books >= rules.max_books:
                raise Refused(refuse("limit_reached", limit=rules.max_books))
            if not catalogue.take_copy(copy.id, now):
                raise Refused(self._not_available(copy.barcode, copy.title))
            loan = loans.lend(uid=uuid7(), txn_ref=act.ref, patron=patron, out_at=now,
                              due_on=self.due_in(rules.book_loan_days),
                              kiosk_id=self.context.kiosk_id, copy=copy)
            self._record(act, loan, LOAN_BORROWED, "borrow", None)
        session.txn_ref = act.ref
        return loan

    def _not_available(self, code: str, title: str) -> Outcome:
        """Why a thing that was available when scanned cannot be taken now."""
        fresh = (catalogue.copy_by_barcode(code) or equipment.item_by_barcode(code))
        status = fresh.status if fresh else "unknown"
        if status == AVAILABLE:  # pragma: no cover - taken and given back in between
            status = "on_loan"
        return refuse(f"item_{status}", title=title)

    def _record(self, act, loan: LoanRow, record_type: str, action: str,
                before: dict | None, reason: str = "", actor: str | None = None) -> None:
        """The journal entry and the provincial record of one loan change."""
        act.journal(action, entity="loan", entity_key=loan.uid, before=before,
                    after=loan_snapshot(loan), reason=reason, actor=actor)
        act.record(record_type, loan_data(loan, self.config.school.code,
                                          self.context.kiosk_id))

    # -- return -------------------------------------------------------------------------------
    @guarded
    def return_code(self, code: str | ident.Identified, run: ReturnRun | None = None,
                    returned_by: PatronRow | None = None, condition: str = GOOD,
                    note: str = "", staff_code: str = "") -> Outcome:
        """Take back one scanned copy or labelled item; anyone may return anything on loan.
        ``staff_code``: the staff member taking it back on the borrower's behalf (the
        journal's actor)."""
        if condition not in CONDITIONS:
            return refuse("bad_condition", condition=condition)
        found = self._identified(code)
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
        run = run if run is not None else ReturnRun()
        actor = staff_code or (returned_by.code if returned_by else "")
        with self.action(actor, prefix=REF_RETURN, ref=run.ref) as act:
            loan = (loans.open_loan_of_copy(found.record.id) if found.kind == ident.COPY
                    else loans.open_loan_of_item(found.record.id))
            if loan is None:
                raise Refused(refuse("not_on_loan", code=found.code))
            closed = take_back(self, act, loan, returned_by, ReturnSplit.of(condition, 1, note),
                               actor=actor)
        run.ref = act.ref
        info = self.loan_info(closed)
        run.returned.append(info)
        if info.late_days:
            return done("returned_late", loan=info, title=info.title, days=info.late_days)
        return done("returned", loan=info, title=info.title)

    # -- renew --------------------------------------------------------------------------------
    @guarded
    def renew(self, code: str | ident.Identified) -> Outcome:
        """Extend the open loan of a scanned copy by its patron kind's loan length, counted from
        today or from its due date (``loans.renew_from``); a renewal that would not move the
        due date is refused with why, and uses up nothing."""
        found = self._identified(code)
        if found.kind not in (ident.COPY, ident.ITEM):
            return refuse("unknown_code" if found.kind != ident.INVALID else "invalid_code",
                          code=found.code)
        with self.action("", prefix=REF_RENEW) as act:
            loan = (loans.open_loan_of_copy(found.record.id) if found.kind == ident.COPY
                    else loans.open_loan_of_item(found.record.id))
            if loan is None:
                raise Refused(refuse("not_on_loan", code=found.code))
            patron = patrons.by_id(loan.patron_id)
            why_not = self.renewal_refusal(loan, self.rules_for(patron))
            if why_not:
                raise Refused(why_not)
            renewed = self._extend(act, loan, self.rules_for(patron), actor=loan.patron_code)
        info = self.loan_info(renewed)
        return done("renewed", loan=info, title=info.title, due=info.due_on.strftime("%d/%m/%Y"),
                    ref=act.ref)

    def renewal_refusal(self, loan: LoanRow, rules: PatronRules,
                        self_service: bool = False) -> Outcome | None:
        """Why this open loan may not be renewed now, or None. At the kiosk
        (``self_service``) an overdue book is not renewed: it goes to the librarian."""
        if loan.long_term or loan.kind == EQUIPMENT:
            return refuse("renew_not_for_equipment")
        if loan.renewals >= rules.max_renewals:
            return refuse("renew_limit", limit=rules.max_renewals)
        if self_service and loan.due_on < self.clock.today():
            return refuse("renew_overdue", title=loan.title)
        if self._renewed_due(loan, rules) <= loan.due_on:  # only with renew_from = "today"
            earliest = loan.due_on - timedelta(days=rules.book_loan_days - 1)
            return refuse("renew_not_yet", title=loan.title,
                          due=loan.due_on.strftime("%d/%m/%Y"),
                          earliest=earliest.strftime("%d/%m/%Y"))
        return None

    def _renewed_due(self, loan: LoanRow, rules: PatronRules) -> date:
        """The due date a renewal gives: the loan length counted from today
        (``loans.renew_from = "today"``, refused above when that is no later than the due date)
        or from the due date (``"due"``; from today once the due date has passed)."""
        today = self.clock.today()
        start = max(loan.due_on, today) if self.config.loans.renew_from == "due" else today
        return due_date(start, rules.book_loan_days, self.config.loans.closed_weekdays,
                        self.holidays.around(today))

    def _extend(self, act, loan: LoanRow, rules: PatronRules, actor: str) -> LoanRow:
        """Move one loan's due date (inside the caller's action), with its journal entry and
        record."""
        due = self._renewed_due(loan, rules)
        if not loans.renew(loan.id, due_on=due, renewals=loan.renewals + 1):
            # returned (or renewed) at another kiosk since it was read
            raise Refused(refuse("not_on_loan", code=loan.code))
        renewed = dataclasses.replace(loan, due_on=due, renewals=loan.renewals + 1)
        self._record(act, renewed, LOAN_RENEWED, "renew", loan_snapshot(loan), actor=actor)
        return renewed

    def renewable(self, patron: PatronRow) -> list[LoanInfo]:
        """The patron's books that "Gia hạn" at the kiosk would renew now."""
        rules = self.rules_for(patron)
        return [self.loan_info(loan) for loan in loans.open_loans_of_patron(patron.id, BOOK)
                if self.renewal_refusal(loan, rules, self_service=True) is None]

    @guarded
    def renew_own(self, patron: PatronRow, staff_code: str = "") -> Outcome:
        """"Gia hạn" after the card: every book of the patron's that may be renewed now, in
        one action (one reference). The outcome's ``renewed`` lists the loans as renewed."""
        rules = self.rules_for(patron)
        with self.action(staff_code or patron.code, prefix=REF_RENEW) as act:
            state = patrons.borrower_state(patron.id, self.clock.today())
            if state is None or not state.active:
                raise Refused(refuse("patron_inactive", name=patron.name))
            renewed = [self._extend(act, loan, rules, actor=act.who.actor)
                       for loan in loans.open_loans_of_patron(patron.id, BOOK)
                       if self.renewal_refusal(loan, rules, self_service=True) is None]
            if not renewed:
                raise Refused(refuse("nothing_to_renew"))
        infos = tuple(self.loan_info(loan) for loan in renewed)
        return done("renewed_own", count=len(infos), ref=act.ref, renewed=infos,
                    due=max(info.due_on for info in infos).strftime("%d/%m/%Y"))


def put_back(loan: LoanRow, status: str, at, condition: str | None = None,
             quantity: int | None = None) -> None:
    """A lent thing goes back after a void: a copy or labelled item takes ``status`` (and
    ``condition``), counted stock gets ``quantity`` pieces (default: those still out) back on
    hand."""
    if loan.copy_id:
        catalogue.put_back_copy(loan.copy_id, status, at, condition)
    elif loan.item_id:
        equipment.put_back_item(loan.item_id, status, at, condition)
    else:
        equipment.put_back_stock(loan.equipment_type_id,
                                 loan.outstanding if quantity is None else quantity, at)


