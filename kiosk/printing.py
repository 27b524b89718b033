"""Printing for the kiosk: typed print requests, resolved from the database and laid out by
``printers`` on the print worker's thread, never on the screen's.

A screen asks for ``BorrowReceipt(ref)``, ``ReturnReceipt(ref)``, ``EquipmentSlip(ref)``,
``EquipmentReturnSlip(ref)``, ``Reprint(ref)``, ``DaySummaryReport(day)``, ``OverdueSlip(class)``
or ``Labels(codes)``; :class:`PrintQueue` hands it to the print service, whose worker reads what
the action recorded (by its reference) and prints it. The result comes back through
``on_print_result(ok, ref, message)`` from that worker.

Adding a receipt kind: a request class and its ``_build_*`` method here, its layout in
``printers``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Union

from db.ids import short_ref
from db.queries import catalogue, loans, returns
from db.queries.loans import LoanRow
from db.queries.returns import ReturnedLine
from kiosk.context import KioskContext
from kiosk.i18n import Translator, current_language, t
from kiosk.services.calendar import period_label
from kiosk.services.reports import Reports
from printers.document import Document
from printers.labels import BookLabel, EquipmentLabel, label_document
from printers.receipt import LessonInfo, Receipt, ReceiptLine
from printers.service import PrintResult, PrintService

log = logging.getLogger(__name__)


# -- what a screen may ask for ----------------------------------------------------------------
@dataclass(frozen=True)
class BorrowReceipt:
    """The receipt of a borrow session: every book its reference lent."""

    ref: str


@dataclass(frozen=True)
class ReturnReceipt:
    """The receipt of a run of returns: everything its reference took back."""

    ref: str


@dataclass(frozen=True)
class EquipmentSlip:
    """A teacher's checkout slip (phiếu mượn thiết bị): the lesson and its equipment."""

    ref: str


@dataclass(frozen=True)
class EquipmentReturnSlip:
    """The slip of equipment brought back, with each line's condition."""

    ref: str


@dataclass(frozen=True)
class Reprint:
    """Any of the above printed again: marked "BẢN IN LẠI", with the action's own time."""

    ref: str


@dataclass(frozen=True)
class DaySummaryReport:
    """The staff's end-of-day summary."""

    day: date
    ref: str = field(default_factory=lambda: short_ref("TK"))


@dataclass(frozen=True)
class OverdueSlip:
    """The overdue books of one class, to hand to its teacher."""

    class_name: str
    ref: str = field(default_factory=lambda: short_ref("QH"))


@dataclass(frozen=True)
class Labels:
    """Barcode labels for new copies (``kind="book"``) or equipment items."""

    codes: tuple[str, ...]
    kind: str = "book"
    title: str = ""
    ref: str = field(default_factory=lambda: short_ref("NH"))


PrintRequest = Union[BorrowReceipt, ReturnReceipt, EquipmentSlip, EquipmentReturnSlip, Reprint,
                     DaySummaryReport, OverdueSlip, Labels]
#: ``on_print_result(ok, ref, message)``: how the queue reports back (from any thread).
PrintResultCallback = Callable[[bool, str, str], None]


# -- resolving a request from the database ------------------------------------------------------
def _line(loan: LoanRow, returning: bool, clock) -> ReceiptLine:
    late_days = 0
    if returning and loan.returned_at:  # days count in local time, like the screen's
        late_days = (clock.to_local(loan.returned_at).date() - loan.due_on).days
    return ReceiptLine(
        title=loan.title, code=loan.code, due=None if returning else loan.due_on,
        quantity=loan.quantity, condition=(loan.return_condition or "") if returning else "",
        late=returning and late_days > 0, unit=loan.unit)


def returned_line(line: ReturnedLine, clock) -> ReceiptLine:
    """One return of a loan as a receipt line: the pieces back, "trả 2/3, còn 1" when part of
    the loan stays out, the split by condition, the note; late by local days, as on screen."""
    loan, back = line.loan, line.back
    split = tuple((c, n) for c, n in (("good", back.good), ("damaged", back.damaged),
                                      ("missing", back.missing), ("lost", back.lost)) if n)
    condition = split[0][0] if len(split) == 1 else (loan.return_condition or "")
    partial = back.pieces < loan.quantity
    late = (clock.to_local(back.returned_at).date() - loan.due_on).days > 0
    return ReceiptLine(
        title=loan.title, code=loan.code, quantity=back.pieces, condition=condition,
        late=late, unit=loan.unit, of_quantity=loan.quantity if partial else 0,
        still_out=back.outstanding, split=split if len(split) > 1 else (), note=back.note)


