"""The seams between the screens' logic and the rooms outside it: writing to the database,
printing, sync status and control, device status, sounds, whether the database is there. Each is a small protocol; the
composition root (:mod:`kiosk.wiring`) plugs in the real ones, tests their own
(``tests/dummy_ports.py``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol, TypeVar

from kiosk.printing import PrintRequest, PrintResultCallback
from kiosk.sync.status import SyncStatus

T = TypeVar("T")


class WriteQueue(Protocol):
    """Runs a database write off the screen's thread and hands its result back on it."""

    def submit(self, write: Callable[[], T], then: Callable[[T], None],
               failed: Callable[[BaseException], None]) -> None:
        """Run ``write()`` on the writer; later, on the screen's thread, ``then(result)`` (or
        ``failed(error)`` when it raised). Never blocks the caller for the write itself."""


class Printer(Protocol):
    """Where print requests go; the outcome arrives later through ``on_print_result`` (set by
    the flow; may be called from any thread)."""

    on_print_result: PrintResultCallback | None

    def submit(self, request: PrintRequest) -> None:
        """Queue one request; never blocks."""


class SyncStatusSource(Protocol):
    """Gives the current sync status (called on the UI thread every few seconds: be quick)."""

    def status(self) -> SyncStatus:
        """The status now."""


class SyncControl(Protocol):
    """Nudges the provincial sync: after each committed action, or when staff press "send now"."""

    def wake(self, force: bool = False) -> None:
        """Push soon; ``force`` also skips a back-off wait or a credentials stop."""


@dataclass(frozen=True)
class DatabaseStatus:
    """The database as the screens show it: a PostgreSQL server can be gone."""

    reachable: bool
    engine: str  # sqlite | postgresql
    where: str  # the file, or host:port/database
    since: datetime | None = None  # aware UTC: when it went (or came back)
    detail: str = ""  # why it is gone, as the driver said it (never a password)


class DatabaseStatusSource(Protocol):
    """The database's reachability (called on the UI thread every second: no query) and what
    a database error means for the person at the kiosk."""

    def status(self) -> DatabaseStatus:
        """The status now."""

    def explain(self, error: BaseException) -> str | None:
        """A refusal code (``db_unreachable``...) for a database error, else None."""


@dataclass(frozen=True)
class DeviceState:
    """One device as the staff screen shows it (in words from the catalog: ``ui.device.*``)."""

    name: str  # e.g. "printer", "scanner:keyboard", "scanner:serial:/dev/ttyACM0"
    ok: bool
    detail: str = ""  # where it is, or what went wrong, as the device said it
    kind: str = ""  # the configured kind: usb, network, preview... keyboard, serial, camera
    state: str = ""  # a scanner's: connected, waiting, error, stopped, ended

    @property
    def is_printer(self) -> bool:
        """The printer (else a scanner)."""
        return self.name == "printer"


class DeviceStatusSource(Protocol):
    """The printers' and scanners' status for the staff screen."""

    def status(self) -> list[DeviceState]:
        """Every device now."""


class SoundPlayer(Protocol):
    """Plays the success and refusal sounds and the spoken prompts."""

    def play(self, name: str) -> None:
        """Play ``success``, ``refusal`` or a prompt (``speech/<lang>/<key>``); never raises."""


@dataclass
class Ports:
    """Everything outside the flow that presenters talk to."""

    writes: WriteQueue
    printer: Printer
    sync: SyncStatusSource
    sync_control: SyncControl
    devices: DeviceStatusSource
    sounds: SoundPlayer
    database: DatabaseStatusSource
    #: Long reads (a year's reports) off the screen's thread, delivered like writes; None:
    #: they run where they are asked for (the console, the presenter tests).
    reads: WriteQueue | None = None
