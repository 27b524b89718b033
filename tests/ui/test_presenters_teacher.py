"""A teacher: the menu, borrowing equipment for a lesson, returning it with its condition."""
from db.models import EquipmentItem, EquipmentType, Loan


def _equipment_borrow(flow):
    flow.scan("GV0012")
    assert flow.screen == "teacher"
    flow.presenter.choose("borrow_equipment")
    assert flow.screen == "equipment_borrow"
    return flow.presenter


def test_teacher_menu_offers_four_choices(flow):
    flow.scan("GV0012")
    menu = flow.presenter
    assert menu.greeting == "Xin chào thầy/cô Phạm Thu Hà"  # gender not known
    assert [c for c, _ in menu.choices()] == ["borrow_equipment", "long_term",
                                               "return_equipment", "borrow_books"]


def test_greeting_says_thay_or_co_when_the_gender_is_known(flow):
    from db.models import Patron
    Patron.update(gender="Nữ").where(Patron.code == "GV0012").execute()
    flow.scan("GV0012")
    assert flow.presenter.greeting == "Xin chào cô Phạm Thu Hà"
    assert flow.presenter.question == "Cô muốn làm gì?"
    flow.presenter.choose("borrow_equipment")
    assert flow.presenter.greeting == "Xin chào cô Phạm Thu Hà"
    flow.home()
    Patron.update(gender="Nam").where(Patron.code == "GV0012").execute()
    flow.scan("GV0012")
    assert flow.presenter.greeting == "Xin chào thầy Phạm Thu Hà"


def test_borrow_books_from_menu(flow):
    flow.scan("GV0012")
    flow.presenter.choose("borrow_books")
    assert flow.screen == "borrow"
    assert flow.presenter.greeting == "Xin chào Phạm Thu Hà"
    flow.scan("TK.00001")
    assert flow.presenter.lines[0].ok


def test_lesson_steps_and_defaults(flow):
    eq = _equipment_borrow(flow)
    assert eq.step == "class"
    assert eq.classes == ["6A1", "6A2"]  # the inactive 9A1 student's class is not offered
    eq.choose_class("6A1")
    assert eq.step == "period"
    assert eq.periods() == [("morning", n, f"Tiết {n}") for n in range(1, 6)]
    eq.choose_period(3)
    assert eq.subject == "KHTN"  # the teacher's subject by default
    assert eq.subjects()[:2] == ["KHTN", "Vật lý"]
    eq.choose_subject("KHTN")
    assert eq.step == "title"
    for key in "Baif 5: Kinhs hieenr vi":
        eq.type_key(key)
    eq.type_key("\b")
    eq.type_key("i")
    assert eq.title.text == "Bài 5: Kính hiển vi"
    eq.finish_title()
    assert eq.step == "items"
    assert eq.lesson_summary() == "6A1 · Tiết 3 · KHTN · Bài 5: Kính hiển vi"
    eq.back()
    assert eq.step == "title"


def test_scan_items_and_stock_then_confirm_prints_slip(flow, receipts, sounds):
    eq = _equipment_borrow(flow)
    eq.choose_class("6A2"); eq.choose_period(1); eq.choose_subject("KHTN")
    eq.type_key("x")
    eq.finish_title()
    flow.scan("TB.KHTN6.001")
    flow.scan("TB.KHTN6.002")
    flow.scan("TB.KHTN6.002")  # twice: once
    eq.step_quantity("KHTN6.OCN", +1)
    eq.step_quantity("KHTN6.OCN", +1)
    eq.step_quantity("KHTN6.OCN", -1)
    eq.step_quantity("KHTN6.OCN", +1)
    [stock] = eq.stock_rows()
    assert (stock.code, stock.on_hand, stock.quantity) == ("KHTN6.OCN", 30, 2)
    assert [(c, q) for c, _, q, _ in eq.basket_rows()] == [
        ("TB.KHTN6.001", 1), ("TB.KHTN6.002", 1), ("KHTN6.OCN", 2)]
    assert eq.can_confirm
    eq.confirm()
    assert eq.phase == "finished"
    assert eq.message.ok
    [call] = receipts.calls
    assert call.receipt.kind == "equipment_slip" and len(call.receipt.lines) == 3
    assert call.receipt.lesson.class_name == "6A2"
    loans = list(Loan.select().where(Loan.kind == "equipment"))
    assert {loan.lesson.class_name for loan in loans} == {"6A2"}
    assert {loan.lesson.title for loan in loans} == {"x"}
    assert len({loan.lesson_id for loan in loans}) == 1  # one lesson, three lines
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 28
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "on_loan"


