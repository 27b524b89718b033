"""Receipts and labels: layout to a 1-bit bitmap, and printer backends over python-escpos.

This room imports neither ``db``, ``kiosk`` nor Kivy: it takes plain data.

The parts the kiosk uses::

    from printers import (Receipt, ReceiptLine, LessonInfo, DaySummary,   # what to print
                          PrintService, PrintResult, PrinterSettings, build_backend,
                          BookLabel, EquipmentLabel, label_document, write_label_sheet_pdf,
                          render_receipt, qr_image)
"""
from printers.backends import Backend, PrinterSettings, PrintJob, build_backend
from printers.document import Document, qr_image
from printers.errors import (PaperOut, PrinterConfigError, PrinterDisconnected, PrinterError,
                             PrinterTimeout, PrinterUnavailable)
from printers.labels import BookLabel, EquipmentLabel, label_document, render_label
from printers.receipt import DaySummary, LessonInfo, Receipt, ReceiptLine
from printers.render import render_receipt
from printers.service import PrintResult, PrintService
from printers.sheets import LAYOUTS, label_sheet_pages, write_label_sheet_pdf

__all__ = [
    "Backend", "BookLabel", "DaySummary", "Document", "EquipmentLabel", "LAYOUTS", "LessonInfo",
    "PaperOut", "PrintJob", "PrintResult", "PrintService", "PrinterConfigError",
    "PrinterDisconnected", "PrinterError", "PrinterSettings", "PrinterTimeout",
    "PrinterUnavailable", "Receipt", "ReceiptLine", "build_backend", "label_document",
    "label_sheet_pages", "qr_image", "render_label", "render_receipt", "write_label_sheet_pdf",
]
