"""A teacher's screens: the lesson's day, booking ahead, collecting by card, long-term loans,
the stock list's filter, a physical keyboard in the title field. Real SQLite, the real flow."""
from datetime import date, datetime, timedelta

from db.models import Booking, EquipmentType, Loan, Outbox, Patron

TODAY = date(2026, 11, 26)
STAMP = datetime(2026, 11, 26, 2, 0)


def _menu(flow, code="GV0012"):
    flow.scan(code)
    assert flow.screen == "teacher"
    return flow.presenter


def _lesson(flow, day=None, period=2, class_name="6A1"):
    _menu(flow).choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class(class_name)
    if day is not None:
        eq.other_day()
        assert eq.step == "date"
        eq.choose_day(day)
        assert eq.step == "period"
    eq.choose_period(period)
    eq.choose_subject("KHTN")
    eq.finish_title()
    assert eq.step == "items"
    return eq


def _second_teacher():
    Patron.create(kind="teacher", code="GV0020", name="Ngô Bảo Châu", gender="Nam",
                  search_key="ngo bao chau", subjects="KHTN", updated_at=STAMP)


def test_days_offered_skip_sundays_and_label_today_and_tomorrow(flow):
    _menu(flow).choose("borrow_equipment")
    eq = flow.presenter
    assert [label for _, label in eq.quick_days()] == ["Hôm nay", "Ngày mai"]
    days = eq.days()
    assert days[0] == TODAY and date(2026, 11, 29) not in days  # a Sunday
    assert eq.day_label(date(2026, 11, 30)) == "T2 30/11"


def test_book_ahead_then_another_teacher_sees_it_reserved_and_is_refused(flow):
    Patron.update(gender="Nữ").where(Patron.code == "GV0012").execute()
    _second_teacher()
    tomorrow = TODAY + timedelta(days=1)
    eq = _lesson(flow, tomorrow)
    assert eq.booking and eq.step_title == "Chọn thiết bị cần đặt trước"
    assert eq.confirm_label == "Đặt trước"
    # booking ahead lists labelled kinds too, with how many are free for the lesson
    rows = {row.code: row for row in eq.stock_rows()}
    assert (rows["KHTN6.KHV"].on_hand, rows["KHTN6.KHV"].labelled) == (3, True)
    for _ in range(2):
        eq.step_quantity("KHTN6.KHV", +1)
    flow.scan("KHTN6.OCN")  # a stock code scanned books one more
    eq.step_quantity("KHTN6.OCN", +1)
    assert [(code, n) for code, _, n, _ in eq.basket_rows()] == [("KHTN6.KHV", 2),
                                                                ("KHTN6.OCN", 2)]
    eq.confirm()
    assert eq.message.ok, eq.message_text
    assert eq.message_text.startswith("Đã đặt trước 4 thiết bị cho tiết 2 ngày 27/11/2026.")
    assert Loan.select().count() == 0  # nothing lent yet
    assert Booking.get().status == "booked"
    assert Outbox.select().where(Outbox.type == "booking.made").count() == 1
    flow.home()
    flow.scan("GV0020")
    flow.presenter.choose("borrow_equipment")
    eq2 = flow.presenter
    eq2.choose_class("6A2"); eq2.other_day(); eq2.choose_day(tomorrow); eq2.choose_period(2)
    eq2.choose_subject("KHTN"); eq2.finish_title()
    rows = {row.code: row for row in eq2.stock_rows()}
    assert (rows["KHTN6.KHV"].on_hand, rows["KHTN6.KHV"].reserved) == (1, 2)
    assert rows["KHTN6.KHV"].detail == "còn 1 · đã đặt 2"
    eq2.step_quantity("KHTN6.KHV", +1)
    eq2.step_quantity("KHTN6.KHV", +1)
    assert not eq2.message.ok
    assert eq2.message_text == (
        "Chỉ còn 1 “Kính hiển vi quang học” cho tiết này (cần 2): đã đặt trước bởi "
        "cô Phạm Thu Hà (6A1, tiết 2 Sáng 27/11, 2 cái).")
    assert [(code, n) for code, _, n, _ in eq2.basket_rows()] == [("KHTN6.KHV", 1)]


