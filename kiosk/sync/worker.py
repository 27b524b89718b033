"""The outbox worker: sends pending records in batches, oldest first, until none are left.

One pass is :meth:`SyncWorker.run_once` (what ``kiosk sync --once`` and the systemd timer run);
:meth:`SyncWorker.run_forever` repeats passes on the app's sync thread. Between processes and
threads, and between the kiosks sharing one server, a sender lock (:mod:`kiosk.sync.lock`) lets
one worker send at a time, and the retry schedule lives in the database so every worker
honours it.

Each batch answer is recorded in one transaction. A worker killed between sending and recording
leaves the batch pending: it is sent again and the receiver answers ``duplicate``, so nothing is
lost and nothing is counted twice.
"""
from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from datetime import timedelta

from db.connection import classify_error
from db.engine import driver_errors
from db.errors import DatabaseUnavailable
from db.tx import write_transaction
from kiosk.context import KioskContext
from kiosk.i18n import t
from kiosk.sync import outbox, state
from kiosk.sync.backoff import retry_delay
from kiosk.sync.connector import AuthError, Connector, RetryableError
from kiosk.sync.lock import send_lock_for
from kiosk.sync.present import error_text
from kiosk.sync.status import stored_error_text
from kiosk.sync.token import token_fingerprint

log = logging.getLogger(__name__)

# What a pass ended with.
IDLE = "idle"                # nothing was pending
DONE = "done"                # everything pending was delivered (or dead-lettered)
STOPPED = "stopped"          # asked to stop between batches; the rest waits for the next pass
BUSY = "busy"                # another worker holds the lock
WAITING = "waiting"          # inside the back-off window of an earlier failure
RETRY = "retry"              # this pass failed; a retry is scheduled
AUTH_FAILED = "auth_failed"  # the receiver refused the credentials; pushing is stopped


@dataclass
class SyncReport:
    """What one pass did."""

    outcome: str = IDLE
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    error: str = ""
    #: Seconds until the next attempt is due (after RETRY or WAITING).
    retry_in_s: float | None = None

    @property
    def delivered(self) -> int:
        """Records the receiver now has (accepted plus duplicates)."""
        return self.accepted + self.duplicates


