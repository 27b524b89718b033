"""Home and the student's borrow session, through the presenters, on a real database."""
from datetime import date

from db.models import Copy, Journal, Loan, Outbox
from kiosk.i18n import t
from tests.factories import reconfigure


def chimes(sounds) -> list[str]:
    """The success and refusal sounds played, in order."""
    return [name for name in sounds.played if not name.startswith("speech/")]


def spoken(sounds) -> list[str]:
    """The prompts spoken (in Vietnamese), in order."""
    return [name.rpartition("/")[2] for name in sounds.played if name.startswith("speech/")]


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
    assert chimes(sounds) == ["success", "refusal", "refusal", "refusal"]
    assert spoken(sounds) == ["borrowed", "refused", "refused", "refused"]
    assert [title for title, _, _ in borrow.loan_rows()] == ["Dế Mèn phiêu lưu ký"]
    assert Copy.get(Copy.barcode == "TK.00001").status == "on_loan"


def test_same_book_twice_counts_once_and_says_already_scanned(flow, sounds):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    sounds.played.clear()
    flow.scan("TK.00001")
    borrow = flow.presenter
    assert len(borrow.lines) == 1
    assert Loan.select().count() == 1
    assert borrow.headline == "“Dế Mèn phiêu lưu ký” đã quét rồi."
    assert borrow.headline_tone == "info"
    assert sounds.played == ["speech/vi/already_scanned"]


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


def test_touch_resets_the_countdown(flow, monotonic, sounds):
    flow.scan("0123456789")
    monotonic.advance(19)
    flow.tick()
    assert flow.countdown is None  # 11 s left: not yet counted down
    monotonic.advance(2.5)
    flow.tick()
    assert flow.countdown == 9
    assert spoken(sounds)[-1] == "still_there"
    monotonic.advance(1)
    flow.tick()
    assert flow.countdown == 8
    flow.touch()
    assert flow.countdown is None
    monotonic.advance(25)
    flow.tick()
    assert flow.screen == "borrow" and flow.countdown == 5


def test_a_scan_every_20_s_keeps_a_30_s_session_alive(flow, monotonic):
    assert flow.config.ui.idle_timeout_s == 30
    flow.scan("0123456789")
    borrow = flow.presenter
    for code in ("TK.00001", "TK.00002", "TK.00009", "TK.00001", "XX-NOPE", "GK.00001"):
        monotonic.advance(20)
        flow.tick()
        assert flow.presenter is borrow, code
        assert flow.countdown == 10  # the last 10 s are counted down...
        flow.scan(code)
        assert flow.countdown is None  # ...and a scan starts the wait again
    assert len(borrow.lines) == 5
    monotonic.advance(30)
    flow.tick()
    assert flow.screen == "home"


def test_no_countdown_while_the_finished_session_lingers(flow, monotonic):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    monotonic.advance(3)
    flow.tick()
    assert flow.screen == "borrow" and flow.countdown is None


def test_the_next_child_gets_vietnamese(flow, monotonic):
    flow.toggle_language()
    flow.scan("0123456789")
    assert flow.presenter.greeting.startswith("Hello")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.language == "en"  # the summary stays in the language it was read in
    flow.presenter.done()
    assert flow.screen == "home" and flow.language == "vi"
    flow.toggle_language()
    flow.scan("0123456789")
    monotonic.advance(31)
    flow.tick()
    assert flow.screen == "home" and flow.language == "vi"  # the idle timeout


def test_english_chosen_on_home_and_left_returns_to_vietnamese(flow, monotonic):
    flow.toggle_language()
    monotonic.advance(20)
    flow.tick()
    assert flow.language == "en"
    monotonic.advance(11)
    flow.tick()
    assert flow.language == "vi"
    assert flow.home_presenter.prompt.startswith("Quét thẻ")


def test_another_card_starts_in_vietnamese(flow):
    flow.toggle_language()
    flow.scan("0123456789")
    flow.scan("0123456790")
    assert flow.presenter.patron.code == "0123456790" and flow.language == "vi"


def test_newest_line_first(flow):
    flow.scan("0123456789")
    for code in ("TK.00001", "TK.00009", "GK.00001"):
        flow.scan(code)
    assert [line.ok for line in flow.presenter.recent_lines()] == [True, False, True]
    assert "Toán 6" in flow.presenter.recent_lines()[0].text
    assert flow.presenter.headline == flow.presenter.recent_lines()[0].text