def test_collecting_a_booking_takes_one_card_scan(flow, receipts):
    tomorrow = TODAY + timedelta(days=1)
    eq = _lesson(flow, tomorrow, period=3)
    eq.step_quantity("KHTN6.KHV", +1)
    eq.step_quantity("KHTN6.OCN", +1)
    eq.step_quantity("KHTN6.OCN", +1)
    eq.confirm()
    assert eq.message.ok
    flow.home()
    menu = _menu(flow)  # today: listed, not collected
    assert Loan.select().count() == 0
    assert [line.collectable for line in menu.booking_lines()] == [False]
    assert menu.booking_lines()[0].text == ("27/11 · Tiết 3 Sáng · 6A1 · "
                                            "Kính hiển vi quang học ×1, Ống nghiệm ×2")
    flow.home()
    flow.context.clock.advance(days=1)
    flow.scan("GV0012")  # the one scan
    menu = flow.presenter
    assert menu.message.ok, menu.message_text
    assert menu.message_text == "Đã nhận đồ đặt trước cho tiết 3 lớp 6A1: 2 dòng."
    loans = list(Loan.select())
    assert {(l.lesson.lesson_date, l.lesson.period, l.lesson.class_name) for l in loans} == {
        (tomorrow, 3, "6A1")}
    assert sorted(l.quantity for l in loans) == [1, 2]
    assert Booking.get().status == "collected"
    [call] = receipts.calls
    assert call.receipt.kind == "equipment_slip"
    assert menu.booking_lines() == []


def test_lending_now_shows_and_keeps_what_todays_bookings_hold(flow):
    _second_teacher()
    eq = _lesson(flow, period=4)  # today
    assert not eq.booking
    # book for today: go to another day's list and pick today's later period through it
    flow.home()
    from kiosk.services.equipment import Lesson
    teacher = flow.circulation.identify("GV0020").record
    assert flow.bookings.book(teacher, Lesson(date=TODAY, period=4, class_name="6A2",
                                              subject="KHTN"), {"KHTN6.OCN": 25}).ok
    eq = _lesson(flow, period=2)
    [row] = [r for r in eq.stock_rows() if r.code == "KHTN6.OCN"]
    assert (row.on_hand, row.reserved) == (5, 25)
    for _ in range(6):
        eq.step_quantity("KHTN6.OCN", +1)
    assert not eq.message.ok
    assert eq.message_text == ("Chỉ còn 5 “Ống nghiệm” cho mượn lúc này: 25 đã đặt trước bởi "
                               "thầy Ngô Bảo Châu (6A2, tiết 4 Sáng 26/11, 25 cái).")
    assert [(c, n) for c, _, n, _ in eq.basket_rows()] == [("KHTN6.OCN", 5)]


def test_stock_filter_by_typed_text_and_subject(flow):
    EquipmentType.create(code="HOA8.BTH", name="Bảng tuần hoàn các nguyên tố hóa học",
                         unit="tờ", tracking="counted", stock_total=4, stock_on_hand=4,
                         subject="Hóa học", grade="8", updated_at=STAMP)
    EquipmentType.create(code="KHTN6.DCD", name="Đèn cồn", unit="cái", tracking="counted",
                         stock_total=10, stock_on_hand=10, subject="KHTN", grade="6", updated_at=STAMP)
    eq = _lesson(flow)
    assert [r.name for r in eq.stock_rows()] == ["Đèn cồn", "Ống nghiệm"]  # KHTN only
    assert eq.subject_filter_label() == "Môn: KHTN"
    eq.toggle_subject_filter()
    assert eq.subject_filter_label() == "Mọi môn"
    assert [r.name for r in eq.stock_rows()] == ["Đèn cồn", "Ống nghiệm",
                                                 "Bảng tuần hoàn các nguyên tố hóa học"]
    eq.open_filter()
    for key in "hoas hocj":  # Telex on the on-screen keyboard
        eq.filter_key(key)
    assert eq.filter_text == "hoá học" or eq.filter_text == "hóa học"
    assert [r.name for r in eq.stock_rows()] == ["Bảng tuần hoàn các nguyên tố hóa học"]
    eq.clear_filter()
    for key in "den":  # no diacritics typed: still found
        eq.filter_key(key)
    assert [r.name for r in eq.stock_rows()] == ["Đèn cồn"]


