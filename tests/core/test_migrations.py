"""A new database and one made by an earlier version both reach the current schema, on SQLite
and on PostgreSQL, and the two engines' schemas are the same table by table, column by column,
index by index."""
import re
import threading

import pytest

from db import LATEST_VERSION, current_version, migrate, open_database
from db.engine import engine_of
from db.errors import SchemaTooNew
from db.migrate import MIGRATIONS, applied_versions
from db.models import ALL_MODELS, Patron
from db.queries import execute, fetch_one
from db.schema import differences, model_problems
from db.text import search_key


def test_new_database_reaches_latest_and_models_match_schema(new_database):
    db = open_database(new_database())
    assert migrate(db) == list(range(1, LATEST_VERSION + 1))
    assert current_version(db) == LATEST_VERSION
    description = engine_of(db).describe(db)
    for model in ALL_MODELS:
        fields = {f.column_name for f in model._meta.sorted_fields}
        assert set(description["tables"][model._meta.table_name]["columns"]) == fields, model
    assert model_problems(description) == []
    assert [v for v, _, _ in applied_versions(db)] == list(range(1, LATEST_VERSION + 1))
    assert [name for _, name, _ in applied_versions(db)][0] == "m0001_initial"
    assert migrate(db) == []  # running again changes nothing
    db.close()


def test_database_of_version_one_keeps_its_data(new_database):
    target = new_database("old")
    db = open_database(target)
    migrate(db, target=1)
    assert current_version(db) == 1
    db.execute_sql("INSERT INTO patron (kind, code, name, pin_hash, updated_at) "
                   "VALUES ('staff', 'CB0001', 'Cũ', 'scrypt$x', '2025-09-01 00:00:00')")
    db.close()

    db = open_database(target)
    assert migrate(db) == list(range(2, LATEST_VERSION + 1))
    staff = Patron.get(Patron.code == "CB0001")
    assert staff.name == "Cũ" and staff.failed_pin_attempts == 0 and staff.pin_locked_until is None
    db.close()


@pytest.mark.parametrize("legacy", range(1, 6))
def test_sqlite_files_from_before_the_version_table_migrate_on(tmp_path, legacy):
    """Files made by kiosks that kept the version in PRAGMA user_version only."""
    path = tmp_path / f"v{legacy}.sqlite3"
    db = open_database(path)
    migrate(db, target=legacy)
    db.execute_sql("DROP TABLE schema_version")  # as those kiosks left the file
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == legacy
    db.execute_sql("INSERT INTO title (title, updated_at) VALUES ('Sách cũ', '2024-01-01')")
    db.close()

    db = open_database(path)
    assert current_version(db) == legacy
    assert migrate(db) == list(range(legacy + 1, LATEST_VERSION + 1))
    assert [v for v, _, _ in applied_versions(db)] == list(range(1, LATEST_VERSION + 1))
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert db.execute_sql("SELECT title FROM title").fetchall() == [("Sách cũ",)]
    db.close()


def test_database_from_a_newer_kiosk_is_refused(new_database):
    db = open_database(new_database("future"))
    migrate(db)
    execute("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
            (LATEST_VERSION + 1, "m9999_future", "2030-01-01 00:00:00"))
    with pytest.raises(SchemaTooNew):
        migrate(db)
    db.close()


def test_legacy_sqlite_file_from_a_newer_kiosk_is_refused(tmp_path):
    db = open_database(tmp_path / "future.sqlite3")
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
        with context.db.atomic():
            execute("UPDATE journal SET actor = 'b' WHERE id = ?", (entry_id,))
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        with context.db.atomic():
            execute("DELETE FROM journal")
    assert fetch_one("SELECT actor FROM journal WHERE id = ?", (entry_id,)) == ("a",)


def test_database_refuses_two_open_loans_of_one_copy(context):
    import peewee
    from kiosk.services.circulation import Circulation
    service = Circulation(context)
    assert service.borrow(service.start_session("0123456789"), "TK.00001").ok
    with pytest.raises(peewee.IntegrityError):
        context.db.execute_sql(
            "INSERT INTO loan (uid, txn_ref, patron_id, kind, copy_id, out_at, due_on, kiosk_id)"
            " SELECT 'x', 'y', patron_id, 'book', copy_id, out_at, due_on, kiosk_id FROM loan")


