"""The window's writes: run on the database writer's thread, delivered on the Kivy clock, so
the screen never waits on the database."""
from __future__ import annotations

from concurrent.futures import Future
from typing import Callable, TypeVar

from kivy.clock import Clock

from db.writer import Writer

T = TypeVar("T")


class ClockWrites:
    """Submits writes to the writer; their results reach the flow on the next frame."""

    def __init__(self, writer: Writer):
        self.writer = writer

    def submit(self, write: Callable[[], T], then: Callable[[T], None],
               failed: Callable[[BaseException], None]) -> None:
        """Queue ``write``; ``then(result)`` or ``failed(error)`` runs on the Kivy thread."""
        future = self.writer.submit(write)

        def deliver(done: Future) -> None:
            error = done.exception()
            if error is not None:
                Clock.schedule_once(lambda dt: failed(error), 0)
            else:
                result = done.result()
                Clock.schedule_once(lambda dt: then(result), 0)

        future.add_done_callback(deliver)
