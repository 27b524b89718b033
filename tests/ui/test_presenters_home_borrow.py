"""Home and the student's borrow session, through the presenters, on a real database."""
from tests.factories import reconfigure
from datetime import date

from db.models import Copy, Loan
from kiosk.i18n import t


def test_home_shows_school_date_time_and_sync(flow):
    home = flow.home_presenter
    assert flow.screen == "home"
    assert home.school_name == "Trường THCS Thử Nghiệm"
    assert home.date_text() == "Thứ Năm, 26/11/2026"
    assert home.time_text() == "09:00"
    assert home.sync_level == "ok"
    assert home.prompt.startswith("Quét thẻ")


def test_student_card_greets_and_lists_loans(flow):
    flow.scan("0123456789")
    borrow = flow.presenter
    assert flow.screen == "borrow"
    assert borrow.greeting == "Xin chào Nguyễn Văn An – lớp 6A1"
    assert borrow.loan_rows() == []
    assert borrow.block is None


def test_each_book_is_confirmed_or_refused_with_sound(flow, sounds):
    flow.scan("0123456789")
    borrow = flow.presenter
    sounds.played.clear()
    flow.scan("TK.00001")
    flow.scan("TK.00009")  # reference only
    flow.scan("TK.00010")  # lost
    flow.scan("XX-NOPE")
    assert [line.ok for line in borrow.lines] == [True, False, False, False]
    assert borrow.lines[0].text == "Đã mượn “Dế Mèn phiêu lưu ký”. Hạn trả: 10/12/2026."
    assert "chỉ đọc tại chỗ" in borrow.lines[1].text
    assert "báo mất" in borrow.lines[2].text
    assert sounds.played == ["success", "refusal", "refusal", "refusal"]
    assert [title for title, _, _ in borrow.loan_rows()] == ["Dế Mèn phiêu lưu ký"]
    assert Copy.get(Copy.barcode == "TK.00001").status == "on_loan"


def test_same_book_twice_counts_once(flow):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.scan("TK.00001")
    assert len(flow.presenter.lines) == 1
    assert Loan.select().count() == 1


def test_done_prints_receipt_and_goes_home_after_linger(flow, receipts, monotonic):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.scan("GK.00001")
    borrow = flow.presenter
    borrow.done()
    assert borrow.phase == "finished"
    [call] = receipts.calls
    assert call.receipt.kind == "borrow" and call.request.ref == borrow.session.txn_ref
    assert [line.code for line in call.receipt.lines] == ["TK.00001", "GK.00001"]
    assert [line.due for line in call.receipt.lines] == [date(2026, 12, 10)] * 2
    assert borrow.receipt.state == "printed"
    assert borrow.hint == "Đã mượn 2 cuốn. Cảm ơn em!"
    monotonic.advance(7)
    flow.tick()
    assert flow.screen == "home"


def test_card_again_ends_session(flow, receipts):
    flow.scan("0123456789")
    flow.scan("TK.00002")
    flow.scan("0123456789")
    assert flow.presenter.phase == "finished" and flow.presenter.end_reason == "card"
    assert [line.code for line in receipts.calls[0].receipt.lines] == ["TK.00002"]


def test_done_without_books_goes_home_without_receipt(flow, receipts):
    flow.scan("0123456789")
    flow.presenter.done()
    assert flow.screen == "home"
    assert receipts.calls == []


def test_failed_print_shows_qr_of_the_txn_ref(flow, receipts, monotonic):
    receipts.fail = True
    flow.scan("0123456789")
    flow.scan("TK.00001")
    borrow = flow.presenter
    borrow.done()
    assert borrow.receipt.state == "failed"
    assert borrow.receipt.qr_payload == borrow.session.txn_ref
    assert borrow.session.txn_ref in borrow.receipt.text
    monotonic.advance(10)
    flow.tick()
    assert flow.screen == "borrow"  # the QR stays long enough to photograph
    monotonic.advance(60)
    flow.tick()
    assert flow.screen == "home"


def test_print_result_arriving_later(flow, receipts):
    receipts.auto_complete = False
    flow.scan("0123456789")
    flow.scan("TK.00001")
    borrow = flow.presenter
    borrow.done()
    assert borrow.receipt.state == "printing"
    assert borrow.receipt.text == "Đang in phiếu..."
    receipts.complete()
    assert borrow.receipt.state == "printed"


