"""Returns that account for every piece; damaged, missing and lost things kept apart until
staff repair, find or write them off; each step's counts, journal and outbox rows."""
import json

import pytest

from db.models import (EquipmentItem, EquipmentType, Copy, Incident, Journal, Loan, LoanReturn,
                       Outbox, Patron, Withdrawal)
from db.queries import patrons
from kiosk.printing import EquipmentReturnSlip, ReceiptBuilder
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentBasket, EquipmentLending, Lesson
from kiosk.services.stock import StockService
from kiosk.services.takeback import ReturnSplit
from kiosk.i18n import receipt_captions as load_captions
from printers.render import line_details


def _lend(context, beakers=3, items=("TB.KHTN6.001",)):
    service = EquipmentLending(context)
    teacher = patrons.by_code("GV0012")
    basket = service.start(teacher, Lesson(date=context.clock.today(), period=2,
                                           class_name="6A1", subject="KHTN", title="Bài 5"))
    assert isinstance(basket, EquipmentBasket)
    for code in items:
        assert service.add_scan(basket, code).ok
    if beakers:
        assert service.set_quantity(basket, "KHTN6.OCN", beakers).ok
    outcome = service.confirm(basket)
    assert outcome.ok
    by_code = {info.code: info for info in outcome.params["loans"]}
    return service, teacher, by_code


def _stock():
    kind = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    return kind.stock_total, kind.stock_on_hand, kind.stock_damaged, kind.stock_missing


def _records(ref):
    return [(row.type, json.loads(row.data)) for row in
            Outbox.select().where(Outbox.action_ref == ref).order_by(Outbox.id)]


def test_partial_return_keeps_the_rest_on_loan_and_the_slip_says_so(context):
    service, teacher, loans = _lend(context, beakers=3, items=())
    assert _stock() == (30, 27, 0, 0)
    beakers = loans["KHTN6.OCN"]
    outcome = service.return_lines([(beakers.loan_id, ReturnSplit(good=2))], teacher)
    assert outcome.ok and outcome.params["still_out"] == 1
    # 17 -> 19, not 20: the missing one is still on loan, with the teacher.
    assert _stock() == (30, 29, 0, 0)
    loan = Loan.get_by_id(beakers.loan_id)
    assert loan.returned_at is None and loan.returned_good == 2
    [back] = LoanReturn.select().where(LoanReturn.loan == loan.id)
    assert (back.good, back.outstanding) == (2, 1)
    [(kind, data)] = _records(outcome.params["ref"])
    assert kind == "loan.returned" and data["outstanding"] == 1
    assert data["this_return"] == {"good": 2, "damaged": 0, "missing": 0, "lost": 0,
                                   "outstanding": 1, "note": ""}
    assert Journal.get(Journal.txn_ref == outcome.params["ref"]).after.count('"outstanding": 1')
    [slip] = ReceiptBuilder(context).build(EquipmentReturnSlip(outcome.params["ref"]), "vi")
    [line] = slip.lines
    assert line.quantity == 2 and line_details(line, load_captions("vi"))[1] == \
        "Trả 2/3, còn 1"
    # Still on the teacher's list, for 1.
    assert [info.outstanding for info in Circulation(context).current_loans(teacher)] == [1]
    # The last one comes back the next day: the loan closes.
    final = service.return_lines([(beakers.loan_id, ReturnSplit(good=1))], teacher)
    assert final.ok and final.params["still_out"] == 0
    assert Loan.get_by_id(beakers.loan_id).returned_at is not None
    assert _stock() == (30, 30, 0, 0)
    # More than is out is refused, and changes nothing.
    assert service.return_lines([(beakers.loan_id, ReturnSplit(good=1))], teacher).code == \
        "not_on_loan"


def test_a_line_split_by_condition_keeps_damaged_and_missing_apart(context):
    service, teacher, loans = _lend(context, beakers=4, items=())
    beakers = loans["KHTN6.OCN"]
    outcome = service.return_lines(
        [(beakers.loan_id, ReturnSplit(good=2, damaged=1, missing=1, note="vỡ miệng ống"))],
        teacher)
    assert outcome.ok and outcome.params["still_out"] == 0
    assert _stock() == (30, 28, 1, 1)  # damaged and missing are not lendable
    loan = Loan.get_by_id(beakers.loan_id)
    assert (loan.returned_good, loan.returned_damaged, loan.returned_missing) == (2, 1, 1)
    assert loan.return_condition == "missing" and loan.return_note == "vỡ miệng ống"
    incidents = {i.kind: i for i in Incident.select()}
    assert incidents["damaged"].quantity == 1 and incidents["missing"].quantity == 1
    assert incidents["damaged"].patron.code == "GV0012"
    assert incidents["damaged"].note == "vỡ miệng ống"
    kinds = [kind for kind, _ in _records(outcome.params["ref"])]
    assert kinds == ["loan.returned", "item.updated"]
    updated = _records(outcome.params["ref"])[1][1]
    assert (updated["stock_on_hand"], updated["stock_damaged"], updated["stock_missing"]) == \
        (28, 1, 1)
    # Only what is on hand can be lent.
    again = service.start(teacher, Lesson(date=context.clock.today(), period=3,
                                          class_name="6A1", subject="KHTN"))
    assert service.set_quantity(again, "KHTN6.OCN", 29).code == "quantity_above_stock"
    [slip] = ReceiptBuilder(context).build(EquipmentReturnSlip(outcome.params["ref"]), "vi")
    details = line_details(slip.lines[0], load_captions("vi"))
    assert "Tình trạng: 2 tốt, 1 hỏng, 1 thiếu" in details
    assert "Ghi chú: vỡ miệng ống" in details


