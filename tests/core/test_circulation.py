"""Borrow, return and renew through the real services on a real SQLite file."""
from tests.factories import reconfigure
from datetime import date, timedelta

from db.models import Copy, Holiday, Journal, Loan, Outbox, Patron
from kiosk.services.circulation import BorrowSession, Circulation


def _session(context, code="0123456789"):
    session = Circulation(context).start_session(code)
    assert isinstance(session, BorrowSession), session
    return session


def test_borrow_records_loan_journal_and_outbox_together(context):
    service = Circulation(context)
    session = _session(context)
    outcome = service.borrow(session, "TK.00001")
    assert outcome.ok and outcome.code == "borrowed"
    loan = Loan.get(Loan.uid == outcome.loan.uid)
    assert loan.patron.code == "0123456789" and loan.copy.barcode == "TK.00001"
    assert Copy.get(Copy.barcode == "TK.00001").status == "on_loan"
    entry = Journal.get(Journal.entity_key == loan.uid)
    assert entry.action == "borrow" and entry.actor == "0123456789" and entry.kiosk_id == "kiosk-1"
    record = Outbox.get(Outbox.type == "loan.borrowed")
    assert '"item_barcode": "TK.00001"' in record.data
    assert record.occurred_at.endswith("+07:00")


def test_due_date_is_loan_days_later(context):
    # 26/11/2026 + 14 days = Thursday 10/12/2026.
    outcome = Circulation(context).borrow(_session(context), "TK.00001")
    assert outcome.loan.due_on == date(2026, 12, 10)


def test_due_date_skips_sundays_and_holidays(context):
    import dataclasses
    student = dataclasses.replace(context.config.loans.student, book_loan_days=3)
    reconfigure(context, "loans", student=student)  # 29/11/2026 is a Sunday
    Holiday.create(day=date(2026, 11, 30), name="Nghỉ bù")
    outcome = Circulation(context).borrow(_session(context), "TK.00001")
    assert outcome.loan.due_on == date(2026, 12, 1)


def test_same_code_twice_in_a_session_counts_once(context):
    service = Circulation(context)
    session = _session(context)
    assert service.borrow(session, "TK.00001").code == "borrowed"
    again = service.borrow(session, "TK.00001")
    assert again.ok and again.code == "already_scanned"
    assert again.message == "“Dế Mèn phiêu lưu ký” đã quét rồi."
    assert Loan.select().count() == 1 and Outbox.select().count() == 1


def test_limit_per_patron_kind(context):
    service = Circulation(context)
    session = _session(context)
    for code in ("TK.00001", "TK.00002", "TK.00003"):
        assert service.borrow(session, code).ok
    refused = service.borrow(session, "TK.00004")
    assert refused.code == "limit_reached" and refused.params["limit"] == 3
    assert Copy.get(Copy.barcode == "TK.00004").status == "available"


def test_item_already_on_loan_is_refused(context):
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    other = _session(context, "0123456790")
    refused = service.borrow(other, "TK.00001")
    assert refused.code == "item_on_loan"
    assert Loan.select().count() == 1


def test_unlendable_items_are_refused(context):
    service = Circulation(context)
    session = _session(context)
    assert service.borrow(session, "TK.00009").code == "item_reference"
    assert service.borrow(session, "TK.00010").code == "item_lost"
    Copy.update(status="withdrawn").where(Copy.barcode == "TK.00003").execute()
    assert service.borrow(session, "TK.00003").code == "item_withdrawn"
    assert Loan.select().count() == 0 and Outbox.select().count() == 0


def test_inactive_patron_cannot_start_a_session(context):
    outcome = Circulation(context).start_session("0123456791")
    assert not isinstance(outcome, BorrowSession)
    assert outcome.code == "patron_inactive" and "Lê Văn Cũ" in outcome.message


def test_student_with_overdue_book_is_blocked(context):
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    context.clock.advance(days=20)
    refused = service.borrow(_session(context), "TK.00002")
    assert refused.code == "patron_has_overdue" and refused.params["count"] == 1
    assert "quá hạn" in refused.message


def test_overdue_block_can_be_turned_off(context):
    reconfigure(context, "loans", block_students_with_overdue=False)
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    context.clock.advance(days=20)
    assert service.borrow(_session(context), "TK.00002").ok


def test_students_cannot_borrow_equipment(context):
    refused = Circulation(context).borrow(_session(context), "TB.KHTN6.001")
    assert refused.code == "equipment_not_for_patron"


