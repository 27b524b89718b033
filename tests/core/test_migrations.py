"""A new database and one made by an earlier version both reach the current schema."""
import re

import pytest

from db import LATEST_VERSION, current_version, migrate, open_database
from db.errors import SchemaTooNew
from db.models import ALL_MODELS, Patron


def _columns(db, table):
    return {row[1] for row in db.execute_sql(f"PRAGMA table_info({table})")}


def test_new_database_reaches_latest_and_models_match_schema(tmp_path):
    db = open_database(tmp_path / "new.sqlite3")
    assert migrate(db) == list(range(1, LATEST_VERSION + 1))
    assert current_version(db) == LATEST_VERSION
    for model in ALL_MODELS:
        fields = {f.column_name for f in model._meta.sorted_fields}
        assert _columns(db, model._meta.table_name) == fields, model.__name__
    assert migrate(db) == []  # running again changes nothing
    db.close()


def test_database_of_version_one_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = open_database(path)
    migrate(db, target=1)
    assert current_version(db) == 1
    db.execute_sql("INSERT INTO patron (kind, code, name, pin_hash, updated_at) "
                   "VALUES ('staff', 'CB0001', 'Cũ', 'scrypt$x', '2025-09-01 00:00:00')")
    db.close()

    db = open_database(path)
    assert migrate(db) == list(range(2, LATEST_VERSION + 1))
    staff = Patron.get(Patron.code == "CB0001")
    assert staff.name == "Cũ" and staff.failed_pin_attempts == 0 and staff.pin_locked_until is None
    db.close()


def test_database_from_a_newer_kiosk_is_refused(tmp_path):
    db = open_database(tmp_path / "future.sqlite3")
    migrate(db)
    db.execute_sql(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNew):
        migrate(db)
    db.close()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path):
    db = open_database(tmp_path / "k.sqlite3", busy_timeout_ms=1234)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 1234
    db.close()


def test_journal_is_append_only(context):
    from db.queries import journal
    import peewee
    entry_id = journal.append(at=context.clock.db_now(), kiosk_id="k", actor="a", action="x",
                              entity="", entity_key="", txn_ref="", before=None, after=None,
                              reason="")
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        context.db.execute_sql("UPDATE journal SET actor = 'b' WHERE id = ?", (entry_id,))
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        context.db.execute_sql("DELETE FROM journal")


def test_database_refuses_two_open_loans_of_one_copy(context):
    import peewee
    from kiosk.services.circulation import Circulation
    service = Circulation(context)
    assert service.borrow(service.start_session("0123456789"), "TK.00001").ok
    with pytest.raises(peewee.IntegrityError):
        context.db.execute_sql(
            "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, out_at, due_on, kiosk_id)"
            " SELECT 'x', 'y', patron_id, 'book', copy_id, out_at, due_on, kiosk_id FROM loan")


def test_scan_lookups_use_indexes(context):
    plans = {
        "patron": "SELECT * FROM patron WHERE code = 'x'",
        "copy": "SELECT * FROM copy WHERE barcode = 'x'",
        "item": "SELECT * FROM equipment_item WHERE barcode = 'x'",
        "type": "SELECT * FROM equipment_type WHERE code = 'x'",
        "isbn": "SELECT * FROM title WHERE isbn = 'x'",
        "dead letters": "SELECT count(*) FROM outbox WHERE state = 'dead'",
        "open loan": "SELECT * FROM loan WHERE copy_id = 1 AND returned_at IS NULL "
                     "AND voided_at IS NULL",
        "overdue": "SELECT count(*) FROM loan WHERE patron_id = 1 AND kind = 'book' AND "
                   "returned_at IS NULL AND voided_at IS NULL AND due_on < '2026-01-01'",
    }
    for name, sql in plans.items():
        plan = " ".join(row[3] for row in context.db.execute_sql("EXPLAIN QUERY PLAN " + sql))
        # A SEARCH through an index, or a SCAN of a partial index holding only the rows wanted;
        # never a bare SCAN of a table.
        assert "USING" in plan and not re.search(r"SCAN \w+\b(?! USING)", plan), (name, plan)
