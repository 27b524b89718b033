"""The seams between the screens' logic and the rooms built elsewhere: printing, sync status,
device status and sounds. Each is a small protocol with an in-memory implementation for tests
(and for a kiosk without the real thing wired in yet)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Protocol

from kiosk.services.results import LoanInfo

log = logging.getLogger(__name__)

#: ``on_print_result(ok, txn_ref, message)``: how a receipt sink reports back (any thread).
PrintResultCallback = Callable[[bool, str, str], None]


class ReceiptSink(Protocol):
    """Where receipts go: the print service. ``print_receipt`` returns at once; the outcome
    arrives later through ``on_print_result`` (set by the app; may be called from any thread)."""

    on_print_result: PrintResultCallback | None

    def print_receipt(self, kind: str, txn_ref: str, loans: list[LoanInfo], patron,
                      extra: dict) -> None:
        """Queue one receipt (kind: borrow, return, equipment_out, equipment_back, reprint,
        overdue_slip, day_summary); never blocks."""


@dataclass
class PrintCall:
    """One receipt a :class:`MemoryReceiptSink` was asked to print."""

    kind: str
    txn_ref: str
    loans: list[LoanInfo]
    patron: object
    extra: dict


class MemoryReceiptSink:
    """Records receipts instead of printing; can be told to fail, or to hold results back
    until :meth:`complete` (to test the 'printing...' state)."""

    def __init__(self, fail: bool = False, auto_complete: bool = True,
                 message: str = "paper out"):
        self.fail = fail
        self.auto_complete = auto_complete
        self.message = message
        self.calls: list[PrintCall] = []
        self.on_print_result: PrintResultCallback | None = None
        self._pending: list[str] = []

    def print_receipt(self, kind: str, txn_ref: str, loans: list[LoanInfo], patron,
                      extra: dict) -> None:
        """Record the call; report the result now or on :meth:`complete`."""
        self.calls.append(PrintCall(kind, txn_ref, list(loans), patron, dict(extra)))
        if self.auto_complete:
            self._report(txn_ref)
        else:
            self._pending.append(txn_ref)

    def complete(self) -> None:
        """Report every held-back result."""
        pending, self._pending = self._pending, []
        for txn_ref in pending:
            self._report(txn_ref)

    def _report(self, txn_ref: str) -> None:
        if self.on_print_result:
            self.on_print_result(not self.fail, txn_ref, self.message if self.fail else "")


@dataclass(frozen=True)
class SyncStatus:
    """The provincial sync as the screens show it."""

    pending: int = 0
    dead: int = 0
    oldest_pending_age_s: float | None = None
    last_success: str = ""
    last_error: str = ""
    dead_letters: list[tuple[str, str, str]] = field(default_factory=list)  # id, type, error
    #: False when no provincial endpoint is set: records wait for export or a later push.
    configured: bool = True

    @property
    def level(self) -> str:
        """ok (nothing waiting long), waiting (records queued), or error (dead letters or the
        last push failed)."""
        if self.dead or self.last_error:
            return "error"
        if not self.configured:
            return "waiting"
        if self.pending and (self.oldest_pending_age_s or 0) > 600:
            return "waiting"
        return "ok"


class SyncStatusSource(Protocol):
    """Gives the current sync status (called on the UI thread every few seconds: be quick)."""

    def status(self) -> SyncStatus:
        """The status now."""


class OutboxSyncStatus:
    """The sync status the screens show, from :func:`kiosk.sync.status.sync_status` (the outbox
    and the worker's recorded state), in Vietnam time."""

    def __init__(self, context, dead_letters: int = 20):
        self.context = context
        self._dead_letters = dead_letters

    def status(self) -> SyncStatus:
        """Pending and dead records, the age of the oldest, the last success and failure."""
        from kiosk.sync.status import sync_status

        now = sync_status(self.context.db, self.context.clock, dead_limit=self._dead_letters)
        to_local = lambda moment: moment.astimezone(self.context.clock.tz).strftime(  # noqa: E731
            "%H:%M %d/%m/%Y") if moment else ""
        return SyncStatus(
            pending=now.pending, dead=now.dead_count,
            oldest_pending_age_s=now.oldest_pending_age_s,
            last_success=to_local(now.last_success_at),
            last_error=now.last_error if now.failing else "",
            dead_letters=[(d.record_id, d.type, d.reason) for d in now.dead_letters],
            configured=bool(self.context.config.sync.url))


@dataclass(frozen=True)
class DeviceState:
    """One device as the staff screen shows it."""

    name: str  # e.g. "printer", "scanner:keyboard"
    ok: bool
    detail: str = ""


class DeviceStatusSource(Protocol):
    """The printers' and scanners' status for the staff screen."""

    def status(self) -> list[DeviceState]:
        """Every device now."""


class ConfiguredDevices:
    """Device status from the config alone (what is configured), until the device rooms report."""

    def __init__(self, config):
        self.config = config

    def status(self) -> list[DeviceState]:
        """One line for the printer, one per scanner."""
        states = [DeviceState("printer", self.config.printer.kind != "none",
                              self.config.printer.kind)]
        for scanner in self.config.scanner:
            states.append(DeviceState(f"scanner:{scanner.kind}", True, scanner.port or ""))
        return states


class SoundPlayer(Protocol):
    """Plays the success and refusal sounds."""

    def play(self, name: str) -> None:
        """Play ``success`` or ``refusal``; never raises."""


class MemorySounds:
    """Remembers what it was asked to play."""

    def __init__(self):
        self.played: list[str] = []

    def play(self, name: str) -> None:
        """Record the sound's name."""
        self.played.append(name)


@dataclass
class Ports:
    """Everything outside the database that presenters talk to."""

    receipts: ReceiptSink
    sync: SyncStatusSource
    devices: DeviceStatusSource
    sounds: SoundPlayer
