"""Several sources as one bounded stream of scans.

:class:`ScanHub` starts every source with a callback that puts its events into one queue. The queue
is bounded: a source that floods (a stuck trigger, garbage read as codes) makes the hub drop the
oldest events and log how many, never grow without bound and never block the source's thread.
The UI drains it from its clock (``hub.drain()``), the CLI blocks on ``hub.get()``.
"""
from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Iterable

from devices.events import ScanEvent
from devices.source import ScanSource, SourceStatus

log = logging.getLogger(__name__)


class ScanHub:
    """Runs ``sources`` into one queue of at most ``maxsize`` events."""

    def __init__(self, sources: Iterable[ScanSource], maxsize: int = 64):
        self.sources = list(sources)
        self.maxsize = maxsize
        self._queue: collections.deque[ScanEvent] = collections.deque()
        self._cond = threading.Condition()
        self.dropped = 0
        self._last_drop_log = 0.0

    def start(self) -> None:
        """Start every source."""
        for source in self.sources:
            source.start(self.put)

    def stop(self) -> None:
        """Stop every source."""
        for source in self.sources:
            source.stop()

    def put(self, event: ScanEvent) -> None:
        """Add an event (the sources' callback); drops the oldest when full."""
        with self._cond:
            if len(self._queue) >= self.maxsize:
                self._queue.popleft()
                self.dropped += 1
                now = time.monotonic()
                if now - self._last_drop_log > 5.0:  # one line per burst, not per event
                    self._last_drop_log = now
                    log.warning("scan queue full: %d events dropped so far (last from %s)",
                                self.dropped, event.source)
            self._queue.append(event)
            self._cond.notify()

    def get(self, timeout: float | None = None) -> ScanEvent | None:
        """The oldest event, waiting up to ``timeout`` s (None: forever); None on timeout."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._queue, timeout):
                return None
            return self._queue.popleft()

    def drain(self, limit: int | None = None) -> list[ScanEvent]:
        """Every waiting event (at most ``limit``), without blocking: for a UI clock."""
        with self._cond:
            count = len(self._queue) if limit is None else min(limit, len(self._queue))
            return [self._queue.popleft() for _ in range(count)]

    def statuses(self) -> dict[str, SourceStatus]:
        """Each source's name and status, for the screen's scanner indicator."""
        return {source.name: source.status for source in self.sources}

    def __enter__(self) -> "ScanHub":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
