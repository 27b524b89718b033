"""The staff's "Kho" tab: what waits for staff (damaged, missing, lost: repaired, found or
written off), the stock-take (open one per store or room, scan, count, finish with the
corrections confirmed, the biên bản written), and withdrawals (scan or list, a reason, a
decision number)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.vocabulary import WITHDRAW_REASONS
from kiosk.i18n import t
from kiosk.presenters.telex import TelexComposer
from kiosk.services import identify as ident
from kiosk.services.results import Outcome, refuse
from kiosk.services.stocktake import CORRECTIONS, find_batch_files

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.presenters.staff_review import StaffReviewPresenter

MODES = ("incidents", "stocktake", "withdraw")
STORES = ("GK", "TK", "NV", "TN")
#: How each kind of incident may be resolved, in the order the buttons show.
RESOLUTIONS = {"damaged": ("repaired", "written_off"), "missing": ("found", "written_off"),
               "lost": ("found", "written_off")}


class StockDesk:
    """The "Kho" tab's state and commands, inside the staff review."""

    def __init__(self, review: "StaffReviewPresenter"):
        self.review = review
        self.mode = "incidents"
        self.incidents = []
        self.selected_incident: int | None = None
        self.take = None
        self.progress = None
        self.last_scan: Outcome | None = None
        self.damaged_next = False
        self.finishing = False
        self.minutes_files: tuple[str, str] | None = None
        self.withdraw_codes: list[tuple[str, str]] = []  # (code, title)
        self.reason: str | None = None
        self.decision = TelexComposer(modern=review.flow.config.ui.telex_modern)
        self.typing_decision = False
        #: The batch files found on a USB stick, while staff pick one (None: not picking).
        self.batch_files: list | None = None

    @property
    def flow(self):
        """The kiosk's flow."""
        return self.review.flow

    # -- the tab ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the current mode's data again."""
        self.incidents = self.flow.services.stock.open_incidents()
        if self.selected_incident not in {i.id for i in self.incidents}:
            self.selected_incident = None
        sessions = self.flow.services.stocktake.open_sessions()
        if self.take is None or self.take.id not in {s.id for s in sessions}:
            self.take = sessions[0] if sessions and self.take is None else (
                next((s for s in sessions if self.take and s.id == self.take.id), None))
        self.progress = self.flow.services.stocktake.progress(self.take.id) \
            if self.take else None

    def set_mode(self, mode: str) -> None:
        """Incidents, stock-take or withdrawal."""
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.finishing = False
        self.typing_decision = False
        self.reload()
        self.review.changed()

    def mode_label(self, mode: str) -> str:
        """A mode button's text (the incidents' with how many wait)."""
        if mode == "incidents":
            return t("ui.stock.mode_incidents", n=len(self.incidents))
        return t(f"ui.stock.mode_{mode}")

    def _after(self, outcome: Outcome) -> None:
        review = self.review
        review.message = outcome
        review.receipt = None  # an earlier receipt's "printed" is not this action's
        review.feedback(outcome)
        self.reload()
        review.changed()

    # -- incidents ------------------------------------------------------------------------------
    def incident_text(self, incident) -> str:
        """"Ống nghiệm (KHTN6.OCN) ×2 – Hỏng – Phạm Thu Hà, 26/11: vỡ miệng"."""
        when = self.flow.context.clock.to_local(incident.at).strftime("%d/%m")
        who = f" – {incident.patron_name}" if incident.patron_name else ""
        count = f" ×{incident.open_quantity}" if incident.open_quantity > 1 else ""
        note = f": {incident.note}" if incident.note else ""
        return (f"{incident.title} ({incident.code}){count} – "
                f"{t(f'ui.stock.kind_{incident.kind}')}{who}, {when}{note}")

    def select_incident(self, incident_id: int) -> None:
        """Tap an incident."""
        self.selected_incident = incident_id
        self.review.changed()

    def resolutions(self) -> list[tuple[str, str]]:
        """(resolution, label) for the selected incident."""
        incident = next((i for i in self.incidents if i.id == self.selected_incident), None)
        if incident is None:
            return []
        return [(r, t(f"ui.stock.resolve_{r}")) for r in RESOLUTIONS[incident.kind]]

    def resolve(self, resolution: str) -> None:
        """Repaired, found or written off: every open piece of the selected incident."""
        if self.selected_incident is None or self.review.writing:
            return
        incident_id, staff = self.selected_incident, self.review.staff.code
        service = self.flow.services.stock
        self.review.write(lambda: service.resolve(incident_id, staff, resolution), self._after)

    # -- stock-take -----------------------------------------------------------------------------
    def start_stocktake(self, kind: str, store: str = "", room: str = "") -> None:
        """Open a stock-take of one store (books) or of the equipment."""
        if self.review.writing:
            return
        staff = self.review.staff
        service = self.flow.services.stocktake

        def started(outcome: Outcome) -> None:
            if outcome.ok:
                self.take = service.session(outcome.params["stocktake_id"])
                self.minutes_files = None
            self._after(outcome)

        self.review.write(lambda: service.start(staff.code, kind, store=store, room=room,
                                                committee=[(staff.name, t("ui.stock.maker"))]),
                          started)

    def toggle_damaged(self) -> None:
        """The next scanned item is seen, but damaged."""
        self.damaged_next = not self.damaged_next
        self.review.changed()

    def _stocktake_scan(self, code: str) -> None:
        if self.take is None:
            self._after(refuse("no_such_stocktake"))
            return
        take_id, staff, damaged = self.take.id, self.review.staff.code, self.damaged_next
        self.damaged_next = False
        service = self.flow.services.stocktake

        def scanned(outcome: Outcome) -> None:
            self.last_scan = outcome
            self._after(outcome)

        self.review.write(lambda: service.scan(take_id, code, staff, damaged=damaged), scanned)

    # -- a scanner's batch file ---------------------------------------------------------------
    def pick_batch_file(self) -> None:
        """List the batch files on the USB sticks (newest first) to load one."""
        self.batch_files = find_batch_files(self.flow.config.stocktake.batch_dirs)
        self.review.changed()

    def close_batch_files(self) -> None:
        """Back to the stock-take without loading."""
        self.batch_files = None
        self.review.changed()

    def load_batch_file(self, path: str) -> None:
        """Load one file's codes into the open stock-take (one action, on the writer: 20,000
        codes take about a second)."""
        if self.take is None or self.review.writing:
            return
        take_id, staff = self.take.id, self.review.staff.code
        service = self.flow.services.stocktake

        def loaded(outcome: Outcome) -> None:
            if outcome.ok:
                self.batch_files = None
            self.last_scan = outcome
            self._after(outcome)

        self.review.write(lambda: service.load(take_id, Path(path), staff_code=staff), loaded)

    def batch_file_label(self, found) -> str:
        """"kiemke-ke3.txt · 12 KB · 26/11 14:05"."""
        when = datetime.fromtimestamp(found.modified, self.flow.context.clock.tz).strftime(
            "%d/%m %H:%M")
        size = max(1, round(found.size / 1024))
        return t("ui.stock.batch_file", name=found.name, kb=size, when=when,
                 folder=found.path.parent.name)

    def counted_rows(self) -> list[tuple]:
        """(kind, counted good, counted damaged | None) of the counted stock in scope."""
        if self.progress is None:
            return []
        return [(kind, counted) for kind, counted in self.progress.counted]

    def step_count(self, type_code: str, delta: int, damaged: bool = False) -> None:
        """+1, +10 (or -1) on a counted kind's good (or damaged) count."""
        row = next(((k, c) for k, c in self.counted_rows() if k.code == type_code), None)
        if row is None or self.review.writing:
            return
        kind, counted = row
        good, broken = counted if counted else (0, 0)
        most = kind.on_hand + kind.damaged + kind.missing
        if damaged:
            broken = max(0, min(most - good, broken + delta))
        else:
            good = max(0, min(most - broken, good + delta))
        take_id, staff = self.take.id, self.review.staff.code
        service = self.flow.services.stocktake
        self.review.write(lambda: service.count(take_id, type_code, good, broken, staff),
                          self._after)

    def ask_finish(self) -> None:
        """First tap on "Kết thúc": show what will be corrected, ask to confirm."""
        self.finishing = True
        self.review.changed()

    def cancel_finish(self) -> None:
        """Not yet."""
        self.finishing = False
        self.review.changed()

    def finish(self, corrections: bool = True) -> None:
        """Finish the stock-take with (or without) the corrections, then write the biên bản."""
        if self.take is None or self.review.writing:
            return
        take_id, staff = self.take.id, self.review.staff.code
        service = self.flow.services.stocktake
        confirm = CORRECTIONS if corrections else ()

        def finished(outcome: Outcome) -> None:
            self.finishing = False
            if outcome.ok:
                self.write_minutes(take_id)
            self._after(outcome)

        self.review.write(lambda: service.finish(take_id, staff, confirm), finished)

    def write_minutes(self, take_id: int) -> None:
        """The biên bản kiểm kê as xlsx and PDF, beside the database (``bien-ban/``)."""
        from kiosk.minutes.model import build_minutes
        from kiosk.minutes.pdf import write_minutes_pdf
        from kiosk.minutes.xlsx import write_minutes_xlsx
        service = self.flow.services.stocktake
        folder = Path(self.flow.config.database.path).parent / "bien-ban"

        def write():
            minutes = build_minutes(service, take_id)
            stem = folder / f"bien-ban-kiem-ke-{minutes.ref}"
            return (str(write_minutes_xlsx(minutes, stem.with_suffix(".xlsx"))),
                    str(write_minutes_pdf(minutes, stem.with_suffix(".pdf"))))

        def written(files) -> None:
            self.minutes_files = files
            self.take = None
            self.reload()
            self.review.changed()

        self.review.write(write, written)

    # -- withdrawal -----------------------------------------------------------------------------
    def _withdraw_scan(self, found: ident.Identified) -> None:
        if found.kind not in (ident.COPY, ident.ITEM):
            self._after(refuse("unknown_code", code=found.code))
            return
        if any(code == found.code for code, _ in self.withdraw_codes):
            return
        title = found.record.title if found.kind == ident.COPY else found.record.type.name
        self.withdraw_codes.append((found.code, title))
        self.review.message = None
        self.review.changed()

    def remove_code(self, code: str) -> None:
        """Take a code off the withdrawal list."""
        self.withdraw_codes = [(c, n) for c, n in self.withdraw_codes if c != code]
        self.review.changed()

    def reasons(self) -> list[tuple[str, str]]:
        """(reason, label) of the withdrawal reasons."""
        return [(reason, t(f"withdraw.reason_{reason}")) for reason in WITHDRAW_REASONS]

    def set_reason(self, reason: str) -> None:
        """Why they are withdrawn."""
        if reason not in WITHDRAW_REASONS:
            raise ValueError(reason)
        self.reason = reason
        self.review.changed()

    def start_decision(self) -> None:
        """Type the decision number on the keyboard."""
        self.typing_decision = True
        self.review.changed()

    def decision_key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the decision number."""
        if key == "\b":
            self.decision.backspace()
        else:
            self.decision.key(key)
        self.review.changed()

    def finish_decision(self) -> None:
        """Close the keyboard."""
        self.typing_decision = False
        self.review.changed()

    def withdraw(self) -> None:
        """Withdraw everything on the list, with the reason and decision."""
        if self.review.writing:
            return
        if not self.withdraw_codes:
            self._after(refuse("basket_empty"))
            return
        if self.reason is None:
            self._after(refuse("withdraw_reason_required"))
            return
        codes = [code for code, _ in self.withdraw_codes]
        staff, reason = self.review.staff.code, self.reason
        decision = self.decision.text.upper()
        today = self.flow.context.clock.today()
        service = self.flow.services.stock

        def withdrawn(outcome: Outcome) -> None:
            if outcome.ok:
                self.withdraw_codes, self.reason = [], None
                self.decision.clear()
            self._after(outcome)

        self.review.write(lambda: service.withdraw(staff, codes, reason, decision_no=decision,
                                                   decision_date=today if decision else None),
                          withdrawn)

    # -- scans ----------------------------------------------------------------------------------
    def on_scan(self, code: str, found: ident.Identified) -> bool:
        """A scan on this tab: a stock-take scan or a code for the withdrawal list. True when
        it was handled here."""
        if found.kind == ident.PATRON:
            return False
        if self.mode == "stocktake":
            self._stocktake_scan(code)
            return True
        if self.mode == "withdraw":
            self._withdraw_scan(found)
            return True
        return False
