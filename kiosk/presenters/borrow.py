"""A borrow session: the patron's greeting, their loans and any block (said at once), one line
per scanned book (newest first), a book the patron already holds offered for return, "Gia
hạn" for the loans that may be renewed, and the end (Xong, the card again, another card, or
the idle timeout) with its receipt. Students hear a spoken prompt at each main step."""
from __future__ import annotations

import logging

from db.vocabulary import STUDENT
from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ResultLine
from kiosk.printing import BorrowReceipt
from kiosk.services import identify as ident
from kiosk.services.circulation import BorrowSession, ReturnRun
from kiosk.services.results import LoanInfo, Outcome, done

log = logging.getLogger(__name__)

ACTIVE, FINISHED = "active", "finished"
#: How long the summary stays up after a receipt printed.
LINGER_AFTER_PRINT_S = 6.0
#: How long the QR code of a failed receipt stays up.
LINGER_AFTER_FAILURE_S = 60.0

#: The spoken prompt (``speech.<key>``) for an outcome's code; other refusals say ``refused``.
SPOKEN = {
    "borrowed": "borrowed", "already_scanned": "already_scanned", "held_by_you": "held_by_you",
    "returned": "returned", "returned_late": "returned", "renewed_own": "renewed",
    "limit_reached": "limit", "patron_has_overdue": "overdue", "patron_inactive": "see_librarian",
}
#: Outcomes that are neither a success nor a refusal: drawn and heard as information.
INFO = ("already_scanned", "held_by_you")


