"""Staff: PIN keypad with lock-out, the day's review, void, reprint, overdue, status, summary."""
from datetime import date

from db.models import Copy, EquipmentType, Journal, Loan, Outbox
from kiosk.services.circulation import Circulation
from kiosk.sync.status import SyncStatus
from tests.factories import reconfigure


def _sign_in(flow, pin="2468"):
    flow.scan("CB0001")
    assert flow.screen == "staff_signin"
    keypad = flow.presenter
    for digit in pin:
        keypad.press(digit)
    keypad.submit()
    return flow.presenter


def _some_activity(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.scan("TK.00002")
    flow.presenter.done()
    flow.home()
    flow.scan("0123456790")
    flow.scan("GK.00001")
    flow.presenter.done()
    flow.home()
    flow.scan("GV0012")
    flow.presenter.choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class("6A1"); eq.choose_period(2); eq.choose_subject("KHTN"); eq.finish_title()
    flow.scan("TB.KHTN6.001")
    eq.confirm()
    flow.home()
    context.clock.advance(minutes=5)
    flow.scan("TK.00002")
    flow.home()


def test_pin_keypad(flow):
    flow.scan("CB0001")
    keypad = flow.presenter
    assert keypad.greeting == "Đỗ Minh Thư: nhập mã PIN"
    for digit in "24689":
        keypad.press(digit)
    keypad.backspace()
    assert keypad.masked == "••••"
    keypad.submit()
    assert flow.screen == "staff_review"
    # The seed's PIN has 4 digits: it still works, and the greeting asks for a 6-digit one.
    assert flow.presenter.message_text.startswith("Xin chào Đỗ Minh Thư.")
    assert "6 số" in flow.presenter.message_text


def test_five_wrong_pins_lock_for_five_minutes(flow, context):
    flow.scan("CB0001")
    keypad = flow.presenter
    for attempt in range(5):
        for digit in "0000":
            keypad.press(digit)
        keypad.submit()
    assert "5 phút" in keypad.message_text
    for digit in "2468":
        keypad.press(digit)
    keypad.submit()
    assert flow.screen == "staff_signin"  # locked even with the right PIN
    context.clock.advance(minutes=6)
    for digit in "2468":
        keypad.press(digit)
    keypad.submit()
    assert flow.screen == "staff_review"


def test_wrong_pin_says_attempts_left(flow):
    flow.scan("CB0001")
    keypad = flow.presenter
    keypad.press("1")
    keypad.submit()
    assert keypad.message_text == "Mã PIN không đúng. Còn 4 lần thử."
    assert keypad.pin == ""


def test_todays_transactions_with_filters(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    rows = review.rows
    assert len(rows) == 5  # 4 out, 1 back
    assert rows[0].direction == "back" and rows[0].code == "TK.00002"
    review.set_filter("kind", "equipment")
    assert [r.code for r in review.rows] == ["TB.KHTN6.001"]
    assert review.rows[0].class_name == "6A1"
    review.set_filter("kind", None)
    review.open_picker("direction")
    assert [value for value, _ in review.picker_options()] == [None, "out", "back"]
    review.pick("out")
    assert review.picking is None
    assert review.filters["direction"] == "out" and len(review.rows) == 4
    review.open_picker("direction")
    review.pick("back")
    assert len(review.rows) == 1
    review.set_filter("direction", None)
    review.set_filter("class_name", "6A2")
    assert [r.code for r in review.rows] == ["GK.00001"]
    review.set_filter("class_name", None)
    review.set_filter("teacher_code", "GV0012")
    assert [r.patron_code for r in review.rows] == ["GV0012"]
    assert review.filter_label("teacher_code") == "Phạm Thu Hà"
    assert review.filter_label("kind") == "Mọi loại"


def test_void_with_reason(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    row = next(r for r in review.rows if r.code == "GK.00001")
    review.select(row.loan_id, "out")
    assert review.selected.code == "GK.00001"
    review.void_selected()  # no reason typed
    assert review.message.code == "reason_required"
    review.void_selected("scanned_by_mistake")
    assert review.confirming == "Quét nhầm"  # asked first, with the reason shown
    assert Loan.get_by_id(row.loan_id).voided_at is None
    review.confirm_void()
    assert review.message.ok and review.confirming is None
    loan = Loan.get_by_id(row.loan_id)
    assert loan.voided_at is not None and loan.void_reason == "Quét nhầm"
    assert review.selected.voided
    assert Journal.select().where(Journal.action == "void").count() == 1
    review.void_selected("test")
    assert review.message.code == "already_voided" and review.confirming is None


def test_void_with_typed_reason(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    review.select(review.rows[-1].loan_id, "out")
    for key in "Nhaamf lowps":
        review.reason.key(key)
    loan_id = review.rows[-1].loan_id
    review.void_selected()
    review.confirm_void()
    assert review.message.ok
    assert Loan.get_by_id(loan_id).void_reason == "Nhầm lớp"


def test_reprint(flow, context, receipts):
    _some_activity(flow, context)
    review = _sign_in(flow)
    receipts.calls.clear()
    row = next(r for r in review.rows if r.code == "TK.00001")
    review.select(row.loan_id)
    review.reprint()
    [call] = receipts.calls
    assert call.receipt.reprint and call.request.ref == row.txn_ref
    assert sorted(line.code for line in call.receipt.lines) == ["TK.00001", "TK.00002"]
    assert call.receipt.patron_name == "Nguyễn Văn An"


def test_overdue_by_class_and_slips(flow, context, receipts):
    _some_activity(flow, context)
    context.clock.advance(days=20)
    review = _sign_in(flow)
    review.show_tab("overdue")
    assert list(review.overdue) == ["6A1", "6A2"]
    assert [r.code for r in review.overdue["6A1"]] == ["TK.00001"]
    assert review.overdue["6A1"][0].days_late == 6
    receipts.calls.clear()
    review.print_overdue("6A1")
    [call] = receipts.calls
    assert call.receipt.patron_class == "6A1" and "6A1" in call.receipt.title
    assert [line.code for line in call.receipt.lines] == ["TK.00001 · Nguyễn Văn An"]


def test_status_tab(flow, context):
    _some_activity(flow, context)
    Outbox.update(state="dead", last_error="HTTP 422").where(Outbox.id == 1).execute()
    review = _sign_in(flow)
    review.show_tab("status")
    assert review.sync.pending == Outbox.select().count() - 1
    assert review.sync.dead == 1 and review.sync.level == "error"
    assert review.sync.dead_letters[0].reason == "HTTP 422"
    assert [d.name for d in review.devices] == ["printer", "scanner:keyboard"]
    from kiosk.presenters.staff_review import device_text
    assert [device_text(d) for d in review.devices] == [
        "Máy in thử (chỉ lưu ảnh phiếu, không in giấy): sẵn sàng",
        "Máy quét USB (kiểu bàn phím): đang hoạt động"]


def test_summary_tab_and_print(flow, context, receipts):
    _some_activity(flow, context)
    review = _sign_in(flow)
    review.show_tab("summary")
    s = review.summary
    assert (s.books_borrowed, s.books_returned, s.equipment_borrowed,
            s.equipment_returned) == (3, 1, 1, 0)
    assert [(c.class_name, c.books_borrowed, c.books_returned, c.equipment_borrowed)
            for c in s.by_class] == [("6A1", 2, 1, 1), ("6A2", 1, 0, 0)]
    receipts.calls.clear()
    review.print_summary()
    assert receipts.calls[0].receipt.kind == "day_summary"
    assert receipts.calls[0].receipt.summary.books_borrowed == 3


def test_scanning_an_item_filters_to_it(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    flow.scan("TK.00002")
    assert {r.code for r in review.rows} == {"TK.00002"}
    assert review.selected is not None


def test_staff_screen_times_out_later(flow, monotonic):
    _sign_in(flow)
    monotonic.advance(60)
    flow.tick()
    assert flow.screen == "staff_review"
    monotonic.advance(61)
    flow.tick()
    assert flow.screen == "home"


def test_home_sync_indicator_levels(flow, context, monotonic):
    home = flow.home_presenter
    _some_activity(flow, context)
    monotonic.advance(11)
    flow.tick()
    assert home.sync.pending > 0
    assert home.sync_level == "ok"  # waiting only a few minutes
    context.clock.advance(minutes=20)
    monotonic.advance(11)
    flow.tick()
    assert home.sync_level == "waiting"
    assert home.sync_text.startswith("Chờ gửi")
    assert SyncStatus(dead_count=1).level == "error"


def _type(declaring, field, keys):
    declaring.edit(field)
    for key in keys:
        declaring.key(key)
    declaring.finish_field()


def test_declare_a_book_with_every_register_field(flow, receipts):
    from db.models import Copy, Outbox, Title
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    _type(d, "title", "Truyeenj Kieeuf")
    _type(d, "author", "Nguyeenx Du")
    _type(d, "publisher", "Vawn hocj")
    _type(d, "place", "Haf Nooij")
    _type(d, "year", "2019x")  # only digits go into a number
    _type(d, "price", "45000")
    _type(d, "classification", "8V1")
    assert d.field_label("price") == "Giá tiền: 45.000 đ"
    assert d.form.store == "TK"  # not a textbook
    assert d.store_label("GK") == "GK – Sách giáo khoa"
    d.step_count(+10)
    d.step_count(+1)
    d.step_count(-1)
    assert d.form.count == 11
    d.step_count(-10)
    d.step_count(+1)
    receipts.calls.clear()
    d.submit()
    outcome = review.message
    assert outcome.ok, outcome.message
    assert outcome.params["codes"] == ["TK.00011", "TK.00012"]
    title = Title.get(Title.title == "Truyện Kiều")
    assert (title.author, title.publisher, title.place, title.year, title.price,
            title.classification, title.language) == (
        "Nguyễn Du", "Văn học", "Hà Nội", 2019, 45000, "8V1", "vi")
    assert Copy.get(Copy.barcode == "TK.00011").shelf_mark == "8V1 NGU 2019"
    assert Outbox.select().where(Outbox.type == "item.declared").count() == 2
    [call] = receipts.calls
    assert call.request.codes[0] == "TK.00011" and len(call.documents) == 2
    assert d.form.value("title") == ""  # the form is ready for the next one


def test_a_textbook_goes_to_the_textbook_store(flow):
    from db.models import Copy, Title
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    _type(d, "title", "Ngwx vawn 7 taapj hai")
    assert d.form.value("title") == "Ngữ văn 7 tập hai" and d.form.store == "GK"
    # A known textbook's ISBN: its copies are in GK, so the new ones go there too.
    Title.update(isbn="9786040000019").where(Title.title == "Toán 6 tập một").execute()
    flow.scan("9786040000019")
    assert d.form.known.title == "Toán 6 tập một" and d.form.store == "GK"
    assert d.field_label("title") == "Nhan đề: Toán 6 tập một"
    d.submit()
    assert review.message.params["codes"] == ["GK.00002"]
    assert Copy.get(Copy.barcode == "GK.00002").title.title == "Toán 6 tập một"


def test_declare_by_isbn_scan_reuses_the_title(flow):
    from db.models import Copy, Title
    review = _sign_in(flow)
    review.show_tab("declare")
    flow.scan("9786042000017")
    assert review.declaring.form.isbn == "9786042000017"
    assert review.declaring.form.value("title") == "Dế Mèn phiêu lưu ký"
    assert review.declaring.form.store == "TK"
    review.declaring.submit()
    assert Title.select().where(Title.isbn == "9786042000017").count() == 1
    assert Copy.get(Copy.barcode == "TK.00011").title.title == "Dế Mèn phiêu lưu ký"


def test_an_unknown_isbn_opens_the_form(flow):
    from db.models import Title
    review = _sign_in(flow)
    review.show_tab("declare")
    flow.scan("9786041234567")
    d = review.declaring
    assert d.form.known is None and d.form.isbn == "9786041234567"
    _type(d, "title", "Tooi thaays hoa vangf")
    _type(d, "author", "Nguyeenx Nhaajt Anhs")
    d.submit()
    assert review.message.ok
    assert Title.get(Title.isbn == "9786041234567").author == "Nguyễn Nhật Ánh"


def test_declare_equipment_with_its_register_fields_and_scheme_codes(flow):
    from db.models import EquipmentItem, EquipmentType
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    d.set(kind="equipment")
    _type(d, "name", "Lwcj kees")
    _type(d, "group", "Thieets bij thwcj hanhf")
    _type(d, "type_name", "Dungj cuj ddo")
    _type(d, "subject", "KHTN")
    _type(d, "grade", "6")
    _type(d, "unit", "cais")
    _type(d, "unit_price", "150000")
    _type(d, "country", "Vieejt Nam")
    _type(d, "year", "2025")
    d.step_count(+1)
    d.submit()
    assert review.message.ok, review.message.message
    kind = EquipmentType.get(EquipmentType.name == "Lực kế")
    assert kind.code == "KHTN6.LK"
    assert (kind.group_name, kind.type_name, kind.subject, kind.grade, kind.unit,
            kind.unit_price, kind.country, kind.year) == (
        "Thiết bị thực hành", "Dụng cụ đo", "KHTN", "6", "cái", 150000, "Việt Nam", 2025)
    # TB.<môn><lớp>.<nnn>, after the three microscopes already labelled TB.KHTN6.001-003.
    assert [i.barcode for i in EquipmentItem.select().where(EquipmentItem.type == kind)] == [
        "TB.KHTN6.004", "TB.KHTN6.005"]
    assert review.message.message == "Đã khai báo 2 “Lực kế”: TB.KHTN6.004 – TB.KHTN6.005."
    flow.home()
    flow.scan("TB.KHTN6.004")  # the new label is known at once
    assert flow.presenter.lines[0].outcome.code == "not_on_loan"
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    d.set(kind="equipment", labelled=False)
    _type(d, "name", "Giaasy quyf tism")
    _type(d, "subject", "KHTN")
    _type(d, "grade", "8")
    _type(d, "unit", "hoojp")
    d.step_count(+10)
    d.submit()
    paper = EquipmentType.get(EquipmentType.name == "Giấy quỳ tím")
    assert (paper.code, paper.tracking, paper.stock_on_hand) == ("KHTN8.GQT", "counted", 11)
    assert review.message.message == \
        "Đã khai báo thêm 11 hộp “Giấy quỳ tím” (mã KHTN8.GQT): nay có 11 sẵn cho mượn."


def test_declaring_more_of_a_counted_kind_adds_to_it(flow):
    from db.models import EquipmentType, Journal, Outbox
    tubes = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    kinds_before = EquipmentType.select().count()
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    d.set(kind="equipment", labelled=False)
    _type(d, "name", "oong nghieejm")  # typed without the marks: still "Ống nghiệm"
    assert [k.code for k in d.form.offers] == ["KHTN6.OCN"]
    assert d.existing_text() == "Đã có: Ống nghiệm (KHTN6.OCN), đang có 30 cái"
    d.use_existing("KHTN6.OCN")
    assert d.form.value("unit") == "cái" and d.field_label("subject") == "Môn: KHTN"
    d.edit("name")  # the kind's own fields are not typed again
    assert not d.form.typing
    d.step_count(+10)
    d.step_count(+1)
    assert d.submit_label == "Khai báo"  # counted stock gets no labels: the button says so
    outbox_before = Outbox.select().count()
    d.submit()
    assert review.message.code == "stock_declared", review.message.message
    fresh = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (fresh.stock_total, fresh.stock_on_hand) == (tubes.stock_total + 12, 42)
    assert EquipmentType.select().count() == kinds_before  # no second "Ống nghiệm"
    # One action: one journal entry, one record saying how many were added.
    [entry] = Journal.select().where((Journal.action == "declare")
                                     & (Journal.entity_key == "KHTN6.OCN"))
    assert '"quantity": 12' in entry.after
    [record] = Outbox.select().order_by(Outbox.id.desc()).limit(1)
    assert Outbox.select().count() == outbox_before + 1 and '"quantity_added": 12' in record.data


def test_the_declare_button_promises_labels_only_where_they_print(flow):
    review = _sign_in(flow)
    review.show_tab("declare")
    d = review.declaring
    d.set(kind="book")
    assert d.submit_label == "Khai báo và in nhãn"
    d.set(kind="equipment", labelled=True)
    assert d.submit_label == "Khai báo và in nhãn"
    d.set(labelled=False)
    assert d.submit_label == "Khai báo"


def test_a_kinds_code_scanned_on_the_declare_tab_offers_more_of_it(flow):
    from db.models import EquipmentItem, EquipmentType
    review = _sign_in(flow)
    review.show_tab("declare")
    flow.scan("TB.KHTN6.002")  # a microscope's label
    d = review.declaring
    assert d.form.kind == "equipment" and d.form.existing.code == "KHTN6.KHV"
    assert d.form.labelled
    d.new_kind()  # not what was meant: a kind of its own after all
    assert d.form.existing is None and d.existing_text() == ""
    flow.scan("TB.KHTN6.002")
    d.submit()
    assert review.message.code == "equipment_declared"
    scope = EquipmentType.get(EquipmentType.code == "KHTN6.KHV")
    assert EquipmentItem.select().where(EquipmentItem.type == scope).count() == 4


def test_declare_refusals(flow):
    review = _sign_in(flow)
    review.show_tab("declare")
    review.declaring.submit()
    assert review.message.code == "title_required"


def test_void_with_reason_typed_on_the_keyboard(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    row = next(r for r in review.rows if r.code == "TK.00001" and r.direction == "out")
    review.select(row.loan_id)
    review.start_typed_reason()
    review.submit_typed_reason()
    assert review.message.code == "reason_required"
    assert review.typing_reason  # the keyboard stays until a reason is typed
    for key in "Quets nhaamf ther":
        review.reason_key(key)
    assert review.reason.text == "Quét nhầm thẻ"
    review.submit_typed_reason()
    assert not review.typing_reason and review.confirming == "Quét nhầm thẻ"
    review.confirm_void()
    assert review.message.ok
    assert Loan.get_by_id(row.loan_id).void_reason == "Quét nhầm thẻ"


def test_home_says_when_the_province_is_not_connected(flow, context, monotonic):
    reconfigure(context, "sync", url="")
    _some_activity(flow, context)
    monotonic.advance(11)
    flow.tick()
    home = flow.home_presenter
    assert home.sync_level == "waiting"
    assert home.sync_text.startswith("Chưa nối với Sở")


def test_send_now_and_rejected_records_sent_again(flow, context):
    from db.models import Journal
    _some_activity(flow, context)
    Outbox.update(state="dead", last_error="HTTP 422").where(Outbox.id <= 2).execute()
    review = _sign_in(flow)
    review.show_tab("status")
    assert review.sync.dead == 2
    woken = flow.ports.sync_control.forced
    review.push_now()
    assert flow.ports.sync_control.forced == woken + 1
    review.retry_dead_letters()
    assert review.message.ok and review.message.params["count"] == 2
    assert review.sync.dead == 0 and Outbox.select().where(Outbox.state == "dead").count() == 0
    entry = Journal.select().where(Journal.action == "retry_dead_letters").get()
    assert entry.actor == "CB0001" and entry.txn_ref.startswith("GL-")


def _lend_test_tubes(flow, count=12):
    flow.scan("GV0012")
    flow.presenter.choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class("7A3"); eq.choose_period(3); eq.choose_subject("KHTN"); eq.finish_title()
    for _ in range(count):
        eq.step_quantity("KHTN6.OCN", +1)
    eq.confirm()
    flow.home()


def test_each_tab_keeps_its_own_message(flow):
    review = _sign_in(flow)
    greeting = review.message_text
    assert greeting.startswith("Xin chào Đỗ Minh Thư.")
    review.show_tab("status")
    assert review.message_text == ""  # nothing stale from the other tab
    review.push_now()
    assert review.message_text == "Đang gửi các bản ghi lên Sở..."
    review.show_tab("transactions")
    assert review.message_text == greeting
    review.show_tab("search")
    assert review.message_text == ""


def test_a_void_is_confirmed_and_can_be_undone_for_the_rest_of_the_session(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    row = next(r for r in review.rows if r.code == "GK.00001")
    review.select(row.loan_id)
    review.void_selected("wrong_patron")
    review.cancel_void()
    assert review.confirming is None and Loan.get_by_id(row.loan_id).voided_at is None
    review.void_selected("wrong_patron")
    review.confirm_void()
    void_ref = review.message.params["ref"]
    assert Copy.get(Copy.barcode == "GK.00001").status == "available"
    review.show_tab("overdue")
    review.show_tab("transactions")
    review.select(row.loan_id)
    assert review.can_undo
    review.undo_void()
    undone = review.message
    assert undone.ok and undone.code == "void_undone", undone.message
    assert undone.params["ref"].startswith("HT-") and undone.params["ref"] != void_ref
    loan = Loan.get_by_id(row.loan_id)
    assert loan.voided_at is None and loan.void_reason is None
    assert Copy.get(Copy.barcode == "GK.00001").status == "on_loan"
    entry = Journal.get(Journal.action == "undo_void")
    assert entry.actor == "CB0001" and entry.txn_ref == undone.params["ref"]
    assert entry.reason == void_ref
    record = Outbox.get(Outbox.type == "loan.unvoided")
    assert record.action_ref == undone.params["ref"] and f'"undoes_ref": "{void_ref}"' in record.data
    assert not review.selected.voided and not review.can_undo
    # A void made in an earlier staff session cannot be undone from this one.
    review.void_selected("test")
    review.confirm_void()
    flow.home()
    again = _sign_in(flow)
    again.select(row.loan_id)
    assert again.selected.voided and not again.can_undo


def test_undo_is_refused_when_the_book_was_lent_again(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    row = next(r for r in review.rows if r.code == "TK.00001")
    review.select(row.loan_id)
    review.void_selected("scanned_by_mistake")
    review.confirm_void()
    other = Circulation(context)
    other.borrow(other.start_session("0123456790"), "TK.00001")
    review.select(row.loan_id)
    review.undo_void()
    assert review.message.code == "undo_item_taken"
    assert Loan.get_by_id(row.loan_id).voided_at is not None
    assert review.can_undo  # still listed: nothing changed


def test_undo_of_counted_stock_takes_the_pieces_again(flow, context):
    _lend_test_tubes(flow)
    review = _sign_in(flow)
    row = next(r for r in review.rows if r.code == "KHTN6.OCN")
    review.select(row.loan_id)
    review.void_selected("duplicate")
    review.confirm_void()
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 30
    review.select(row.loan_id)
    review.undo_void()
    assert review.message.ok
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 18


def test_another_days_transactions_from_the_calendar(flow, context):
    _some_activity(flow, context)
    context.clock.advance(days=2)
    review = _sign_in(flow)
    assert review.rows == [] and review.day_label == "Hôm nay 28/11"
    assert not review.can_step_forward
    review.step_day(+1)
    assert review.day_label == "Hôm nay 28/11"  # no day after today
    review.step_day(-1)
    assert review.day_label == "Hôm qua 27/11" and review.rows == []
    review.open_day_picker()
    picker = review.day_picker
    assert picker.title == "Tháng 11/2026" and not picker.can_go_forward
    weeks = picker.weeks()
    assert weeks[0][:6] == [None] * 6 and weeks[0][6] == date(2026, 11, 1)  # a Sunday
    assert not picker.selectable(date(2026, 11, 29))
    review.step_month(-1)
    assert review.day_picker.title == "Tháng 10/2026"
    review.step_month(+1)
    review.show_day(date(2026, 11, 26))
    assert review.day_picker is None
    assert review.day_label == "Thứ Năm 26/11" and len(review.rows) == 5
    review.show_tab("summary")
    assert review.summary.day == date(2026, 11, 26) and review.summary.books_borrowed == 3


def test_filters_pick_from_a_list_of_every_class(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    review.open_picker("class_name")
    assert review.picker_options() == [(None, "Mọi lớp"), ("6A1", "6A1"), ("6A2", "6A2")]
    review.pick("6A2")
    assert [r.code for r in review.rows] == ["GK.00001"]
    assert review.filter_label("class_name") == "6A2"
    review.open_picker("teacher_code")
    assert review.picker_options()[1] == ("GV0012", "Phạm Thu Hà")
    review.close_picker()
    assert review.picking is None and review.filters["teacher_code"] is None


def test_overdue_tab_includes_equipment(flow, context):
    _some_activity(flow, context)
    _lend_test_tubes(flow)
    context.clock.advance(days=3)
    review = _sign_in(flow)
    review.show_tab("overdue")
    assert {r.code: (r.quantity, r.class_name, r.days_late) for r in review.overdue_equipment} \
        == {"TB.KHTN6.001": (1, "6A1", 3), "KHTN6.OCN": (12, "7A3", 3)}
    assert all(r.patron_name == "Phạm Thu Hà" for r in review.overdue_equipment)


def test_day_summary_counts_pieces_of_equipment_not_lines(flow, context, receipts):
    _some_activity(flow, context)
    _lend_test_tubes(flow)
    review = _sign_in(flow)
    review.show_tab("summary")
    s = review.summary
    assert s.equipment_borrowed == 13  # a microscope and 12 test tubes
    by_class = {c.class_name: c for c in s.by_class}
    assert list(by_class) == ["6A1", "6A2", "7A3"]
    assert by_class["7A3"].equipment_borrowed == 12 and by_class["6A1"].equipment_borrowed == 1
    receipts.calls.clear()
    review.print_summary()
    printed = receipts.calls[0].receipt.summary
    assert printed.equipment_borrowed == 13 and len(printed.by_class) == 3


def test_search_patrons_and_titles_ignoring_case_and_diacritics(flow):
    review = _sign_in(flow)
    review.show_tab("search")
    search = review.searching
    search.start_typing()
    assert review.typing
    for key in "NGUYEN":
        search.key(key.lower())
    assert [p.code for p in search.patrons] == ["0123456789"]  # live, from two letters
    search.clear()
    for key in "DE mEN":
        search.key(key)
    search.finish_typing()
    assert not review.typing
    assert [hit.title for hit in search.titles] == ["Dế Mèn phiêu lưu ký"]
    assert search.found_text == "0 bạn đọc, 1 đầu sách"


def test_a_patron_with_current_loans_and_history_lent_and_returned_by_staff(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    review.show_tab("search")
    search = review.searching
    search.open_patron("0123456789")
    view = search.view
    assert [loan.code for loan in view.current] == ["TK.00001"]
    assert [loan.code for loan in view.history] == ["TK.00002"]  # returned earlier
    flow.scan("TK.00003")  # lent on the patron's behalf
    assert review.message.ok, review.message.message
    assert sorted(loan.code for loan in search.view.current) == ["TK.00001", "TK.00003"]
    lent = Loan.get(Loan.copy == Copy.get(Copy.barcode == "TK.00003"))
    assert lent.patron.code == "0123456789"
    entry = Journal.get((Journal.action == "borrow") & (Journal.txn_ref == lent.txn_ref))
    assert entry.actor == "CB0001"  # the journal says which staff member did it
    back = next(loan for loan in search.view.current if loan.code == "TK.00001")
    search.give_back(back)
    assert review.message.code == "returned"
    returned = Loan.get_by_id(back.loan_id)
    assert returned.returned_at is not None and returned.returned_by.code == "0123456789"
    entry = Journal.get((Journal.action == "return") & (Journal.txn_ref == returned.return_ref))
    assert entry.actor == "CB0001"
    assert sorted(loan.code for loan in search.view.history) == ["TK.00001", "TK.00002"]
    receipts_before = len(flow.ports.printer.calls)
    search.print_receipt()
    assert flow.ports.printer.calls[receipts_before].request.ref == lent.txn_ref


def test_a_card_on_the_search_tab_shows_its_patron_and_a_book_who_holds_it(flow, context):
    _some_activity(flow, context)
    review = _sign_in(flow)
    review.show_tab("search")
    flow.scan("0123456790")
    assert flow.screen == "staff_review" and review.searching.view.patron.name == "Trần Thị Bình"
    review.searching.back()
    flow.scan("TK.00001")
    search = review.searching
    assert search.title.title == "Dế Mèn phiêu lưu ký"
    holder = search.holders["TK.00001"]
    assert holder.patron_name == "Nguyễn Văn An" and holder.patron_class == "6A1"
    assert "TK.00003" not in search.holders  # on the shelf
    flow.scan("CB0001")  # the staff member's own card still signs out
    assert flow.screen == "home"


def test_an_answer_arriving_after_a_tab_switch_stays_on_its_tab(flow):
    review = _sign_in(flow)
    review.show_tab("declare")
    review.declaring.set(kind="equipment")
    _type(review.declaring, "name", "Booj luwcj kees")
    for field, keys in (("subject", "KHTN"), ("grade", "6"), ("unit", "booj")):
        _type(review.declaring, field, keys)
    answers = []
    real_submit = flow.ports.writes.submit
    flow.ports.writes.submit = lambda write, then, failed: answers.append((write, then))
    review.declaring.submit()
    flow.ports.writes.submit = real_submit
    review.show_tab("status")  # the staff member moves on before the answer comes
    write, then = answers[0]
    then(flow.ports.writes.writer.run(write))
    assert review.message is None and review.receipt is None
    review.show_tab("declare")
    assert review.message.code == "equipment_declared" and review.receipt is not None
