"""One writer for the running kiosk: every write goes through one thread, off the screen's.

Datasette's pattern: ``submit(fn) -> Future``. The functions run one after another on the
writer's own thread and connection, so the screen never waits on the database (a busy wait for
the sync worker's commit happens here, not in the Kivy loop). The caller decides where the
outcome is delivered (the kiosk hands it to the Kivy clock).

The kiosk runs a second one, ``db-reader``, for long reads only (a school year's reports):
one thread with its own connection, so a report of a million loans never holds the screen.
"""
from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from typing import Callable, TypeVar

import peewee

from db.errors import WriterClosed

log = logging.getLogger(__name__)

T = TypeVar("T")
_STOP = object()


class Writer:
    """Runs submitted functions one at a time on a thread of its own."""

    def __init__(self, db: peewee.Database, name: str = "db-writer"):
        self.db = db
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args, **kwargs) -> "Future[T]":
        """Queue ``fn(*args, **kwargs)``; the future holds its result or its exception."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise WriterClosed("the writer is closed")
            self._jobs.put((future, fn, args, kwargs))
        return future

    def run(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Submit and wait: for callers that may block (a command, a test)."""
        return self.submit(fn, *args, **kwargs).result()

    @property
    def on_writer_thread(self) -> bool:
        """True when called from the writer's own thread."""
        return threading.current_thread() is self._thread

    def _run(self) -> None:
        try:
            while True:
                job = self._jobs.get()
                if job is _STOP:
                    return
                future, fn, args, kwargs = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on it
                    future.set_exception(exc)
                else:
                    future.set_result(result)
        finally:
            if not self.db.is_closed():
                self.db.close()  # this thread's own connection

    def close(self, timeout: float | None = 10.0) -> None:
        """Finish what was submitted, then stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._jobs.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("database writer did not stop within %s s", timeout)
