"""Receipts filled from real loans, rendered by the real layout, their QR decoded."""
import zxingcpp

from kiosk.receipts import (borrow_receipt, day_summary_receipt, equipment_slip,
                            receipt_for_transaction, return_receipt)
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending, Lesson
from db.models import Patron
from printers.render import render_receipt


def _decode_reference(receipt):
    image = render_receipt(receipt, 576).to_image().convert("L")
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_borrow_receipt_from_a_session_and_its_reprint(context):
    service = Circulation(context)
    session = service.start_session("0123456789")
    service.borrow(session, "TK.00001")
    service.borrow(session, "GK.00001")
    receipt = borrow_receipt(context, session.txn_ref, session.patron, session.borrowed)
    assert receipt.patron_name == "Nguyễn Văn An" and receipt.patron_class == "6A1"
    assert [line.code for line in receipt.lines] == ["TK.00001", "GK.00001"]
    assert receipt.printed_at.utcoffset().total_seconds() == 7 * 3600
    assert _decode_reference(receipt) == [session.txn_ref]
    again = receipt_for_transaction(context, session.txn_ref)
    assert [line.title for line in again.lines] == [line.title for line in receipt.lines]


def test_return_receipt_marks_late_items(context):
    service = Circulation(context)
    service.borrow(service.start_session("0123456789"), "TK.00001")
    context.clock.advance(days=20)
    returned = service.return_code("TK.00001", condition="damaged")
    receipt = return_receipt(context, "TR-1", [returned.loan])
    assert receipt.lines[0].late and receipt.lines[0].condition == "damaged"
    assert receipt.patron_name == "Nguyễn Văn An"


def test_equipment_slip_and_day_summary(context):
    lending = EquipmentLending(context)
    teacher = Patron.get(Patron.code == "GV0012")
    lesson = Lesson(context.clock.today(), 2, "6A1", "KHTN", "Tế bào")
    basket = lending.start(teacher, lesson)
    lending.add_scan(basket, "TB.KHTN6.001")
    lending.set_quantity(basket, "KHTN6.OCN", 12)
    lent = lending.confirm(basket)
    slip = equipment_slip(context, basket.txn_ref, teacher, lent.params["loans"], lesson)
    assert slip.lesson.class_name == "6A1" and [l.quantity for l in slip.lines] == [1, 12]
    assert slip.lesson.period == "2"
    afternoon = Lesson(context.clock.today(), 2, "6A1", "KHTN", "Tế bào", session="afternoon")
    assert equipment_slip(context, "X", teacher, [], afternoon).lesson.period == "2 (chiều)"
    assert _decode_reference(slip) == [basket.txn_ref]
    summary = day_summary_receipt(context, context.clock.today(), "NGAY-1")
    assert summary.summary.equipment_borrowed == 2 and summary.summary.patrons == 1
    assert len(summary.summary.notes) == 2
