"""A serial scanner (USB CDC-ACM ``/dev/ttyACM0``, RS-232 ``/dev/ttyUSB0``) through pyserial.

The port is a device path or any pyserial URL (``loop://``, ``socket://host:port``, ``rfc2217://``).
Each code ends with the terminator (``"\\r\\n"`` by default; a terminator made only of CR and LF
accepts either, so ``"\\r"``, ``"\\n"`` and ``"\\r\\n"`` scanners all work); with an empty
terminator a pause ends the code, as it does a code whose terminator was lost. Garbage bytes, binary and lines that never end are dropped with
a logged reason; the line buffer never grows past a few times the maximum code length. When the
port disappears (unplug) it is reopened as soon as it is back.
"""
from __future__ import annotations

import logging
import time

import serial

from devices.codes import DEFAULT_MAX_LENGTH
from devices.linebuffer import LineBuffer
from devices.source import ScanSource

log = logging.getLogger(__name__)


class SerialSource(ScanSource):
    """Scans from a serial port or pyserial URL.

    ``port_factory`` replaces :func:`serial.serial_for_url` (tests hand in an already-open
    ``loop://`` port); it is called with the same arguments.
    """

    #: How long one read waits for the first byte; bounds how quickly ``stop`` is noticed.
    read_timeout_s = 0.05

    def __init__(self, port: str, *, baudrate: int = 9600, terminator: str = "\r\n",
                 pause_s: float = 0.1, max_length: int = DEFAULT_MAX_LENGTH,
                 source_name: str | None = None, port_factory=None):
        super().__init__(source_name or f"serial:{port}", max_length)
        self.port = port
        self.baudrate = baudrate
        self.pause_s = pause_s
        self._buffer = LineBuffer(terminator, max_length)
        self._factory = port_factory or serial.serial_for_url
        self._serial = None

    def _open(self):
        extra = {"exclusive": True} if "://" not in self.port else {}
        return self._factory(self.port, baudrate=self.baudrate, timeout=self.read_timeout_s,
                             **extra)

    def _run(self) -> None:
        while not self._stopping():
            try:
                self._serial = self._open()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_status("waiting", str(exc)[:200])
                self._wait(self.retry_s)
                continue
            self._set_status("connected", self.port)
            self._buffer.clear()
            try:
                self._read(self._serial)
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                # TypeError/AttributeError: pyserial's own race when the port is closed under it
                if self._stopping():
                    break
                self._set_status("waiting", f"port lost: {str(exc)[:160]}")
            finally:
                try:
                    self._serial.close()
                except Exception:  # already gone
                    pass
                self._serial = None
            self._wait(self.retry_s / 5)

    def _read(self, port) -> None:
        last_byte = 0.0
        while not self._stopping():
            waiting = port.in_waiting
            data = port.read(min(max(waiting, 1), 4096))
            now = time.monotonic()
            if data:
                last_byte = now
                for line, reason in self._buffer.feed(data):
                    self._line(line, reason, now)
            elif self._buffer.pending and now - last_byte > self.pause_s:
                for line, reason in self._buffer.flush():  # a pause ends a code
                    self._line(line, reason, now)

    def _line(self, line: str | None, reason: str | None, at: float) -> None:
        if line is None:
            self._dropped(f"dropped line: {reason}")
            return
        if line.strip():
            self._emit(line, None, at)

    def _interrupt(self) -> None:
        port = self._serial
        if port is not None and hasattr(port, "cancel_read"):
            try:
                port.cancel_read()
            except Exception:
                pass
