"""The home screen: the invitation to scan, the school, the time, the sync indicator; a scan
here starts a borrow (student card), the teacher menu, staff sign-in, or a return (an item).
While the database server is gone, the screen says so instead of inviting a scan."""
from __future__ import annotations

import logging

from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.presenters.base import Presenter, ReceiptStatus
from kiosk.presenters.ports import DatabaseStatus
from kiosk.services import identify as ident
from kiosk.services.results import refuse
from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)

#: How often (seconds) the sync indicator is read again.
SYNC_REFRESH_S = 10.0


#: Seconds between two readings of the reading board's figures.
BOARD_REFRESH_S = 300

#: Seconds between two looks for bookings whose lesson ended uncollected (they lapse).
LAPSE_CHECK_S = 60


class HomePresenter(Presenter):
    """State of the home screen and where its scans lead."""

    screen = "home"

    def __init__(self, flow):
        super().__init__(flow)
        self.sync: SyncStatus = SyncStatus()
        self._sync_read_at: float | None = None
        self.database: DatabaseStatus = flow.ports.database.status()
        self.board: list[str] = []
        self._board_read_at: float | None = None
        self._lapse_checked_at: float | None = None
        self.refresh_sync()
        self.refresh_board()

    # -- what the screen shows ----------------------------------------------------------------
    @property
    def school_name(self) -> str:
        """The school's name from the config."""
        return self.flow.config.school.name

    @property
    def server_gone(self) -> bool:
        """True while the database server cannot be reached."""
        return not self.database.reachable

    @property
    def prompt(self) -> str:
        """The invitation to scan, or "Mất kết nối máy chủ" while the server is gone."""
        return t("ui.home.server_gone") if self.server_gone else t("ui.home.prompt")

    @property
    def server_gone_detail(self) -> str:
        """While the server is gone: which server, since when, and that the kiosk reconnects by
        itself ("" while it answers)."""
        if not self.server_gone:
            return ""
        since = self.database.since
        local = self.flow.context.clock.to_local(since) if since else None
        return t("ui.home.server_gone_detail", where=self.database.where,
                 since=local.strftime("%H:%M") if local else "?")

    def date_text(self) -> str:
        """Today, dd/mm/yyyy, with the weekday."""
        now = self.flow.context.clock.local_now()
        return t(f"ui.weekday.{now.weekday()}") + ", " + format_date(now.date())

    @property
    def clock_warning(self) -> str | None:
        """A short warning when the clock may be wrong (a Pi without network time or RTC)."""
        return t("clock.suspect_short") if self.flow.context.clock.suspect else None

    def time_text(self) -> str:
        """The local time, HH:MM."""
        return self.flow.context.clock.local_now().strftime("%H:%M")

    @property
    def sync_level(self) -> str:
        """ok | waiting | error: the indicator's colour."""
        return "error" if self.server_gone else self.sync.level

    @property
    def sync_text(self) -> str:
        """The indicator's short text."""
        if self.server_gone:
            return t("ui.sync.server_gone")
        if self.sync.level == "ok" and not self.sync.pending:
            return t("ui.sync.ok")
        if self.sync.level == "error":
            return t("ui.sync.error", pending=self.sync.pending, dead=self.sync.dead)
        if not self.sync.configured:
            return t("ui.sync.not_configured", pending=self.sync.pending)
        return t("ui.sync.pending", pending=self.sync.pending)

    def refresh_board(self) -> None:
        """The reading board (``[reports] reading_board``, off by default): this month's
        classes that read the most and the newest titles; students' names only when the
        school turned ``reading_board_names`` on."""
        settings = self.flow.config.reports
        self._board_read_at = self.flow.idle.now()
        if self.server_gone:
            return
        if not settings.reading_board:
            self.board = []
            return
        try:
            classes, titles, readers = self.flow.planning.reading_board(
                names=settings.reading_board_names)
        except Exception:  # noqa: BLE001 - a board must never break the home screen
            log.exception("reading board unavailable")
            return
        lines = [t("ui.reports.board_title")]
        if classes:
            lines.append(t("ui.reports.board_classes", classes=", ".join(
                f"{name} ({n})" for name, n in classes)))
        if readers:
            lines.append(t("ui.reports.board_readers", names=", ".join(
                f"{r.name} ({r.class_name})" for r in readers)))
        if titles:
            lines.append(t("ui.reports.board_new", titles=", ".join(
                title for title, _ in titles)))
        self.board = lines if len(lines) > 1 else []

    # -- updates ------------------------------------------------------------------------------
    def refresh_sync(self) -> None:
        """Read the sync status (quick: two counts); not while the server is gone."""
        self._sync_read_at = self.flow.idle.now()
        if self.server_gone:
            return
        try:
            self.sync = self.flow.ports.sync.status()
        except Exception as exc:  # noqa: BLE001 - an indicator must never break the home screen
            reason = self.flow.ports.database.explain(exc)
            if reason is None:
                log.exception("sync status unavailable")
            else:
                log.warning("sync status unavailable: %s", reason)

    def refresh_database(self) -> None:
        """Read whether the database is there (no query); back again, re-read the sync."""
        was_gone = self.server_gone
        self.database = self.flow.ports.database.status()
        if was_gone and not self.server_gone:
            self.refresh_sync()

    def refresh(self) -> None:
        """Coming back home: clear the old message, re-read the sync status."""
        self.message = None
        self.receipt = None
        self.database = self.flow.ports.database.status()
        self.refresh_sync()
        self.changed()

    def tick(self) -> None:
        """Once a second: the clock moves; the sync status every few seconds; a message
        fades after the idle timeout."""
        now = self.flow.idle.now()
        self.refresh_database()
        if self._sync_read_at is None or now - self._sync_read_at >= SYNC_REFRESH_S:
            self.refresh_sync()
        if self._board_read_at is None or now - self._board_read_at >= BOARD_REFRESH_S:
            self.refresh_board()
        if self._lapse_checked_at is None or now - self._lapse_checked_at >= LAPSE_CHECK_S:
            self._lapse_checked_at = now
            self.lapse_bookings()
        if (self.message or self.receipt) and self.flow.idle.expired(self.idle_timeout_s()):
            self.message = None
            self.receipt = None
        self.changed()

    def lapse_bookings(self) -> None:
        """Bookings whose lesson ended uncollected lapse (each its own action, on the
        writer); nothing is written when none is due."""
        if self.flow.bookings.lapse_pending():
            self.write(self.flow.bookings.lapse_due, lambda outcome: None)

    def show_failed_receipt(self, txn_ref: str) -> None:
        """A receipt failed after its screen closed: show its QR code here."""
        self.receipt = ReceiptStatus(txn_ref, state="failed")
        self.flow.idle.touch()
        self.changed()

    def refuse(self, outcome) -> None:
        """Show a refusal here and play its sound."""
        self.show(outcome)

    # -- scans --------------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """Route a scan: a card opens its kind's screen; a lent item starts returns."""
        found = self.flow.circulation.identify(code)
        self.receipt = None
        if found.kind == ident.PATRON:
            patron = found.record
            if not patron.active:
                self.refuse(refuse("patron_inactive", name=patron.name))
                return
            self.flow.follow(f"card:{patron.kind}", card=found)
        elif found.kind in (ident.COPY, ident.ITEM):
            self.flow.follow(f"scan:{found.kind}", first=found)
        elif found.kind == ident.STOCK:
            self.refuse(refuse("stock_needs_quantity", code=found.code))
        elif found.kind == ident.ISBN:
            self.refuse(refuse("isbn_not_copy", code=found.code))
        elif found.kind == ident.INVALID:
            self.refuse(refuse("invalid_code"))
        else:
            self.refuse(refuse("unknown_code", code=found.code))
