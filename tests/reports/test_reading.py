"""Every figure of the reading-culture report against the generated school year."""
from datetime import date

import pytest

from kiosk.reports.reading import reading_report
from tests.reports import schoolyear as sy

START, END = date(2026, 9, 1), date(2026, 11, 30)


@pytest.fixture(scope="module")
def report(year):
    return reading_report(year.context.clock, START, END)


def _classes(report):
    return {c.class_name: c for c in report.classes}


def test_loans_to_take_home_by_class_and_month(report):
    months = [9, 10, 11]
    found = {c.class_name: c.by_month for c in report.classes}
    expected = {name: [sy.BOOK_LOANS.get(name, {}).get(m, 0) for m in months]
                for name in sy.CLASSES}
    expected["9A1"] = [0, 0, 0]  # its one loan is in December
    assert found == expected
    assert report.by_month == [8, 10, 13]
    assert report.total == 31  # the voided 6A1 loan is not one


def test_class_sizes_borrowers_share_and_loans_per_student(report):
    classes = _classes(report)
    assert {n: c.students for n, c in classes.items()} == {**sy.CLASSES, "9A1": 1}
    assert {n: c.borrowers for n, c in classes.items()} == {**sy.BORROWERS, "9A1": 0}
    assert classes["6A1"].per_student == 0.7  # 21 / 30
    assert classes["6A1"].share == 20.0  # 6 / 30
    assert classes["6A2"].share == 15.0  # 3 / 20
    assert report.students == 76 and report.borrowers == 11
    assert report.share == 14.5 and report.per_student == 0.41


def test_grades(report):
    grades = {g.grade: (g.students, g.loans, g.borrowers) for g in report.grades}
    assert grades == {"6": (50, 27, 9), "7": (25, 4, 2), "9": (1, 0, 0)}


def test_teachers_reading_and_last_year(report):
    assert report.teacher_loans == 2 and report.teacher_borrowers == 1
    assert report.teacher_by_month == [0, 2, 0]
    assert report.last_year_by_month == [0, 3, 0]
    assert report.this_year_total == 33
    assert report.change == 1000.0  # 33 against 3


def test_most_borrowed_titles_and_stores(report):
    top = report.top_titles[0]
    assert (top.title, top.loans) == sy.TOP_TITLE
    assert report.top_titles[1].title == "Tuổi thơ dữ dội" and report.top_titles[1].loans == 12
    assert report.stores == {"TK": 33}


def test_class_visits_by_class_and_month(report):
    classes = _classes(report)
    assert (classes["6A1"].visits, classes["6A1"].readers) == (2, 58)
    assert classes["6A1"].visits_by_month == [0, 1, 1]
    assert (classes["7A1"].visits, classes["7A1"].readers) == (1, 25)
    assert classes["6A2"].visits == 0  # its one visit was voided
    assert report.visits_by_month == [0, 1, 2] and report.readers == 83
