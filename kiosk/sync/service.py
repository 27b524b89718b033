"""The sync inside the app: a daemon thread running :meth:`SyncWorker.run_forever`.

The UI calls :func:`start_sync_thread` once at start-up, :meth:`SyncThread.wake` after an
action (optional: the worker also polls every ``sync.interval_s``), :func:`sync_status` (in
:mod:`kiosk.sync.status`) and :func:`~kiosk.sync.present.status_lines` for the screen,
:func:`requeue_dead_letters` when staff send rejected records again, and
:meth:`SyncThread.stop` on exit.
"""
from __future__ import annotations

import logging
import threading

from db.tx import write_transaction
from kiosk.context import KioskContext
from kiosk.sync.connector import ConfigurationError, Connector
from kiosk.sync.factory import make_connector
from kiosk.sync.outbox import requeue_dead
from kiosk.sync.worker import SyncWorker

log = logging.getLogger(__name__)


class SyncThread:
    """Owns the worker thread and its stop signal."""

    def __init__(self, worker: SyncWorker):
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run_forever(self._stop)
        finally:
            self.worker.context.db.close()  # this thread's own connection

    def start(self) -> "SyncThread":
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def wake(self, force: bool = False) -> None:
        """Push now rather than at the next interval; ``force`` also skips a back-off wait or a
        credentials stop (for a staff "send now" button)."""
        self.worker.wake(force)

    def stop(self, timeout: float | None = None) -> None:
        """Ask the worker to stop (between batches) and wait for it."""
        self._stop.set()
        self.worker.wake()
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread.is_alive()


def start_sync_thread(context: KioskContext, connector: Connector | None = None
                      ) -> SyncThread | None:
    """Start pushing in the background; None (logged) when the sync is not configured or the
    token file is unsafe, so the kiosk still lends while staff fix it."""
    if connector is None:
        if not context.config.sync.url:
            log.info("sync.url is not set: records stay in the outbox")
            return None
        try:
            connector = make_connector(context.config)
        except ConfigurationError as exc:
            log.error("sync not started: %s", exc.detail)
            return None
    worker = SyncWorker(context, connector)
    from kiosk.sync.heartbeat import heartbeat_from_config

    worker.heartbeat = heartbeat_from_config(context)
    return SyncThread(worker).start()


def requeue_dead_letters(context: KioskContext, record_ids: list[str] | None = None) -> int:
    """Put rejected records (all, or those ids) back in the queue; returns how many."""
    with write_transaction(context.db):
        count = requeue_dead(record_ids)
    log.info("%d dead letter(s) put back in the queue", count)
    return count
