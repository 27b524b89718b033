"""When the PostgreSQL server is gone (switched off, cable pulled): every action is a clear
refusal ("Mất kết nối máy chủ"), nothing crashes, nothing half-written stays, the home screen
says so, and the kiosk carries on by itself when the server is back."""
import logging
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from db.engine import driver_errors, engine_of
from db.queries import fetch_one
from kiosk.database_status import LiveDatabase
from kiosk.i18n import t
from kiosk.services.circulation import Circulation
from tests.dummy_ports import make_flow
from tests.factories import make_context, seed_small_school
from tests.netlink import CuttableLink

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def link(database_section):
    """A cable between the kiosk and the test server."""
    parts = urlsplit(database_section["url"])
    cable = CuttableLink(parts.hostname, parts.port)
    yield cable
    cable.close()


@pytest.fixture
def far_context(tmp_path, database_section, link):
    """A kiosk whose server is at the other end of the cable."""
    parts = urlsplit(database_section["url"])
    url = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{link.port}"))
    ctx = make_context(tmp_path, database={"url": url, "connect_timeout_s": 2})
    with ctx.db.atomic():
        seed_small_school()
    yield ctx
    if link.is_cut:
        link.join()
    ctx.close()


def _until(predicate, seconds=15.0, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _counts() -> tuple[int, int, int]:
    return tuple(fetch_one(f"SELECT count(*) FROM {table}")[0]
                 for table in ("loan", "journal", "outbox"))


def test_actions_are_refused_clearly_and_resume_by_themselves(far_context, link):
    service = Circulation(far_context)
    health = engine_of(far_context.db).health(far_context.db)
    session = service.start_session("0123456789")
    assert service.borrow(session, "TK.00001").ok

    link.cut()
    started = time.monotonic()
    refused = service.borrow(session, "TK.00002")
    assert not refused.ok and refused.code == "db_unreachable"
    assert refused.message == t("refusal.db_unreachable") and "Mất kết nối máy chủ" in refused.message
    back = service.return_code("TK.00001")
    assert not back.ok and back.code == "db_unreachable"
    renewed = service.renew("TK.00001")
    assert not renewed.ok and renewed.code == "db_unreachable"
    assert time.monotonic() - started < 10  # no scan waits long for a server that is gone
    assert not health.reachable and health.state().detail

    link.join()
    again = _until(lambda: (lambda o: o if o.ok else None)(service.borrow(session, "TK.00002")),
                   what="a borrow once the server is back")
    assert again.ok and health.reachable
    assert service.return_code("TK.00001").ok
    # Exactly the acknowledged actions: two borrows and a return, each with its trace.
    assert _counts() == (2, 3, 3)


def test_the_screen_says_so_and_comes_back(far_context, link, caplog):
    db = far_context.db
    probe = engine_of(db).start_probe(db, interval_s=0.1)
    flow, writer = make_flow(far_context)
    database = LiveDatabase(far_context)
    try:
        home = flow.home_presenter
        flow.tick()
        assert not home.server_gone and home.prompt == t("ui.home.prompt")

        link.cut()
        _until(lambda: not database.status().reachable, what="the probe noticing")
        flow.tick()
        assert home.server_gone
        assert home.prompt == "Mất kết nối máy chủ"
        detail = home.server_gone_detail
        assert f"127.0.0.1:{link.port}" in detail and "cán bộ thư viện" in detail
        assert home.sync_text == "Mất kết nối máy chủ" and home.sync_level == "error"
        with caplog.at_level(logging.ERROR):
            flow.scan("0123456789")  # a student card: refused at once, still home
        assert flow.screen == "home"
        assert home.message_text == t("refusal.db_unreachable")
        assert not [r for r in caplog.records if "unexpected error" in r.getMessage()]

        link.join()
        _until(lambda: database.status().reachable, what="the probe reconnecting")
        flow.tick()
        assert not home.server_gone and home.prompt == t("ui.home.prompt")
        flow.scan("0123456789")
        assert flow.screen == "borrow"
        flow.scan("TK.00003")
        assert fetch_one("SELECT count(*) FROM loan WHERE copy_id = "
                         "(SELECT id FROM copy WHERE barcode = 'TK.00003')")[0] == 1
    finally:
        writer.close()
        probe.stop()


def test_a_read_on_screen_that_meets_a_dead_server_is_a_clear_refusal(far_context, link):
    """The probe has not noticed yet: the scan itself meets the dead connection."""
    flow, writer = make_flow(far_context)
    try:
        link.cut()
        flow.scan("0123456789")
        assert flow.screen == "home"
        assert flow.home_presenter.message_text == t("refusal.db_unreachable")
    finally:
        writer.close()


def test_staff_status_names_the_server(far_context, link):
    flow, writer = make_flow(far_context)
    try:
        flow.scan("CB0001")
        for digit in "2468":
            flow.presenter.press(digit)
        flow.presenter.submit()
        review = flow.presenter
        assert flow.screen == "staff_review"
        review.show_tab("status")
        assert review.database_line() == (f"Máy chủ PostgreSQL 127.0.0.1:{link.port}/"
                                          f"{urlsplit(far_context.config.database.url).path[1:]}"
                                          f": đang kết nối")
        link.cut()
        with pytest.raises(driver_errors()):
            fetch_one("SELECT 1 FROM patron LIMIT 1")
        review.database = LiveDatabase(far_context).status()
        line = review.database_line()
        assert "mất kết nối từ" in line and "127.0.0.1" in line
    finally:
        writer.close()
