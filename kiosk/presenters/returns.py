"""Returning at the kiosk: anyone scans loaned items on the home screen, one line each (title,
late or not), several in a row, a receipt on request."""
from __future__ import annotations

import logging

from db.ids import short_ref
from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ResultLine
from kiosk.services import identify as ident
from kiosk.services.results import LoanInfo

log = logging.getLogger(__name__)


class ReturnPresenter(Presenter):
    """A run of returns started by scanning an item on the home screen."""

    screen = "returns"

    def __init__(self, flow):
        super().__init__(flow)
        self.lines: list[ResultLine] = []
        self.txn_ref = short_ref("TR")

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
            self.flow.home()
            self.flow.home_presenter.on_scan(code)
            return
        if any(line.ok and line.loan and line.loan.code == found.code for line in self.lines):
            return  # the same item scanned twice in a row: already back
        outcome = self.flow.circulation.return_code(code)
        self.lines.append(ResultLine(outcome))
        self.message = outcome
        self.feedback(outcome)
        self.changed()

    def request_receipt(self) -> None:
        """Print a receipt of everything returned in this run."""
        if not self.returned:
            return
        self.print_receipt("return", self.txn_ref, self.returned)
        self.changed()

    def done(self) -> None:
        """Back to the home screen."""
        self.flow.home()
