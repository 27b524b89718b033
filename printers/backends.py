"""Printer backends: where a print job's bytes (or picture) go.

``build_backend(settings)`` picks one from plain :class:`PrinterSettings` (the kiosk copies its
config's ``[printer]`` section into them):

- ``usb``, ``serial``, ``network``, ``file``: ESC/POS over python-escpos (bitmap or text mode);
- ``preview``: PNG files in a folder (the demo, and for looking at receipts);
- ``none``: no printer; every job fails with :class:`~printers.errors.PrinterUnavailable`.

A backend's :meth:`Backend.send` blocks until the job is handed over and raises only
:class:`~printers.errors.PrinterError` subclasses. It is called from the print service's worker
thread, never from the screen's.
"""
from __future__ import annotations

import errno
import logging
import socket
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError, Error as EscposError

from printers.document import Document
from printers.errors import (PaperOut, PrinterConfigError, PrinterDisconnected, PrinterError,
                             PrinterTimeout, PrinterUnavailable)
from printers.escpos_out import encode_document
from printers.receipt import Captions, Receipt
from printers.settings import PrinterSettings
from printers.text_mode import encode_text_receipt

log = logging.getLogger(__name__)

KINDS = ("usb", "serial", "network", "file", "preview", "none")
#: ``DLE EOT 4``: ask for the paper roll sensor status (one byte back).
PAPER_STATUS = b"\x10\x04\x04"
#: Bits 5 and 6 of that byte: the paper-end sensor says the roll is out.
PAPER_END_BITS = 0x60
CHUNK = 1024
#: A network printer's send buffer: small, so a printer that stops taking data shows as a
#: timeout within ``timeout_s`` instead of the job vanishing into the kernel's buffers.
SEND_BUFFER = 16 * 1024


@dataclass(frozen=True)
class PrintJob:
    """What to print: the laid-out document, and the receipt it came from (for text mode)."""

    document: Document
    receipt: Receipt | None = None
    #: The receipt's words, for printers that print it as text (text mode).
    captions: Captions | None = None


class Backend(ABC):
    """Sends print jobs to one printer."""

    kind = "abstract"

    @abstractmethod
    def send(self, job: PrintJob) -> str:
        """Print ``job``; returns a short description of where it went. Raises PrinterError."""

    def seconds_for(self, job: PrintJob) -> float:
        """A fair estimate of how long the job takes to hand over (0 when negligible)."""
        return 0.0


class NoPrinter(Backend):
    """No printer configured: every job fails at once."""

    kind = "none"

    def send(self, job: PrintJob) -> str:
        raise PrinterUnavailable("no printer configured")


class PreviewBackend(Backend):
    """Writes each job as a PNG file into a folder."""

    kind = "preview"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, job: PrintJob) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in job.document.name)
            path = self.folder / f"{stamp}-{safe}.png"
            partial = path.with_suffix(".png.part")
            job.document.to_image().save(partial, format="PNG", optimize=True)
            partial.replace(path)  # whole files only: a reader never sees half a picture
        except OSError as exc:
            raise PrinterUnavailable(f"cannot write preview to {self.folder}: {exc}") from exc
        log.info("preview written to %s", path)
        return str(path)


class EscposBackend(Backend):
    """An ESC/POS printer reached through a python-escpos connection.

    ``connect`` makes a fresh, unopened python-escpos printer (Network, Serial, Usb, File); the
    backend opens it for each job and closes it after, so a printer that was unplugged and plugged
    back in works again on the next job.
    """

    def __init__(self, connect: Callable[[], Escpos], settings: PrinterSettings,
                 bytes_per_second: float | None = None):
        self.connect = connect
        self.settings = settings
        self.kind = settings.kind
        self.bytes_per_second = bytes_per_second

    def encode(self, job: PrintJob) -> bytes:
        """The bytes that print ``job`` in the configured mode."""
        s = self.settings
        if s.mode == "text" and job.receipt is not None and job.captions is not None:
            return encode_text_receipt(job.receipt, job.captions, s.width_dots, s.codepage,
                                       s.codepage_table)
        return encode_document(job.document, native_qr=s.native_qr)

    def seconds_for(self, job: PrintJob) -> float:
        if not self.bytes_per_second:
            return 0.0
        return len(self.encode(job)) / self.bytes_per_second

    def send(self, job: PrintJob) -> str:
        data = self.encode(job)
        printer = self.connect()
        where = self.describe()
        try:
            try:
                printer.open()
            except DeviceNotFoundError as exc:
                raise PrinterUnavailable(f"{where}: {_one_line(exc)}") from exc
            self._prepare(printer)
            if self.settings.status_query and self.kind in ("network", "serial"):
                self._check_paper(printer)
            for start in range(0, len(data), CHUNK):
                printer._raw(data[start:start + CHUNK])
            _flush(printer)
        except PrinterError:
            raise
        except Exception as exc:  # noqa: BLE001 - every transport error becomes a typed one
            raise _translate(exc, where) from exc
        finally:
            _close_quietly(printer)
        log.info("printed %s (%d bytes) on %s", job.document.name, len(data), where)
        return where

    def describe(self) -> str:
        """Where this backend prints, for logs (no secrets: host, device path or USB ids)."""
        s = self.settings
        return {"network": f"{s.host}:{s.port}", "serial": f"{s.port}@{s.baudrate}",
                "usb": f"usb {s.vendor_id:04x}:{s.product_id:04x}",
                "file": str(s.path)}.get(self.kind, self.kind)

    def _prepare(self, printer: Escpos) -> None:
        device = printer.device
        if self.kind == "serial" and device is not None:
            device.write_timeout = self.settings.timeout_s
        if isinstance(device, socket.socket):
            device.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)

    def _check_paper(self, printer: Escpos) -> None:
        status = _query(printer, PAPER_STATUS, self.settings.status_timeout_s,
                        self.settings.timeout_s)
        if status is None:
            log.debug("%s did not answer the paper status query", self.describe())
            return
        if status & PAPER_END_BITS == PAPER_END_BITS:
            raise PaperOut(f"{self.describe()}: paper out (status 0x{status:02x})")


