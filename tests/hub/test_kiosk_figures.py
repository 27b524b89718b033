"""End to end: a real kiosk database (``kiosk demo --prepare``) where staff void a loan and undo
the void, a teacher returns part of a counted-stock loan, and staff withdraw a copy and some
counted stock; ``kiosk sync --once`` pushes it all to the hub (live server, PostgreSQL). The
figures in the hub's Excel exports are then those of the kiosk's own reports."""
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from hub.i18n import t
from tests.hub.conftest import make_user, outbox_states, run_kiosk

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "HY-THCS-DEMO"


def _kiosk(config, *args):
    done = run_kiosk(*args, config=config)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _kiosk_side(config, *args) -> dict:
    done = run_kiosk(*args, config=config, module="tests.hub.kiosk_side")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sheet(client, url: str, first_heading: str) -> list[list]:
    """The rows of a hub export below its heading row (the one starting ``first_heading``)."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_heading)
    return rows[start + 1:]


def _pick(db) -> dict:
    with sqlite3.connect(db) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        student = one("SELECT code FROM patron WHERE kind='student' AND id NOT IN "
                      "(SELECT patron_id FROM loan) ORDER BY code LIMIT 1")
        books = [r[0] for r in conn.execute(  # three titles, so each loan can be told apart
            "SELECT MIN(barcode) FROM copy WHERE status='available' AND store='TK' AND id NOT IN "
            "(SELECT copy_id FROM loan WHERE copy_id IS NOT NULL) GROUP BY title_id "
            "ORDER BY 1 LIMIT 3")]
        worn = one("SELECT barcode FROM copy WHERE status='available' AND store='GK' "
                   "ORDER BY barcode DESC LIMIT 1")
        teacher = one("SELECT code FROM patron WHERE kind='teacher' ORDER BY code LIMIT 1")
        stock = conn.execute("SELECT code, name FROM equipment_type WHERE tracking='counted' "
                             "AND stock_on_hand >= 6 ORDER BY code LIMIT 2").fetchall()
    return {"student": student, "books": books, "worn": worn, "teacher": teacher,
            "stock": stock}


def test_the_hubs_exports_show_the_kiosks_own_figures(demo_kiosk, client, monkeypatch):
    config, db, kiosk = demo_kiosk
    _kiosk(config, "sync", "--once")
    p = _pick(db)
    (kit, kit_name), (burner, _) = p["stock"]
    undone, voided, kept = p["books"]
    teacher = p["teacher"]

    # A student borrows three books; staff void two by mistake and undo one of the voids.
    _kiosk(config, "borrow", p["student"], undone, voided, kept)
    first = _kiosk_side(config, "void", undone, "CB0001", "nhầm người")
    assert first["ok"], first
    assert _kiosk_side(config, "void", voided, "CB0001", "quét nhầm")["ok"]
    assert _kiosk_side(config, "undo", first["ref"], "CB0001")["ok"]
    # A teacher takes 3 of a counted kit and a burner for a lesson; the burner line is voided
    # and the void undone (the lesson counts again); 2 of the 3 come back ("còn 1").
    _kiosk(config, "borrow", teacher, kit, burner, "--quantity", f"{kit}=3",
           "--class", "6A1", "--period", "2", "--subject", "KHTN", "--lesson", "Bài 5")
    void = _kiosk_side(config, "void", burner, "CB0001", "nhầm", teacher)
    assert void["ok"], void
    assert _kiosk_side(config, "undo", void["ref"], "CB0001")["ok"]
    _kiosk(config, "return", kit, burner, "--by", teacher, "--quantity", f"{kit}=2")
    # Staff withdraw a worn copy and 2 pieces of counted stock.
    _kiosk(config, "withdraw", p["worn"], "--reason", "worn", "--staff", "CB0001")
    _kiosk(config, "withdraw", burner, "--quantity", f"{burner}=2", "--reason",
           "beyond_repair", "--staff", "CB0001")

    _kiosk(config, "sync", "--once")
    assert outbox_states(db) == {"sent": sum(outbox_states(db).values())}  # nothing dead

    later = date.today() + timedelta(days=60)  # every open loan is overdue by then
    mine = _kiosk_side(config, "figures", later.isoformat())
    year = mine["school_year"]
    # The kiosk's own figures hold what staff did (so the comparison below means something).
    assert [mine["overdue"].count([p["student"], _title(db, b), 1]) for b in (undone, voided,
                                                                             kept)] == [1, 0, 1]
    assert [teacher, kit_name, 1] in mine["overdue"]
    assert mine["usage"][teacher][1] >= 1

    client.force_login(make_user("phong", "district"))
    school = f"/s/{CODE}"
    lang = "vi"
    reading = _sheet(client, f"{school}/reading/?year={year}&format=xlsx",
                     t("hub.col.class", lang))
    hub_reading = {r[0]: r[-4] for r in reading if r[0] and r[0] != t("hub.col.total", lang)
                   and r[-4]}
    hub_students = {r[0]: r[1] for r in reading if r[0] and r[1] is not None
                    and r[0] != t("hub.col.total", lang)}
    assert hub_reading == {k: v for k, v in mine["reading"].items() if v}
    assert hub_students == {k: v for k, v in mine["students"].items() if v}

    usage = _sheet(client, f"{school}/usage/?year={year}&term=year&format=xlsx",
                   t("hub.col.no", lang))
    hub_usage = {r[1]: [r[3], r[4]] for r in usage if isinstance(r[0], int)}
    assert {k: v for k, v in hub_usage.items() if v[1]} == \
        {k: v for k, v in mine["usage"].items() if v[1]}

    monkeypatch.setattr("hub.web.views._today", lambda: later)
    overdue = _sheet(client, f"{school}/overdue/?format=xlsx", t("hub.col.patron_code", lang))
    assert sorted([r[0], r[4], r[5]] for r in overdue if r[0]) == mine["overdue"]

    declared = _sheet(client, f"{school}/declarations/?year={year}&format=xlsx",
                      t("hub.col.kind", lang))
    groups = declared[:next(i for i, r in enumerate(declared) if not any(r))]
    hub_declared = {"book": sum(r[2] for r in groups if r[0] == "book"),
                    "equipment": sum(r[2] for r in groups if r[0] != "book")}
    assert hub_declared == mine["declared"]
    assert sum(r[3] for r in groups if r[0] == "book") == mine["incomplete_books"]


def _title(db, barcode: str) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT title.title FROM copy JOIN title ON title.id = copy.title_id "
                            "WHERE copy.barcode = ?", (barcode,)).fetchone()[0]
