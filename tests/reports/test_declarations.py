"""The declarations report against the generated school year."""
from datetime import date

from kiosk.reports.declarations import declarations_report
from tests.reports import schoolyear as sy


def test_declared_items_by_store_and_group_with_the_provinces_answer(year):
    report = declarations_report(date(2026, 9, 1), date(2026, 9, 30))
    found = {(g.kind, g.name): (g.declared, g.sent, g.pending, g.dead) for g in report.groups}
    assert found == sy.EXPECTED_DECLARATIONS
    assert [(r.code, r.reason) for r in report.refused] == [("NV.00004", "thiếu giá tiền")]
    assert (report.total("declared"), report.total("sent")) == (6, 3)


def test_a_period_without_declarations(year):
    report = declarations_report(date(2026, 10, 1), date(2026, 10, 31))
    assert report.groups == [] and report.total("declared") == 0


def test_records_missing_what_the_registers_need(year):
    report = declarations_report(date(2026, 9, 1), date(2026, 9, 30))
    # The formula-titled book has no price, classification, publisher or year; the equipment
    # types all have unit, subject and grade, except the projector's... it has all three.
    assert report.incomplete_books == 1
    book = next(i for i in report.incomplete if i.kind == "book")
    assert book.code == "TN.00001"
    assert set(book.missing) == {"price", "classification", "publisher", "year"}
    assert report.incomplete_equipment == 0
