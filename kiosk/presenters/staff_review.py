"""The staff's review: a day's transactions (any day, from a date picker) with filters picked
from a list, void with a reason (confirmed, and undone if need be for the rest of the staff
session), reprint; search (:mod:`kiosk.presenters.staff_search`); overdue books by class with
slips (and a loss recorded with its patron), and overdue equipment; the declaration tab
(:mod:`kiosk.presenters.staff_declare`); the "Kho" tab: damage and loss, stock-take,
withdrawal (:mod:`kiosk.presenters.staff_stock`); sync and device status; the day's summary.
Each tab keeps its own message line.

Tabs are data (:data:`TABS`): a new tab is a name here, its loading in :meth:`reload`, its
``ui.staff.tab_<name>`` label and its ``_draw_<name>`` in the screen."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from kiosk.clock import format_date
from kiosk.i18n import Translator, known, t
from kiosk.presenters.base import Presenter, ReceiptStatus
from kiosk.presenters.day_picker import DayPicker
from kiosk.presenters.ports import DatabaseStatus, DeviceState
from kiosk.presenters.staff_declare import Declaring
from kiosk.presenters.staff_reports import Reporting
from kiosk.presenters.staff_search import Searching
from kiosk.presenters.staff_stock import StockDesk
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import DaySummaryReport, OverdueSlip, Reprint
from kiosk.services import identify as ident
from kiosk.services.reports import OverdueRow, TxnRow
from kiosk.services.results import Outcome, refuse
from kiosk.sync.status import SyncStatus
from printers.receipt import DaySummary

log = logging.getLogger(__name__)

TABS = ("transactions", "search", "overdue", "declare", "stock", "reports", "status", "summary")
#: The tabs that show one day (the date picker's).
DAY_TABS = ("transactions", "summary")
FILTERS = ("kind", "direction", "class_name", "teacher_code")
VOID_REASONS = ("scanned_by_mistake", "wrong_patron", "duplicate", "test")


def device_text(device: DeviceState) -> str:
    """A device in words: 'Máy quét cổng nối tiếp (/dev/ttyACM0): đang hoạt động', 'Máy in
    USB: lỗi – hết giấy' (a kind the catalog does not know keeps its configured word)."""
    group = "printer" if device.is_printer else "scanner"
    key = f"ui.device.{group}_{device.kind}"
    name = t(key) if known(key) else t(f"ui.device.{group}", kind=device.kind)
    if device.is_printer:
        state = t("ui.device.printer_ready") if device.ok else (
            t("ui.device.printer_off") if device.kind == "none" else t("ui.device.failed"))
    else:
        key = f"ui.device.state_{device.state}"
        state = t(key) if known(key) else device.state
    if device.detail and device.ok:
        return f"{name} ({device.detail}): {state}"
    if device.detail:
        return f"{name}: {state} – {device.detail}"
    return f"{name}: {state}"


