"""A Pi without a battery clock: a clock behind the journal, or one neither NTP nor an RTC vouches
for, is told to staff (status tab, home screen, kiosk db check); times never run back."""
from datetime import datetime, timedelta, timezone

import pytest

from db.models import Journal
from kiosk.clock import Clock, system_now
from kiosk.clock_trust import (ClockState, check_at_start, clock_message, ntp_synchronised,
                               rtc_set_the_clock)
from kiosk.context import open_context
from kiosk.services.circulation import Circulation
from tests.factories import DEFAULT_NOW
from tests.pi.helpers import cli_school, kiosk


@pytest.mark.parametrize("state, suspect", [
    (ClockState(synchronised=False, rtc=False), True),
    (ClockState(synchronised=False, rtc=True), False),   # a Pi 5's RTC set it at boot
    (ClockState(synchronised=True, rtc=False), False),
    (ClockState(synchronised=None, rtc=False), False),   # cannot tell: no alarm
])
def test_the_system_clock_needs_ntp_or_an_rtc(state, suspect):
    clock = Clock(now_fn=system_now)
    assert (check_at_start(clock, state) == "not_synchronised") is suspect
    assert clock.suspect is suspect


def test_the_kernel_and_the_rtc_are_read(tmp_path):
    assert ntp_synchronised() in (True, False)
    assert not rtc_set_the_clock(tmp_path)
    rtc = tmp_path / "class" / "rtc" / "rtc0"
    rtc.mkdir(parents=True)
    (rtc / "hctosys").write_text("0\n")
    assert not rtc_set_the_clock(tmp_path)
    (rtc / "hctosys").write_text("1\n")
    assert rtc_set_the_clock(tmp_path)


def test_a_clock_behind_the_journal_is_told_and_due_dates_use_the_last_trusted_time(context):
    service = Circulation(context)
    service.borrow(service.start_session("0123456789"), "TK.00001")
    config = context.config
    context.close()
    days_behind = Clock(now_fn=lambda: DEFAULT_NOW - timedelta(days=9))
    reopened = open_context(config, clock=days_behind)
    assert check_at_start(reopened.clock) == "behind_journal"
    assert "09:00 26/11/2026" in clock_message(reopened.clock)
    outcome = Circulation(reopened).borrow(
        Circulation(reopened).start_session("0123456789"), "TK.00002")
    assert outcome.ok and outcome.loan.due_on == (DEFAULT_NOW + timedelta(days=14)).date()
    reopened.close()


def test_home_and_the_status_tab_tell_staff(flow):
    from kiosk.presenters.staff_review import StaffReviewPresenter
    from db.models import Patron
    home = flow.home_presenter
    assert home.clock_warning is None
    flow.context.clock.suspect, flow.context.clock.reason = True, "not_synchronised"
    assert home.clock_warning == "giờ có thể chưa đúng"
    review = StaffReviewPresenter(flow, Patron.get(Patron.code == "CB0001"))
    review.show_tab("status")
    assert "NTP" in clock_message(review.flow.context.clock)


def test_kiosk_db_check_reports_a_clock_behind_the_journal(tmp_path):
    config = cli_school(tmp_path)
    from kiosk.config import load_config
    context = open_context(load_config(config))
    ahead = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=30)
    Journal.create(at=ahead, kiosk_id="k1", actor="test", action="test", entity="",
                   entity_key="", txn_ref="", before="", after="", reason="")
    context.close()
    checked = kiosk("db", "check", config=config)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    local = Clock().to_local(ahead)
    assert "chạy lùi" in checked.stdout and local.strftime("%H:%M %d/%m/%Y") in checked.stdout
    english = kiosk("--lang", "en", "db", "check", config=config)
    assert "behind its last record" in english.stdout