def test_quantity_above_stock_is_refused(flow, sounds):
    eq = _equipment_borrow(flow)
    eq.step_quantity("KHTN6.OCN", 31)
    assert not eq.message.ok and "Chỉ còn 30" in eq.message_text
    assert sounds.played[-1] == "refusal"


def test_confirm_without_lesson_goes_back_to_the_missing_step(flow):
    eq = _equipment_borrow(flow)
    flow.scan("TB.KHTN6.001")
    eq.confirm()
    assert eq.step == "class"
    assert eq.message.code == "lesson_required"
    assert Loan.select().count() == 0


def test_book_scanned_in_equipment_basket_is_refused(flow):
    eq = _equipment_borrow(flow)
    flow.scan("TK.00001")
    assert eq.message.code == "not_equipment"


def test_recent_lesson_titles_are_offered(flow):
    eq = _equipment_borrow(flow)
    eq.choose_class("6A1"); eq.choose_period(1); eq.choose_subject("KHTN")
    eq.title.set("Bài 1: Đo chiều dài")
    eq.finish_title()
    flow.scan("TB.KHTN6.001")
    eq.confirm()
    flow.home()
    eq2 = _equipment_borrow(flow)
    assert eq2.recent_titles == ["Bài 1: Đo chiều dài"]
    eq2.choose_recent_title("Bài 1: Đo chiều dài")
    assert eq2.step == "items" and eq2.title.text == "Bài 1: Đo chiều dài"


def test_scanning_an_item_on_the_menu_starts_a_basket(flow):
    flow.scan("GV0012")
    flow.scan("TB.KHTN6.003")
    assert flow.screen == "equipment_borrow"
    assert flow.presenter.basket_rows()[0][0] == "TB.KHTN6.003"


def test_students_cannot_borrow_equipment(flow):
    flow.scan("0123456789")
    flow.scan("TB.KHTN6.001")
    assert flow.presenter.lines[0].outcome.code == "equipment_not_for_patron"


def test_idle_timeout_drops_unconfirmed_basket(flow, monotonic):
    _equipment_borrow(flow)
    flow.scan("TB.KHTN6.001")
    monotonic.advance(31)
    flow.tick()
    assert flow.screen == "home"
    assert Loan.select().count() == 0


def _lend_equipment(flow):
    eq = _equipment_borrow(flow)
    eq.choose_class("6A1"); eq.choose_period(2); eq.choose_subject("KHTN"); eq.finish_title()
    flow.scan("TB.KHTN6.001")
    flow.scan("TB.KHTN6.002")
    eq.step_quantity("KHTN6.OCN", 5)
    eq.confirm()
    flow.home()