def test_a_usb_keyboard_types_the_title_and_scans_still_scan(flow):
    _menu(flow).choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class("6A1"); eq.choose_period(1); eq.choose_subject("KHTN")
    assert eq.step == "title"
    for key in "Baif 5x":
        flow.typed(key)
    flow.typed("\b")
    assert eq.title.text == "Bài 5"
    flow.scan("TB.KHTN6.001")  # a scanner's burst is a scan, not typing
    assert eq.title.text == "Bài 5" and eq.basket_rows()[0][0] == "TB.KHTN6.001"
    flow.typed("\r")
    assert eq.step == "items"
    flow.typed("o")  # on the items step: the stock filter
    assert eq.filter_open and eq.filter_text == "o"


def test_subjects_in_vietnamese_order(flow):
    Patron.update(subjects="Vật lý;Âm nhạc;KHTN;Địa lý").where(
        Patron.code == "GV0012").execute()
    _menu(flow).choose("borrow_equipment")
    assert flow.presenter.subjects()[:4] == ["Âm nhạc", "Địa lý", "KHTN", "Vật lý"]


def test_long_term_loan_and_renewal_on_the_teacher_screen(flow, receipts):
    menu = _menu(flow)
    menu.choose("long_term")
    eq = flow.presenter
    assert eq.long_term and eq.step == "items"
    assert eq.step_title == "Dài hạn: quét, hoặc chọn số lượng"
    flow.scan("TB.KHTN6.002")
    eq.step_quantity("KHTN6.OCN", +1)
    eq.cycle_long_term()
    assert eq.long_term_label() == "Thời hạn: cả năm học"
    eq.cycle_long_term()
    assert eq.lesson_summary().startswith("Mượn dài hạn · hạn trả ")
    eq.confirm()
    assert eq.message.ok, eq.message_text
    loans = list(Loan.select())
    assert {(l.long_term, l.lesson_id) for l in loans} == {(True, None)}
    first_due = loans[0].due_on
    assert (first_due - TODAY).days >= 140
    flow.home()
    flow.context.clock.advance(days=30)
    menu = _menu(flow)
    assert menu.long_term_text().startswith("Đang mượn dài hạn: 2 thiết bị")
    menu.renew_long_term()
    assert menu.message.ok, menu.message_text
    assert {l.due_on for l in Loan.select()} == {Loan.get().due_on}
    assert Loan.get().due_on > first_due
    assert Outbox.select().where(Outbox.type == "loan.renewed").count() == 2


def test_take_it_now_for_a_later_lesson(flow):
    tomorrow = TODAY + timedelta(days=1)
    eq = _lesson(flow, tomorrow, period=1)
    assert eq.booking and eq.take_now_label() == "Nhận: đặt trước"
    eq.toggle_take_now()
    assert not eq.booking and eq.confirm_label == "Xác nhận"
    flow.scan("TB.KHTN6.003")
    eq.confirm()
    assert eq.message.ok, eq.message_text
    loan = Loan.get()
    assert (loan.lesson.lesson_date, loan.lesson.period, loan.due_on) == (tomorrow, 1, tomorrow)
    assert Booking.select().count() == 0


def test_the_home_screen_lapses_an_unclaimed_booking_after_its_lesson(flow, monotonic):
    tomorrow = TODAY + timedelta(days=1)
    eq = _lesson(flow, tomorrow, period=2)
    for _ in range(30):
        eq.step_quantity("KHTN6.OCN", +1)
    eq.confirm()
    assert eq.message.ok
    flow.home()
    flow.tick()
    assert Booking.get().status == "booked"  # its day has not come
    flow.context.clock.advance(days=2)  # the lesson's day is over (no period times: the day)
    monotonic.advance(61)
    flow.tick()
    booking = Booking.get()
    assert booking.status == "lapsed" and booking.closed_ref.startswith("QD-")
    assert Outbox.select().where(Outbox.type == "booking.lapsed").count() == 1
    # the 30 tubes are free again for that lesson's slot... and lendable today
    eq = _lesson(flow, period=1)
    [row] = [r for r in eq.stock_rows() if r.code == "KHTN6.OCN"]
    assert (row.on_hand, row.reserved) == (30, 0)
