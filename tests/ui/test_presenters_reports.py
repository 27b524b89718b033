"""The checkout's lesson plan offer (titles, PPCT, suggested equipment; everything editable),
purposes and self-made equipment; the staff's Báo cáo tab (visit, quotas, figures)."""
import json

import openpyxl

from db.models import ClassVisit, Lesson, Loan, Outbox, Quota
from kiosk.imports.runner import run_import


def _plan(context, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Môn học", "Khối", "Tiết PPCT", "Tuần", "Tên bài", "Thiết bị"])
    sheet.append(["KHTN", 6, 11, 12, "Bài 4: Tế bào", "Kính hiển vi quang học (2)"])
    sheet.append(["KHTN", 6, 12, 13, "Bài 5: Ống nghiệm", "Ống nghiệm (4); Kính lúp"])
    sheet.append(["KHTN", 7, 12, 13, "Bài lớp 7", "Kính hiển vi quang học"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert run_import(context, "lesson-plan", path).ok


def _to_subject(flow):
    flow.scan("GV0012")
    flow.presenter.choose("borrow_equipment")
    eq = flow.presenter
    eq.choose_class("6A1")
    eq.choose_period(2)
    eq.choose_subject("KHTN")
    return eq


def test_without_a_plan_the_title_step_follows(flow):
    eq = _to_subject(flow)
    assert eq.step == "title" and eq.plan == []
    eq.back()
    assert eq.step == "subject"


def test_the_plan_offers_this_grades_lessons_and_suggests_equipment(flow, context, tmp_path):
    _plan(context, tmp_path)
    eq = _to_subject(flow)
    assert eq.step == "plan"
    # grade 6 only; this PPCT week (13 on 26/11/2026) first
    assert [c.title for c in eq.plan] == ["Bài 5: Ống nghiệm", "Bài 4: Tế bào"]
    pick = next(c for c in eq.plan if c.ppct == 12)
    eq.choose_plan(pick.plan_id)
    assert eq.step == "items" and eq.title.text == "Bài 5: Ống nghiệm"
    assert eq.basket_rows() == [("KHTN6.OCN", "Ống nghiệm", 4, "cái")]  # counted stock put in
    assert eq.suggestion_text() == "Cần quét: Kính lúp"  # not a known type: to find by hand
    eq.step_quantity("KHTN6.OCN", -1)  # the teacher changes it
    eq.cycle_purpose()
    assert eq.purpose_label() == "Mục đích: Phòng bộ môn"
    eq.confirm()
    lesson = Lesson.select().order_by(Lesson.id.desc()).get()
    assert (lesson.ppct, lesson.title, lesson.purpose) == (12, "Bài 5: Ống nghiệm",
                                                          "Phòng bộ môn")
    assert Loan.get(Loan.lesson == lesson).quantity == 3
    record = json.loads(Outbox.select().where(Outbox.type == "loan.borrowed")
                        .order_by(Outbox.id.desc()).get().data)
    assert record["lesson"]["ppct"] == 12 and record["lesson"]["purpose"] == "Phòng bộ môn"


def test_scanning_a_suggested_item_takes_it_off_the_list(flow, context, tmp_path):
    _plan(context, tmp_path)
    eq = _to_subject(flow)
    eq.choose_plan(next(c for c in eq.plan if c.ppct == 11).plan_id)
    assert eq.suggestion_text() == "Cần quét: Kính hiển vi quang học ×2"
    flow.scan("TB.KHTN6.001")
    assert eq.suggestion_text() == "Cần quét: Kính hiển vi quang học"
    flow.scan("TB.KHTN6.002")
    assert eq.suggestion_text() == ""


def test_another_title_can_still_be_typed(flow, context, tmp_path):
    _plan(context, tmp_path)
    eq = _to_subject(flow)
    eq.other_title()
    assert eq.step == "title" and eq.ppct is None
    eq.back()
    assert eq.step == "plan"


def test_a_lesson_with_self_made_equipment_only(flow, context):
    eq = _to_subject(flow)
    eq.finish_title()
    assert not eq.can_confirm
    eq.toggle_self_made()
    assert eq.can_confirm
    last = max([r.id for r in Outbox.select(Outbox.id)] or [0])
    eq.confirm()
    assert eq.message_text == "Đã ghi tiết dạy với thiết bị tự làm."
    lesson = Lesson.select().order_by(Lesson.id.desc()).get()
    assert lesson.self_made == "Thiết bị tự làm" and not list(lesson.loans)
    (sent,) = Outbox.select().where(Outbox.id > last)  # one record, for the district
    assert sent.type == "lesson.recorded" and "Thiết bị tự làm" in sent.data


def _reports_tab(flow):
    flow.scan("CB0001")
    for digit in "2468":
        flow.presenter.press(digit)
    flow.presenter.submit()
    review = flow.presenter
    review.show_tab("reports")
    return review


def test_a_class_visit_in_three_taps(flow, context):
    review = _reports_tab(flow)
    r = review.reporting
    r.show("visit")
    assert r.classes == ["6A1", "6A2"]
    r.choose_visit_class("6A1")
    assert r.visit_students == 1  # the class size
    r.step_visitors(5)
    r.record_visit()
    visit = ClassVisit.get()
    assert (visit.class_name, visit.students, visit.recorded_by) == ("6A1", 6, "CB0001")
    record = Outbox.select().where(Outbox.type == "class.visit").get()
    data = json.loads(record.data)
    assert (data["class"], data["students"], data["visit_id"]) == ("6A1", 6, visit.uid)
    assert data["date"] == "2026-11-26" and data["school_code"] == "HY-THCS-01"
    assert [v.students for v in r.visits] == [6]
    r.void_visit(visit.id)
    assert ClassVisit.get().voided_at is not None
    voided = json.loads(Outbox.select().where(Outbox.type == "class.visit.voided").get().data)
    assert voided["visit_id"] == visit.uid


def test_quotas_edited_with_steppers_replace_the_terms_table(flow, context):
    review = _reports_tab(flow)
    r = review.reporting
    r.show("quotas")
    labels = [line.label for line in r.quota_lines]
    assert "KHTN 6" in labels
    index = labels.index("KHTN 6")
    r.step_quota(index, 5)
    r.step_quota(index, 1)
    assert r.quota_dirty
    r.save_quotas()
    assert [(q.subject, q.grade, q.periods, q.term) for q in Quota.select()] == [
        ("KHTN", "6", 6, "HK1")]
    data = json.loads(Outbox.select().where(Outbox.type == "quota.set").get().data)
    assert data["rules"] == [{"subject": "KHTN", "grade": "6", "periods": 6}]
    assert (data["school_year"], data["term"], data["set_by"]) == ("2026-2027", "HK1", "CB0001")
    from db.models import Patron
    r.show("usage")
    assert next(b for b in r.usage_bars() if b.label == "Hà").target is None  # no grades known
    Patron.update(grades="6").where(Patron.code == "GV0012").execute()
    r.show("usage")
    ha = next(b for b in r.usage_bars() if b.label == "Hà")
    assert (ha.value, ha.target) == (0, 6)


def test_reading_view_figures(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    flow.home()
    review = _reports_tab(flow)
    r = review.reporting
    r.show("reading")
    assert [(b.label, b.value) for b in r.reading_bars()] == [("6A1", 1), ("6A2", 0)]
    assert r.reading_months()[-1].value == 1
    assert "1 lượt mượn" in r.reading_summary()


def test_status_tab_has_the_declarations_line(flow, context):
    review = _reports_tab(flow)
    review.show_tab("status")
    assert review.declarations_line.startswith("Kê khai năm học: 0 Sở đã nhận")


def test_home_reading_board_is_off_by_default_and_names_no_child_unless_asked(flow, context):
    from tests.factories import reconfigure
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    flow.home()
    home = flow.home_presenter
    assert home.board == []
    reconfigure(context, "reports", reading_board=True)
    home.refresh_board()
    assert home.board[0] == "Tháng này đọc nhiều nhất"
    assert "Lớp: 6A1 (1)" in home.board
    assert any(line.startswith("Sách mới: ") for line in home.board)
    assert not any("Nguyễn Văn An" in line for line in home.board)
    reconfigure(context, "reports", reading_board=True, reading_board_names=True)
    home.refresh_board()
    assert "Bạn đọc chăm: Nguyễn Văn An (6A1)" in home.board


class HeldReads:
    """The reader port holding each read until the test lets it through: what the screen sees
    while a long report is computed off its thread."""

    def __init__(self):
        self.waiting = []

    def submit(self, query, then, failed):
        self.waiting.append((query, then, failed))

    def release(self, index=0):
        query, then, failed = self.waiting.pop(index)
        try:
            result = query()
        except Exception as error:  # noqa: BLE001 - handed on as the real ports do
            failed(error)
            return
        then(result)


def test_the_terms_report_is_computed_off_the_screen_and_a_late_answer_is_dropped(flow):
    flow.ports.reads = HeldReads()
    review = _reports_tab(flow)
    r = review.reporting
    assert r.computing == "usage" and r.usage is None  # the screen says "Đang tính…"
    r.cycle_term()  # HK1 asked for while this term's report is still being computed
    assert r.term == "HK1" and len(flow.ports.reads.waiting) == 2
    flow.ports.reads.release(0)  # the first answer comes late: not shown
    assert r.computing == "usage" and r.usage is None
    flow.ports.reads.release(0)
    assert r.computing is None and r.usage.period.term == "HK1"
    assert [row[0] for row in r.usage_groups()][-1] == "Toàn trường"


def test_a_report_that_fails_to_compute_says_so_calmly(flow, monkeypatch):
    flow.ports.reads = HeldReads()
    review = _reports_tab(flow)
    r = review.reporting

    def broken(term=None):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(flow.planning, "usage_now", broken)
    r.cycle_term()
    flow.ports.reads.release(1)
    assert r.computing is None  # no "Đang tính…" forever
    assert review.message == "ui.error.unexpected"
