"""The idle timeout: how long since the last touch or scan, on an injectable monotonic clock."""
from __future__ import annotations

import time
from typing import Callable


class IdleTimer:
    """Remembers the last activity; says when a screen has been left alone too long."""

    def __init__(self, now: Callable[[], float] = time.monotonic):
        self._now = now
        self.last_activity = now()

    def now(self) -> float:
        """The timer's clock now (monotonic seconds)."""
        return self._now()

    def touch(self) -> None:
        """Someone touched the screen or scanned."""
        self.last_activity = self._now()

    def idle_for(self) -> float:
        """Seconds since the last activity."""
        return self._now() - self.last_activity

    def expired(self, timeout_s: float) -> bool:
        """True when nothing happened for ``timeout_s`` seconds."""
        return self.idle_for() >= timeout_s


class FakeMonotonic:
    """A monotonic clock tests move by hand."""

    def __init__(self, start: float = 1000.0):
        self.value = start

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.value += seconds
