"""Returning at the kiosk: anyone scans loaned items on the home screen, one line each (title,
late or not), several in a row, a receipt on request."""
from __future__ import annotations

import logging

from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ResultLine
from kiosk.printing import ReturnReceipt
from kiosk.services import identify as ident
from kiosk.services.circulation import ReturnRun
from kiosk.services.results import LoanInfo, Outcome

log = logging.getLogger(__name__)


class ReturnPresenter(Presenter):
    """A run of returns started by scanning an item on the home screen."""

    screen = "returns"

    @classmethod
    def open(cls, flow, first: ident.Identified) -> "ReturnPresenter":
        """A run of returns beginning with the item just scanned."""
        presenter = cls(flow)
        presenter.give_back(first)
        return presenter

    def __init__(self, flow):
        super().__init__(flow)
        self.lines: list[ResultLine] = []
        self.run = ReturnRun()

    @property
    def txn_ref(self) -> str | None:
        """The run's reference (made by its first return)."""
        return self.run.ref

    @property
    def returned(self) -> list[LoanInfo]:
        """The loans closed in this run."""
        return [line.loan for line in self.lines if line.ok and line.loan]

    @property
    def hint(self) -> str:
        """What to do next."""
        return t("ui.returns.hint")

    @property
    def summary(self) -> str:
        """'3 returned, 1 late'."""
        late = sum(1 for loan in self.returned if loan.late_days)
        return t("ui.returns.summary", count=len(self.returned), late=late)

    def on_scan(self, code: str) -> None:
        """Return the scanned item; a card leaves the returns and goes to that card's screen."""
        found = self.flow.circulation.identify(code)
        if found.kind == ident.PATRON:
            self.flow.leave_and_rescan(code)
            return
        self.give_back(found)

    def give_back(self, found: ident.Identified) -> None:
        """Return one identified item (the same item twice in a row: already back)."""
        if any(line.ok and line.loan and line.loan.code == found.code for line in self.lines):
            return
        self.write(lambda: self.flow.circulation.return_code(found, self.run), self._returned)

    def _returned(self, outcome: Outcome) -> None:
        self.lines.append(ResultLine(outcome))
        self.show(outcome)
        self.flow.say("returned" if outcome.ok else "see_librarian")

    def request_receipt(self) -> None:
        """Print a receipt of everything returned in this run."""
        if not self.returned or not self.run.ref:
            return
        self.print(ReturnReceipt(self.run.ref))
        self.changed()

    def done(self) -> None:
        """Back to the home screen."""
        self.flow.home()