def test_scanning_a_card_or_isbn_while_borrowing_is_explained(context):
    service = Circulation(context)
    session = _session(context)
    assert service.borrow(session, "0123456790").code == "is_a_card"
    assert service.borrow(session, "9786042000017").code == "isbn_not_copy"
    assert service.borrow(session, "KHONG.CO").code == "unknown_code"


def test_anyone_may_return_any_loaned_item(context):
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    outcome = service.return_code("TK.00001")
    assert outcome.ok and outcome.code == "returned"
    loan = Loan.get()
    assert loan.returned_at is not None and loan.return_condition == "good"
    assert Copy.get(Copy.barcode == "TK.00001").status == "available"
    assert [r.type for r in Outbox.select().order_by(Outbox.id)] == ["loan.borrowed",
                                                                     "loan.returned"]


def test_return_of_a_late_book_says_how_late(context):
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    context.clock.advance(days=17)
    outcome = service.return_code("TK.00001")
    assert outcome.code == "returned_late" and outcome.params["days"] == 3


def test_return_of_something_not_on_loan_is_refused(context):
    outcome = Circulation(context).return_code("TK.00002")
    assert outcome.code == "not_on_loan" and Journal.select().count() == 0


def test_damaged_return_keeps_the_copy_off_the_shelf(context):
    service = Circulation(context)
    assert service.borrow(_session(context), "TK.00001").ok
    assert service.return_code("TK.00001", condition="damaged").ok
    assert Copy.get(Copy.barcode == "TK.00001").status == "damaged"
    assert service.borrow(_session(context, "0123456790"), "TK.00001").code == "item_damaged"


def test_renew_moves_the_due_date_and_counts(context):
    service = Circulation(context)
    first = service.borrow(_session(context), "TK.00001")
    context.clock.advance(days=10)
    renewed = service.renew("TK.00001")
    assert renewed.ok and renewed.loan.due_on > first.loan.due_on
    assert service.renew("TK.00001").code == "renew_limit"
    assert Outbox.select().where(Outbox.type == "loan.renewed").count() == 1


def test_renew_on_the_day_of_borrowing_extends_from_the_due_date(context):
    reconfigure(context, "loans", renew_from="due")
    service = Circulation(context)
    first = service.borrow(_session(context), "TK.00001")
    assert first.loan.due_on == date(2026, 12, 10)
    renewed = service.renew("TK.00001")
    # 10/12 + 14 days = Thursday 24/12/2026: the renewal moved the date, on the same day.
    assert renewed.ok and renewed.loan.due_on == date(2026, 12, 24)
    assert Loan.get(Loan.uid == first.loan.uid).due_on == date(2026, 12, 24)
    assert "24/12/2026" in renewed.message


def test_an_overdue_renewal_counts_from_today(context):
    reconfigure(context, "loans", renew_from="due")
    service = Circulation(context)
    service.borrow(_session(context), "TK.00001")
    context.clock.advance(days=20)  # due 10/12, today Wednesday 16/12
    renewed = service.renew("TK.00001")
    assert renewed.ok and renewed.loan.due_on == date(2026, 12, 30)


def test_renew_from_today_refuses_with_why_and_keeps_the_renewal(context):
    assert context.config.loans.renew_from == "today"  # the default
    service = Circulation(context)
    first = service.borrow(_session(context), "TK.00001")
    journal_before = Journal.select().count()
    refused = service.renew("TK.00001")
    assert refused.code == "renew_not_yet"
    assert "10/12/2026" in refused.message and "27/11/2026" in refused.message
    loan = Loan.get(Loan.uid == first.loan.uid)
    assert loan.due_on == date(2026, 12, 10) and loan.renewals == 0
    assert Journal.select().count() == journal_before
    assert Outbox.select().where(Outbox.type == "loan.renewed").count() == 0
    context.clock.advance(days=1)  # 27/11 + 14 days = 11/12, one day later than the due date
    renewed = service.renew("TK.00001")
    assert renewed.ok and renewed.loan.due_on == date(2026, 12, 11)


def test_current_loans_lists_open_loans_by_due_date(context):
    service = Circulation(context)
    session = _session(context)
    service.borrow(session, "TK.00001")
    service.borrow(session, "GK.00001")
    service.return_code("TK.00001")
    patron = Patron.get(Patron.code == "0123456789")
    loans = service.current_loans(patron)
    assert [loan.code for loan in loans] == ["GK.00001"]
    assert loans[0].due_on == context.clock.today() + timedelta(days=14)


