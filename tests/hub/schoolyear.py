"""A small school year with known counts by construction (the expected figures are written
next to the records that make them), pushed through the real ingest view."""
from datetime import date

from tests.hub.builders import rid

YEAR = "2026-2027"

EXPECTED_USAGE_HK1 = {
    # (group, teacher): (required, recorded)
    ("Tổ KHTN", "GV1"): (4, 3),
    ("Tổ KHTN", "GV2"): (5, 1),
    ("Tổ Toán", "GV2"): (None, 1),
    ("Tổ Toán", "GV3"): (3, 0),
}
EXPECTED_READING = {"6A1": (40, 4, 0.1), "6A2": (35, 2, 0.06)}  # students, loans, per student


def push_school_year(client, feed) -> dict:
    """Push the year; returns a few loan ids the tests refer to."""
    records, ids = [], {}

    def add(pair):
        records.append(pair[0])
        return pair[1]

    # GV1, Tổ KHTN, KHTN grade 6.
    l1 = rid()
    for code in ("KHTN6.KHV", "KHTN6.KL", "KHTN6.OCN"):  # three items, one lesson: counts once
        add(feed.equipment_loan(date(2026, 10, 5), "GV1", "Nguyễn Văn Một", "Tổ KHTN", "KHTN",
                                "6A1", 1, lesson_id=l1, code=code))
    l2 = rid()
    keep = add(feed.equipment_loan(date(2026, 10, 6), "GV1", "Nguyễn Văn Một", "Tổ KHTN",
                                   "KHTN", "6A2", 2, lesson_id=l2))
    voided_line = add(feed.equipment_loan(date(2026, 10, 6), "GV1", "Nguyễn Văn Một", "Tổ KHTN",
                                          "KHTN", "6A2", 2, lesson_id=l2, code="KHTN6.KL"))
    records.append(feed.event("loan.voided", voided_line, date(2026, 10, 6), void_reason="nhầm"))
    all_voided = add(feed.equipment_loan(date(2026, 11, 3), "GV1", "Nguyễn Văn Một", "Tổ KHTN",
                                         "KHTN", "6A1", 3))
    records.append(feed.event("loan.voided", all_voided, date(2026, 11, 3)))  # counts nothing
    add(feed.equipment_loan(date(2026, 11, 4), "GV1", "Nguyễn Văn Một", "Tổ KHTN", "KHTN",
                            "6A1", 1, long_term=True))  # long-term: no lesson
    for code in ("KHTN6.KHV", "KHTN6.DC"):  # an older kiosk: no lesson_id, same lesson
        add(feed.equipment_loan(date(2026, 11, 10), "GV1", "Nguyễn Văn Một", "Tổ KHTN", "KHTN",
                                "6A1", 4, session="afternoon", code=code, with_lesson_id=False))
    add(feed.equipment_loan(date(2027, 1, 20), "GV1", "Nguyễn Văn Một", "Tổ KHTN", "KHTN",
                            "6A1", 1))  # HK2
    # GV2 changed group: Toán 7 in Tổ Toán in October, KHTN 8 in Tổ KHTN in December.
    add(feed.equipment_loan(date(2026, 10, 7), "GV2", "Trần Thị Hai", "Tổ Toán", "Toán", "7A1", 3,
                            code="TOAN.TV"))
    add(feed.equipment_loan(date(2026, 12, 1), "GV2", "Trần Thị Hai", "Tổ KHTN", "KHTN", "8A1", 2))
    ids["equipment_kept"] = keep

    # Quotas for HK1 (school rules, and GV2's own for Toán 7); the roster with GV3, no lessons.
    records.append(feed.quota(YEAR, "HK1", [
        {"subject": "KHTN", "grade": "6", "periods": 4},
        {"subject": "Toán", "grade": "6", "periods": 3},
        {"subject": "Toán", "grade": "7", "periods": 2},
        {"subject": "Toán", "grade": "7", "teacher_code": "GV2", "periods": 5}], date(2026, 9, 10)))
    records.append(feed.roster(YEAR, {"6A1": 40, "6A2": 35}, [
        {"code": "GV1", "name": "Nguyễn Văn Một", "subject_group": "Tổ KHTN",
         "teaches": [{"subject": "KHTN", "grade": "6"}]},
        {"code": "GV2", "name": "Trần Thị Hai", "subject_group": "Tổ KHTN",
         "teaches": [{"subject": "Toán", "grade": "7"}]},
        {"code": "GV3", "name": "Lê Văn Ba", "subject_group": "Tổ Toán",
         "teaches": [{"subject": "Toán", "grade": "6"}]}], date(2026, 9, 8)))

    # Reading: 6A1 four loans in October (one voided) and one in November; 6A2 two.
    for n in range(4):
        loan = add(feed.book_loan(date(2026, 10, 12 + n), f"HS1{n}", "6A1",
                                  due=date(2026, 10, 19 + n)))
        if n == 0:
            records.append(feed.event("loan.voided", loan, date(2026, 10, 12)))
        elif n == 1:
            records.append(feed.event("loan.returned", loan, date(2026, 10, 15)))
        elif n == 2:
            ids["overdue"] = loan
    add(feed.book_loan(date(2026, 11, 2), "HS20", "6A1", due=date(2099, 1, 1)))
    for n in range(2):
        add(feed.book_loan(date(2026, 10, 20), f"HS3{n}", "6A2", due=date(2099, 1, 1)))
    add(feed.book_loan(date(2026, 10, 21), "GV1", "", kind="teacher", due=date(2099, 1, 1)))
    # Class visits: 6A1 twice in October, 6A2 once in November (and one visit voided).
    records.append(feed.visit(date(2026, 10, 8), "6A1", 38, ["Dế Mèn phiêu lưu ký"]))
    records.append(feed.visit(date(2026, 10, 22), "6A1", 36))
    records.append(feed.visit(date(2026, 11, 5), "6A2", 30))
    wrong = feed.visit(date(2026, 11, 6), "6A2", 31)
    records.append(wrong)
    records.append(feed.record("class.visit.voided", {"visit_id": wrong["data"]["visit_id"]},
                               wrong["occurred_at"]))
    # Declarations: three books, one without a price; one withdrawn later.
    records.append(feed.declared(date(2026, 9, 15), "TK.00100", "Sách A"))
    records.append(feed.declared(date(2026, 9, 15), "TK.00101", "=HYPERLINK(\"http://x\",\"y\")",
                                 price=None))
    records.append(feed.declared(date(2026, 9, 16), "TK.00102", "Sách C"))
    withdrawn = feed.declared(date(2026, 12, 1), "TK.00102", "Sách C")
    withdrawn["type"] = "item.withdrawn"
    records.append(withdrawn)
    # In batches of 7, as a kiosk would (a loan and its void may land in different batches).
    for start in range(0, len(records), 7):
        results = feed.push(client, records[start:start + 7])
        assert set(results.values()) == {"accepted"}, results
    ids["count"] = len(records)
    return ids
