"""Receipts filled from the services' results: what the kiosk hands to ``printers``.

The screens call these after an action has committed; printing may fail without undoing it.
"""
from __future__ import annotations

from datetime import date

from db.models import Loan, Patron
from kiosk.context import KioskContext
from kiosk.i18n import current_language, t
from kiosk.services.base import Service
from kiosk.services.circulation import open_loans_query
from kiosk.services.calendar import period_label
from kiosk.services.equipment import Lesson
from kiosk.services.reports import Reports
from kiosk.services.results import LoanInfo
from printers.receipt import DaySummary, LessonInfo, Receipt, ReceiptLine

# The services say "missing_parts"; receipts print the register's word for it.
_CONDITION = {"good": "good", "damaged": "damaged", "missing_parts": "missing"}


def _line(loan: LoanInfo, returning: bool) -> ReceiptLine:
    return ReceiptLine(
        title=loan.title, code=loan.code, due=None if returning else loan.due_on, quantity=loan.quantity,
        condition=_CONDITION.get(loan.return_condition or "", loan.return_condition or "")
        if returning else "", late=returning and loan.late_days > 0, unit=loan.unit)


def _base(context: KioskContext, kind: str, reference: str, **fields) -> Receipt:
    school = context.config.school
    return Receipt(kind=kind, school_name=school.name, kiosk_name=school.kiosk_name,
                   reference=reference, printed_at=context.clock.local_now(),
                   lang=current_language(), **fields)


def borrow_receipt(context: KioskContext, txn_ref: str, patron: Patron,
                   loans: list[LoanInfo]) -> Receipt:
    """A student's (or anyone's) book borrow receipt."""
    return _base(context, "borrow", txn_ref, patron_name=patron.name,
                 patron_class=patron.class_name, lines=[_line(loan, False) for loan in loans])


def return_receipt(context: KioskContext, reference: str, loans: list[LoanInfo],
                   patron: Patron | None = None) -> Receipt:
    """A receipt for things returned (anyone may return; the patron is the loans' when one)."""
    names = {loan.patron_name for loan in loans}
    classes = {loan.patron_class for loan in loans}
    name = patron.name if patron else (names.pop() if len(names) == 1 else "")
    klass = patron.class_name if patron else (classes.pop() if len(classes) == 1 else "")
    return _base(context, "return", reference, patron_name=name, patron_class=klass,
                 lines=[_line(loan, True) for loan in loans])


def equipment_slip(context: KioskContext, txn_ref: str, teacher: Patron,
                   loans: list[LoanInfo], lesson: Lesson | None, returning: bool = False,
                   title: str = "") -> Receipt:
    """The teacher's equipment slip: the lesson (none for a return), the items and quantities."""
    info = None
    if lesson is not None:
        info = LessonInfo(lesson_date=lesson.date, period=period_label(lesson.period,
                                                                        lesson.session),
                          class_name=lesson.class_name, subject=lesson.subject,
                          lesson_title=lesson.title)
    return _base(context, "equipment_slip", txn_ref, patron_name=teacher.name,
                 lines=[_line(loan, returning) for loan in loans], lesson=info, title=title)


def receipt_for_transaction(context: KioskContext, txn_ref: str) -> Receipt | None:
    """Rebuild a borrow receipt or equipment slip from the database, for a reprint."""
    loans = list(Loan.select().where(Loan.txn_ref == txn_ref).order_by(Loan.id))
    if not loans:
        return None
    service = Service(context)
    infos = [service.loan_info(loan) for loan in loans]
    first = loans[0]
    if first.kind == "equipment":
        lesson = None
        if first.lesson_date is not None:
            lesson = Lesson(date=first.lesson_date, period=first.lesson_period,
                            class_name=first.lesson_class or "",
                            subject=first.lesson_subject or "", title=first.lesson_title or "",
                            session=first.lesson_session or "morning")
        return equipment_slip(context, txn_ref, first.patron, infos, lesson)
    return borrow_receipt(context, txn_ref, first.patron, infos)


def overdue_slip(context: KioskContext, reference: str, class_name: str,
                 loans: list[LoanInfo]) -> Receipt:
    """A reminder for one class: each overdue book, who has it and since when it was due."""
    lines = [ReceiptLine(title=loan.title, code=f"{loan.code} · {loan.patron_name}",
                         due=loan.due_on) for loan in loans]
    return _base(context, "borrow", reference, patron_class=class_name, lines=lines,
                 title=t("slip.overdue_title", cls=class_name))


def day_summary_receipt(context: KioskContext, day: date, reference: str) -> Receipt:
    """The staff's end-of-day summary: what went out and came back, what is overdue."""
    counts = Reports(context).day_summary(day)
    still_out = (open_loans_query().where(Loan.kind == "equipment", Loan.long_term == False,  # noqa: E712
                                          Loan.due_on <= day).limit(5))
    service = Service(context)
    notes = tuple(f"{info.title} — {info.patron_name}"
                  for info in (service.loan_info(loan) for loan in still_out))
    summary = DaySummary(
        day=day, books_borrowed=counts.books_out, books_returned=counts.books_back,
        equipment_borrowed=counts.equipment_out, equipment_returned=counts.equipment_back,
        overdue=counts.overdue, patrons=counts.patrons, notes=notes)
    return _base(context, "day_summary", reference, summary=summary)
