"""The v1.1 records the reports' inputs queue (docs/provincial-sync.md on the hub's branch):
quota.set, roster.updated, class.visit, class.visit.voided: exactly their fields."""
import json

import openpyxl

from db.models import Outbox, Patron
from kiosk.imports.runner import run_import
from kiosk.services.planning import Planning


def _records(kind):
    return [json.loads(r.data) for r in Outbox.select().where(Outbox.type == kind)
            .order_by(Outbox.id)]


def test_teachers_import_sends_the_roster_with_what_each_teaches(context, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã giáo viên", "Họ tên", "Tổ chuyên môn", "Môn dạy", "Khối dạy"])
    sheet.append(["GV0012", "Phạm Thu Hà", "Tổ KHTN", "KHTN, Vật lý", "6A1, 6A2, 7A1"])
    sheet.append(["GV0031", "Hoàng Văn Nam", "Tổ Toán", "Toán", "8"])
    path = tmp_path / "gv.xlsx"
    book.save(path)
    assert run_import(context, "teachers", path).ok
    assert Patron.get(Patron.code == "GV0012").grades == "6;7"
    (data,) = _records("roster.updated")
    assert set(data) == {"school_code", "school_year", "teachers", "action_ref"}
    assert data["school_year"] == "2026-2027"
    teachers = {t["code"]: t for t in data["teachers"]}
    assert teachers["GV0012"] == {
        "code": "GV0012", "name": "Phạm Thu Hà", "subject_group": "Tổ KHTN",
        "teaches": [{"subject": "KHTN", "grade": "6"}, {"subject": "KHTN", "grade": "7"},
                    {"subject": "Vật lý", "grade": "6"}, {"subject": "Vật lý", "grade": "7"}]}
    assert teachers["GV0031"]["teaches"] == [{"subject": "Toán", "grade": "8"}]


def test_quota_set_and_visit_records_carry_exactly_the_contracts_fields(context):
    planning = Planning(context)
    assert planning.set_quotas("CB0001", "2026-2027", "HK2",
                               [("KHTN", "6", "", 12), ("", "", "GV0012", 30)]).ok
    (quota,) = _records("quota.set")
    assert set(quota) == {"school_code", "school_year", "term", "rules", "set_by", "action_ref"}
    assert quota["rules"] == [{"subject": "KHTN", "grade": "6", "periods": 12},
                              {"subject": "", "grade": "", "periods": 30,
                               "teacher_code": "GV0012"}]
    assert planning.record_visit("CB0001", "6A2", 25, titles=("Dế Mèn phiêu lưu ký",)).ok
    (visit,) = _records("class.visit")
    assert set(visit) == {"school_code", "visit_id", "class", "date", "students", "titles",
                          "action_ref"}
    assert (visit["class"], visit["students"], visit["titles"]) == (
        "6A2", 25, ["Dế Mèn phiêu lưu ký"])


def test_bad_visits_change_nothing(context):
    planning = Planning(context)
    before = Outbox.select().count()
    assert planning.record_visit("CB0001", "6A1", 0).code == "visit_students_invalid"
    assert planning.record_visit("CB0001", "", 5).code == "visit_class_required"
    from datetime import date
    assert planning.record_visit("CB0001", "6A1", 5, date(2027, 1, 1)).code == "visit_in_future"
    assert planning.void_visit("CB0001", 999).code == "visit_unknown"
    assert Outbox.select().count() == before


def test_a_lesson_plan_import_sends_each_subject_and_grades_plan(context, tmp_path):
    from tests.reports.schoolyear import PLAN, _write_plan_file

    assert run_import(context, "lesson-plan", _write_plan_file(tmp_path / "plan.xlsx")).ok
    (plan,) = _records("plan.updated")  # one subject and grade in the file
    assert set(plan) == {"school_code", "school_year", "subject", "grade", "lessons",
                         "action_ref"}
    assert (plan["school_year"], plan["subject"], plan["grade"]) == ("2026-2027", "KHTN", "6")
    assert [(x["ppct"], x["week"], x["title"], x["equipment"]) for x in plan["lessons"]] == \
        [(ppct, week, title, equipment) for ppct, week, title, equipment in PLAN]
    first = plan["lessons"][0]
    from kiosk.reports.calendar import ppct_week_start

    assert first["week_starts"] == ppct_week_start("2026-2027", first["week"]).isoformat()


def test_a_lesson_with_self_made_equipment_only_is_sent_as_lesson_recorded(year):
    (lesson,) = _records("lesson.recorded")
    assert set(lesson) == {"school_code", "kiosk_id", "txn_ref", "patron_code", "patron_kind",
                           "patron_name", "lesson", "action_ref"}
    assert (lesson["patron_code"], lesson["patron_kind"]) == ("GV1001", "teacher")
    assert lesson["lesson"]["self_made"] == "Mô hình tế bào"
    assert lesson["lesson"]["lesson_id"] and lesson["lesson"]["date"]
    assert lesson["txn_ref"].startswith("TB-") and lesson["action_ref"] == lesson["txn_ref"]
