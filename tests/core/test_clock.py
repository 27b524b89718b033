"""The clock never runs back before what is already recorded (a Pi has no battery clock)."""
from datetime import date, datetime, timedelta, timezone

from kiosk.clock import Clock, format_date, parse_date
from kiosk.context import open_context
from kiosk.services.circulation import Circulation
from tests.factories import DEFAULT_NOW, make_context, seed_small_school


def test_a_clock_that_jumps_back_is_held_at_the_newest_time_and_flagged():
    moments = [DEFAULT_NOW, DEFAULT_NOW - timedelta(days=3650)]
    clock = Clock(now_fn=lambda: moments.pop(0))
    assert clock.now() == DEFAULT_NOW and not clock.suspect
    assert clock.now() == DEFAULT_NOW and clock.suspect


def test_a_jump_back_of_about_an_hour_is_flagged():
    """A Pi that booted with last night's clock, or a wrong time-zone step: an hour back."""
    moments = [DEFAULT_NOW, DEFAULT_NOW - timedelta(minutes=58)]
    clock = Clock(now_fn=lambda: moments.pop(0))
    clock.now()
    assert clock.now() == DEFAULT_NOW and clock.suspect


def test_the_configured_time_zone_decides_the_day(tmp_path):
    late = datetime(2026, 11, 26, 16, 30, tzinfo=timezone.utc)  # 23:30 in Hà Nội, 01:30 in Tokyo
    vietnam = make_context(tmp_path / "vn", now=late)
    assert vietnam.clock.today() == date(2026, 11, 26)
    vietnam.close()
    tokyo = make_context(tmp_path / "jp", now=late, locale={"timezone": "Asia/Tokyo"})
    with tokyo.db.atomic():
        seed_small_school()
    assert tokyo.clock.today() == date(2026, 11, 27)
    assert tokyo.clock.iso_local().endswith("+09:00")
    outcome = Circulation(tokyo).borrow(Circulation(tokyo).start_session("0123456789"),
                                        "TK.00001")
    assert outcome.loan.due_on == date(2026, 12, 11)  # 27/11 + 14 days
    tokyo.close()


def test_small_steps_back_are_tolerated():
    moments = [DEFAULT_NOW, DEFAULT_NOW - timedelta(seconds=30)]
    clock = Clock(now_fn=lambda: moments.pop(0))
    clock.now()
    assert clock.now() == DEFAULT_NOW - timedelta(seconds=30) and not clock.suspect


def test_after_a_power_cut_due_dates_come_from_the_last_recorded_time(context):
    service = Circulation(context)
    service.borrow(service.start_session("0123456789"), "TK.00001")
    config = context.config
    context.close()
    wrong = Clock(now_fn=lambda: datetime(1970, 1, 1, tzinfo=timezone.utc))
    reopened = open_context(config, clock=wrong)
    outcome = Circulation(reopened).borrow(
        Circulation(reopened).start_session("0123456789"), "TK.00002")
    assert outcome.ok and outcome.loan.due_on.year == 2026 and wrong.suspect
    reopened.close()


def test_dates_are_written_and_read_as_dd_mm_yyyy():
    day = parse_date("05/09/2026")
    assert format_date(day) == "05/09/2026" and parse_date("2026-09-05") == day
