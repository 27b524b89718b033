"""What every presenter shares: change notification, result lines, writes, receipts."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, TypeVar

from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.printing import PrintRequest
from kiosk.services.results import LoanInfo, Outcome

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.presenters.flow import KioskFlow

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class ResultLine:
    """One scanned code's result as a line on screen; the text is translated when read."""

    outcome: Outcome

    @property
    def ok(self) -> bool:
        """True for a success (drawn green), False for a refusal (drawn red)."""
        return self.outcome.ok

    @property
    def text(self) -> str:
        """The sentence shown, in the current language."""
        return self.outcome.message

    @property
    def loan(self) -> LoanInfo | None:
        """The loan the line is about, if any."""
        return self.outcome.loan


@dataclass
class ReceiptStatus:
    """Where a receipt is: printing, printed, or failed (then the screen shows its QR code)."""

    txn_ref: str
    state: str = "printing"  # printing | printed | failed
    detail: str = ""

    @property
    def text(self) -> str:
        """What the screen says about the receipt."""
        return t(f"ui.receipt.{self.state}", ref=self.txn_ref)

    @property
    def qr_payload(self) -> str | None:
        """What the QR code encodes when printing failed (the transaction reference)."""
        return self.txn_ref if self.state == "failed" else None


class Presenter:
    """Base of presenters: holds the flow and tells bound screens when its state changed."""

    #: The screen that shows this presenter (a name in ``kiosk.presenters.flow.SCREENS``).
    screen = ""

    def __init__(self, flow: "KioskFlow"):
        self.flow = flow
        self.message: Outcome | str | None = None
        self.receipt: ReceiptStatus | None = None
        #: Writes sent to the database writer and not yet answered.
        self.writing = 0
        self._listeners: list[Callable[[], None]] = []

    # -- observing ----------------------------------------------------------------------------
    def bind(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` whenever the state changes."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def unbind(self, listener: Callable[[], None]) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def changed(self) -> None:
        """Tell bound screens to redraw."""
        for listener in list(self._listeners):
            listener()

    # -- messages -----------------------------------------------------------------------------
    @property
    def message_text(self) -> str:
        """The current message, translated now."""
        if self.message is None:
            return ""
        if isinstance(self.message, Outcome):
            return self.message.message
        return t(self.message)

    @property
    def message_ok(self) -> bool:
        """False when the message is a refusal."""
        return not (isinstance(self.message, Outcome) and not self.message.ok)

    def feedback(self, outcome: Outcome) -> None:
        """Play the sound matching an outcome."""
        self.flow.play("success" if outcome.ok else "refusal")

    def show(self, outcome: Outcome) -> None:
        """Show an outcome as the message, with its sound."""
        self.message = outcome
        self.feedback(outcome)
        self.changed()

    # -- writing ------------------------------------------------------------------------------
    def write(self, action: Callable[[], T], then: Callable[[T], None]) -> None:
        """Run a database action on the writer; ``then(result)`` follows on the screen's
        thread. While it runs, :attr:`writing` is above zero (screens may show it)."""
        self.writing += 1

        def done(result: T) -> None:
            self.writing -= 1
            self.flow.after_write(result)
            then(result)

        def failed(error: BaseException) -> None:
            self.writing -= 1
            self.flow.write_failed(error)

        self.flow.ports.writes.submit(action, lambda r: self.flow.guard(done, r), failed)

    def read(self, query: Callable[[], T], then: Callable[[T], None],
             failed: Callable[[], None] | None = None) -> None:
        """Run a long read (a report over a year) on the reader thread, when the kiosk has one;
        ``then(result)`` follows on the screen's thread (or, when it raised, ``failed()`` after
        the calm message). Without a reader it runs here and now."""
        def fail(error: BaseException) -> None:
            self.flow.read_failed(error)
            if failed is not None:
                self.flow.guard(failed)

        reads = self.flow.ports.reads
        if reads is None:
            try:
                result = query()
            except Exception as error:  # noqa: BLE001 - the same calm message as a failed write
                fail(error)
                return
            self.flow.guard(then, result)
            return
        reads.submit(query, lambda r: self.flow.guard(then, r), fail)

    # -- events from the flow -----------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A code was scanned while this presenter's screen is up."""

    def on_typed(self, text: str) -> None:
        """Keys typed on a physical keyboard (not a scan) while this screen is up: ``"\b"``
        is Backspace, ``"\r"`` Enter. Screens without a text field ignore them."""

    def on_timeout(self) -> None:
        """The idle timeout ran out; the flow goes home afterwards."""

    def idle_timeout_s(self) -> float:
        """How long this screen may stay untouched."""
        return self.flow.config.ui.idle_timeout_s

    def counts_down(self) -> bool:
        """Whether the last seconds before the idle timeout are shown (not while a finished
        screen lingers on its own)."""
        return True

    def on_countdown(self) -> None:
        """The countdown before the idle timeout has just started."""

    def on_print_result(self, ok: bool, txn_ref: str, message: str) -> bool:
        """A print result arrived; True when it was this presenter's receipt."""
        if self.receipt is None or self.receipt.txn_ref != txn_ref:
            return False
        self.receipt.state = "printed" if ok else "failed"
        self.receipt.detail = message
        if not ok:
            log.warning("receipt %s did not print: %s", txn_ref, message)
        self.changed()
        return True

    def print(self, request: PrintRequest) -> None:
        """Hand a print request to the printer and track its receipt."""
        self.receipt = ReceiptStatus(request.ref)
        self.flow.print(request, owner=self)


def due_text(loan: LoanInfo) -> str:
    """A loan's due date as dd/mm/yyyy."""
    return format_date(loan.due_on)
