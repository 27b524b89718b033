"""The screens' receipts sent to the real print service (``printers``), never on the UI thread.

:class:`PrinterReceiptSink` is the ``ReceiptSink`` of ``kiosk.presenters.ports``: it builds the
receipt (or labels) from what the presenter hands over and queues it on the print service's
worker; the result comes back through ``on_print_result`` from that worker.
"""
from __future__ import annotations

import logging
import threading
from datetime import date

from db.models import Copy
from kiosk.context import KioskContext
from kiosk.i18n import t
from kiosk.receipts import (borrow_receipt, day_summary_receipt, equipment_slip, overdue_slip,
                            receipt_for_transaction, return_receipt)
from kiosk.services.results import LoanInfo
from printers.document import Document
from printers.labels import BookLabel, EquipmentLabel, label_document
from printers.receipt import Receipt
from printers.service import PrintResult, PrintService

log = logging.getLogger(__name__)


class PrinterReceiptSink:
    """Receipts and labels of the screens, printed by a :class:`PrintService`."""

    def __init__(self, context: KioskContext, service: PrintService):
        self.context = context
        self.service = service
        self.on_print_result = None
        #: (ok, message) of the last receipt, for the staff screen's printer status.
        self.last_result: tuple[bool, str] | None = None

    def print_receipt(self, kind: str, txn_ref: str, loans: list[LoanInfo], patron,
                      extra: dict) -> None:
        """Build what to print now (quick, no I/O but a few database reads) and queue it."""
        try:
            jobs = self._jobs(kind, txn_ref, loans, patron, extra)
        except Exception as exc:  # noqa: BLE001 - a receipt that cannot be built is a failed print
            log.exception("could not build %s receipt %s", kind, txn_ref)
            self._report(False, txn_ref, t("printer.error") + f" ({exc})")
            return
        if not jobs:
            self._report(False, txn_ref, t("printer.error"))
            return
        results: list[PrintResult] = []
        lock = threading.Lock()

        def done(result: PrintResult) -> None:
            with lock:
                results.append(result)
                if len(results) < len(jobs):
                    return
            failed = next((r for r in results if not r.ok), None)
            self._report(failed is None, txn_ref, t(failed.message_key) if failed else "")

        for job in jobs:
            if isinstance(job, Receipt):
                self.service.print_receipt(job, callback=done)
            else:
                self.service.print_document(job, txn_ref, callback=done)

    def _report(self, ok: bool, txn_ref: str, message: str) -> None:
        self.last_result = (ok, message)
        callback = self.on_print_result
        if callback is not None:
            callback(ok, txn_ref, message)

    def _jobs(self, kind, txn_ref, loans, patron, extra) -> list[Receipt | Document]:
        context = self.context
        if kind == "borrow":
            return [borrow_receipt(context, txn_ref, patron, loans)]
        if kind == "return":
            return [return_receipt(context, txn_ref, loans, patron)]
        if kind == "equipment_out":
            return [equipment_slip(context, txn_ref, patron, loans, extra.get("lesson"))]
        if kind == "equipment_back":
            return [equipment_slip(context, txn_ref, patron, loans, None, returning=True,
                                   title=t("slip.equipment_back"))]
        if kind == "reprint":
            receipt = receipt_for_transaction(context, txn_ref)
            return [receipt] if receipt else []
        if kind == "overdue_slip":
            return [overdue_slip(context, txn_ref, extra.get("class_name", ""), loans)]
        if kind == "day_summary":
            day = extra.get("day")
            return [day_summary_receipt(context, day if isinstance(day, date)
                                        else context.clock.today(), txn_ref)]
        if kind == "labels":
            return self._labels(extra)
        raise ValueError(f"unknown receipt kind {kind!r}")

    def _labels(self, extra: dict) -> list[Document]:
        school = self.context.config.school.name
        width = self.context.config.printer.width_dots
        labels = []
        for code in extra.get("codes", []):
            if extra.get("kind") == "book":
                copy = Copy.get_or_none(Copy.barcode == code)
                labels.append(BookLabel(accession=code, school_name=school,
                                        shelf_mark=copy.shelf_mark if copy else "",
                                        title=extra.get("title", "")))
            else:
                labels.append(EquipmentLabel(code=code, name=extra.get("title", ""),
                                             school_name=school))
        return [label_document(label, width) for label in labels]
