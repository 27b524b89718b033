"""The sync status in words (through the catalog), for ``kiosk sync --status`` and the screen."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from kiosk.clock import Clock
from kiosk.i18n import t as default_t
from kiosk.sync.connector import SyncError
from kiosk.sync.status import SyncStatus


def format_age(seconds: float | None, t: Callable[..., str] = default_t) -> str:
    """``3 ngày 2 giờ``, ``5 phút``, ``40 giây``: the two largest units."""
    if seconds is None:
        return t("sync.none")
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "sync.unit_days"), (hours, "sync.unit_hours"),
             (minutes, "sync.unit_minutes"), (secs, "sync.unit_seconds")]
    shown = [t(key, n=n) for n, key in parts if n][:2]
    return " ".join(shown) if shown else t("sync.unit_seconds", n=0)


def format_moment(moment: datetime | None, clock: Clock, t: Callable[..., str] = default_t) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam time, or "never"."""
    if moment is None:
        return t("sync.never")
    return moment.astimezone(clock.tz).strftime("%d/%m/%Y %H:%M")


def error_text(exc: SyncError, t: Callable[..., str] = default_t) -> str:
    """A sync error in words (its catalog message, or its detail when it has none)."""
    if exc.key:
        return t(f"sync.error_{exc.key}", **exc.values)
    return exc.detail


def status_lines(status: SyncStatus, clock: Clock, t: Callable[..., str] = default_t
                 ) -> list[str]:
    """The status as lines of text, the most urgent first."""
    lines = []
    if status.auth_failed:
        lines.append(t("sync.auth_failed"))
    lines.append(t("sync.status_pending", count=status.pending))
    if status.pending:
        lines.append(t("sync.status_oldest", age=format_age(status.oldest_pending_age_s, t)))
    lines.append(t("sync.status_last_success", when=format_moment(status.last_success_at,
                                                                    clock, t)))
    if status.error_text(t):
        lines.append(t("sync.status_last_error", error=status.error_text(t),
                       when=format_moment(status.last_error_at, clock, t)))
    if status.next_attempt_at is not None and not status.auth_failed:
        lines.append(t("sync.status_next_attempt", when=format_moment(status.next_attempt_at,
                                                                        clock, t)))
    lines.append(t("sync.status_dead", count=status.dead_count))
    for dead in status.dead_letters:
        lines.append(t("sync.dead_line", occurred=_occurred(dead.occurred_at, clock),
                       type=dead.type, id=dead.record_id, reason=dead.reason))
    return lines


def _occurred(text: str, clock: Clock) -> str:
    try:
        return datetime.fromisoformat(text).astimezone(clock.tz).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return text


class OutboxSyncStatus:
    """The sync status the screens show, read from the outbox and the workers' shared state."""

    def __init__(self, context, dead_letters: int = 20):
        self.context = context
        self._dead_letters = dead_letters

    def status(self) -> SyncStatus:
        """Pending and dead records, the age of the oldest, the last success and failure."""
        from kiosk.sync.status import sync_status

        return sync_status(self.context.db, self.context.clock, dead_limit=self._dead_letters,
                           configured=bool(self.context.config.sync.url))