class StaffReviewPresenter(Presenter):
    """The staff's review of the day."""

    screen = "staff_review"

    @classmethod
    def open(cls, flow, staff, greeting: Outcome | None = None) -> "StaffReviewPresenter":
        """The review, after a successful sign-in."""
        return cls(flow, staff, greeting)

    def __init__(self, flow, staff, greeting: Outcome | None = None):
        self.tab = "transactions"
        #: The list of every tab is open (when the header cannot show them all).
        self.tab_menu = False
        self._messages: dict[str, Outcome | str | None] = {}
        self._receipts: dict[str, ReceiptStatus | None] = {}
        #: While a write's answer is handled: the tab the write was started from.
        self._answering_for: str | None = None
        super().__init__(flow)
        self.staff = staff
        self.message = greeting
        self.day: date = flow.context.clock.today()
        self.day_picker: DayPicker | None = None
        self.filters: dict[str, str | None] = {name: None for name in FILTERS}
        #: The filter whose list of values is open, or None.
        self.picking: str | None = None
        self.rows: list[TxnRow] = []
        self.selected: TxnRow | None = None
        self.reason = TelexComposer(modern=flow.config.ui.telex_modern)
        self.typing_reason = False
        #: The reason of the void waiting for its confirmation, or None.
        self.confirming: str | None = None
        #: Voids made in this staff session (loan id -> its reference): each may be undone.
        self.voided_here: dict[int, str] = {}
        self.overdue: dict[str, list[OverdueRow]] = {}
        self.overdue_equipment: list[OverdueRow] = []
        self.sync: SyncStatus = SyncStatus()
        self.devices: list[DeviceState] = []
        self.database: DatabaseStatus = flow.ports.database.status()
        self.summary: DaySummary | None = None
        self.declaring = Declaring(self)
        self.searching = Searching(self)
        self.stock = StockDesk(self)
        self.reporting = Reporting(self)
        self.declarations_line = ""
        self.reload()

    # -- each tab its own message line ----------------------------------------------------------
    @property
    def message(self) -> Outcome | str | None:
        """The current tab's message (another tab's never shows here)."""
        return self._messages.get(self.tab)

    @message.setter
    def message(self, value: Outcome | str | None) -> None:
        self._messages[self._answering_for or self.tab] = value

    @property
    def receipt(self) -> ReceiptStatus | None:
        """The receipt printed from the current tab, if any."""
        return self._receipts.get(self.tab)

    @receipt.setter
    def receipt(self, value: ReceiptStatus | None) -> None:
        self._receipts[self._answering_for or self.tab] = value

    def write(self, action, then) -> None:
        """A write whose answer (its message, its receipt) belongs to the tab it was started
        from, even when the staff member has moved to another tab meanwhile."""
        tab = self.tab

        def answered(result) -> None:
            self._answering_for = tab
            try:
                then(result)
            finally:
                self._answering_for = None

        super().write(action, answered)

    def on_print_result(self, ok: bool, txn_ref: str, message: str) -> bool:
        """A print result for a receipt printed from any tab (shown when that tab is)."""
        for receipt in self._receipts.values():
            if receipt is not None and receipt.txn_ref == txn_ref:
                receipt.state = "printed" if ok else "failed"
                receipt.detail = message
                if not ok:
                    log.warning("receipt %s did not print: %s", txn_ref, message)
                self.changed()
                return True
        return False

    # -- tabs ---------------------------------------------------------------------------------
    def show_tab(self, tab: str) -> None:
        """Switch tab and load its data (an open list or calendar closes)."""
        if tab not in TABS:
            raise ValueError(tab)
        self.tab = tab
        self.tab_menu = False
        self.picking = None
        self.day_picker = None
        self.reload()

    def open_tab_menu(self) -> None:
        """Every tab in a list (the header shows those that fit, and "Khác")."""
        self.tab_menu = True
        self.changed()

    def close_tab_menu(self) -> None:
        """Close the list of tabs."""
        self.tab_menu = False
        self.changed()

    def reload(self) -> None:
        """Read the current tab's data again."""
        if self.tab == "transactions":
            self.rows = self.flow.reports.transactions(day=self.day, **self._query())
            if self.selected:
                self.selected = next((r for r in self.rows if r.loan_id == self.selected.loan_id
                                      and r.direction == self.selected.direction), None)
        elif self.tab == "search":
            self.searching.reload()
        elif self.tab == "overdue":
            self.overdue = self.flow.reports.overdue_by_class()
            self.overdue_equipment = self.flow.reports.overdue_equipment()
        elif self.tab == "status":
            self.database = self.flow.ports.database.status()
            self.sync = self.flow.ports.sync.status()
            self.devices = self.flow.ports.devices.status()
            self.declarations_line = self.flow.planning.declarations_line()
        elif self.tab == "reports":
            self.reporting.load()
        elif self.tab == "summary":
            self.summary = self.flow.reports.day_summary(self.day)
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

    @property
    def typing(self) -> bool:
        """The on-screen keyboard is up (it needs the room: no tabs then)."""
        return ((self.tab == "declare" and self.declaring.form.typing)
                or (self.tab == "transactions" and self.typing_reason)
                or (self.tab == "search" and self.searching.typing)
                or (self.tab == "stock" and self.stock.typing_decision))

    # -- the day shown --------------------------------------------------------------------------
    @property
    def day_label(self) -> str:
        """'Hôm nay 26/11', 'Hôm qua 25/11', 'Thứ Ba 24/11' (the year too when it is not this
        year's)."""
        today = self.flow.context.clock.today()
        if self.day == today:
            name = t("ui.day.today")
        elif self.day == today - timedelta(days=1):
            name = t("ui.day.yesterday")
        else:
            name = t(f"ui.weekday.{self.day.weekday()}")
        shown = self.day.strftime("%d/%m") if self.day.year == today.year \
            else format_date(self.day)
        return f"{name} {shown}"

    @property
    def can_step_forward(self) -> bool:
        """False on today: tomorrow has no transactions yet."""
        return self.day < self.flow.context.clock.today()

    def step_day(self, days: int) -> None:
        """The day before (-1) or after (+1), never after today."""
        self.show_day(self.day + timedelta(days=days))

    def show_day(self, day: date) -> None:
        """Show another day's transactions and summary."""
        if day > self.flow.context.clock.today():
            return
        self.day = day
        self.day_picker = None
        self.selected = None
        self.reload()

    def open_day_picker(self) -> None:
        """The calendar of the shown day's month."""
        self.picking = None
        self.day_picker = DayPicker(self.day, self.flow.context.clock.today())
        self.changed()

    def step_month(self, months: int) -> None:
        """The calendar's month before or after."""
        if self.day_picker is not None:
            self.day_picker.step(months)
            self.changed()

    def close_day_picker(self) -> None:
        """Close the calendar without changing the day."""
        self.day_picker = None
        self.changed()

    def tab_label(self, tab: str) -> str:
        """A tab's button text."""
        return t(f"ui.staff.tab_{tab}")

    # -- filters ------------------------------------------------------------------------------
    def _query(self) -> dict:
        return {name: value for name, value in self.filters.items() if value}

    def filter_options(self, name: str) -> list[str | None]:
        """The values a filter may take (None = all)."""
        if name == "kind":
            return [None, "book", "equipment"]
        if name == "direction":
            return [None, "out", "back"]
        if name == "class_name":
            return [None, *self.flow.reports.class_list()]
        if name == "teacher_code":
            return [None, *(p.code for p in self.flow.reports.teachers())]
        raise ValueError(name)

    def filter_label(self, name: str, value: str | None = ...) -> str:
        """What a filter button says now (or would say for ``value``)."""
        value = self.filters[name] if value is ... else value
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

    def open_picker(self, name: str) -> None:
        """Open a filter's list of values (30 classes are one tap away, not 30)."""
        if name not in FILTERS:
            raise ValueError(name)
        self.day_picker = None
        self.picking = name
        self.changed()

    def picker_options(self) -> list[tuple[str | None, str]]:
        """(value, label) of the open filter's values, 'all' first."""
        if self.picking is None:
            return []
        if self.picking == "teacher_code":
            return [(None, t("ui.staff.filter_teacher_code_all"))] + [
                (p.code, p.name) for p in self.flow.reports.teachers()]
        return [(value, self.filter_label(self.picking, value))
                for value in self.filter_options(self.picking)]

    def pick(self, value: str | None) -> None:
        """Choose a value of the open filter's list."""
        name, self.picking = self.picking, None
        if name is not None:
            self.set_filter(name, value)

    def close_picker(self) -> None:
        """Close the list without choosing."""
        self.picking = None
        self.changed()

    # -- a selected transaction ---------------------------------------------------------------
    def select(self, loan_id: int, direction: str = "out") -> None:
        """Tap a row."""
        self.selected = next((r for r in self.rows if r.loan_id == loan_id
                              and r.direction == direction), None)
        self.reason.clear()
        self.confirming = None
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
        """Ask to void with the typed reason (an empty one is refused and the keyboard
        stays)."""
        self.void_selected()

    def cancel_typed_reason(self) -> None:
        """Close the keyboard without voiding."""
        self.typing_reason = False
        self.changed()

    def void_selected(self, reason_key: str | None = None) -> None:
        """Ask to void the selected loan with a ready-made reason or the typed one: the
        confirmation shows the loan and the reason (:meth:`confirm_void`)."""
        if self.selected is None or self.writing:
            return
        if reason_key:
            reason = Translator("vi")(f"ui.void_reason.{reason_key}")
        else:
            reason = " ".join(self.reason.text.split())
        if not reason:
            self.show(refuse("reason_required"))
            return
        if self.selected.voided:
            self.show(refuse("already_voided"))
            return
        self.typing_reason = False
        self.confirming = reason
        self.changed()

    def confirm_void(self) -> None:
        """Void the selected loan with the reason shown."""
        if self.selected is None or self.confirming is None or self.writing:
            return
        loan_id, reason = self.selected.loan_id, self.confirming
        self.write(lambda: self.flow.staff.void(loan_id, self.staff.code, reason),
                   lambda outcome: self._voided(loan_id, outcome))

    def cancel_void(self) -> None:
        """Keep the loan: the confirmation closes."""
        self.confirming = None
        self.changed()

    def _voided(self, loan_id: int, outcome: Outcome) -> None:
        self.confirming = None
        if outcome.ok:
            self.voided_here[loan_id] = outcome.params["ref"]
        self.message = outcome
        self.feedback(outcome)
        self.reload()

    @property
    def can_undo(self) -> bool:
        """The selected loan was voided in this staff session: its void may be undone."""
        return (self.selected is not None and self.selected.voided
                and self.selected.loan_id in self.voided_here)

    def undo_void(self) -> None:
        """Undo the selected loan's void (an action of its own, with its own reference)."""
        if not self.can_undo or self.writing:
            return
        loan_id = self.selected.loan_id
        void_ref = self.voided_here[loan_id]
        self.write(lambda: self.flow.staff.undo_void(void_ref, self.staff.code),
                   lambda outcome: self._undone(loan_id, outcome))

    def _undone(self, loan_id: int, outcome: Outcome) -> None:
        if outcome.ok:
            self.voided_here.pop(loan_id, None)
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
        self.write(lambda: service.declare_lost(loan_id, self.staff.code), self._declared_lost)

    def _declared_lost(self, outcome: Outcome) -> None:
        self.message = outcome
        self.feedback(outcome)
        self.reload()

    def print_summary(self) -> None:
        """Print the summary receipt of the day shown."""
        day = self.summary.day if self.summary else self.day
        self.print(DaySummaryReport(day))
        self.changed()

    def sign_out(self) -> None:
        """Home."""
        self.flow.home()

    def on_scan(self, code: str) -> None:
        """The staff's own card signs out. On the search tab a card shows its patron and a
        book lends it to the patron shown (or shows who holds it). Elsewhere a scanned item
        or copy filters today's transactions to it, another card signs out (and is handled
        as on the home screen), and an ISBN on the declaration tab fills it."""
        found = self.flow.circulation.identify(code)
        if found.kind == ident.PATRON and found.code == self.staff.code:
            self.flow.home()
            return
        if self.tab == "search":
            self.searching.scanned(found)
            return
        if self.tab == "declare" and found.kind in (ident.ISBN, ident.UNKNOWN, ident.STOCK,
                                                    ident.ITEM):
            self.declaring.scanned(found)
            return
        if self.tab == "stock" and self.stock.on_scan(code, found):
            return
        if found.kind == ident.PATRON:
            self.flow.leave_and_rescan(code)
            return
        self.tab = "transactions"
        self.day = self.flow.context.clock.today()
        self.picking, self.day_picker = None, None
        self.filters = {name: None for name in FILTERS}
        self.rows = [r for r in self.flow.reports.transactions() if r.code == found.code]
        self.selected = self.rows[0] if self.rows else None
        self.changed()

    def idle_timeout_s(self) -> float:
        """Staff work longer between touches."""
        return self.flow.config.ui.staff_idle_timeout_s