class ReceiptBuilder:
    """Builds what a request prints from what its action recorded."""

    def __init__(self, context: KioskContext):
        self.context = context
        self.clock = context.clock

    def build(self, request: PrintRequest, lang: str) -> list[Receipt | Document]:
        """The receipts or documents of one request (empty when its reference is unknown)."""
        method = getattr(self, f"_build_{type(request).__name__}")
        return method(request, lang)

    # -- one method per request -------------------------------------------------------------
    def _build_BorrowReceipt(self, request, lang, reprint: bool = False):
        made = loans.made_by(request.ref)
        if not made:
            return []
        first = made[0]
        return [self._receipt("borrow", request.ref, lang, made, reprint, returning=False,
                              patron_name=first.patron_name, patron_class=first.patron_class)]

    def _build_ReturnReceipt(self, request, lang, reprint: bool = False):
        back = returns.by_ref(request.ref)
        if not back:
            return []
        names = {line.loan.patron_name for line in back}
        classes = {line.loan.patron_class for line in back}
        return [self._returned("return", request.ref, lang, back, reprint,
                               patron_name=names.pop() if len(names) == 1 else "",
                               patron_class=classes.pop() if len(classes) == 1 else "")]

    def _build_EquipmentSlip(self, request, lang, reprint: bool = False):
        made = loans.made_by(request.ref)
        if not made:
            return []
        lesson = made[0].lesson
        info = None
        if lesson is not None:
            info = LessonInfo(lesson_date=lesson.date,
                              period=period_label(lesson.period, lesson.session),
                              class_name=lesson.class_name, subject=lesson.subject,
                              lesson_title=lesson.title)
        return [self._receipt("equipment_slip", request.ref, lang, made, reprint,
                              returning=False, patron_name=made[0].patron_name, lesson=info)]

    def _build_EquipmentReturnSlip(self, request, lang, reprint: bool = False):
        back = returns.by_ref(request.ref)
        if not back:
            return []
        return [self._returned("equipment_slip", request.ref, lang, back, reprint,
                               patron_name=back[0].loan.patron_name,
                               title=Translator(lang)("slip.equipment_back"))]

    def _build_Reprint(self, request, lang):
        made = loans.made_by(request.ref)
        if made:
            original = EquipmentSlip if made[0].kind == "equipment" else BorrowReceipt
        else:
            back = returns.by_ref(request.ref)
            if not back:
                return []
            original = (EquipmentReturnSlip if back[0].loan.kind == "equipment"
                        else ReturnReceipt)
        return getattr(self, f"_build_{original.__name__}")(original(request.ref), lang,
                                                            reprint=True)

    def _build_DaySummaryReport(self, request, lang):
        summary = Reports(self.context).day_summary(request.day, notes=5)
        return [self._base("day_summary", request.ref, lang, summary=summary)]

    def _build_OverdueSlip(self, request, lang):
        rows = Reports(self.context).overdue_by_class().get(request.class_name, [])
        lines = [ReceiptLine(title=row.title, code=f"{row.code} · {row.patron_name}",
                             due=row.due_on) for row in rows]
        if not lines:
            return []
        return [self._base("borrow", request.ref, lang, patron_class=request.class_name,
                           lines=lines,
                           title=Translator(lang)("slip.overdue_title", cls=request.class_name))]

    def _build_Labels(self, request, lang):
        school = self.context.config.school.name
        width = self.context.config.printer.width_dots
        if request.kind == "book":
            marks = catalogue.shelf_marks(list(request.codes))
            labels = [BookLabel(accession=code, school_name=school,
                                shelf_mark=marks.get(code, ""), title=request.title)
                      for code in request.codes]
        else:
            labels = [EquipmentLabel(code=code, name=request.title, school_name=school)
                      for code in request.codes]
        return [label_document(label, width) for label in labels]

    # -- shared -----------------------------------------------------------------------------
    def _receipt(self, kind: str, ref: str, lang: str, rows: list[LoanRow], reprint: bool,
                 returning: bool, **fields) -> Receipt:
        extra = {}
        if reprint:
            moments = [row.returned_at if returning else row.out_at for row in rows]
            extra["printed_at"] = self.clock.to_local(max(m for m in moments if m))
        lines = [_line(row, returning, self.clock) for row in rows]
        return self._base(kind, ref, lang, lines=lines, reprint=reprint, **extra, **fields)

    def _returned(self, kind: str, ref: str, lang: str, back: list[ReturnedLine],
                  reprint: bool, **fields) -> Receipt:
        if reprint:
            fields["printed_at"] = self.clock.to_local(max(line.back.returned_at
                                                          for line in back))
        lines = [returned_line(line, self.clock) for line in back]
        return self._base(kind, ref, lang, lines=lines, reprint=reprint, **fields)

    def _base(self, kind: str, ref: str, lang: str, **fields) -> Receipt:
        school = self.context.config.school
        fields.setdefault("printed_at", self.clock.local_now())
        return Receipt(kind=kind, school_name=school.name, kiosk_name=school.kiosk_name,
                       reference=ref, lang=lang, **fields)


# -- the queue the screens print through ---------------------------------------------------------
class PrintQueue:
    """Print requests sent to a :class:`PrintService`; results back through
    ``on_print_result``."""

    def __init__(self, context: KioskContext, service: PrintService):
        self.builder = ReceiptBuilder(context)
        self.service = service
        self.on_print_result: PrintResultCallback | None = None
        #: (ok, message) of the last job, for the staff screen's printer status.
        self.last_result: tuple[bool, str] | None = None

    def submit(self, request: PrintRequest) -> None:
        """Queue a request; never blocks (the database is read on the print worker)."""
        lang = current_language()

        def done(result: PrintResult) -> None:
            self._report(result.ok, request.ref, "" if result.ok else t(result.message_key))

        self.service.print_prepared(lambda: self.builder.build(request, lang), request.ref,
                                    callback=done)

    def _report(self, ok: bool, ref: str, message: str) -> None:
        self.last_result = (ok, message)
        callback = self.on_print_result
        if callback is not None:
            callback(ok, ref, message)
