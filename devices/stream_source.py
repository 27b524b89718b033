"""Codes read as lines from a file descriptor: a terminal's standard input, a pipe, a FIFO.

``kiosk scan-test`` uses it for a keyboard-wedge scanner: with the terminal focused, the scanner
types its code and Enter, and the line arrives here. Nothing tells typing from scanning on a line
basis beyond ``min_length``; the Kivy window uses :class:`devices.wedge.WedgeDecoder` instead.
"""
from __future__ import annotations

import logging
import os
import select
import time

from devices.codes import DEFAULT_MAX_LENGTH
from devices.linebuffer import LineBuffer
from devices.source import ScanSource

log = logging.getLogger(__name__)


class LineStreamSource(ScanSource):
    """One code per line from file descriptor ``fd`` (not closed on stop)."""

    def __init__(self, fd: int, *, min_length: int = 1, max_length: int = DEFAULT_MAX_LENGTH,
                 source_name: str = "keyboard"):
        super().__init__(source_name, max_length)
        self.fd = fd
        self.min_length = min_length
        self._buffer = LineBuffer("\n", max_length)

    def _run(self) -> None:
        self._set_status("connected", f"fd {self.fd}")
        while not self._stopping():
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if not ready:
                continue
            data = os.read(self.fd, 4096)
            now = time.monotonic()
            if not data:
                self._set_status("ended", "end of input")
                return
            for line, reason in self._buffer.feed(data):
                if line is None:
                    self._dropped(f"dropped line: {reason}")
                elif len(line.strip()) >= self.min_length:
                    self._emit(line, None, now)
                elif line.strip():
                    log.info("%s: ignored short line %r", self.name, line[:20])
