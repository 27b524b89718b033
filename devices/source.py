"""The one interface every barcode source has: start, stop, status.

A source runs its own daemon thread and calls ``on_scan(event)`` from that thread; the UI hands the
event to its own thread (Kivy ``Clock``) or reads it from a :class:`devices.hub.ScanHub`. A source
that can lose its device (unplugged scanner) reopens it by itself and says so in :attr:`status`.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from devices.codes import DEFAULT_MAX_LENGTH, InvalidCode, validate
from devices.events import ScanEvent

log = logging.getLogger(__name__)

State = Literal["stopped", "waiting", "connected", "ended", "error"]
OnScan = Callable[[ScanEvent], None]


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What the screen shows about one scanner.

    ``state`` is ``stopped`` (not started), ``waiting`` (device absent, retrying), ``connected``,
    ``ended`` (a video file played to its end) or ``error`` (cannot work, e.g. no permission);
    ``detail`` is a short English text for the log and the technician.
    """

    state: State
    detail: str = ""


class ScanSource(ABC):
    """Base of every source. Subclasses implement :meth:`_run`, the body of the thread.

    ``name`` goes into every ``ScanEvent.source``. ``max_length`` bounds accepted codes.
    """

    #: Seconds between attempts to reopen a lost device (the issue asks for less than 2 s).
    retry_s: float = 0.5

    def __init__(self, name: str, max_length: int = DEFAULT_MAX_LENGTH):
        self.name = name
        self.max_length = max_length
        self._on_scan: OnScan | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = SourceStatus("stopped")
        self._status_lock = threading.Lock()
        self.dropped = 0  # codes refused by validation, for the status line and tests
        #: The reasons of the latest refused codes (bounded), for a technician's screen.
        self.drop_reasons: collections.deque[str] = collections.deque(maxlen=20)
        self._last_drop_log = float("-inf")
        self._logged_drops = 0

    # -- public -------------------------------------------------------------------------------
    @property
    def status(self) -> SourceStatus:
        """The current :class:`SourceStatus` (safe to read from any thread)."""
        with self._status_lock:
            return self._status

    @property
    def running(self) -> bool:
        """True while the source's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_scan: OnScan) -> None:
        """Start reading in a daemon thread; ``on_scan`` is called from that thread."""
        if self.running:
            raise RuntimeError(f"{self.name} already started")
        self._on_scan = on_scan
        self._stop.clear()
        self._set_status("waiting", "starting")
        self._thread = threading.Thread(target=self._thread_main, name=f"scan:{self.name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to end, release the device, and wait up to ``timeout`` seconds."""
        self._stop.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("%s: thread did not stop within %.1f s", self.name, timeout)
        self._set_status("stopped")

    # -- for subclasses -----------------------------------------------------------------------
    @abstractmethod
    def _run(self) -> None:
        """Read until ``self._stop`` is set; call :meth:`_emit` for each code."""

    def _interrupt(self) -> None:
        """Wake a blocking read so that :meth:`stop` is prompt (optional)."""

    def _stopping(self) -> bool:
        return self._stop.is_set()

    def _wait(self, seconds: float) -> bool:
        """Sleep unless stopped; True when stop was asked."""
        return self._stop.wait(seconds)

    def _set_status(self, state: State, detail: str = "") -> None:
        with self._status_lock:
            old = self._status
            self._status = SourceStatus(state, detail)
        if old.state != state:  # log each change once, not every retry
            level = logging.WARNING if state in ("waiting", "error") and old.state == "connected" \
                else logging.INFO
            log.log(level, "%s: %s%s", self.name, state, f" ({detail})" if detail else "")

    def _emit(self, raw: str, symbology: str | None = None, at: float | None = None) -> bool:
        """Validate ``raw`` and hand a ``ScanEvent`` to ``on_scan``; False when dropped."""
        try:
            code = validate(raw, symbology, self.max_length)
        except InvalidCode as exc:
            self._dropped(f"dropped code: {exc}")
            return False
        event = ScanEvent(code=code, source=self.name, symbology=symbology,
                          at=time.monotonic() if at is None else at)
        callback = self._on_scan
        if callback is not None:
            try:
                callback(event)
            except Exception:  # a broken consumer must not kill the reader
                log.exception("%s: on_scan failed", self.name)
        return True

    def _dropped(self, why: str) -> None:
        """Count a refused code and log why; at most one line a second, so that a scanner
        spewing garbage cannot flood the journal."""
        self.dropped += 1
        self.drop_reasons.append(why)
        now = time.monotonic()
        if now - self._last_drop_log >= 1.0:
            more = self.dropped - self._logged_drops - 1
            log.warning("%s: %s%s", self.name, why,
                        f" (and {more} more dropped since the last report)" if more > 0 else "")
            self._last_drop_log = now
            self._logged_drops = self.dropped

    def _thread_main(self) -> None:
        try:
            self._run()
        except Exception as exc:  # the last guard: a source never takes the app down
            log.exception("%s: reader failed", self.name)
            self._set_status("error", str(exc)[:200])
