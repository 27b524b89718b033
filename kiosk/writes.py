"""Handing the running kiosk's writes to the one database writer (:class:`db.writer.Writer`).

:class:`WaitingWrites` waits for each write and hands its result back at once: for the console
kiosk, which has no event loop of its own, and for tests of the screens' logic. The window
delivers results on the Kivy clock instead (:class:`kiosk.ui.writes.ClockWrites`).
"""
from __future__ import annotations

import logging
from typing import Callable, TypeVar

from db.writer import Writer

log = logging.getLogger(__name__)

T = TypeVar("T")


class WaitingWrites:
    """Runs each write on the writer's thread and waits for it."""

    def __init__(self, writer: Writer):
        self.writer = writer

    def submit(self, write: Callable[[], T], then: Callable[[T], None],
               failed: Callable[[BaseException], None]) -> None:
        """Run ``write`` on the writer, then ``then(result)`` (or ``failed(error)``) here."""
        try:
            result = self.writer.run(write)
        except Exception as exc:  # noqa: BLE001 - handed to the flow, which shows a calm message
            failed(exc)
            return
        then(result)
