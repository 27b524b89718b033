"""Every figure of the school's reports against a school year with known counts."""
from datetime import date

import pytest

from hub.ingest.models import Loan, ReadingCount, UsageCount
from hub.ingest.store import rebuild_figures
from hub.web import figures
from tests.hub.schoolyear import EXPECTED_READING, EXPECTED_USAGE_HK1, YEAR, push_school_year

pytestmark = pytest.mark.django_db


def _usage(feed, term):
    report = figures.usage_report(feed.school, YEAR, term)
    return report, {(g["group"], u.code): (u.required, u.recorded)
                    for g in report["groups"] for u in g["teachers"]}


def test_teachers_use_counts_lessons_not_items(client, feed):
    push_school_year(client, feed)
    report, table = _usage(feed, "HK1")
    assert table == EXPECTED_USAGE_HK1
    groups = {g["group"]: (g["required"], g["recorded"], g["percent"]) for g in report["groups"]}
    assert groups == {"Tổ KHTN": (9, 4, 44.4), "Tổ Toán": (3, 1, 33.3)}
    assert (report["required"], report["recorded"], report["percent"]) == (12, 5, 41.7)
    gv1 = next(u for g in report["groups"] for u in g["teachers"] if u.code == "GV1")
    assert gv1.by_month == {date(2026, 10, 1): 2, date(2026, 11, 1): 1}
    assert gv1.percent == 75.0


def test_term_and_year(client, feed):
    push_school_year(client, feed)
    _, hk2 = _usage(feed, "HK2")
    assert hk2[("Tổ KHTN", "GV1")] == (None, 1)
    _, year = _usage(feed, "year")
    assert year[("Tổ KHTN", "GV1")][1] == 4


def test_usage_by_subject_and_grade(client, feed):
    push_school_year(client, feed)
    table = figures.usage_by_subject([feed.school.id], YEAR, "HK1")
    assert table["grades"] == ["6", "7", "8"]
    rows = {r["subject"]: r["cells"] for r in table["rows"]}
    assert rows == {"KHTN": [3, 0, 1], "Toán": [0, 1, 0]}
    assert table["total"] == 5


def test_reading_by_class_and_month(client, feed):
    push_school_year(client, feed)
    report = figures.reading_report(feed.school, YEAR)
    rows = {r["class"]: r for r in report["rows"]}
    for name, (students, loans, per_student) in EXPECTED_READING.items():
        assert (rows[name]["students"], rows[name]["total"], rows[name]["per_student"]) == (
            students, loans, per_student)
    october = report["months"].index(date(2026, 10, 1))
    assert rows["6A1"]["months"][october] == 3 and rows["6A1"]["months"][october + 1] == 1
    assert (rows["6A1"]["visits"], rows["6A1"]["readers"]) == (2, 74)
    assert (rows["6A2"]["visits"], rows["6A2"]["readers"]) == (1, 30)
    assert report["teachers"] == 1 and report["total"] == 6 and report["students"] == 75


def test_declarations_and_overdue(client, feed):
    ids = push_school_year(client, feed)
    report = figures.declarations_report(feed.school, YEAR)
    summary = report["summary"]
    assert (summary["declared"], summary["incomplete"], summary["withdrawn"]) == (3, 1, 1)
    assert summary["forwarded"] == 0 and summary["waiting"] == 3
    assert [i["key"] for i in report["incomplete"]] == ["TK.00101"]
    assert report["incomplete"][0]["missing"] == ["price"]
    overdue = figures.overdue_loans(feed.school, date(2026, 12, 1))
    books = [(x["patron_code"], x["days"]) for x in overdue if x["kind"] == "book"]
    assert books == [("HS12", 41), ("HS13", 40)]  # HS10's loan was voided, HS11 returned
    # Equipment is due back the day of the lesson: the unreturned lines due before 01/12
    # (three for lesson 1, one kept in lesson 2, the long-term set, two of 10/11, GV2's of 07/10).
    assert sum(1 for x in overdue if x["kind"] == "equipment") == 8
    assert ids["overdue"] in set(Loan.objects.filter(returned_at__isnull=True)
                                 .values_list("loan_id", flat=True))


def test_pushing_everything_again_changes_nothing(client, feed):
    push_school_year(client, feed)
    before = sorted(UsageCount.objects.values_list("teacher_code", "month", "lessons"))
    from hub.ingest.models import Record

    records = [{"id": r.id, "type": r.type, "occurred_at": r.occurred_at.isoformat(),
                "data": r.data} for r in Record.objects.all()]
    results = feed.push(client, records)
    assert set(results.values()) == {"duplicate"}
    assert sorted(UsageCount.objects.values_list("teacher_code", "month", "lessons")) == before


def test_rebuild_from_the_records_gives_the_same_figures(client, feed):
    ids = push_school_year(client, feed)

    def snapshot():
        return (sorted(UsageCount.objects.exclude(lessons=0).values_list(
                    "teacher_code", "subject_group", "month", "term", "lessons")),
                sorted(ReadingCount.objects.exclude(loans=0).values_list(
                    "class_name", "month", "patron_kind", "loans")),
                figures.usage_report(feed.school, YEAR, "HK1")["recorded"])

    before = snapshot()
    assert rebuild_figures() == ids["count"]
    assert snapshot() == before


def test_district_tables_compare_schools(client, feed, feed_b):
    push_school_year(client, feed)
    schools = [feed.school, feed_b.school]
    usage = {r["school"].code: (r["recorded"], r["required"]) for r in
             figures.usage_by_school(schools, YEAR, "HK1")}
    assert usage == {"HY-THCS-A": (5, 12), "HY-THCS-B": (0, None)}
    reading = {r["school"].code: (r["loans"], r["per_student"])
               for r in figures.reading_by_school(schools, YEAR)}
    assert reading == {"HY-THCS-A": (6, 0.08), "HY-THCS-B": (0, None)}


def test_the_districts_required_periods_match_each_schools_report(client, feed):
    push_school_year(client, feed)
    for term in ("HK1", "HK2", "year"):
        one = figures.usage_report(feed.school, YEAR, term)
        row = figures.usage_by_school([feed.school], YEAR, term)[0]
        assert row["required"] == (one["required"] if one["has_quotas"] else None)
        assert row["recorded"] == one["recorded"]
