"""Hand-written stand-ins for the flow's ports, for tests of the screens' logic (Mopidy's
``tests/dummy_*.py`` style). The writer is the real one; the printer resolves each request
with the real :class:`~kiosk.printing.ReceiptBuilder` (so a test sees what would be printed)
but hands nothing to a device."""
from __future__ import annotations

from dataclasses import dataclass, field

from db.writer import Writer
from kiosk.i18n import current_language
from kiosk.presenters.flow import KioskFlow, Services
from kiosk.presenters.ports import DeviceState, Ports
from kiosk.printing import PrintRequest, ReceiptBuilder
from kiosk.database_status import LiveDatabase
from kiosk.sync.present import OutboxSyncStatus
from kiosk.writes import WaitingWrites
from printers.receipt import Receipt


@dataclass
class PrintCall:
    """One request the printer was asked to print, and what it resolved to."""

    request: PrintRequest
    documents: list = field(default_factory=list)

    @property
    def receipt(self) -> Receipt | None:
        """The first receipt of the request (None for labels)."""
        return next((d for d in self.documents if isinstance(d, Receipt)), None)


class RecordingPrinter:
    """Resolves requests from the database at once and records them; can be told to fail, or
    to hold results back until :meth:`complete` (to test the 'printing...' state)."""

    def __init__(self, context, fail: bool = False, auto_complete: bool = True,
                 message: str = "paper out"):
        self.builder = ReceiptBuilder(context)
        self.fail = fail
        self.auto_complete = auto_complete
        self.message = message
        self.calls: list[PrintCall] = []
        self.on_print_result = None
        self._pending: list[str] = []

    def submit(self, request: PrintRequest) -> None:
        """Record the request with what it prints; report the result now or on complete()."""
        self.calls.append(PrintCall(request, self.builder.build(request, current_language())))
        if self.auto_complete:
            self._report(request.ref)
        else:
            self._pending.append(request.ref)

    def complete(self) -> None:
        """Report every held-back result."""
        pending, self._pending = self._pending, []
        for ref in pending:
            self._report(ref)

    def _report(self, ref: str) -> None:
        if self.on_print_result:
            self.on_print_result(not self.fail, ref, self.message if self.fail else "")


class MemorySounds:
    """Remembers what it was asked to play."""

    def __init__(self):
        self.played: list[str] = []

    def play(self, name: str) -> None:
        """Record the sound's name."""
        self.played.append(name)


class CountingSync:
    """A sync control that counts how often it was woken."""

    def __init__(self):
        self.wakes = 0
        self.forced = 0

    def wake(self, force: bool = False) -> None:
        """Count the nudge."""
        self.wakes += 1
        self.forced += int(force)


class ConfiguredDevices:
    """Device status from the config alone."""

    def __init__(self, config):
        self.config = config

    def status(self) -> list[DeviceState]:
        """One line for the printer, one per scanner."""
        states = [DeviceState("printer", self.config.printer.kind != "none",
                              kind=self.config.printer.kind)]
        for scanner in self.config.scanner:
            states.append(DeviceState(f"scanner:{scanner.kind}", True, scanner.port or "",
                                      kind=scanner.kind, state="connected"))
        return states


def make_flow(context, printer=None, sounds=None, monotonic=None, sync=None):
    """A flow on ``context`` with a real writer (waited on), the recording printer, recorded
    sounds and the real outbox status; returns (flow, writer)."""
    writer = Writer(context.db)
    ports = Ports(writes=WaitingWrites(writer), printer=printer or RecordingPrinter(context),
                  sync=OutboxSyncStatus(context), sync_control=sync or CountingSync(),
                  devices=ConfiguredDevices(context.config), sounds=sounds or MemorySounds(),
                  database=LiveDatabase(context))
    kwargs = {"monotonic": monotonic} if monotonic is not None else {}
    flow = KioskFlow(context, Services.for_context(context), ports, **kwargs)
    ports.printer.on_print_result = flow.handle_print_result
    return flow, writer


def make_runtime(context, writes_for, sounds, printer=None):
    """A :class:`~kiosk.runtime.Runtime` for the real window, with the recording printer and
    no threaded scanners or sync (the wired tests use the real composition root instead)."""
    from kiosk.runtime import Runtime

    writer = Writer(context.db)
    reader = Writer(context.db, name="db-reader")
    printer = printer or RecordingPrinter(context)
    ports = Ports(writes=writes_for(writer), printer=printer, sync=OutboxSyncStatus(context),
                  sync_control=CountingSync(), devices=ConfiguredDevices(context.config),
                  sounds=sounds, database=LiveDatabase(context), reads=writes_for(reader))
    flow = KioskFlow(context, Services.for_context(context), ports)
    return Runtime(context=context, writer=writer, print_service=None, printer=printer,
                   ports=ports, flow=flow, reader=reader)
