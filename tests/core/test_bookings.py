"""Booking equipment ahead (đặt trước): holds, refusals with who holds, collecting by card,
lapsing, and lending now around bookings. A real SQLite file; the clock is moved by hand."""
from datetime import date, timedelta

from db.models import Booking, EquipmentType, Journal, Loan, Outbox, Patron
from db.queries import calendar, patrons
from db.queries.bookings import Slot
from kiosk.services.bookings import Bookings
from kiosk.services.equipment import EquipmentLending, Lesson

TODAY = date(2026, 11, 26)  # Thursday; the frozen clock's day (09:00 local)
TOMORROW = TODAY + timedelta(days=1)


def _setup(context):
    with context.db.atomic():
        Patron.update(gender="Nữ").where(Patron.code == "GV0012").execute()
        Patron.create(kind="teacher", code="GV0020", name="Ngô Bảo Châu", gender="Nam",
                      search_key="ngo bao chau", subjects="KHTN", updated_at=context.clock.db_now())
        for number, (starts, ends) in enumerate((("07:00", "07:45"), ("07:50", "08:35"),
                                                 ("08:50", "09:35"), ("09:40", "10:25")), 1):
            calendar.upsert_period(number, "morning", starts, ends)
    service = Bookings(context)
    return service, patrons.by_code("GV0012"), patrons.by_code("GV0020")


def _lesson(day, period=2, class_name="6A1"):
    return Lesson(date=day, period=period, session="morning", class_name=class_name,
                  subject="KHTN", title="Bài 5")


def test_booking_holds_and_a_conflict_is_refused_with_who_holds_it(context):
    service, ha, chau = _setup(context)
    made = service.book(ha, _lesson(TOMORROW), {"KHTN6.KHV": 2, "KHTN6.OCN": 20})
    assert made.ok, made.message
    assert made.params["ref"].startswith("DT-")
    seen = service.availability(Slot(TOMORROW, "morning", 2), chau)
    scope = EquipmentType.get(code="KHTN6.KHV").id
    tubes = EquipmentType.get(code="KHTN6.OCN").id
    assert (seen[scope].free, seen[scope].reserved) == (1, 2)
    assert (seen[tubes].free, seen[tubes].reserved) == (10, 20)
    refused = service.book(chau, _lesson(TOMORROW, class_name="6A2"), {"KHTN6.OCN": 11})
    assert not refused.ok
    assert refused.message == (
        "Chỉ còn 10 “Ống nghiệm” cho tiết này (cần 11): đã đặt trước bởi "
        "cô Phạm Thu Hà (6A1, tiết 2 Sáng 27/11, 20 cái).")
    # another period of the same day is free
    assert service.book(chau, _lesson(TOMORROW, period=3), {"KHTN6.OCN": 30}).ok
    # one booking row and one record per booking made; the refusal wrote nothing
    assert Booking.select().count() == 2
    assert Outbox.select().where(Outbox.type == "booking.made").count() == 2
    record = Outbox.select().where(Outbox.type == "booking.made").order_by(Outbox.id).first()
    import json
    data = json.loads(record.payload)["data"] if hasattr(record, "payload") else None
    assert data is None or data["period"] == 2


def test_collect_by_card_makes_the_lesson_loan(context):
    service, ha, _ = _setup(context)
    assert service.book(ha, _lesson(TOMORROW, period=3), {"KHTN6.KHV": 1, "KHTN6.OCN": 5}).ok
    assert service.collectable(ha) == []  # not today
    context.clock.advance(days=1, hours=-0, minutes=-30)  # 27/11 08:30 local: 20 min before
    [booking] = service.collectable(ha)
    collected = service.collect(ha, booking.id)
    assert collected.ok, collected.message
    assert collected.params["ref"].startswith("TB-")
    loans = list(Loan.select().where(Loan.kind == "equipment"))
    assert len(loans) == 2
    assert {(l.lesson.lesson_date, l.lesson.session, l.lesson.period, l.lesson.class_name)
            for l in loans} == {(TOMORROW, "morning", 3, "6A1")}
    assert {l.due_on for l in loans} == {TOMORROW}
    assert EquipmentType.get(code="KHTN6.OCN").stock_on_hand == 25
    assert Booking.get(id=booking.id).status == "collected"
    assert Outbox.select().where(Outbox.type == "booking.collected").count() == 1
    assert Outbox.select().where(Outbox.type == "loan.borrowed").count() == 2
    # a second collection (another kiosk) changes nothing
    again = service.collect(ha, booking.id)
    assert not again.ok and Loan.select().count() == 2