def test_idle_timeout_ends_session_prints_and_goes_home(flow, receipts, monotonic):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    monotonic.advance(29)
    flow.tick()
    assert flow.screen == "borrow"
    monotonic.advance(2)
    flow.tick()
    assert flow.screen == "home"
    assert [c.receipt.kind for c in receipts.calls] == ["borrow"]
    assert Loan.select().count() == 1


def test_failed_print_after_timeout_shows_qr_on_home(flow, receipts, monotonic):
    receipts.auto_complete = False
    receipts.fail = True
    flow.scan("0123456789")
    flow.scan("TK.00001")
    txn = flow.presenter.session.txn_ref
    monotonic.advance(31)
    flow.tick()
    assert flow.screen == "home"
    receipts.complete()
    assert flow.home_presenter.receipt.qr_payload == txn


def test_touch_postpones_the_timeout(flow, monotonic):
    flow.scan("0123456789")
    monotonic.advance(20)
    flow.touch()
    monotonic.advance(20)
    flow.tick()
    assert flow.screen == "borrow"


def test_another_card_ends_this_session_and_starts_theirs(flow, receipts):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.scan("0123456790")
    assert flow.screen == "borrow"
    assert flow.presenter.patron.code == "0123456790"
    assert receipts.calls[0].receipt.patron_name == "Nguyễn Văn An"


def test_inactive_card_is_refused_on_home(flow, sounds):
    flow.scan("0123456791")
    assert flow.screen == "home"
    assert "ngừng hoạt động" in flow.home_presenter.message_text
    assert sounds.played == ["refusal"]


def test_overdue_student_sees_block_and_loans(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    context.clock.advance(days=30)
    flow.home()
    flow.scan("0123456789")
    borrow = flow.presenter
    assert borrow.block is not None and "quá hạn" in borrow.block_text
    assert borrow.loan_rows()[0][2] is True  # overdue flag
    flow.scan("TK.00002")
    assert not borrow.lines[-1].ok
    assert borrow.hint == t("ui.borrow.hint_blocked")


def test_limit_reached(flow):
    flow.scan("0123456789")
    for code in ("TK.00001", "TK.00002", "TK.00003", "TK.00004"):
        flow.scan(code)
    assert [line.ok for line in flow.presenter.lines] == [True, True, True, False]
    assert "3" in flow.presenter.lines[-1].text


def test_language_switch_retranslates_lines(flow):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    line = flow.presenter.lines[0]
    flow.set_language("en")
    assert line.text == "Borrowed “Dế Mèn phiêu lưu ký”. Due 10/12/2026."
    assert flow.presenter.greeting == "Hello Nguyễn Văn An – class 6A1"
    flow.toggle_language()
    assert flow.language == "vi"


def test_unknown_codes_on_home(flow):
    for code, fragment in (("XYZ123", "Không tìm thấy"), ("9786042000017", "ISBN"),
                           ("KHTN6.OCN", "số lượng")):
        flow.scan(code)
        assert fragment in flow.home_presenter.message_text
        assert flow.screen == "home"


def test_unexpected_error_is_a_calm_message(flow, monkeypatch, sounds):
    def boom(code):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(flow.home_presenter, "on_scan", boom)
    flow.scan("0123456789")
    assert flow.home_presenter.message_text == t("ui.error.unexpected")
    assert "kaboom" not in flow.home_presenter.message_text
    assert sounds.played == ["refusal"]


def test_sounds_off(flow, sounds):
    reconfigure(flow.context, "ui", sounds=False)
    flow.scan("XYZ123")
    assert sounds.played == []


def test_due_date_skips_sunday(flow):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    assert flow.presenter.lines[0].loan.due_on == date(2026, 12, 10)


def test_home_message_fades_after_the_idle_timeout(flow, monotonic):
    flow.scan("XYZ123")
    assert flow.home_presenter.message_text
    monotonic.advance(31)
    flow.tick()
    assert flow.home_presenter.message is None


def test_language_listeners_and_navigation_listeners(flow):
    seen, screens = [], []
    flow.on_language(seen.append)
    flow.on_navigate(lambda p: screens.append(p.screen))
    flow.toggle_language()
    flow.scan("0123456789")
    flow.presenter.done()
    assert seen == ["en"] and screens == ["borrow", "home"]
    assert flow.home_presenter.prompt == "Scan your card to borrow, or scan a book to return"


def test_a_broken_print_service_shows_the_qr(flow, receipts, monkeypatch):
    def broken(*args):
        raise OSError("printer service down")
    monkeypatch.setattr(receipts, "submit", broken)
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.presenter.receipt.state == "failed"
    assert Loan.select().count() == 1  # the borrow stands; only the paper failed