class BorrowPresenter(Presenter):
    """One patron borrowing books, from the card until done."""

    screen = "borrow"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "BorrowPresenter | Outcome":
        """A session for a scanned card, or why it cannot borrow."""
        session = flow.circulation.start_session(card)
        if isinstance(session, Outcome):
            return session
        presenter = cls(flow, session)
        presenter.greet()
        return presenter

    def __init__(self, flow, session: BorrowSession):
        super().__init__(flow)
        self.session = session
        self.patron = session.patron
        self.phase = ACTIVE
        self.end_reason = ""
        self._finish_after_writes: str | None = None
        self.lines: list[ResultLine] = []
        #: Returns made from this screen (a book the patron scanned while holding it).
        self.returns = ReturnRun()
        #: The loan offered for return after the patron scanned a book they hold.
        self.offer: LoanInfo | None = None
        self.block: Outcome | None = None
        self.loans: list[LoanInfo] = []
        self.renewable: list[LoanInfo] = []
        self._read_patron()

    def _read_patron(self) -> None:
        """The patron's block, loans and renewable loans, read again after each change."""
        circulation = self.flow.circulation
        self.block = circulation.patron_block(self.patron)
        self.loans = circulation.current_loans(self.patron)
        self.renewable = circulation.renewable(self.patron)

    @property
    def speaks(self) -> bool:
        """Students hear spoken prompts (a grade-1 child may not read yet)."""
        return self.patron.kind == STUDENT

    def say(self, prompt: str) -> None:
        """Speak a prompt to a student."""
        if self.speaks:
            self.flow.say(prompt)

    def greet(self) -> None:
        """The card was accepted: a chime, then what to do, or at once why not (at the limit,
        overdue books)."""
        self.flow.play("success")
        if self.block is not None:
            self.message = self.block
            self.say(SPOKEN.get(self.block.code, "see_librarian"))
        else:
            self.say("greeting")

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
        """What to do next (where to go, when blocked)."""
        if self.phase == FINISHED:
            return t("ui.borrow.finished", count=len(self.session.borrowed))
        if self.block is None:
            return t("ui.borrow.hint")
        if self.block.code == "limit_reached":
            return t("ui.borrow.hint_limit")
        if self.block.code == "patron_has_overdue":
            return t("ui.borrow.hint_overdue")
        return t("ui.borrow.hint_blocked")

    @property
    def headline(self) -> str:
        """The latest result, shown in large type ('' before the first scan)."""
        return self.message_text

    @property
    def headline_tone(self) -> str:
        """ok | refused | info: the headline's colour."""
        if not isinstance(self.message, Outcome):
            return "info"
        if self.message.code in INFO:
            return "info"
        return "ok" if self.message.ok else "refused"

    def recent_lines(self) -> list[ResultLine]:
        """This session's lines, newest first."""
        return list(reversed(self.lines))

    def loan_rows(self) -> list[tuple[str, str, bool]]:
        """(title, 'due dd/mm/yyyy', overdue) for each current loan."""
        today = self.flow.context.clock.today()
        return [(loan.title, t("ui.borrow.due", due=format_date(loan.due_on)),
                 loan.due_on < today) for loan in self.loans]

    @property
    def borrowed_count(self) -> int:
        """Books lent in this session."""
        return len(self.session.borrowed)

    @property
    def can_renew(self) -> bool:
        """"Gia hạn" would renew something now."""
        return self.phase == ACTIVE and bool(self.renewable) and not self.writing

    @property
    def renew_label(self) -> str:
        """'Gia hạn (2)'."""
        return t("ui.borrow.renew", n=len(self.renewable))

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
        self.offer = None
        self.write(lambda: self.flow.circulation.borrow(self.session, found), self._borrowed)

    def _borrowed(self, outcome: Outcome) -> None:
        self.message = outcome
        if outcome.code == "already_scanned":
            self._hear(outcome)
        elif outcome.code == "held_by_you":
            self.offer = outcome.loan
            self._hear(outcome)
        else:
            self.lines.append(ResultLine(outcome))
            if outcome.ok:
                self.loans = self.flow.circulation.current_loans(self.patron)
                self.renewable = self.flow.circulation.renewable(self.patron)
            elif outcome.code in ("patron_has_overdue", "limit_reached"):
                self.block = outcome
            self._hear(outcome)
        self._finish_if_waiting()
        self.changed()

    def _hear(self, outcome: Outcome) -> None:
        """The chime of a success or a refusal (none for information), then the prompt."""
        if outcome.code not in INFO or not self.speaks:
            self.feedback(outcome)
        self.say(SPOKEN.get(outcome.code, "borrowed" if outcome.ok else "refused"))

    def return_offered(self) -> None:
        """One tap: return the book the patron scanned while holding it."""
        loan = self.offer
        if loan is None or self.phase == FINISHED:
            return
        self.offer = None
        self.changed()
        self.write(lambda: self.flow.circulation.return_code(loan.code, self.returns,
                                                             returned_by=self.patron),
                   self._returned)

    def _returned(self, outcome: Outcome) -> None:
        self.lines.append(ResultLine(outcome))
        self.message = outcome
        self._read_patron()
        self._hear(outcome)
        self._finish_if_waiting()
        self.changed()

    def renew(self) -> None:
        """"Gia hạn": renew every book of the patron's that may be renewed now."""
        if not self.can_renew:
            return
        self.offer = None
        self.write(lambda: self.flow.circulation.renew_own(self.patron), self._renewed)
        self.changed()

    def _renewed(self, outcome: Outcome) -> None:
        self.message = outcome
        if outcome.ok:
            for loan in outcome.params.get("renewed", ()):
                self.lines.append(ResultLine(done("renewed", loan=loan, title=loan.title,
                                                  due=loan.due_on.strftime("%d/%m/%Y"))))
        else:
            self.lines.append(ResultLine(outcome))
        self._read_patron()
        self._hear(outcome)
        self._finish_if_waiting()
        self.changed()

    def _finish_if_waiting(self) -> None:
        if self._finish_after_writes and not self.writing:
            self.finish(self._finish_after_writes)

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
        self.offer = None
        log.info("borrow session %s ends (%s): %d lent", self.session.txn_ref, reason,
                 self.borrowed_count)
        if self.session.borrowed:
            self.print(BorrowReceipt(self.session.txn_ref))
            if reason != "other_card":
                self.say("finished")
            self.changed()
        elif reason not in ("timeout", "other_card"):
            self.flow.home()

    def on_timeout(self) -> None:
        """Idle: end the session (the receipt prints) and go home for privacy."""
        self.finish("timeout")

    def on_countdown(self) -> None:
        """Ten seconds left: ask whether the student is still there."""
        self.say("still_there")

    def counts_down(self) -> bool:
        """A finished session lingers on its own: no countdown then."""
        return self.phase == ACTIVE

    def idle_timeout_s(self) -> float:
        """Short once finished and printed; long enough to photograph a QR code on failure."""
        if self.phase == FINISHED and self.receipt:
            if self.receipt.state == "printed":
                return LINGER_AFTER_PRINT_S
            if self.receipt.state == "failed":
                return LINGER_AFTER_FAILURE_S
        return super().idle_timeout_s()
