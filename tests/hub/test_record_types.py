"""Every record type the kiosk sends (``db/vocabulary.py: RECORD_TYPES``) is received and
counted by the hub: one scenario per type pushes it through the real view and checks the figure
a page shows. A type the kiosk gains without a scenario here fails the test."""
import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from db import vocabulary
from db.vocabulary import RECORD_TYPES
from hub.ingest.effects import HANDLED
from hub.ingest.models import Item, Loan
from hub.ingest.store import rebuild_figures
from hub.web import figures
from tests.hub.builders import moment, rid

ROOT = Path(__file__).resolve().parents[2]
YEAR = "2026-2027"
DAY = date(2026, 10, 5)
TODAY = date(2026, 11, 20)


def _sent_types() -> dict[str, list[str]]:
    """Every record type the kiosk's code passes to ``.record(...)`` (or to a service's
    ``_record(act, loan, TYPE, ...)``), with where: literal strings and vocabulary names."""
    names = {name: getattr(vocabulary, name) for name in dir(vocabulary)
             if isinstance(getattr(vocabulary, name), str)}
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            position = {"record": 0, "_record": 2}.get(node.func.attr)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                kind = arg.value
            elif isinstance(arg, ast.Name) and arg.id in names:
                kind = names[arg.id]
            else:
                continue  # a variable (e.g. record_type passed through): its callers are seen
            found.setdefault(kind, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_kiosk_sends_exactly_the_record_types_of_its_vocabulary():
    sent = _sent_types()
    unlisted = {kind: where for kind, where in sent.items() if kind not in RECORD_TYPES}
    assert not unlisted, f"record types sent but not in db/vocabulary.py RECORD_TYPES: {unlisted}"
    never = set(RECORD_TYPES) - set(sent)
    assert not never, f"RECORD_TYPES lists types the kiosk never sends: {never}"


def test_the_hub_handles_every_record_type_of_the_kiosk():
    assert set(RECORD_TYPES) - set(HANDLED) == set()


# -- one scenario per type: the figure a page shows moves ----------------------------------------
def _reading_total(feed) -> int:
    return figures.reading_report(feed.school, YEAR)["total"]


def _overdue(feed) -> dict:
    return {r["loan_id"]: (r["outstanding"], r["quantity"])
            for r in figures.overdue_loans(feed.school, TODAY)}


def _declared(feed) -> dict:
    row = figures.declarations_by_school([feed.school], YEAR)[0]
    return {k: row[k] for k in ("declared", "withdrawn", "incomplete")}


def _recorded(feed, teacher: str = "GV1") -> int:
    report = figures.usage_report(feed.school, YEAR, "HK1")
    return sum(u.recorded for g in report["groups"] for u in g["teachers"] if u.code == teacher)


def _again(feed, record: dict, kind: str, day: date, hour: int = 15, **extra) -> dict:
    """A later event of the loan ``record`` borrowed, carrying the loan's data (as the
    kiosk's ``loan_data`` does)."""
    return feed.record(kind, {**record["data"], **extra}, moment(day, hour))


def _stock_loan(feed, quantity: int) -> tuple[dict, str]:
    record, loan_id = feed.equipment_loan(DAY, "GV1", "Cô Lan", "Tổ KHTN", "KHTN", "6A1", 2,
                                          due=DAY + timedelta(days=1))
    record["data"].update(quantity=quantity, outstanding=quantity, returned_good=0)
    return record, loan_id


def scenario_loan_borrowed(client, feed):
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    feed.push(client, [record])
    assert _reading_total(feed) == 1


def scenario_loan_returned(client, feed):
    record, loan_id = _stock_loan(feed, 3)
    feed.push(client, [record])
    assert _overdue(feed) == {loan_id: (3, 3)}
    part = _again(feed, record, "loan.returned", DAY + timedelta(days=2), returned_good=2,
                  outstanding=1, this_return={"good": 2, "damaged": 0, "missing": 0, "lost": 0,
                                              "outstanding": 1, "note": ""})
    feed.push(client, [part])
    assert _overdue(feed) == {loan_id: (1, 3)}  # "trả 2/3, còn 1": still out, still late
    rest = _again(feed, record, "loan.returned", DAY + timedelta(days=3), returned_good=2,
                  returned_damaged=1, outstanding=0, condition="damaged",
                  this_return={"good": 0, "damaged": 1, "missing": 0, "lost": 0,
                               "outstanding": 0, "note": "gãy"})
    feed.push(client, [rest])
    assert _overdue(feed) == {}
    loan = Loan.objects.get(loan_id=loan_id)
    assert (loan.returned_good, loan.returned_damaged, loan.outstanding) == (2, 1, 0)
    # The partial return arriving again after the last one (requeued) changes nothing.
    feed.push(client, [_again(feed, record, "loan.returned", DAY + timedelta(days=2),
                              returned_good=2, outstanding=1)])
    assert _overdue(feed) == {}


def scenario_loan_renewed(client, feed):
    record, loan_id = feed.book_loan(DAY, "HS1", "6A1", due=DAY + timedelta(days=7))
    feed.push(client, [record])
    assert loan_id in _overdue(feed)
    feed.push(client, [_again(feed, record, "loan.renewed", DAY + timedelta(days=6),
                              due_date=(TODAY + timedelta(days=7)).isoformat(), renewals=1)])
    assert loan_id not in _overdue(feed)


def scenario_loan_voided(client, feed):
    record, _ = feed.book_loan(DAY, "HS1", "6A1")
    feed.push(client, [record])
    feed.push(client, [_again(feed, record, "loan.voided", DAY, void_reason="nhầm")])
    assert _reading_total(feed) == 0


def scenario_loan_unvoided(client, feed):
    book, _ = feed.book_loan(DAY, "HS1", "6A1")
    kit, kit_id = feed.equipment_loan(DAY, "GV1", "Cô Lan", "Tổ KHTN", "KHTN", "6A1", 2)
    feed.push(client, [book, kit])
    assert (_reading_total(feed), _recorded(feed)) == (1, 1)
    feed.push(client, [_again(feed, book, "loan.voided", DAY, 10, void_reason="nhầm"),
                       _again(feed, kit, "loan.voided", DAY, 10, void_reason="nhầm")])
    assert (_reading_total(feed), _recorded(feed)) == (0, 0)
    undo = [_again(feed, r, "loan.unvoided", DAY, 11, undoes_ref="HUY-1") for r in (book, kit)]
    feed.push(client, undo)
    assert (_reading_total(feed), _recorded(feed)) == (1, 1)  # back in the figures
    # The void sent again late (requeued after the undo) is older: the loan stays.
    feed.push(client, [_again(feed, book, "loan.voided", DAY, 10, void_reason="nhầm")])
    assert _reading_total(feed) == 1
    # Void, undo and void again in one batch: the last one wins.
    other, _ = feed.book_loan(DAY, "HS2", "6A1")
    feed.push(client, [other, _again(feed, other, "loan.voided", DAY, 12),
                       _again(feed, other, "loan.unvoided", DAY, 13),
                       _again(feed, other, "loan.voided", DAY, 14)])
    assert _reading_total(feed) == 1
    # An undo whose loan the hub never saw (its borrowing and void still on their way) counts
    # the loan once; the borrowing and the void arriving later change nothing.
    late, _ = feed.book_loan(DAY, "HS3", "6A1")
    feed.push(client, [_again(feed, late, "loan.unvoided", DAY, 16)])
    assert _reading_total(feed) == 2
    feed.push(client, [late, _again(feed, late, "loan.voided", DAY, 15)])
    assert _reading_total(feed) == 2
    assert Loan.objects.get(loan_id=kit_id).voided_at is None


def scenario_item_declared(client, feed):
    stock = feed.record("item.declared", {
        "item_kind": "equipment_stock", "equipment_code": "KHTN6.OX", "equipment_name": "Ống nghiệm",
        "unit": "cái", "subject": "KHTN", "grade": "6", "tracking": "counted",
        "stock_total": 20, "stock_on_hand": 20, "quantity_added": 20}, moment(DAY))
    feed.push(client, [feed.declared(DAY, "TK.00001", "Dế Mèn"), stock])
    assert _declared(feed) == {"declared": 21, "withdrawn": 0, "incomplete": 0}
    more = feed.record("item.declared", {**stock["data"], "stock_total": 25,
                                         "quantity_added": 5}, moment(DAY, 10))
    feed.push(client, [more])
    assert _declared(feed)["declared"] == 26
    assert Item.objects.get(key="type:KHTN6.OX").pieces == 25


def scenario_item_updated(client, feed):
    feed.push(client, [feed.declared(DAY, "TK.00001", "Dế Mèn", price=None)])
    assert _declared(feed)["incomplete"] == 1
    fixed = feed.declared(DAY, "TK.00001", "Dế Mèn", price=42000)
    fixed["type"] = "item.updated"
    feed.push(client, [fixed])
    assert _declared(feed) == {"declared": 1, "withdrawn": 0, "incomplete": 0}


def scenario_item_withdrawn(client, feed):
    stock = {"item_kind": "equipment_stock", "equipment_code": "KHTN6.OX",
             "equipment_name": "Ống nghiệm", "unit": "cái", "subject": "", "grade": "6",
             "tracking": "counted", "stock_total": 10, "stock_on_hand": 10}
    feed.push(client, [feed.declared(DAY, "TK.00001", "Dế Mèn", price=None),
                       feed.record("item.declared", {**stock, "quantity_added": 10},
                                   moment(DAY))])
    assert _declared(feed) == {"declared": 11, "withdrawn": 0, "incomplete": 2}
    copy = feed.declared(DAY, "TK.00001", "Dế Mèn", price=None, status="withdrawn",
                         reason="worn", decision_no="12/QĐ", decision_date="2026-11-01")
    copy["type"] = "item.withdrawn"
    part = feed.record("item.withdrawn", {**stock, "stock_total": 7, "stock_on_hand": 7,
                                          "quantity_withdrawn": 3, "from": "on_hand",
                                          "reason": "beyond_repair"}, moment(DAY, 11))
    feed.push(client, [copy, part])
    # The copy leaves the counts; the counted stock keeps 7 of its 10 and is still held.
    assert _declared(feed) == {"declared": 11, "withdrawn": 4, "incomplete": 1}
    assert Item.objects.get(key="type:KHTN6.OX").withdrawn_at is None
    rest = feed.record("item.withdrawn", {**stock, "stock_total": 0, "stock_on_hand": 0,
                                          "quantity_withdrawn": 7, "from": "on_hand",
                                          "reason": "beyond_repair"}, moment(DAY, 12))
    feed.push(client, [rest])
    assert _declared(feed) == {"declared": 11, "withdrawn": 11, "incomplete": 0}
    assert Item.objects.get(key="type:KHTN6.OX").withdrawn_at is not None


def scenario_quota_set(client, feed):
    kit, _ = feed.equipment_loan(DAY, "GV1", "Cô Lan", "Tổ KHTN", "KHTN", "6A1", 2)
    feed.push(client, [kit, feed.quota(YEAR, "HK1", [{"subject": "KHTN", "grade": "6",
                                                      "periods": 8}], DAY)])
    report = figures.usage_report(feed.school, YEAR, "HK1")
    assert (report["required"], report["recorded"], report["percent"]) == (8, 1, 12.5)


def scenario_roster_updated(client, feed):
    loans = [feed.book_loan(DAY, f"HS{n}", "6A1")[0] for n in range(3)]
    feed.push(client, [*loans, feed.roster(YEAR, {"6A1": 40, "6A2": 38}, None, DAY)])
    report = figures.reading_report(feed.school, YEAR)
    assert report["students"] == 78
    assert {r["class"]: r["per_student"] for r in report["rows"]} == {"6A1": 0.07, "6A2": 0.0}


def scenario_class_visit(client, feed):
    feed.push(client, [feed.visit(DAY, "6A1", 38, ["Dế Mèn"]), feed.visit(DAY, "6A1", 36)])
    report = figures.reading_report(feed.school, YEAR)
    assert (report["visits"], report["readers"]) == (2, 74)


def scenario_class_visit_voided(client, feed):
    kept, wrong = feed.visit(DAY, "6A1", 38), feed.visit(DAY, "6A2", 30)
    feed.push(client, [kept, wrong])
    feed.push(client, [feed.record("class.visit.voided", {"visit_id": wrong["data"]["visit_id"]},
                                   moment(DAY, 11))])
    report = figures.reading_report(feed.school, YEAR)
    assert (report["visits"], report["readers"]) == (1, 38)


def scenario_lesson_recorded(client, feed):
    kit, _ = feed.equipment_loan(DAY, "GV1", "Cô Lan", "Tổ KHTN", "KHTN", "6A1", 2)
    lesson = {**kit["data"]["lesson"], "lesson_id": rid(), "period": 3, "ppct": 13,
              "self_made": "Mô hình tế bào bằng xốp"}
    own = feed.record("lesson.recorded", {"kiosk_id": feed.kiosk_id, "txn_ref": "TB-2",
                                          "patron_code": "GV1", "patron_kind": "teacher",
                                          "patron_name": "Cô Lan", "lesson": lesson},
                      moment(DAY, 8))
    feed.push(client, [kit, own])
    assert _recorded(feed) == 2  # the self-made lesson is a use, lending nothing
    assert _overdue(feed) == {kit["data"]["loan_id"]: (1, 1)}


def scenario_plan_updated(client, feed):
    lessons = [{"ppct": 12, "week": 3, "week_starts": "2026-09-21", "title": "Bài 5",
                "equipment": "Kính hiển vi (6)"},
               {"ppct": 13, "week": 3, "week_starts": "2026-09-21", "title": "Bài 6",
                "equipment": ""},
               {"ppct": 14, "week": 40, "week_starts": "2027-06-07", "title": "Bài 7",
                "equipment": "Đèn cồn"}]
    plan = {"school_year": YEAR, "subject": "KHTN", "grade": "6", "lessons": lessons}
    kit, _ = feed.equipment_loan(DAY, "GV1", "Cô Lan", "Tổ KHTN", "khtn", "6A1", 2)  # PPCT 12
    feed.push(client, [feed.roster(YEAR, {"6A1": 40, "6A2": 38, "7A1": 35}, None, DAY), kit,
                       feed.record("plan.updated", plan, moment(DAY))])
    report = figures.missed_lessons(feed.school, YEAR, TODAY)
    assert [(m.class_name, m.ppct, m.equipment) for m in report["missed"]] == [
        ("6A2", 12, "Kính hiển vi (6)")]  # 6A1 taught it; 13 needs nothing; 14 not due yet
    assert report["planned_due"] == 1 and report["has_weeks"]
    # A new plan of the subject and grade replaces the old one.
    feed.push(client, [feed.record("plan.updated", {**plan, "lessons": lessons[1:]},
                                   moment(DAY, 12))])
    assert figures.missed_lessons(feed.school, YEAR, TODAY)["missed"] == []
    assert figures.missed_lessons(feed.school, YEAR, date(2027, 6, 8))["planned_due"] == 1


def _booking_pushed(client, feed, kind: str) -> None:
    """A booking record is received and stored and moves no figure: it is no use of
    equipment (a collected booking's loans arrive as loan.borrowed)."""
    before = _snapshot(feed)
    data = {"booking_id": rid(), "txn_ref": "DT-1", "status": kind.split(".")[1],
            "teacher_code": "GV1", "teacher_name": "Cô Lan", "date": DAY.isoformat(),
            "session": "morning", "period": 2, "class": "6A1", "subject": "KHTN",
            "title": "Bài 5", "ppct": None, "purpose": "", "lapses_at": "2026-10-05T02:00:00Z",
            "closed_ref": "", "lesson_id": None,
            "lines": [{"equipment_code": "KHTN6.KHV", "name": "Kính hiển vi",
                       "item_code": "TB.KHTN6.001", "quantity": 1}]}
    feed.push(client, [feed.record(kind, data, moment(DAY))])
    assert _snapshot(feed) == before


def scenario_booking_made(client, feed):
    _booking_pushed(client, feed, "booking.made")


def scenario_booking_collected(client, feed):
    _booking_pushed(client, feed, "booking.collected")


def scenario_booking_cancelled(client, feed):
    _booking_pushed(client, feed, "booking.cancelled")


def scenario_booking_lapsed(client, feed):
    _booking_pushed(client, feed, "booking.lapsed")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_each_record_type_moves_the_figures_a_page_shows(kind, client, feed):
    scenario = globals().get("scenario_" + kind.replace(".", "_"))
    if scenario is None:
        pytest.fail(f"the kiosk sends {kind!r} and no scenario here checks what the hub does "
                    "with it: add scenario_" + kind.replace(".", "_"))
    scenario(client, feed)
    # The figures kept as records arrive are those the records give when replayed.
    before = _snapshot(feed)
    rebuild_figures(feed.school.id)
    assert _snapshot(feed) == before


def _snapshot(feed) -> tuple:
    reading = figures.reading_report(feed.school, YEAR)
    usage = figures.usage_report(feed.school, YEAR, "HK1")
    missed = figures.missed_lessons(feed.school, YEAR, TODAY)["missed"]
    return (reading["total"], reading["visits"], reading["readers"], reading["students"],
            usage["required"], usage["recorded"], sorted(_overdue(feed).items()),
            sorted(_declared(feed).items()), missed)
