"""The kiosk's printer, built from the config's ``[printer]`` section.

``build_printer(config.printer)`` returns a running :class:`printers.service.PrintService`;
the screens call its ``print_receipt`` / ``print_document`` / ``reprint`` and get a future.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from kiosk.config import PrinterConfig
from printers.backends import PrinterSettings, build_backend
from printers.service import PrintService


def printer_settings(printer: PrinterConfig,
                     resolve: Callable[[str], Path] | None = None) -> PrinterSettings:
    """The config's printer section as the plain settings ``printers`` takes; ``resolve`` (e.g.
    ``config.resolve``) makes a relative ``path`` relative to the config file."""
    path = str(resolve(printer.path)) if resolve and printer.kind in ("file", "preview") \
        else printer.path
    return PrinterSettings(
        kind=printer.kind, width_dots=printer.width_dots, mode=printer.mode,
        codepage=printer.codepage, codepage_table=printer.codepage_table, host=printer.host,
        port=printer.port, baudrate=printer.baudrate, path=path, vendor_id=printer.vendor_id,
        product_id=printer.product_id, timeout_s=printer.timeout_s,
        status_query=printer.status_query, status_timeout_s=printer.status_timeout_s,
        native_qr=printer.native_qr)


def build_printer(printer: PrinterConfig,
                  resolve: Callable[[str], Path] | None = None) -> PrintService:
    """A print service (one worker thread) for the configured printer."""
    settings = printer_settings(printer, resolve)
    return PrintService(build_backend(settings), width_dots=printer.width_dots,
                        timeout_s=printer.timeout_s, keep=printer.keep_jobs)
