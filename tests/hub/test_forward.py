"""The provincial seam: records passed on, one hop further, to a real contract-v1 receiver (the
kiosk's stand-in server stands in for the province here, as it does for the kiosk)."""
from datetime import date

import pytest

from hub.forward import ContractV1Forwarder, ForwardError, forward_pending
from hub.ingest.models import Record
from hub.web import figures
from tests.hub.schoolyear import YEAR, push_school_year

pytestmark = pytest.mark.django_db
TOKEN = "province-token-for-tests"


@pytest.fixture
def province(tmp_path):
    from kiosk.standin.server import StandinServer

    server = StandinServer(tmp_path / "province.sqlite3", token=TOKEN).start()
    yield server
    server.stop()


def test_records_are_forwarded_once_and_declarations_count_as_sent_on(client, feed, province):
    push_school_year(client, feed)
    total = Record.objects.count()
    done = forward_pending(ContractV1Forwarder(province.url, TOKEN, 10), batch_size=40)
    assert done["delivered"] == total - done["refused"]
    assert province.store.stats()["records"] == done["delivered"]
    # The stand-in knows only contract v1's types: the hub's v1.1 ones are refused, with why.
    refused = Record.objects.exclude(forward_refused="")
    assert set(refused.values_list("type", flat=True)) == {
        "quota.set", "roster.updated", "class.visit", "class.visit.voided"}
    assert refused.count() == done["refused"]
    assert not Record.objects.filter(forwarded_at__isnull=True, forward_refused="").exists()
    summary = figures.declarations_by_school([feed.school], YEAR)[0]
    assert summary["forwarded"] == 3 and summary["waiting"] == 0
    again = forward_pending(ContractV1Forwarder(province.url, TOKEN, 10))
    assert again["delivered"] == 0


def test_a_refused_token_leaves_everything_to_send_later(client, feed, province):
    feed.push(client, [feed.declared(date(2026, 9, 15), "TK.1", "Sách")])
    with pytest.raises(ForwardError):
        forward_pending(ContractV1Forwarder(province.url, "wrong", 10))
    assert Record.objects.filter(forwarded_at__isnull=True).count() == 1