class SyncWorker:
    """Pushes the outbox of one database through one connector."""

    def __init__(self, context: KioskContext, connector: Connector,
                 rng: random.Random | None = None):
        self.context = context
        self.connector = connector
        self.config = context.config.sync
        self.clock = context.clock
        self._rng = rng or random.Random()
        #: Set by :meth:`wake` to start the next pass at once (e.g. right after a loan).
        self.wake_event = threading.Event()
        #: Sends the heartbeat (contract v1.1) after a pass when one is due; None: none sent.
        self.heartbeat = None
        self._force_next = False

    # -- one pass -------------------------------------------------------------------------------
    def run_once(self, force: bool = False, stop_event: threading.Event | None = None
                 ) -> SyncReport:
        """Send every pending record, batch by batch, until none are left or an error stops it.

        Unless ``force`` (staff asked for it), a pass inside the back-off window, or after a
        credentials refusal while the credentials have not changed, sends nothing.
        """
        report = self._pass(force, stop_event)
        if self.heartbeat is not None:
            self.heartbeat.maybe_send()
        return report

    def _pass(self, force: bool, stop_event: threading.Event | None) -> SyncReport:
        now = self.clock.now()
        if not force:
            blocked = self._blocked(now)
            if blocked is not None:
                return blocked
        lock = send_lock_for(self.context.db)
        if not lock.acquire():
            log.debug("another worker is sending; skipping this pass")
            return SyncReport(outcome=BUSY)
        with lock:
            return self._drain(stop_event)

    def _blocked(self, now) -> SyncReport | None:
        values = state.read_all()
        if values.get(state.AUTH_FAILED) == "1":
            if values.get(state.AUTH_MARK, "") == self.credentials_mark():
                return SyncReport(outcome=AUTH_FAILED, error=stored_error_text(values))
            log.info("the token file or the config changed since the refusal: trying again")
        next_at = state.parse_stamp(values.get(state.NEXT_ATTEMPT_AT))
        if next_at is not None and now < next_at:
            return SyncReport(outcome=WAITING, error=stored_error_text(values),
                              retry_in_s=(next_at - now).total_seconds())
        return None

    def _drain(self, stop_event: threading.Event | None) -> SyncReport:
        report = SyncReport()
        school_code = self.context.config.school.code
        kiosk_id = self.context.kiosk_id
        while True:
            if stop_event is not None and stop_event.is_set():
                report.outcome = STOPPED if report.batches else report.outcome
                return report
            batch = outbox.pending_batch(self.config.batch_size)
            if not batch:
                report.outcome = DONE if report.batches else IDLE
                return report
            try:
                results = self.connector.send(school_code, kiosk_id, batch)
            except AuthError as exc:
                self._auth_failed(batch, exc)
                report.outcome, report.error = AUTH_FAILED, error_text(exc)
                return report
            except RetryableError as exc:
                report.retry_in_s = self._failed(batch, exc)
                report.outcome, report.error = RETRY, error_text(exc)
                return report
            now = self.clock.now()
            with write_transaction(self.context.db):
                accepted, duplicates, rejected, missing = outbox.apply_results(batch, results, now)
                self._succeeded(now)
            report.batches += 1
            report.accepted += accepted
            report.duplicates += duplicates
            report.rejected += rejected
            if rejected:
                log.warning("%d record(s) rejected by the provincial system: see dead letters",
                            rejected)
            if missing:
                log.warning("answer left out %d record(s); they will be sent again", missing)
                report.outcome = RETRY
                report.error = t("sync.error_no_answer", count=missing)
                return report

    # -- bookkeeping ----------------------------------------------------------------------------
    def _succeeded(self, now) -> None:
        values = state.read_all()
        if values.get(state.FAILURES, "0") != "0" or values.get(state.AUTH_FAILED) == "1":
            log.info("provincial system reachable again")
        state.write({state.LAST_SUCCESS_AT: state.stamp(now), state.LAST_ATTEMPT_AT:
                     state.stamp(now), state.FAILURES: "0", state.NEXT_ATTEMPT_AT: None,
                     state.AUTH_FAILED: None, state.AUTH_MARK: None, **state.NO_ERROR}, now)

    def _failed(self, batch, exc: RetryableError) -> float:
        now = self.clock.now()
        with write_transaction(self.context.db):
            failures = int(state.read_all().get(state.FAILURES, "0") or 0) + 1
            delay = retry_delay(failures, self.config.base_backoff_s, self.config.max_backoff_s,
                                exc.retry_after, self._rng)
            outbox.note_failure(batch, exc.detail)
            state.write({**state.error_values(exc), state.LAST_ERROR_AT: state.stamp(now),
                         state.LAST_ATTEMPT_AT: state.stamp(now), state.FAILURES: str(failures),
                         state.NEXT_ATTEMPT_AT: state.stamp(now + timedelta(seconds=delay))},
                        now)
        if failures == 1:
            log.warning("push to the provincial system failed: %s; retrying in %.0f s",
                        exc.detail, delay)
        else:
            log.debug("push failed again (%d in a row): %s; retrying in %.0f s",
                      failures, exc.detail, delay)
        return delay

    def _auth_failed(self, batch, exc: AuthError) -> None:
        now = self.clock.now()
        with write_transaction(self.context.db):
            outbox.note_failure(batch, exc.detail)
            state.write({**state.error_values(exc), state.LAST_ERROR_AT: state.stamp(now),
                         state.LAST_ATTEMPT_AT: state.stamp(now), state.AUTH_FAILED: "1",
                         state.AUTH_MARK: self.credentials_mark(),
                         state.NEXT_ATTEMPT_AT: None}, now)
        log.error("%s; pushing stopped until the token file or the config changes, or staff "
                  "press retry", exc.detail)

    def credentials_mark(self) -> str:
        """What a credentials refusal waits to see change: the connector's credentials (the
        token file), the address and the config file (its size and modification time; staff
        may have fixed a wrong URL rather than the token). Never a secret."""
        source = self.context.config.source
        return "|".join((self.connector.credentials_mark(), self.config.url,
                         token_fingerprint(source) if source else ""))

    # -- the loop -------------------------------------------------------------------------------
    def wake(self, force: bool = False) -> None:
        """Start the next pass now instead of at the end of the interval.

        ``force`` (a staff member pressed "send now") also skips the back-off window and tries
        again after a credentials refusal.
        """
        if force:
            self._force_next = True
        self.wake_event.set()

    def run_forever(self, stop_event: threading.Event) -> None:
        """Run passes until ``stop_event`` is set: every ``interval_s``, sooner when woken,
        later while backing off. Never raises; an unexpected error is logged and retried."""
        log.info("sync worker started")
        while not stop_event.is_set():
            try:
                force, self._force_next = self._force_next, False
                report = self.run_once(force=force, stop_event=stop_event)
                wait = self.config.interval_s
                if report.outcome in (RETRY, WAITING) and report.retry_in_s is not None:
                    wait = min(max(report.retry_in_s, 0.05), self.config.max_backoff_s)
            except driver_errors() + (DatabaseUnavailable,) as exc:
                # The database itself is gone (a server switched off): one line, not a
                # traceback every interval; the pass is tried again on the next one.
                log.warning("sync pass stopped: the database is unavailable (%s)",
                            classify_error(exc, self.context.db).reason)
                wait = self.config.interval_s
            except Exception:  # noqa: BLE001 - the thread must survive anything
                log.exception("sync pass failed unexpectedly")
                wait = self.config.interval_s
            self.wake_event.clear()
            self._sleep(stop_event, wait)
        log.info("sync worker stopped")

    def _sleep(self, stop_event: threading.Event, seconds: float) -> None:
        """Wait up to ``seconds``, ending early on stop or wake."""
        step = 0.5
        remaining = seconds
        while remaining > 0 and not stop_event.is_set() and not self.wake_event.is_set():
            stop_event.wait(min(step, remaining))
            remaining -= step
