"""Every figure of the equipment-use report against the school year built with known counts."""
from datetime import date

import pytest

from kiosk.reports.calendar import report_period
from kiosk.reports.usage import subject_grade_counts, usage_report
from tests.reports import schoolyear as sy


@pytest.fixture(scope="module")
def report(year):
    today = year.context.clock.today()
    return usage_report(report_period(None, None, "HK1", today), today)


def _lines(report):
    return {(g.group, u.code): u for g in report.groups for u in g.teachers}


def test_the_period_is_this_term_from_september_to_today(report):
    p = report.period
    assert (p.start, p.end, p.school_year, p.term) == (date(2026, 9, 1), date(2026, 12, 20),
                                                       "2026-2027", "HK1")
    assert [m.month for m in report.months] == [9, 10, 11, 12]


def test_each_teacher_required_recorded_and_by_month(report):
    found = {key: (u.required, u.recorded, u.by_month) for key, u in _lines(report).items()}
    assert found == sy.EXPECTED_USAGE


def test_percentages(report):
    lines = _lines(report)
    assert lines[(sy.KHTN_GROUP, "GV1001")].percent == 70.0
    assert lines[(sy.MATH_GROUP, "GV1002")].percent == 72.7
    assert lines[(sy.MATH_GROUP, "GV1003")].percent == 30.0
    assert lines[(sy.SOCIAL_GROUP, "GV1004")].percent == 0.0
    assert lines[(sy.KHTN_GROUP, "GV1003")].percent is None


def test_group_and_school_totals(report):
    assert {g.group: (g.required, g.recorded) for g in report.groups} == sy.EXPECTED_GROUPS
    assert (report.required, report.recorded) == sy.EXPECTED_SCHOOL
    assert report.percent == 64.4
    assert report.by_month == [7, 8, 10, 4]


def test_a_lesson_with_three_items_counts_once_and_lists_them(report):
    first = _lines(report)[(sy.KHTN_GROUP, "GV1001")].lessons[0]
    assert first.date == date(2026, 9, 2) and first.ppct == 1
    assert [name for name, _ in first.equipment] == ["Kính hiển vi quang học"] * 3


def test_voided_lesson_long_term_loan_and_self_made(report):
    lan = _lines(report)[(sy.KHTN_GROUP, "GV1001")]
    assert date(2026, 10, 20) not in [use.date for use in lan.lessons]  # its line was voided
    self_made = [use for use in lan.lessons if use.self_made]
    assert [(u.self_made, u.equipment) for u in self_made] == [("Mô hình tế bào", [])]
    minh = _lines(report)[(sy.MATH_GROUP, "GV1002")]
    assert all(use.date.month != 9 or use.class_name for use in minh.lessons)
    assert minh.recorded == 8  # the long-term projector is not a lesson


def test_lessons_behind_a_number_carry_session_period_class_subject(report):
    lan = _lines(report)[(sy.KHTN_GROUP, "GV1001")]
    november = [u for u in lan.lessons if u.date.month == 11]
    assert {(u.session, u.period, u.class_name, u.subject) for u in november} == {
        ("afternoon", 4, "6A2", "KHTN")}


def test_missed_plan_lessons(report):
    assert report.plan_has_weeks
    assert [(m.class_name, m.ppct) for m in report.missed] == sy.EXPECTED_MISSED
    assert {m.teacher for m in report.missed} == {"Nguyễn Thị Lan"}


def test_one_group_only(year):
    today = year.context.clock.today()
    only = usage_report(report_period(None, None, "HK1", today), today, group="to toan - tin")
    assert [g.group for g in only.groups] == [sy.MATH_GROUP]
    assert (only.required, only.recorded) == (21, 11)
    assert only.missed == []  # the missed KHTN lessons are another group's


def test_another_term_has_no_quotas_and_no_lessons(year):
    today = year.context.clock.today()
    hk2 = usage_report(report_period(None, None, "HK2", today), today)
    assert not hk2.has_quotas and hk2.recorded == 0 and hk2.required == 0


def test_district_statistics_by_subject_and_grade(year):
    today = year.context.clock.today()
    counts = subject_grade_counts(report_period(None, None, "HK1", today))
    assert counts.cells == {("KHTN", "6"): 14, ("KHTN", "7"): 4, ("Toán", "6"): 4,
                            ("Toán", "7"): 7}
    assert counts.total == 29
    assert counts.required[("KHTN", "6")] == 20
    assert counts.grades == ["6", "7"]
