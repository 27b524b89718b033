"""The print queue: one worker thread, jobs with a deadline, typed results.

The kiosk calls :meth:`PrintService.print_prepared` (or :meth:`~PrintService.print_receipt`,
:meth:`~PrintService.print_document`) and gets a :class:`concurrent.futures.Future` at once; the layout,
the encoding and the IO all happen on the worker thread. The future always resolves, with a
:class:`PrintResult`, by the job's deadline at the latest, whatever the printer does: a printer that
stalls is reported as a timeout and the loan it was printing for is untouched (a loan never
depends on a receipt). Callbacks run on the worker or timer thread; a Kivy screen hands them to
its own thread with ``Clock.schedule_once``.
"""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Callable

from printers.backends import Backend, PrintJob
from printers.document import Document
from printers.errors import PrinterError, PrinterTimeout
from printers.receipt import Captions, Receipt
from printers.render import render_receipt

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintResult:
    """How a print job ended.

    ``error_code`` is ``""`` on success, else a :class:`~printers.errors.PrinterError` code
    (``unavailable``, ``disconnected``, ``timeout``, ``paper_out``, ``config``, ``error``);
    ``message_key`` is the catalog key of the sentence to show (``printer.<code>``).
    """

    ok: bool
    job_id: str
    error_code: str = ""
    message_key: str = "printer.printed"
    #: Where it went (a device, or the preview file) on success; the error's text otherwise.
    detail: str = ""
    #: The reference printed as a QR code: the screen shows that code when printing fails.
    reference: str = ""


@dataclass
class _Entry:
    job_id: str
    make: Callable[[], PrintJob | list[PrintJob]]
    reference: str
    future: Future
    deadline: float
    job: PrintJob | list[PrintJob] | None = field(default=None, repr=False)


class PrintService:
    """Prints jobs one at a time on a worker thread.

    ``captions(lang)`` gives a receipt's words in its language (the kiosk's catalog);
    ``timeout_s`` bounds how long a caller waits for a result (plus, for slow serial printers,
    the backend's estimate of the transfer time). A receipt printed again is a new job built
    from what was recorded (the kiosk's ``Reprint`` request), not a copy of an old one.
    """

    def __init__(self, backend: Backend, captions: Callable[[str], Captions],
                 width_dots: int = 576, timeout_s: float = 10.0):
        self.backend = backend
        self.width_dots = width_dots
        self.timeout_s = timeout_s
        self._captions = captions
        self._queue: queue.Queue[_Entry | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._worker.start()

    # -- what the kiosk calls ------------------------------------------------------------------

    def print_receipt(self, receipt: Receipt,
                      callback: Callable[[PrintResult], None] | None = None) -> Future:
        """Queue ``receipt``; it is laid out and printed on the worker thread."""
        return self.print_prepared(lambda: [receipt], receipt.reference, callback)

    def print_prepared(self, prepare: Callable[[], list[Receipt | Document]], reference: str,
                       callback: Callable[[PrintResult], None] | None = None) -> Future:
        """Queue a job whose receipts or documents ``prepare()`` builds on the worker thread
        (reading the database there, never on the screen's thread); they print one after
        another as one job. ``prepare`` returning nothing fails the job."""
        def make() -> list[PrintJob]:
            jobs = []
            for part in prepare():
                if isinstance(part, Receipt):
                    captions = self._captions(part.lang)
                    jobs.append(PrintJob(render_receipt(part, self.width_dots, captions), part,
                                         captions))
                else:
                    jobs.append(PrintJob(part))
            if not jobs:
                raise PrinterError(f"nothing to print for {reference}")
            return jobs
        return self._submit(make, reference, callback)

    def print_document(self, document: Document, reference: str = "",
                       callback: Callable[[PrintResult], None] | None = None) -> Future:
        """Queue an already laid-out document (a label, a test page)."""
        return self._submit(lambda: PrintJob(document), reference, callback)

    def close(self, wait_s: float = 2.0) -> None:
        """Stop taking jobs; let the worker finish what it holds for up to ``wait_s``."""
        self._closed = True
        self._queue.put(None)
        self._worker.join(wait_s)

    # -- the worker ----------------------------------------------------------------------------

    def _submit(self, make, reference: str, callback) -> Future:
        job_id = f"J{next(self._ids):05d}"
        future: Future = Future()
        if callback:
            future.add_done_callback(lambda f: _safe_callback(callback, f.result()))
        if self._closed:
            future.set_result(PrintResult(False, job_id, "unavailable", "printer.unavailable",
                                          "print service closed", reference))
            return future
        entry = _Entry(job_id, make, reference, future, time.monotonic() + self.timeout_s)
        timer = threading.Timer(self.timeout_s, self._expire, args=(entry,))
        timer.daemon = True
        timer.start()
        future.add_done_callback(lambda _f: timer.cancel())
        self._queue.put(entry)
        log.debug("queued print job %s (%s)", job_id, reference)
        return future

    def _expire(self, entry: _Entry) -> None:
        extra = entry.deadline - time.monotonic()
        if extra > 0.05:  # the backend gave this job more time (a slow serial line)
            timer = threading.Timer(extra, self._expire, args=(entry,))
            timer.daemon = True
            timer.start()
            return
        error = PrinterTimeout(f"job {entry.job_id} not printed within its time")
        if _resolve(entry.future, _failure(entry, error)):
            log.warning("print job %s timed out", entry.job_id)

    def _run(self) -> None:
        while True:
            entry = self._queue.get()
            if entry is None:
                return
            if entry.future.done():  # timed out while waiting behind a stuck job
                continue
            try:
                made = entry.make()
                entry.job = made
                jobs = made if isinstance(made, list) else [made]
                entry.deadline += sum(self.backend.seconds_for(job) for job in jobs)
                detail = ", ".join(self.backend.send(job) for job in jobs)
                result = PrintResult(True, entry.job_id, detail=detail, reference=entry.reference)
            except PrinterError as exc:
                log.warning("print job %s failed: %s: %s", entry.job_id, exc.code, exc)
                result = _failure(entry, exc)
            except Exception as exc:  # noqa: BLE001 - a layout bug must not kill the worker
                log.exception("print job %s failed", entry.job_id)
                result = _failure(entry, PrinterError(str(exc)))
            if not _resolve(entry.future, result):
                log.info("print job %s finished after its deadline (%s)", entry.job_id,
                         "ok" if result.ok else result.error_code)


def _failure(entry: _Entry, error: PrinterError) -> PrintResult:
    return PrintResult(False, entry.job_id, error.code, error.message_key, str(error),
                       entry.reference)


def _resolve(future: Future, result: PrintResult) -> bool:
    try:
        future.set_result(result)
        return True
    except InvalidStateError:
        return False


def _safe_callback(callback, result: PrintResult) -> None:
    try:
        callback(result)
    except Exception:  # noqa: BLE001
        log.exception("print callback failed")