def _query(printer: Escpos, command: bytes, wait_s: float, restore_s: float) -> int | None:
    """Send a real-time status command and read one byte back within ``wait_s`` (None if silent)."""
    device = printer.device
    printer._raw(command)
    if isinstance(device, socket.socket):
        device.settimeout(wait_s)
        try:
            answer = device.recv(1)
        except (socket.timeout, BlockingIOError):
            return None
        finally:
            device.settimeout(restore_s)
        if not answer:
            raise PrinterDisconnected("connection closed during status query")
        return answer[0]
    old = device.timeout
    device.timeout = wait_s
    try:
        answer = device.read(1)
    finally:
        device.timeout = old
    return answer[0] if answer else None


def _flush(printer: Escpos) -> None:
    device = printer.device
    flush = getattr(device, "flush", None)
    if callable(flush) and not isinstance(device, socket.socket):
        flush()


def _close_quietly(printer: Escpos) -> None:
    try:
        printer.close()
    except Exception as exc:  # noqa: BLE001 - the job's own outcome matters, not the close
        log.debug("closing printer: %s", _one_line(exc))
        device = getattr(printer, "_device", None)
        try:
            if device:
                device.close()
        except Exception:  # noqa: BLE001 - a device that is gone cannot be closed twice
            pass
        printer._device = False  # or python-escpos tries again when it is collected


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _translate(exc: BaseException, where: str) -> PrinterError:
    """A transport error as the typed printer error the caller can act on."""
    text = f"{where}: {_one_line(exc)}"
    name = type(exc).__name__
    if isinstance(exc, (socket.timeout, TimeoutError)) or "Timeout" in name:
        return PrinterTimeout(text)
    if name == "NoBackendError":  # pyusb without libusb-1.0 on the machine
        return PrinterUnavailable(f"{text} (is libusb-1.0 installed?)")
    if isinstance(exc, (ConnectionRefusedError, FileNotFoundError, DeviceNotFoundError)):
        return PrinterUnavailable(text)
    if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
        return PrinterDisconnected(text)
    if isinstance(exc, OSError) and exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO,
                                                  errno.EPIPE):
        return PrinterDisconnected(text)
    if name in ("SerialException", "USBError", "PortNotOpenError"):
        return PrinterDisconnected(text)
    if isinstance(exc, (OSError, EscposError)):
        return PrinterUnavailable(text)
    return PrinterError(text)


def build_backend(settings: PrinterSettings) -> Backend:
    """The backend ``settings.kind`` names."""
    kind = settings.kind
    if kind not in KINDS:
        raise PrinterConfigError(f"unknown printer kind {kind!r}; one of {', '.join(KINDS)}")
    if settings.mode not in ("bitmap", "text"):
        raise PrinterConfigError(f"unknown printer mode {settings.mode!r}")
    if kind == "none":
        return NoPrinter()
    if kind == "preview":
        return PreviewBackend(settings.path)
    timeout = settings.timeout_s
    if kind == "network":
        from escpos.printer import Network

        return EscposBackend(lambda: Network(settings.host, int(settings.port), timeout=timeout),
                             settings)
    if kind == "serial":
        from escpos.printer import Serial

        if not isinstance(settings.port, str) or not settings.port:
            raise PrinterConfigError("a serial printer needs a device path in port")
        # 8N1: ten bits on the wire per byte.
        return EscposBackend(lambda: Serial(settings.port, baudrate=settings.baudrate,
                                            timeout=timeout), settings,
                             bytes_per_second=settings.baudrate / 10)
    if kind == "usb":
        from escpos.printer import Usb

        if not settings.vendor_id:
            raise PrinterConfigError("a USB printer needs vendor_id")
        return EscposBackend(lambda: Usb(settings.vendor_id, settings.product_id or None,
                                         timeout=int(timeout * 1000)), settings)
    from escpos.printer import File

    return EscposBackend(lambda: File(settings.path), settings)