def test_damaged_item_is_out_of_lending_until_repaired(context):
    service, teacher, loans = _lend(context, beakers=0)
    item = loans["TB.KHTN6.001"]
    outcome = service.return_lines([(item.loan_id, "damaged", None)], teacher)
    assert outcome.ok
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "damaged"
    basket = service.start(teacher, Lesson(date=context.clock.today(), period=3,
                                           class_name="6A1", subject="KHTN"))
    assert service.add_scan(basket, "TB.KHTN6.001").code == "item_damaged"
    stock = StockService(context)
    [incident] = stock.open_incidents()
    assert stock.resolve(incident.id, "GV0012", "repaired").code == "not_staff"
    repaired = stock.resolve(incident.id, "CB0001", "repaired")
    assert repaired.ok
    item_row = EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001")
    assert (item_row.status, item_row.condition) == ("available", "good")
    assert stock.open_incidents() == []
    assert stock.resolve(incident.id, "CB0001", "repaired").code == "incident_resolved"
    [(kind, data)] = _records(repaired.params["ref"])
    assert kind == "item.updated" and data["status"] == "available"
    assert Journal.get(Journal.txn_ref == repaired.params["ref"]).action == "resolve_repaired"
    assert service.add_scan(basket, "TB.KHTN6.001").ok


def test_missing_pieces_found_again_go_back_on_hand(context):
    service, teacher, loans = _lend(context, beakers=5, items=())
    service.return_lines([(loans["KHTN6.OCN"].loan_id, ReturnSplit(good=3, missing=2))],
                         teacher)
    assert _stock() == (30, 28, 0, 2)
    stock = StockService(context)
    [incident] = stock.open_incidents("missing")
    assert stock.resolve(incident.id, "CB0001", "found", quantity=3).code == "quantity_invalid"
    assert stock.resolve(incident.id, "CB0001", "found", quantity=1).ok
    assert _stock() == (30, 29, 0, 1)
    assert stock.open_incidents("missing")[0].open_quantity == 1


def test_a_lost_book_is_recorded_with_its_patron_and_value(context):
    Copy.update(price=45000).where(Copy.barcode == "TK.00001").execute()
    circulation = Circulation(context)
    borrowed = circulation.borrow(circulation.start_session("0123456789"), "TK.00001")
    stock = StockService(context)
    outcome = stock.declare_lost(borrowed.loan.loan_id, "CB0001", "làm mất khi chuyển nhà")
    assert outcome.ok and outcome.params["patron"] == "Nguyễn Văn An"
    copy = Copy.get(Copy.barcode == "TK.00001")
    assert copy.status == "lost"
    loan = Loan.get_by_id(borrowed.loan.loan_id)
    assert loan.return_condition == "lost" and loan.returned_lost == 1
    [incident] = stock.open_incidents("lost")
    assert incident.patron_code == "0123456789" and incident.value == 45000
    assert [kind for kind, _ in _records(outcome.params["ref"])] == ["loan.returned",
                                                                     "item.updated"]
    assert _records(outcome.params["ref"])[0][1]["condition"] == "lost"
    # The lost copy cannot be lent, nor declared lost twice.
    assert circulation.borrow(circulation.start_session("0123456790"), "TK.00001").code == \
        "item_lost"
    assert stock.declare_lost(borrowed.loan.loan_id, "CB0001").code == "not_on_loan"


def test_write_off_is_a_withdrawal_with_its_reason(context):
    service, teacher, loans = _lend(context, beakers=3)
    service.return_lines([(loans["TB.KHTN6.001"].loan_id, "damaged", None),
                          (loans["KHTN6.OCN"].loan_id, ReturnSplit(good=1, damaged=2))],
                         teacher)
    stock = StockService(context)
    by_kind = {i.code: i for i in stock.open_incidents()}
    off = stock.resolve(by_kind["KHTN6.OCN"].id, "CB0001", "written_off", decision_no="07/QĐ")
    assert off.ok and _stock() == (28, 28, 0, 0)
    item_off = stock.resolve(by_kind["TB.KHTN6.001"].id, "CB0001", "written_off")
    assert item_off.ok
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "withdrawn"
    reasons = [w.reason for w in Withdrawal.select().order_by(Withdrawal.id)]
    assert reasons == ["beyond_repair", "beyond_repair"]
    kinds = [kind for kind, _ in _records(off.params["ref"])]
    assert kinds == ["item.withdrawn"]
    assert _records(off.params["ref"])[0][1]["quantity_withdrawn"] == 2
    assert stock.open_incidents() == []