def test_unclaimed_booking_lapses_after_its_lesson_and_frees_stock(context):
    service, ha, chau = _setup(context)
    assert service.book(ha, _lesson(TOMORROW, period=1), {"KHTN6.OCN": 30}).ok
    slot = Slot(TOMORROW, "morning", 1)
    tubes = EquipmentType.get(code="KHTN6.OCN").id
    assert service.availability(slot, chau)[tubes].free == 0
    context.clock.advance(days=1)  # 27/11 09:00: period 1 ended at 07:45
    assert service.availability(slot, chau)[tubes].free == 30  # no longer held
    assert service.lapse_pending()
    assert service.lapse_due().params["count"] == 1
    assert Booking.get().status == "lapsed"
    assert Outbox.select().where(Outbox.type == "booking.lapsed").count() == 1
    assert Journal.select().where(Journal.action == "lapse").count() == 1
    assert service.lapse_due().params["count"] == 0 and not service.lapse_pending()


def test_lending_now_leaves_todays_bookings_alone(context):
    service, ha, chau = _setup(context)
    assert service.book(ha, _lesson(TODAY, period=4), {"KHTN6.KHV": 3, "KHTN6.OCN": 25}).ok
    lending = EquipmentLending(context)
    basket = lending.start(chau, _lesson(TODAY, period=3, class_name="6A2"))
    assert lending.add_scan(basket, "TB.KHTN6.001").ok  # the screen warns; confirm refuses
    refused = lending.confirm(basket)
    assert not refused.ok
    assert refused.message.startswith("“Kính hiển vi quang học” đã được đặt trước")
    basket.lines.clear()
    assert lending.set_quantity(basket, "KHTN6.OCN", 6).ok
    refused = lending.confirm(basket)
    assert not refused.ok and "còn 5" in refused.message
    lending.set_quantity(basket, "KHTN6.OCN", 5)
    assert lending.confirm(basket).ok


def test_cancel_frees_the_booking(context):
    service, ha, chau = _setup(context)
    made = service.book(ha, _lesson(TOMORROW), {"KHTN6.KHV": 3})
    assert not service.book(chau, _lesson(TOMORROW), {"KHTN6.KHV": 1}).ok
    assert not service.cancel(chau, made.params["booking"].id).ok  # not theirs
    assert service.cancel(ha, made.params["booking"].id).ok
    assert service.book(chau, _lesson(TOMORROW), {"KHTN6.KHV": 1}).ok


def test_two_kiosks_booking_the_same_lesson_give_one_booking_and_one_clear_refusal(
        context, tmp_path):
    """Two processes on one database file book all three microscopes and 20 of 30 tubes for
    the same lesson at the same moment, five times over: each time one booking is made and
    the other kiosk's teacher is told who holds them."""
    import json
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from db.models import BookingLine
    _setup(context)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    url = getattr(context.config.database, "url", "")  # a server both kiosks share
    database = json.dumps({"url": url} if url else {"path": str(context.config.database.path)})
    names = {"GV0012": "cô Phạm Thu Hà", "GV0020": "thầy Ngô Bảo Châu"}
    from kiosk.clock import Clock
    first = Clock().today() + timedelta(days=1)  # the workers run on the real clock
    for round_ in range(5):
        day = (first + timedelta(days=round_)).isoformat()
        start = str(time.time() + 2.0)
        workers = [subprocess.Popen(
            [sys.executable, "-m", "tests.core.booking_worker", database, f"kiosk-{n}", code, day,
             start], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True) for n, code in ((1, "GV0012"), (2, "GV0020"))]
        seen = {}
        for worker, code in zip(workers, ("GV0012", "GV0020")):
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0 and "Traceback" not in err, err[-2000:]
            seen[code] = json.loads(out.strip().splitlines()[-1])
        winners = [code for code, result in seen.items() if result["ok"]]
        assert len(winners) == 1, seen
        [loser] = [code for code in seen if code not in winners]
        assert seen[loser]["code"] == "booking_held", seen
        assert f"đã đặt trước bởi {names[winners[0]]}" in seen[loser]["message"], seen
        day_bookings = list(Booking.select().where(Booking.lesson_date == date.fromisoformat(day)))
        assert [b.teacher.code for b in day_bookings] == winners
        lines = BookingLine.select().where(BookingLine.booking == day_bookings[0])
        assert sorted(line.quantity for line in lines) == [1, 1, 1, 20]
    assert Outbox.select().where(Outbox.type == "booking.made").count() == 5
    assert Journal.select().where(Journal.action == "book").count() == 5