def test_refusal_messages_translate_to_english(context):
    from kiosk.i18n import set_language
    outcome = Circulation(context).return_code("TK.00002")
    try:
        set_language("en")
        assert outcome.message == "Code TK.00002 is not on loan."
    finally:
        set_language("vi")
    assert outcome.message == "Mã TK.00002 không có trong danh sách đang mượn."


def test_a_student_whose_only_loan_is_due_today_may_still_borrow(context):
    service = Circulation(context)
    service.borrow(_session(context), "TK.00001")  # due Thursday 10/12/2026
    context.clock.advance(days=14)  # 10/12, 09:00: due today, not yet overdue
    session = _session(context)
    assert service.patron_block(session.patron) is None
    assert service.borrow(session, "TK.00002").ok
    context.clock.advance(days=1)  # 11/12: now it is overdue
    blocked = service.borrow(_session(context), "TK.00003")
    assert blocked.code == "patron_has_overdue"


def _return_at(context, local_hour: int, days_after_borrow: int):
    """Borrow TK.00001 (due 10/12/2026), then return it ``days_after_borrow`` days later at
    ``local_hour`` o'clock Vietnam time; the return's outcome and its printed receipt."""
    from kiosk.printing import ReceiptBuilder, ReturnReceipt
    from kiosk.services.circulation import ReturnRun

    service = Circulation(context)
    service.borrow(_session(context), "TK.00001")
    context.clock.advance(days=days_after_borrow, hours=local_hour - 9)  # borrowed at 09:00
    run = ReturnRun()
    outcome = service.return_code("TK.00001", run=run)
    [receipt] = ReceiptBuilder(context).build(ReturnReceipt(run.ref), "vi")
    return outcome, receipt


def test_a_return_on_the_due_date_has_no_late_note(context):
    outcome, receipt = _return_at(context, local_hour=23, days_after_borrow=14)  # 23:00, 10/12
    assert outcome.code == "returned" and outcome.loan.late_days == 0
    assert "muộn" not in outcome.message
    assert [line.late for line in receipt.lines] == [False]


def test_a_return_early_the_next_morning_is_late_on_screen_and_receipt(context):
    outcome, receipt = _return_at(context, local_hour=6, days_after_borrow=15)  # 06:00, 11/12
    assert outcome.code == "returned_late" and outcome.loan.late_days == 1
    assert [line.late for line in receipt.lines] == [True]  # local days, not UTC's (10/12)


def test_a_copy_the_patron_holds_is_held_by_you_with_its_loan(context):
    service = Circulation(context)
    session = _session(context)
    service.borrow(session, "TK.00001")
    again = service.borrow(_session(context), "TK.00001")  # a later session, same student
    assert again.code == "held_by_you" and not again.ok
    assert again.loan.code == "TK.00001" and again.loan.patron_code == "0123456789"
    other = service.borrow(_session(context, "0123456790"), "TK.00001")
    assert other.code == "item_on_loan" and other.loan is None
    assert Loan.select().count() == 1


def test_renew_own_renews_every_renewable_book_in_one_action(context):
    service = Circulation(context)
    session = _session(context)
    service.borrow(session, "TK.00001")
    service.borrow(session, "GK.00001")
    patron = session.patron
    assert service.renewable(patron) == []
    assert service.renew("TK.00001").code == "renew_not_yet"  # would add no day: refused
    context.clock.advance(days=10)
    outcome = service.renew_own(patron)
    assert outcome.ok and outcome.params["count"] == 2 and outcome.params["ref"].startswith("GH-")
    assert {loan.due_on for loan in outcome.params["renewed"]} == {service.due_in(14)}
    assert Journal.select().where(Journal.txn_ref == outcome.params["ref"]).count() == 2
    assert Outbox.select().where(Outbox.action_ref == outcome.params["ref"]).count() == 2
    assert service.renew_own(patron).code == "nothing_to_renew"  # one renewal each


def test_an_overdue_book_is_renewed_by_staff_but_not_at_the_kiosk(context):
    service = Circulation(context)
    session = _session(context)
    service.borrow(session, "TK.00001")
    context.clock.advance(days=20)
    assert service.renewable(session.patron) == []
    assert service.renew_own(session.patron).code == "nothing_to_renew"
    assert service.renew("TK.00001").ok  # kiosk renew, by staff at the terminal