def test_a_book_she_holds_is_offered_for_return_in_one_tap(flow, context, sounds):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    context.clock.advance(days=30)
    flow.home()
    flow.scan("0123456789")
    borrow = flow.presenter
    assert borrow.block.code == "patron_has_overdue"
    assert "cô/thầy thư viện" in borrow.hint  # where to go
    assert borrow.headline == borrow.block_text and borrow.headline_tone == "refused"
    assert spoken(sounds)[-1] == "overdue"
    flow.scan("TK.00001")
    assert borrow.offer is not None and borrow.offer.code == "TK.00001"
    assert borrow.headline.startswith("Em đang mượn “Dế Mèn phiêu lưu ký”")
    assert spoken(sounds)[-1] == "held_by_you"
    assert borrow.lines == []  # an offer, not a refusal line
    borrow.return_offered()
    assert borrow.offer is None
    assert borrow.lines[-1].text == "Đã trả “Dế Mèn phiêu lưu ký”, trễ 16 ngày."
    assert borrow.block is None and borrow.loans == []
    assert spoken(sounds)[-1] == "returned"
    loan = Loan.get(Loan.copy == Copy.get(Copy.barcode == "TK.00001"))
    assert loan.returned_at is not None and loan.returned_by.code == "0123456789"
    assert Copy.get(Copy.barcode == "TK.00001").status == "available"
    flow.scan("TK.00002")  # no longer blocked
    assert borrow.lines[-1].ok and borrow.borrowed_count == 1


def test_a_book_someone_else_holds_is_refused(flow):
    flow.scan("0123456790")
    flow.scan("TK.00001")
    flow.presenter.done()
    flow.home()
    flow.scan("0123456789")
    flow.scan("TK.00001")
    assert flow.presenter.offer is None
    assert "đang được mượn" in flow.presenter.lines[-1].text


def test_at_the_limit_it_is_said_at_the_greeting(flow, sounds):
    flow.scan("0123456789")
    for code in ("TK.00001", "TK.00002", "TK.00003"):
        flow.scan(code)
    flow.presenter.done()
    flow.home()
    sounds.played.clear()
    flow.scan("0123456789")
    borrow = flow.presenter
    assert borrow.block.code == "limit_reached"
    assert borrow.headline == "Đã mượn đủ 3 món, chưa mượn thêm được."
    assert borrow.hint == t("ui.borrow.hint_limit")
    assert sounds.played == ["success", "speech/vi/limit"]


def test_gia_han_renews_her_own_renewable_books(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.scan("GK.00001")
    assert flow.presenter.renewable == []  # due in 14 days anyway: nothing to gain today
    flow.presenter.done()
    flow.home()
    context.clock.advance(days=10)
    flow.scan("0123456789")
    borrow = flow.presenter
    assert [loan.code for loan in borrow.renewable] == ["TK.00001", "GK.00001"]
    assert borrow.renew_label == "Gia hạn (2)"
    borrow.renew()
    assert borrow.headline == "Đã gia hạn 2 cuốn, hạn trả mới: 21/12/2026."
    assert [line.text for line in borrow.recent_lines()] == [
        "Đã gia hạn “Toán 6 tập một” đến 21/12/2026.",
        "Đã gia hạn “Dế Mèn phiêu lưu ký” đến 21/12/2026."]
    assert [due for _, due, _ in borrow.loan_rows()] == ["Hạn trả 21/12/2026"] * 2
    assert borrow.renewable == [] and not borrow.can_renew  # one renewal each
    renewals = Journal.select().where(Journal.action == "renew")
    assert renewals.count() == 2 and len({j.txn_ref for j in renewals}) == 1
    assert renewals[0].txn_ref.startswith("GH-") and renewals[0].actor == "0123456789"
    assert Outbox.select().where(Outbox.type == "loan.renewed").count() == 2


def test_an_overdue_book_is_not_renewed_at_the_kiosk(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    flow.home()
    context.clock.advance(days=20)
    flow.scan("0123456789")
    assert flow.presenter.renewable == []
    assert flow.circulation.renew_own(flow.presenter.patron).code == "nothing_to_renew"


def test_speech_off_keeps_the_chimes(flow, sounds):
    reconfigure(flow.context, "ui", speech=False)
    flow.scan("0123456789")
    flow.scan("TK.00001")
    assert sounds.played == ["success", "success"]


def test_teachers_borrowing_books_hear_chimes_only(flow, sounds):
    flow.scan("GV0012")
    flow.presenter.choose("borrow_books")
    flow.scan("TK.00001")
    assert spoken(sounds) == []


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
    assert borrow.hint == t("ui.borrow.hint_overdue")


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
    assert flow.home_presenter.prompt == "Scan your card to borrow, or scan a book to return"
    flow.scan("0123456789")
    flow.presenter.done()
    assert seen == ["en", "vi"] and screens == ["borrow", "home"]  # back to Vietnamese


def test_a_broken_print_service_shows_the_qr(flow, receipts, monkeypatch):
    def broken(*args):
        raise OSError("printer service down")
    monkeypatch.setattr(receipts, "submit", broken)
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.presenter.receipt.state == "failed"
    assert Loan.select().count() == 1  # the borrow stands; only the paper failed
