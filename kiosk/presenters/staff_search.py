"""The staff's "Tìm kiếm" tab: patrons and titles found by typed text (on-screen keyboard,
Telex; diacritics and case ignored) or by a scan; a patron's current loans and history, with
lending (scan a book) and returning on their behalf (the journal's actor is the staff member);
a title's copies and who holds each one."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.i18n import t
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import BorrowReceipt
from kiosk.services import identify as ident
from kiosk.services.circulation import BorrowSession, ReturnRun
from kiosk.services.results import LoanInfo, Outcome, refuse
from kiosk.services.search import PatronView

if TYPE_CHECKING:  # pragma: no cover
    from db.queries.search import PatronHit, TitleHit
    from kiosk.presenters.staff_review import StaffReviewPresenter

log = logging.getLogger(__name__)

#: Typed characters before the results are looked up as one types.
LIVE_FROM = 2


class Searching:
    """The search tab's state and commands, inside the staff review."""

    def __init__(self, review: "StaffReviewPresenter"):
        self.review = review
        self.query = TelexComposer(modern=review.flow.config.ui.telex_modern)
        self.typing = False
        self.patrons: list[PatronHit] = []
        self.titles: list[TitleHit] = []
        #: The patron on screen (their loans), or None.
        self.view: PatronView | None = None
        #: The title on screen (its copies and who holds them), or None.
        self.title: TitleHit | None = None
        self.holders: dict[str, LoanInfo] = {}
        #: Books lent to the patron on screen by this staff member (one reference, a receipt).
        self.session: BorrowSession | None = None
        self.returns = ReturnRun()

    @property
    def flow(self):
        """The kiosk's flow."""
        return self.review.flow

    # -- typing and results ---------------------------------------------------------------------
    def start_typing(self) -> None:
        """Open the on-screen keyboard on the search field."""
        self.typing = True
        self.review.changed()

    def key(self, key: str) -> None:
        """A key of the on-screen keyboard: the results follow the text."""
        if key == "\b":
            self.query.backspace()
        else:
            self.query.key(key)
        self._look_up(live=True)
        self.review.changed()

    def finish_typing(self) -> None:
        """Close the keyboard and show the results."""
        self.typing = False
        self._look_up()
        self.review.changed()

    def clear(self) -> None:
        """An empty search and no results."""
        self.query.clear()
        self.patrons, self.titles = [], []
        self.back()

    def _look_up(self, live: bool = False) -> None:
        text = self.query.text.strip()
        if live and len(text) < LIVE_FROM:
            self.patrons, self.titles = [], []
            return
        search = self.flow.services.search
        self.patrons = search.patrons(text) if text else []
        self.titles = search.titles(text) if text else []
        self.view, self.title = None, None

    @property
    def found_text(self) -> str:
        """'3 bạn đọc, 2 đầu sách' (or that nothing was found)."""
        if not self.query.text.strip():
            return ""
        if not self.patrons and not self.titles:
            return t("ui.search.nothing")
        return t("ui.search.found", patrons=len(self.patrons), titles=len(self.titles))

    # -- a patron -----------------------------------------------------------------------------
    def open_patron(self, code: str) -> None:
        """Show a patron: current loans (return buttons) and history; scans lend to them."""
        view = self.flow.services.search.patron_view(code)
        if view is None:
            self.review.message = refuse("unknown_code", code=code)
            self.review.changed()
            return
        if self.view is None or self.view.patron.code != code:
            self.session = None  # a new patron: a new borrow reference
        self.view, self.title = view, None
        self.typing = False
        self.review.changed()

    def _reread(self) -> None:
        if self.view is not None:
            self.view = self.flow.services.search.patron_view(self.view.patron.code)
        if self.title is not None:
            self.holders = self.flow.services.search.holders(self.title)

    def lend(self, found: ident.Identified) -> None:
        """Lend a scanned book to the patron on screen, on their behalf."""
        review = self.review
        if self.view is None or review.writing:
            return
        if self.session is None:
            self.session = BorrowSession(patron=self.view.patron, staff_code=review.staff.code)
        session = self.session
        review.write(lambda: self.flow.circulation.borrow(session, found), self._done)

    def give_back(self, loan: LoanInfo) -> None:
        """Return one of the patron's loans on their behalf."""
        review = self.review
        if self.view is None or review.writing:
            return
        patron, staff_code = self.view.patron, review.staff.code
        review.write(lambda: self.flow.circulation.return_code(
            loan.code, self.returns, returned_by=patron, staff_code=staff_code), self._done)

    def _done(self, outcome: Outcome) -> None:
        self.review.message = outcome
        self.review.feedback(outcome)
        self._reread()
        self.review.changed()

    @property
    def lent_here(self) -> int:
        """Books lent to the patron on screen in this staff session."""
        return len(self.session.borrowed) if self.session else 0

    def print_receipt(self) -> None:
        """The borrow receipt of what was lent to the patron on screen."""
        if self.session and self.session.borrowed:
            self.review.print(BorrowReceipt(self.session.txn_ref))
            self.review.changed()

    # -- a title ------------------------------------------------------------------------------
    def open_title(self, index: int) -> None:
        """Show one found title: its copies, on the shelf or with whom."""
        if not 0 <= index < len(self.titles):
            return
        self.title, self.view = self.titles[index], None
        self.holders = self.flow.services.search.holders(self.title)
        self.review.changed()

    def back(self) -> None:
        """From a patron or a title back to the results."""
        self.view, self.title = None, None
        self.review.changed()

    # -- scans --------------------------------------------------------------------------------
    def scanned(self, found: ident.Identified) -> None:
        """A card shows its patron; a book lends it to the patron on screen, or else shows its
        title and who holds it."""
        if found.kind == ident.PATRON:
            self.open_patron(found.code)
        elif found.kind in (ident.COPY, ident.ITEM) and self.view is not None:
            self.lend(found)
        elif found.kind == ident.COPY:
            self.titles = self.flow.services.search.titles(found.code, limit=1)
            self.patrons = []
            self.query.set(found.code)
            self.open_title(0)
        else:
            outcome = (refuse("invalid_code") if found.kind == ident.INVALID
                       else refuse("unknown_code", code=found.code))
            self.review.message = outcome
            self.review.feedback(outcome)
            self.review.changed()

    def reload(self) -> None:
        """The tab shown again: read the patron or title on screen again."""
        self._reread()
