"""The printer's settings: the ``[printer]`` section of the kiosk's config is read into
:class:`PrinterSettings` and checked by it (a light module: no printer library imported)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: The printer kinds :func:`printers.backends.build_backend` knows.
KINDS = ("usb", "serial", "network", "file", "preview", "none")


@dataclass(frozen=True)
class PrinterSettings:
    """The receipt printer: the ``[printer]`` section of the kiosk's config, read into this
    type and checked by :meth:`problems` (``printers`` owns its settings)."""

    kind: Literal["usb", "serial", "network", "file", "preview", "none"] = "preview"
    width_dots: Literal[384, 576] = 576
    mode: Literal["bitmap", "text"] = "bitmap"
    #: Text mode only (for printers known to print Vietnamese well): the code page, and its
    #: ESC t table number on this printer (unset: the usual one, 52 for CP1258).
    codepage: str = "CP1258"
    codepage_table: int | None = None
    host: str = "127.0.0.1"
    port: int | str = 9100
    baudrate: int = 9600
    #: ``file``: the device or file; ``preview``: the folder for PNG files (relative paths are
    #: taken from the config file's folder; empty: the kiosk's data folder).
    path: str = ""
    vendor_id: int = 0
    product_id: int = 0
    #: Send QR codes with the printer's own command (GS ( k); off for printers without it (the
    #: QR then goes as a picture, about 3 KB more).
    native_qr: bool = True
    #: Seconds to connect, and for each write to go through.
    timeout_s: float = 10.0
    #: Ask a network or serial printer for its paper sensor before a job (a printer that does
    #: not answer within status_timeout_s is printed to anyway).
    status_query: bool = True
    status_timeout_s: float = 0.5

    def problems(self) -> list[tuple[str, str]]:
        """(key, reason) for every value that cannot work; empty when all is well. The reason
        is a word the application turns into a sentence (``usb_needs_vendor_id``...)."""
        found = []
        if self.kind == "usb" and not self.vendor_id:
            found.append(("vendor_id", "usb_needs_vendor_id"))
        if self.kind == "serial" and not (isinstance(self.port, str) and self.port):
            found.append(("port", "serial_needs_port"))
        if self.mode == "text" and self.codepage.upper() != "CP1258":
            found.append(("codepage", "text_mode_cp1258"))
        if self.timeout_s <= 0:
            found.append(("timeout_s", "positive"))
        if self.status_timeout_s <= 0:
            found.append(("status_timeout_s", "positive"))
        return found
