"""Returning on the home screen, through the presenters."""
from db.models import Copy, Loan


def _lend(flow, card, *codes):
    flow.scan(card)
    for code in codes:
        flow.scan(code)
    flow.presenter.done()
    flow.home()


def test_scanning_a_loaned_book_on_home_returns_it(flow, sounds):
    _lend(flow, "0123456789", "TK.00001", "TK.00002")
    sounds.played.clear()
    flow.scan("TK.00001")
    returns = flow.presenter
    assert flow.screen == "returns"
    assert returns.lines[0].ok and "Đã trả “Dế Mèn phiêu lưu ký”" in returns.lines[0].text
    flow.scan("TK.00002")
    assert len(returns.returned) == 2
    assert returns.summary == "Đã trả 2 (trễ hạn 0)"
    assert sounds.played == ["success", "speech/vi/returned", "success", "speech/vi/returned"]
    assert Copy.get(Copy.barcode == "TK.00001").status == "available"
    assert Loan.select().where(Loan.returned_at.is_null()).count() == 0


def test_late_return_says_how_late(flow, context):
    _lend(flow, "0123456789", "TK.00001")
    context.clock.advance(days=20)
    flow.scan("TK.00001")
    line = flow.presenter.lines[0]
    assert line.loan.late_days == 6
    assert "trễ 6 ngày" in line.text


def test_item_not_on_loan_is_refused(flow, sounds):
    flow.scan("TK.00003")
    assert flow.screen == "returns"
    assert not flow.presenter.lines[0].ok
    assert sounds.played == ["refusal", "speech/vi/see_librarian"]


def test_same_item_twice_in_a_row_is_ignored(flow):
    _lend(flow, "0123456789", "TK.00001")
    flow.scan("TK.00001")
    flow.scan("TK.00001")
    assert len(flow.presenter.lines) == 1


def test_receipt_on_request(flow, receipts):
    _lend(flow, "0123456789", "TK.00001")
    receipts.calls.clear()
    flow.scan("TK.00001")
    flow.presenter.request_receipt()
    [call] = receipts.calls
    assert call.receipt.kind == "return" and call.request.ref.startswith("TR-")
    assert [line.code for line in call.receipt.lines] == ["TK.00001"]
    assert call.request.ref == flow.presenter.txn_ref


def test_card_during_returns_starts_that_patrons_session(flow):
    _lend(flow, "0123456789", "TK.00001")
    flow.scan("TK.00001")
    flow.scan("0123456789")
    assert flow.screen == "borrow"


def test_returns_time_out_to_home(flow, monotonic):
    _lend(flow, "0123456789", "TK.00001")
    flow.scan("TK.00001")
    monotonic.advance(31)
    flow.tick()
    assert flow.screen == "home"
    assert flow.home_presenter.message is None


def test_labelled_equipment_returns_on_home(flow):
    flow.scan("GV0012")
    flow.presenter.choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class("6A1"); eq.choose_period(2); eq.choose_subject("KHTN"); eq.finish_title()
    flow.scan("TB.KHTN6.001")
    eq.confirm()
    flow.home()
    flow.scan("TB.KHTN6.001")
    assert flow.presenter.lines[0].ok
