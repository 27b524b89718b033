"""A teacher's lesson loan, counted stock, staff sign-in, PIN lock-out and voiding."""
from datetime import timedelta

from db.models import EquipmentItem, EquipmentType, Journal, Loan, Outbox, Patron
from kiosk.services.equipment import EquipmentBasket, EquipmentLending, Lesson
from kiosk.services.staff import StaffService, hash_pin, verify_pin


def _basket(context, long_term=False):
    service = EquipmentLending(context)
    teacher = Patron.get(Patron.code == "GV0012")
    lesson = Lesson(date=context.clock.today(), period=3, class_name="6A1", subject="KHTN",
                    title="Tế bào", purpose="Quan sát tế bào")
    basket = service.start(teacher, lesson, long_term)
    assert isinstance(basket, EquipmentBasket)
    return service, basket


def test_lesson_loan_of_items_and_counted_stock_commits_together(context):
    service, basket = _basket(context)
    assert service.add_scan(basket, "TB.KHTN6.001").ok
    assert service.add_scan(basket, "TB.KHTN6.001").code == "already_in_session"
    assert service.set_quantity(basket, "KHTN6.OCN", 12).ok
    outcome = service.confirm(basket)
    assert outcome.ok and outcome.params["count"] == 2
    loans = list(Loan.select().order_by(Loan.id))
    assert [loan.quantity for loan in loans] == [1, 12]
    # One checkout of two things is one lesson with two loan lines.
    assert len({loan.lesson_id for loan in loans}) == 1 and loans[0].lesson_id is not None
    assert all(loan.lesson.class_name == "6A1" and loan.lesson.period == 3 for loan in loans)
    assert loans[0].lesson.subject_group == "Khoa học tự nhiên"
    assert all(loan.due_on == context.clock.today() for loan in loans)
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 18
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "on_loan"
    assert Outbox.select().count() == 2 and Journal.select().count() == 2
    assert '"class": "6A1"' in Outbox.get().data and '"lesson_id": "' in Outbox.get().data


def test_quantity_above_stock_is_refused(context):
    service, basket = _basket(context)
    refused = service.set_quantity(basket, "KHTN6.OCN", 31)
    assert refused.code == "quantity_above_stock" and refused.params["on_hand"] == 30
    assert basket.lines == []


def test_stock_taken_meanwhile_rolls_the_whole_basket_back(context):
    service, basket = _basket(context)
    service.add_scan(basket, "TB.KHTN6.002")
    service.set_quantity(basket, "KHTN6.OCN", 20)
    EquipmentType.update(stock_on_hand=5).where(EquipmentType.code == "KHTN6.OCN").execute()
    refused = service.confirm(basket)
    assert refused.code == "quantity_above_stock"
    assert Loan.select().count() == 0 and Outbox.select().count() == 0
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.002").status == "available"


def test_long_term_loan_runs_for_the_configured_days(context):
    service, basket = _basket(context, long_term=True)
    service.add_scan(basket, "TB.KHTN6.003")
    outcome = service.confirm(basket)
    due = outcome.params["loans"][0].due_on
    assert due >= context.clock.today() + timedelta(days=140)
    assert Loan.get().long_term


def test_equipment_return_with_conditions_and_partial_quantity(context):
    service, basket = _basket(context)
    service.add_scan(basket, "TB.KHTN6.001")
    service.set_quantity(basket, "KHTN6.OCN", 10)
    service.confirm(basket)
    item_loan, stock_loan = Loan.select().order_by(Loan.id)
    teacher = Patron.get(Patron.code == "GV0012")
    outcome = service.return_lines([(item_loan.id, "damaged", None),
                                    (stock_loan.id, "good", 8)], teacher)
    assert outcome.ok and outcome.params["still_out"] == 2
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "damaged"
    # 8 of 10 back on hand; 2 still on loan (not lost, not back).
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 28
    assert Loan.get_by_id(stock_loan.id).returned_at is None
    assert Outbox.select().where(Outbox.type == "loan.returned").count() == 2


def test_empty_basket_and_missing_lesson_are_refused(context):
    service = EquipmentLending(context)
    teacher = Patron.get(Patron.code == "GV0012")
    basket = service.start(teacher)
    assert service.confirm(basket).code == "basket_empty"
    service.add_scan(basket, "TB.KHTN6.001")
    assert service.confirm(basket).code == "lesson_required"


def test_pin_is_stored_as_a_slow_salted_hash():
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second and "2468" not in first and first.startswith("scrypt$")
    assert verify_pin("2468", first) and not verify_pin("2469", first)
    assert not verify_pin("2468", "garbage")


def test_five_wrong_pins_lock_for_five_minutes(context):
    staff = StaffService(context)
    for left in (4, 3, 2, 1):
        assert staff.authenticate("CB0001", "0000").params == {"left": left}
    assert staff.authenticate("CB0001", "0000").code == "pin_locked"
    assert staff.authenticate("CB0001", "2468").code == "pin_locked"
    context.clock.advance(minutes=4, seconds=59)
    still = staff.authenticate("CB0001", "2468")  # the right PIN, one second early
    assert still.code == "pin_locked" and still.params == {"minutes": 1}
    context.clock.advance(seconds=2)
    assert staff.authenticate("CB0001", "2468").ok


def test_only_staff_may_sign_in(context):
    assert StaffService(context).authenticate("GV0012", "2468").code == "not_staff"


def test_void_needs_staff_and_a_reason_and_restores_the_shelf(context):
    from kiosk.services.circulation import Circulation
    circulation = Circulation(context)
    borrowed = circulation.borrow(circulation.start_session("0123456789"), "TK.00001")
    staff = StaffService(context)
    loan_id = borrowed.loan.loan_id
    assert staff.void(loan_id, "CB0001", "   ").code == "reason_required"
    assert staff.void(loan_id, "GV0012", "quét nhầm").code == "not_staff"
    assert staff.void(loan_id, "CB0001", "quét nhầm").ok
    assert staff.void(loan_id, "CB0001", "quét nhầm").code == "already_voided"
    loan = Loan.get_by_id(loan_id)
    assert loan.void_reason == "quét nhầm" and loan.copy.status == "available"
    assert Outbox.select().where(Outbox.type == "loan.voided").count() == 1
    assert Journal.get(Journal.action == "void").actor == "CB0001"


def test_void_of_counted_stock_puts_it_back(context):
    service, basket = _basket(context)
    service.set_quantity(basket, "KHTN6.OCN", 7)
    service.confirm(basket)
    assert StaffService(context).void(Loan.get().id, "CB0001", "nhập sai số").ok
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 30