def test_search_key_in_sql_is_the_python_one(context):
    """search_key(text) in SQL (registered on SQLite, a function on PostgreSQL) folds as
    db.text.search_key does: every Vietnamese letter, upper and lower case, đ as d."""
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    samples = [letters, letters.upper(), "  Nguyễn   Thị\tĐào ", "Tô Hoài", "Bộ GD&ĐT",
               "Lê Văn Cũ", "Phạm Thu Hà", "Đỗ Minh Thư", "ĐẶNG", "", "50% Café Noël"]
    for text in samples:
        assert fetch_one("SELECT search_key(?)", (text,)) == (search_key(text),), text
    assert fetch_one("SELECT search_key(NULL)") == ("",)


_LOOKUPS = {
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


@pytest.mark.sqlite_only
def test_scan_lookups_use_indexes(context):
    for name, sql in _LOOKUPS.items():
        plan = " ".join(row[3] for row in context.db.execute_sql("EXPLAIN QUERY PLAN " + sql))
        # A SEARCH through an index, or a SCAN of a partial index holding only the rows wanted;
        # never a bare SCAN of a table.
        assert "USING" in plan and not re.search(r"SCAN \w+\b(?! USING)", plan), (name, plan)


@pytest.mark.postgresql_only
def test_scan_lookups_have_indexes_on_postgresql(context):
    """On a handful of rows PostgreSQL rightly reads the table; with sequential scans priced
    out, every lookup must still find an index to use."""
    with context.db.atomic():
        context.db.execute_sql("SET LOCAL enable_seqscan = off")
        for name, sql in _LOOKUPS.items():
            plan = " ".join(row[0] for row in context.db.execute_sql("EXPLAIN " + sql))
            assert "Index" in plan and "Seq Scan" not in plan, (name, plan)


@pytest.mark.postgresql_only
def test_both_engines_reach_the_same_schema(tmp_path, new_database):
    sqlite = open_database(tmp_path / "same.sqlite3")
    migrate(sqlite)
    on_sqlite = engine_of(sqlite).describe(sqlite)
    sqlite.close()
    server = open_database(new_database())
    migrate(server)
    on_server = engine_of(server).describe(server)
    assert set(on_server["tables"]) == {m._meta.table_name for m in ALL_MODELS} | {
        "schema_version"}
    assert differences(on_sqlite, on_server) == []

    # The comparison sees a difference when there is one.
    server.execute_sql("CREATE INDEX loan_extra ON loan (kiosk_id) WHERE voided_at IS NULL")
    server.execute_sql("ALTER TABLE outbox ALTER COLUMN last_error DROP NOT NULL")
    found = differences(on_sqlite, engine_of(server).describe(server))
    assert any("loan index loan_extra" in line for line in found), found
    assert any("outbox column last_error" in line for line in found), found
    server.close()


@pytest.mark.postgresql_only
def test_every_version_step_matches_between_engines(tmp_path, new_database):
    """Not only the end: after each migration both engines hold the same schema."""
    sqlite = open_database(tmp_path / "steps.sqlite3")
    server = open_database(new_database())
    for migration in MIGRATIONS:
        migrate(sqlite, target=migration.VERSION)
        migrate(server, target=migration.VERSION)
        assert differences(engine_of(sqlite).describe(sqlite),
                           engine_of(server).describe(server)) == [], migration.__name__
    sqlite.close()
    server.close()


@pytest.mark.postgresql_only
def test_two_kiosks_migrating_at_once_apply_each_migration_once(new_database):
    target = new_database()
    results, errors = [], []

    def start_kiosk():
        try:
            db = open_database(target)
            results.append(migrate(db))
            db.close()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start_kiosk) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(v for applied in results for v in applied) == list(range(1, LATEST_VERSION + 1))
    db = open_database(target)
    assert [v for v, _, _ in applied_versions(db)] == list(range(1, LATEST_VERSION + 1))
    db.close()
