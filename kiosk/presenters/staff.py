"""Staff: card then PIN on a keypad (the lock-out is the service's), then the review of the day:
transactions with filters, void with a reason, reprint, overdue by class with slips, sync and
device status, the end-of-day summary."""
from __future__ import annotations

import logging
from dataclasses import asdict

from db.ids import short_ref
from db.models import Loan, Patron
from kiosk.i18n import Translator, t
from kiosk.presenters.base import Presenter
from kiosk.presenters.ports import DeviceState, SyncStatus
from kiosk.presenters.telex import TelexComposer
from kiosk.services.reports import DaySummary, OverdueRow, TxnRow
from kiosk.services.catalogue import MAX_COPIES_AT_ONCE, NewTitle
from kiosk.services.results import Outcome

log = logging.getLogger(__name__)

PIN_MAX = 8
TABS = ("transactions", "overdue", "declare", "status", "summary")
STORES = ("TK", "GK", "NV", "TN")
FILTERS = ("kind", "direction", "class_name", "teacher_code")
VOID_REASONS = ("scanned_by_mistake", "wrong_patron", "duplicate", "test")


class DeclareForm:
    """What the staff is declaring: books (ISBN, title, store, copies) or equipment (name,
    quantity, labelled or counted)."""

    def __init__(self, modern: bool = False, kind: str = "book", store: str = "TK"):
        self.kind = kind
        self.name = TelexComposer(modern=modern)
        self.isbn = ""
        self.store = store
        self.count = 1
        self.labelled = True
        self.typing = False


class StaffSignInPresenter(Presenter):
    """The PIN keypad after a staff card."""

    screen = "staff_signin"

    def __init__(self, flow, staff: Patron):
        super().__init__(flow)
        self.staff = staff
        self.pin = ""

    @property
    def greeting(self) -> str:
        """Whose card it is."""
        return t("ui.staff.enter_pin", name=self.staff.name)

    @property
    def masked(self) -> str:
        """The PIN as dots."""
        return "•" * len(self.pin)

    def press(self, digit: str) -> None:
        """A digit key."""
        if digit.isdigit() and len(digit) == 1 and len(self.pin) < PIN_MAX:
            self.pin += digit
            self.changed()

    def backspace(self) -> None:
        """Delete the last digit."""
        self.pin = self.pin[:-1]
        self.changed()

    def submit(self) -> None:
        """Check the PIN: the review opens, or the reason (wrong, locked) shows."""
        outcome = self.flow.staff.authenticate(self.staff.code, self.pin)
        self.pin = ""
        self.feedback(outcome)
        if outcome.ok:
            self.flow.go(StaffReviewPresenter(self.flow, self.staff, greeting=outcome))
            return
        self.message = outcome
        self.changed()

    def on_scan(self, code: str) -> None:
        """Another code leaves the keypad and is handled as on the home screen."""
        if code.strip() == self.staff.code:
            return
        self.flow.home()
        self.flow.home_presenter.on_scan(code)

    def cancel(self) -> None:
        """Home."""
        self.flow.home()


