"""The staff's review: the day's transactions with filters, void with a reason, reprint,
overdue by class with slips (and a loss recorded with its patron), sync and device status, the
end-of-day summary, the declaration tab (:mod:`kiosk.presenters.staff_declare`) and the "Kho"
tab: damage and loss, stock-take, withdrawal (:mod:`kiosk.presenters.staff_stock`)."""
from __future__ import annotations

import logging

from kiosk.i18n import Translator, t
from kiosk.presenters.base import Presenter
from kiosk.presenters.ports import DatabaseStatus, DeviceState
from kiosk.presenters.staff_declare import Declaring
from kiosk.presenters.staff_stock import StockDesk
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import DaySummaryReport, OverdueSlip, Reprint
from kiosk.services import identify as ident
from kiosk.services.reports import OverdueRow, TxnRow
from kiosk.services.results import Outcome
from kiosk.sync.status import SyncStatus
from printers.receipt import DaySummary

log = logging.getLogger(__name__)

TABS = ("transactions", "overdue", "declare", "stock", "status", "summary")
FILTERS = ("kind", "direction", "class_name", "teacher_code")
VOID_REASONS = ("scanned_by_mistake", "wrong_patron", "duplicate", "test")


class StaffReviewPresenter(Presenter):
    """The staff's review of the day."""

    screen = "staff_review"

    @classmethod
    def open(cls, flow, staff, greeting: Outcome | None = None) -> "StaffReviewPresenter":
        """The review, after a successful sign-in."""
        return cls(flow, staff, greeting)

    def __init__(self, flow, staff, greeting: Outcome | None = None):
        super().__init__(flow)
        self.staff = staff
        self.message = greeting
        self.tab = "transactions"
        self.filters: dict[str, str | None] = {name: None for name in FILTERS}
        self.rows: list[TxnRow] = []
        self.selected: TxnRow | None = None
        self.reason = TelexComposer(modern=flow.config.ui.telex_modern)
        self.typing_reason = False
        self.overdue: dict[str, list[OverdueRow]] = {}
        self.sync: SyncStatus = SyncStatus()
        self.devices: list[DeviceState] = []
        self.database: DatabaseStatus = flow.ports.database.status()
        self.summary: DaySummary | None = None
        self.declaring = Declaring(self)
        self.stock = StockDesk(self)
        self.reload()

    # -- tabs ---------------------------------------------------------------------------------
    def show_tab(self, tab: str) -> None:
        """Switch tab and load its data."""
        if tab not in TABS:
            raise ValueError(tab)
        self.tab = tab
        self.reload()

    def reload(self) -> None:
        """Read the current tab's data again."""
        if self.tab == "transactions":
            self.rows = self.flow.reports.transactions(**self._query())
            if self.selected:
                self.selected = next((r for r in self.rows if r.loan_id == self.selected.loan_id
                                      and r.direction == self.selected.direction), None)
        elif self.tab == "overdue":
            self.overdue = self.flow.reports.overdue_by_class()
        elif self.tab == "status":
            self.database = self.flow.ports.database.status()
            self.sync = self.flow.ports.sync.status()
            self.devices = self.flow.ports.devices.status()
        elif self.tab == "summary":
            self.summary = self.flow.reports.day_summary()
        elif self.tab == "stock":
            self.stock.reload()
        self.changed()

    def database_line(self) -> str:
        """The database on the status tab: which one, and whether it answers (since when,
        why not)."""
        db = self.database
        kind = t(f"ui.staff.database_{db.engine}")
        if db.reachable:
            return t("ui.staff.database_ok", kind=kind, where=db.where)
        since = self.flow.context.clock.to_local(db.since).strftime("%H:%M") if db.since else "?"
        return t("ui.staff.database_gone", kind=kind, where=db.where, since=since,
                 detail=db.detail)

    def tab_label(self, tab: str) -> str:
        """A tab's button text."""
        return t(f"ui.staff.tab_{tab}")

    # -- filters ------------------------------------------------------------------------------
    def _query(self) -> dict:
        return {name: value for name, value in self.filters.items() if value}

    def filter_options(self, name: str) -> list[str | None]:
        """The values a filter cycles through (None = all)."""
        if name == "kind":
            return [None, "book", "equipment"]
        if name == "direction":
            return [None, "out", "back"]
        if name == "class_name":
            return [None, *self.flow.reports.class_list()]
        if name == "teacher_code":
            return [None, *(p.code for p in self.flow.reports.teachers())]
        raise ValueError(name)

    def filter_label(self, name: str) -> str:
        """What a filter button says now."""
        value = self.filters[name]
        if value is None:
            return t(f"ui.staff.filter_{name}_all")
        if name in ("kind", "direction"):
            return t(f"ui.staff.{name}_{value}")
        if name == "teacher_code":
            teacher = next((p for p in self.flow.reports.teachers() if p.code == value), None)
            return teacher.name if teacher else value
        return value

    def set_filter(self, name: str, value: str | None) -> None:
        """Set one filter and reload."""
        if name not in FILTERS:
            raise ValueError(name)
        self.filters[name] = value
        self.reload()

    def cycle_filter(self, name: str) -> None:
        """One tap: the filter's next value."""
        options = self.filter_options(name)
        current = self.filters[name]
        index = options.index(current) if current in options else 0
        self.set_filter(name, options[(index + 1) % len(options)])

    # -- a selected transaction ---------------------------------------------------------------
    def select(self, loan_id: int, direction: str = "out") -> None:
        """Tap a row."""
        self.selected = next((r for r in self.rows if r.loan_id == loan_id
                              and r.direction == direction), None)
        self.reason.clear()
        self.changed()

    def void_reasons(self) -> list[tuple[str, str]]:
        """(key, label) of the ready-made reasons."""
        return [(key, t(f"ui.void_reason.{key}")) for key in VOID_REASONS]

    def start_typed_reason(self) -> None:
        """Open the keyboard to type a reason of one's own."""
        self.reason.clear()
        self.typing_reason = True
        self.changed()

    def reason_key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the reason."""
        if key == "\b":
            self.reason.backspace()
        else:
            self.reason.key(key)
        self.changed()

    def submit_typed_reason(self) -> None:
        """Void with the typed reason (an empty one is refused and the keyboard stays)."""
        self.void_selected()

    def cancel_typed_reason(self) -> None:
        """Close the keyboard without voiding."""
        self.typing_reason = False
        self.changed()

    def void_selected(self, reason_key: str | None = None) -> None:
        """Void the selected loan with a ready-made reason or the typed one."""
        if self.selected is None or self.writing:
            return
        if reason_key:
            reason = Translator("vi")(f"ui.void_reason.{reason_key}")
        else:
            reason = self.reason.text
        loan_id = self.selected.loan_id
        self.write(lambda: self.flow.staff.void(loan_id, self.staff.code, reason), self._voided)

    def _voided(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.typing_reason = False
        self.message = outcome
        self.feedback(outcome)
        self.reload()

    def reprint(self, txn_ref: str | None = None) -> None:
        """Print a transaction's receipt again (marked as a reprint)."""
        txn_ref = txn_ref or (self.selected.txn_ref if self.selected else None)
        if not txn_ref:
            return
        self.print(Reprint(txn_ref))
        self.changed()

    # -- overdue, status, summary -------------------------------------------------------------
    def push_now(self) -> None:
        """The "Gửi ngay" button: the sync pushes now, even inside a back-off wait."""
        self.flow.ports.sync_control.wake(force=True)
        self.message = "ui.staff.push_started"
        self.changed()

    def retry_dead_letters(self) -> None:
        """Send the records the province rejected again (after the cause was fixed)."""
        if self.writing:
            return
        self.write(lambda: self.flow.staff.retry_dead_letters(self.staff.code), self._requeued)

    def _requeued(self, outcome: Outcome) -> None:
        self.message = outcome
        self.feedback(outcome)
        if outcome.ok:
            self.flow.ports.sync_control.wake(force=True)
        self.reload()


    def print_overdue(self, class_name: str) -> None:
        """Print the overdue slips of one class."""
        if not self.overdue.get(class_name):
            return
        self.print(OverdueSlip(class_name))
        self.changed()

    def declare_lost(self, loan_id: int) -> None:
        """An overdue loan will not come back: record it lost, with its patron."""
        if self.writing:
            return
        service = self.flow.services.stock
        self.write(lambda: service.declare_lost(loan_id, self.staff.code), self._voided)

    def print_summary(self) -> None:
        """Print the end-of-day summary receipt."""
        day = self.summary.day if self.summary else self.flow.context.clock.today()
        self.print(DaySummaryReport(day))
        self.changed()

    def sign_out(self) -> None:
        """Home."""
        self.flow.home()

    def on_scan(self, code: str) -> None:
        """A scanned item or copy filters the transactions to it; a card signs out (another
        card is then handled as on the home screen); an ISBN on the declaration tab fills it."""
        found = self.flow.circulation.identify(code)
        if self.tab == "declare" and found.kind in (ident.ISBN, ident.UNKNOWN):
            self.declaring.scanned(found)
            return
        if self.tab == "stock" and self.stock.on_scan(code, found):
            return
        if found.kind == ident.PATRON:
            if found.code == self.staff.code:
                self.flow.home()
            else:
                self.flow.leave_and_rescan(code)
            return
        self.tab = "transactions"
        self.filters = {name: None for name in FILTERS}
        self.rows = [r for r in self.flow.reports.transactions() if r.code == found.code]
        self.selected = self.rows[0] if self.rows else None
        self.changed()

    def idle_timeout_s(self) -> float:
        """Staff work longer between touches."""
        return self.flow.config.ui.staff_idle_timeout_s