def test_return_with_conditions(flow, receipts):
    _lend_equipment(flow)
    receipts.calls.clear()
    flow.scan("GV0012")
    flow.presenter.choose("return_equipment")
    ret = flow.presenter
    assert flow.screen == "equipment_return"
    assert len(ret.open_loans) == 3
    flow.scan("TB.KHTN6.001")
    flow.scan("TB.KHTN6.002")
    flow.scan("KHTN6.OCN")
    [a, b, c] = ret.entries
    assert a.condition == "good" and a.condition_label == "Tốt"
    ret.cycle_condition(b.loan.loan_id)
    assert b.condition == "damaged"
    # The 5 test tubes: one stays out, one came back broken, with a note.
    ret.cycle_condition(c.loan.loan_id)  # a counted line opens its pieces
    assert ret.selected == c.loan.loan_id
    ret.step(c.loan.loan_id, "good", -1)
    ret.step(c.loan.loan_id, "good", -1)
    ret.step(c.loan.loan_id, "damaged", +1)
    ret.step(c.loan.loan_id, "damaged", +5)  # never more than are out: ignored
    assert (c.good, c.damaged, c.missing, c.left) == (3, 1, 0, 1)
    assert c.summary == "Trả 4/5, còn 1 · 3 tốt, 1 hỏng"
    ret.start_note(c.loan.loan_id)
    for key in "vowx":
        ret.note_key(key)
    ret.finish_note()
    assert c.note == "vỡ"
    assert ret.waiting() == []
    ret.confirm()
    assert ret.phase == "finished" and ret.message.ok
    assert ret.message_text == "Đã ghi trả 3 thiết bị; còn 1 chưa trả."
    [call] = receipts.calls
    assert call.receipt.title == "PHIẾU TRẢ THIẾT BỊ" and len(call.receipt.lines) == 3
    tubes = call.receipt.lines[2]
    assert (tubes.quantity, tubes.of_quantity, tubes.still_out, tubes.note) == (4, 5, 1, "vỡ")
    assert tubes.split == (("good", 3), ("damaged", 1))
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "available"
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.002").status == "damaged"
    tube_stock = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (tube_stock.stock_on_hand, tube_stock.stock_damaged) == (28, 1)
    # The tube still out is still on the teacher's list.
    assert [loan.outstanding for loan in ret.open_loans] == [1]


def test_return_pick_by_touch_and_refusals(flow):
    _lend_equipment(flow)
    flow.scan("GV0012")
    flow.presenter.choose("return_equipment")
    ret = flow.presenter
    stock = next(loan for loan in ret.open_loans if loan.code == "KHTN6.OCN")
    ret.pick(stock.loan_id)
    assert ret.entry(stock.loan_id) is not None
    flow.scan("TB.KHTN6.003")  # not on loan
    assert ret.message.code == "not_on_loan"
    flow.scan("TK.00001")
    assert ret.message.code == "not_equipment"
    ret.remove(stock.loan_id)
    assert ret.entries == []
    ret.confirm()
    assert ret.message.code == "basket_empty"


def test_every_screen_times_out_to_home(flow, monotonic):
    """Privacy: whatever is on screen, an idle kiosk goes back home."""
    openers = {
        "teacher": lambda: flow.scan("GV0012"),
        "equipment_borrow": lambda: (flow.scan("GV0012"),
                                     flow.presenter.choose("borrow_equipment")),
        "equipment_return": lambda: (flow.scan("GV0012"),
                                     flow.presenter.choose("return_equipment")),
        "staff_signin": lambda: flow.scan("CB0001"),
        "returns": lambda: flow.scan("TK.00001"),
        "borrow": lambda: flow.scan("0123456789"),
    }
    for screen, open_screen in openers.items():
        open_screen()
        assert flow.screen == screen
        monotonic.advance(flow.presenter.idle_timeout_s() + 1)
        flow.tick()
        assert flow.screen == "home", screen


def test_periods_are_numbered_per_session(flow):
    from db.models import Loan, Period
    for session, count in (("morning", 5), ("afternoon", 4)):
        for n in range(1, count + 1):
            Period.create(number=n, session=session, starts_at="07:00", ends_at="07:45")
    eq = _equipment_borrow(flow)
    labels = [label for _, _, label in eq.periods()]
    assert labels[0] == "Sáng · Tiết 1" and labels[5] == "Chiều · Tiết 1" and len(labels) == 9
    eq.choose_class("6A1")
    eq.choose_period(2, "afternoon")
    assert eq.period_label == "Chiều · Tiết 2"
    eq.choose_subject("KHTN")
    eq.finish_title()
    flow.scan("TB.KHTN6.001")
    eq.confirm()
    loan = Loan.get()
    assert (loan.lesson.period, loan.lesson.session) == (2, "afternoon")