class StaffReviewPresenter(Presenter):
    """The staff's review of the day."""

    screen = "staff_review"

    def __init__(self, flow, staff: Patron, greeting: Outcome | None = None):
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
        self.summary: DaySummary | None = None
        self.declare = DeclareForm(flow.config.ui.telex_modern)
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
            self.sync = self.flow.ports.sync.status()
            self.devices = self.flow.ports.devices.status()
        elif self.tab == "summary":
            self.summary = self.flow.reports.day_summary()
        self.changed()

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
            teacher = Patron.get_or_none(Patron.code == value)
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

    def submit_typed_reason(self) -> Outcome | None:
        """Void with the typed reason (an empty one is refused and the keyboard stays)."""
        outcome = self.void_selected()
        if outcome is not None and outcome.ok:
            self.typing_reason = False
            self.changed()
        return outcome

    def cancel_typed_reason(self) -> None:
        """Close the keyboard without voiding."""
        self.typing_reason = False
        self.changed()

    def void_selected(self, reason_key: str | None = None) -> Outcome | None:
        """Void the selected loan with a ready-made reason or the typed one."""
        if self.selected is None:
            return None
        if reason_key:
            reason = Translator("vi")(f"ui.void_reason.{reason_key}")
        else:
            reason = self.reason.text
        outcome = self.flow.staff.void(self.selected.loan_id, self.staff.code, reason)
        self.message = outcome
        self.feedback(outcome)
        self.reload()
        return outcome

    def reprint(self, txn_ref: str | None = None) -> None:
        """Print a transaction's receipt again."""
        txn_ref = txn_ref or (self.selected.txn_ref if self.selected else None)
        if not txn_ref:
            return
        records = self.flow.reports.transaction_loans(txn_ref)
        loans = [self.flow.circulation.loan_info(loan) for loan in records]
        patron = records[0].patron if records else None
        self.print_receipt("reprint", txn_ref, loans, patron, {"by": self.staff.code})
        self.changed()

    # -- overdue, status, summary -------------------------------------------------------------
    def print_overdue(self, class_name: str) -> None:
        """Print the overdue slips of one class."""
        rows = self.overdue.get(class_name, [])
        if not rows:
            return
        loans = [self.flow.circulation.loan_info(Loan.get_by_id(row.loan_id)) for row in rows]
        self.print_receipt("overdue_slip", short_ref("QH"), loans, None,
                           {"class_name": class_name})
        self.changed()

    def print_summary(self) -> None:
        """Print the end-of-day summary receipt."""
        summary = self.summary or self.flow.reports.day_summary()
        self.print_receipt("day_summary", short_ref("TK"), [], None, asdict(summary))
        self.changed()

    # -- declaring new items ------------------------------------------------------------------
    def declare_set(self, **values) -> None:
        """Change the declaration form (kind, store, labelled, typing)."""
        for name, value in values.items():
            if not hasattr(self.declare, name):
                raise ValueError(name)
            setattr(self.declare, name, value)
        self.changed()

    def declare_step_count(self, delta: int) -> None:
        """The − / + of the number of copies or items."""
        self.declare.count = max(1, min(MAX_COPIES_AT_ONCE, self.declare.count + delta))
        self.changed()

    def declare_key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the name field."""
        if key == "\b":
            self.declare.name.backspace()
        else:
            self.declare.name.key(key)
        self.changed()

    def declare_submit(self) -> Outcome:
        """Declare the copies or the equipment; the labels print."""
        form = self.declare
        service = self.flow.catalogue
        if form.kind == "book":
            known = service.find_title_by_isbn(form.isbn) if form.isbn else None
            if known is not None:
                outcome = service.declare_copies(self.staff.code, form.store, form.count,
                                                 title_id=known.id)
            else:
                outcome = service.declare_copies(
                    self.staff.code, form.store, form.count,
                    new_title=NewTitle(title=form.name.text, isbn=form.isbn or None))
        else:
            outcome = service.declare_equipment(self.staff.code, "", form.count,
                                                name=form.name.text, labelled=form.labelled)
        self.message = outcome
        self.feedback(outcome)
        if outcome.ok:
            codes = outcome.params["codes"]
            self.print_receipt("labels", short_ref("NH"), [], None,
                               {"codes": codes, "title": outcome.params["title"],
                                "kind": form.kind})
            self.declare = DeclareForm(self.flow.config.ui.telex_modern, kind=form.kind,
                                       store=form.store)
        self.changed()
        return outcome

    def sign_out(self) -> None:
        """Home."""
        self.flow.home()

    def on_scan(self, code: str) -> None:
        """A scanned item or copy filters the transactions to it; a card signs out."""
        found = self.flow.circulation.identify(code)
        if self.tab == "declare" and found.kind in ("isbn", "unknown"):
            self.declare.isbn = found.code if found.kind == "isbn" else ""
            title = self.flow.catalogue.find_title_by_isbn(self.declare.isbn)
            if title is not None:
                self.declare.name.set(title.title)
            self.declare.kind = "book"
            self.changed()
            return
        if found.kind == "patron":
            self.flow.home()
            if found.code != self.staff.code:
                self.flow.home_presenter.on_scan(code)
            return
        self.tab = "transactions"
        self.filters = {name: None for name in FILTERS}
        self.rows = [r for r in self.flow.reports.transactions() if r.code == found.code]
        self.selected = self.rows[0] if self.rows else None
        self.changed()

    def idle_timeout_s(self) -> float:
        """Staff work longer between touches."""
        return self.flow.config.ui.staff_idle_timeout_s
