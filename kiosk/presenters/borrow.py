"""A borrow session: the patron's greeting, their loans and any block, one line per scanned
book, and the end (Xong, the card again, another card, or the idle timeout) with its receipt."""
from __future__ import annotations

import logging

from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ResultLine
from kiosk.printing import BorrowReceipt
from kiosk.services import identify as ident
from kiosk.services.circulation import BorrowSession
from kiosk.services.results import LoanInfo, Outcome

log = logging.getLogger(__name__)

ACTIVE, FINISHED = "active", "finished"
#: How long the summary stays up after a receipt printed.
LINGER_AFTER_PRINT_S = 6.0
#: How long the QR code of a failed receipt stays up.
LINGER_AFTER_FAILURE_S = 60.0


class BorrowPresenter(Presenter):
    """One patron borrowing books, from the card until done."""

    screen = "borrow"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "BorrowPresenter | Outcome":
        """A session for a scanned card, or why it cannot borrow."""
        session = flow.circulation.start_session(card)
        if isinstance(session, Outcome):
            return session
        flow.play("success")
        return cls(flow, session)

    def __init__(self, flow, session: BorrowSession):
        super().__init__(flow)
        self.session = session
        self.patron = session.patron
        self.phase = ACTIVE
        self.end_reason = ""
        self._finish_after_writes: str | None = None
        self.lines: list[ResultLine] = []
        self.block: Outcome | None = flow.circulation.patron_block(self.patron)
        self.loans: list[LoanInfo] = flow.circulation.current_loans(self.patron)

    # -- what the screen shows ----------------------------------------------------------------
    @property
    def greeting(self) -> str:
        """'Xin chào Nguyễn Văn An (6A1)'."""
        if self.patron.class_name:
            return t("ui.borrow.greeting_class", name=self.patron.name,
                     class_name=self.patron.class_name)
        return t("ui.borrow.greeting", name=self.patron.name)

    @property
    def block_text(self) -> str:
        """Why this patron cannot borrow now, or ''."""
        return self.block.message if self.block else ""

    @property
    def hint(self) -> str:
        """What to do next."""
        if self.phase == FINISHED:
            return t("ui.borrow.finished", count=len(self.session.borrowed))
        if self.block:
            return t("ui.borrow.hint_blocked")
        return t("ui.borrow.hint")

    def loan_rows(self) -> list[tuple[str, str, bool]]:
        """(title, 'due dd/mm/yyyy', overdue) for each current loan."""
        today = self.flow.context.clock.today()
        return [(loan.title, t("ui.borrow.due", due=format_date(loan.due_on)),
                 loan.due_on < today) for loan in self.loans]

    @property
    def borrowed_count(self) -> int:
        """Books lent in this session."""
        return len(self.session.borrowed)

    # -- commands -----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A book is lent or refused; the card again ends; another card starts its own session."""
        if self.phase == FINISHED:
            self.flow.leave_and_rescan(code)
            return
        found = self.flow.circulation.identify(code)
        if found.kind == ident.PATRON:
            if found.code == self.patron.code:
                self.finish("card")
            else:
                self.finish("other_card")
                self.flow.leave_and_rescan(code)
            return
        self.write(lambda: self.flow.circulation.borrow(self.session, found), self._borrowed)

    def _borrowed(self, outcome: Outcome) -> None:
        if outcome.code == "already_in_session":
            self.flow.play("success")
            self.message = outcome
        else:
            self.lines.append(ResultLine(outcome))
            self.message = outcome
            if outcome.ok:
                self.loans = self.flow.circulation.current_loans(self.patron)
            elif outcome.code == "patron_has_overdue":
                self.block = outcome
            self.feedback(outcome)
        if self._finish_after_writes and not self.writing:
            self.finish(self._finish_after_writes)
        self.changed()

    def done(self) -> None:
        """The Xong button (or, once finished, the home button)."""
        if self.phase == FINISHED:
            self.flow.home()
        else:
            self.finish("done")

    def finish(self, reason: str) -> None:
        """End the session: print the receipt if anything was lent, else go home. A borrow
        still being written finishes first."""
        if self.phase == FINISHED:
            return
        if self.writing:
            self._finish_after_writes = reason
            return
        self.phase = FINISHED
        self.end_reason = reason
        log.info("borrow session %s ends (%s): %d lent", self.session.txn_ref, reason,
                 self.borrowed_count)
        if self.session.borrowed:
            self.print(BorrowReceipt(self.session.txn_ref))
            self.changed()
        elif reason not in ("timeout", "other_card"):
            self.flow.home()

    def on_timeout(self) -> None:
        """Idle: end the session (the receipt prints) and go home for privacy."""
        self.finish("timeout")

    def idle_timeout_s(self) -> float:
        """Short once finished and printed; long enough to photograph a QR code on failure."""
        if self.phase == FINISHED and self.receipt:
            if self.receipt.state == "printed":
                return LINGER_AFTER_PRINT_S
            if self.receipt.state == "failed":
                return LINGER_AFTER_FAILURE_S
        return super().idle_timeout_s()
