"""The kiosk's generated school year (tests/reports/schoolyear.py: lessons with partial returns
and a voided line, book loans with a void, visits, quotas, the lesson plan), its whole outbox
pushed to the hub through the real view: the hub's figures are the kiosk's own reports'."""
import json
from datetime import date

import pytest

from hub.web import figures
from tests.hub.builders import KioskFeed

pytestmark = pytest.mark.django_db
YEAR = "2026-2027"


@pytest.fixture
def kiosk_year(tmp_path, client):
    from db.models import Outbox
    from tests.reports.schoolyear import build

    made = build(tmp_path / "year")
    records = [{"id": r.record_id, "type": r.type, "occurred_at": r.occurred_at,
                "data": json.loads(r.data)} for r in Outbox.select().order_by(Outbox.id)]
    config = made.context.config.school
    feed = KioskFeed.create(config.code, config.name, made.context.kiosk_id)
    for start in range(0, len(records), 200):
        answers = feed.push(client, records[start:start + 200])
        assert set(answers.values()) == {"accepted"}, answers
    yield made, feed
    made.context.close()


def test_the_hub_shows_the_kiosks_usage_missed_lessons_and_reading(kiosk_year):
    from kiosk.reports.calendar import report_period
    from kiosk.reports.reading import reading_report
    from kiosk.reports.usage import usage_report
    from tests.reports import schoolyear as sy

    made, feed = kiosk_year
    today = made.context.clock.today()
    usage = usage_report(report_period(None, None, "HK1", today), today)
    # The generated year seeds its teachers straight into the database (no teachers import, so
    # no roster.updated): a teacher who recorded nothing is known to the kiosk only.
    mine = {(g.group, u.code): (u.required, u.recorded) for g in usage.groups
            for u in g.teachers if u.recorded}
    hub = figures.usage_report(feed.school, YEAR, "HK1")
    assert {(g["group"], u.code): (u.required, u.recorded) for g in hub["groups"]
            for u in g["teachers"]} == mine
    assert hub["recorded"] == usage.recorded

    missed = figures.missed_lessons(feed.school, YEAR, today)
    assert [(m.class_name, m.ppct) for m in missed["missed"]] == sy.EXPECTED_MISSED
    assert [(m.class_name, m.subject, m.ppct, m.week, m.title, m.equipment, m.teacher)
            for m in missed["missed"]] == [
        (m.class_name, m.subject, m.ppct, m.week, m.title, m.equipment, m.teacher)
        for m in usage.missed]

    period = report_period(None, None, "year", today)
    reading = reading_report(made.context.clock, period.start, period.end)
    hub_reading = figures.reading_report(feed.school, YEAR)
    rows = {r["class"]: r for r in hub_reading["rows"]}
    for line in reading.classes:
        assert rows[line.class_name]["total"] == line.total, line.class_name
        # (sĩ số: the year seeds its students directly, no import, so no roster.updated)
        assert rows[line.class_name]["visits"] == line.visits, line.class_name
    assert hub_reading["teachers"] == reading.teacher_loans
    assert date(2026, 9, 1) in hub_reading["months"]
