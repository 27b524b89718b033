"""Whether the database server answers, as this process last saw it, and a probe that notices
when it comes back.

An embedded SQLite file is always there; a PostgreSQL server on the school's network can be
switched off, restarted or cut off. Every connection of the process reports what it sees here
(:class:`ServerHealth`); the running kiosk shows it on screen and refuses scans at once while the
server is gone, instead of waiting for a timeout on every scan. :class:`HealthProbe` tries again
every few seconds on a thread of its own, so the kiosk resumes by itself.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

log = logging.getLogger(__name__)

#: While the server is gone, a connection is tried at most this often (seconds) by the threads
#: that use the database; the probe tries on its own schedule.
RETRY_S = 2.0


@dataclass(frozen=True)
class HealthState:
    """The server as last seen: reachable or not, since when (aware UTC), why."""

    reachable: bool
    where: str
    since: datetime | None = None
    detail: str = ""


class ServerHealth:
    """Thread-safe record of the server's reachability."""

    def __init__(self, where: str):
        self.where = where
        self._lock = threading.Lock()
        self._reachable = True
        self._since: datetime | None = None
        self._detail = ""
        self._last_attempt = 0.0

    @property
    def reachable(self) -> bool:
        """False from a lost connection until one succeeds again."""
        return self._reachable

    def lost(self, detail: str) -> None:
        """A connection failed or broke: the server is gone (until a connection succeeds)."""
        detail = " ".join(str(detail).split())[:300]
        with self._lock:
            self._last_attempt = time.monotonic()
            if self._reachable:
                self._reachable = False
                self._since = datetime.now(timezone.utc)
                log.error("database server %s unreachable: %s", self.where, detail)
            self._detail = detail

    def back(self) -> None:
        """A connection succeeded."""
        with self._lock:
            if not self._reachable:
                log.warning("database server %s reachable again", self.where)
                self._reachable = True
                self._since = datetime.now(timezone.utc)
                self._detail = ""

    def may_try(self) -> bool:
        """True when a thread should really try to connect now (the server is thought to be
        there, or the last attempt is a while ago); False means fail at once."""
        with self._lock:
            if self._reachable or time.monotonic() - self._last_attempt >= RETRY_S:
                self._last_attempt = time.monotonic()
                return True
            return False

    def try_now(self) -> None:
        """Let the next connection attempt go ahead whatever the back-off says (the probe)."""
        with self._lock:
            self._last_attempt = 0.0

    def state(self) -> HealthState:
        """The state now (no database access: cheap enough for every screen refresh)."""
        with self._lock:
            return HealthState(self._reachable, self.where, self._since, self._detail)


class HealthProbe:
    """Asks the server ``SELECT 1`` every few seconds on its own thread (and connection)."""

    def __init__(self, ping: Callable[[], None], close: Callable[[], None],
                 health: ServerHealth, interval_s: float = 5.0, retry_s: float = RETRY_S):
        self._ping = ping
        self._close = close
        self.health = health
        self.interval_s = interval_s
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="db-probe", daemon=True)

    def start(self) -> "HealthProbe":
        """Start probing; returns self."""
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self._ping()
                except Exception as exc:  # noqa: BLE001 - the probe reports, never raises
                    log.debug("database probe failed: %s", exc)
                wait = self.interval_s if self.health.reachable else self.retry_s
                self._stop.wait(wait)
        finally:
            try:
                self._close()
            except Exception:  # noqa: BLE001
                log.debug("probe connection did not close cleanly", exc_info=True)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop probing and close the probe's connection."""
        self._stop.set()
        self._thread.join(timeout)
