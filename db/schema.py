"""The schema a database holds, described the same way for both engines so they can be compared:
table by table, column by column (type, NOT NULL, default, primary key), index by index
(unique, columns, partial condition), foreign keys, CHECK constraints and triggers.

Types are compared by what they hold (``DATETIME`` on SQLite and ``timestamp`` on PostgreSQL are
both ``timestamp``); defaults and conditions without PostgreSQL's casts and parentheses.
"""
from __future__ import annotations

import re

import peewee

_TYPES = {
    "integer": "integer", "int": "integer", "int4": "integer", "int2": "integer",
    "smallint": "integer", "bigint": "integer", "int8": "integer",
    "text": "text", "character varying": "text", "varchar": "text",
    "date": "date", "datetime": "timestamp", "timestamp": "timestamp",
    "timestamp without time zone": "timestamp",
    "real": "real", "double precision": "real", "float": "real",
    "blob": "bytes", "bytea": "bytes",
}


def _type(declared: str) -> str:
    declared = (declared or "").strip().lower()
    return _TYPES.get(declared, declared)


def _expression(text: str | None) -> str | None:
    """An expression without casts, parentheses, case or spacing differences."""
    if text is None:
        return None
    text = re.sub(r"::[a-z ]+(\[\])?", "", text.lower())
    text = text.replace("(", " ").replace(")", " ")
    return " ".join(text.split())


def _table(columns, indexes, foreign_keys, checks) -> dict:
    return {"columns": columns, "indexes": indexes, "foreign_keys": foreign_keys,
            "checks": checks}


# -- SQLite ------------------------------------------------------------------------------------
def describe_sqlite(db: peewee.Database) -> dict:
    """The schema of an SQLite database."""
    tables = {}
    for name, sql in db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        columns = {}
        for _, column, declared, notnull, default, pk in db.execute_sql(
                f'PRAGMA table_info("{name}")'):
            columns[column] = (_type(declared), bool(notnull or pk), _expression(default),
                               bool(pk))
        indexes, unique_sets = {}, set()
        for row in db.execute_sql(f'PRAGMA index_list("{name}")').fetchall():
            index, unique, origin = row[1], bool(row[2]), row[3]
            cols = tuple(r[2] for r in db.execute_sql(f'PRAGMA index_info("{index}")'))
            if origin == "c":
                index_sql = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = ?",
                                           (index,)).fetchone()[0]
                where = re.split(r"\bWHERE\b", index_sql, maxsplit=1, flags=re.I)
                indexes[index] = (unique, cols, _expression(where[1]) if len(where) > 1
                                  else None)
            elif origin == "u":
                unique_sets.add(cols)
        indexes["(unique constraints)"] = tuple(sorted(unique_sets))
        foreign_keys = {}
        for row in db.execute_sql(f'PRAGMA foreign_key_list("{name}")'):
            foreign_keys[row[3]] = (row[2], row[4] or "id", row[6].upper())
        checks = len(re.findall(r"\bCHECK\s*\(", sql or "", re.I))
        tables[name] = _table(columns, indexes, foreign_keys, checks)
    triggers = {name for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return {"tables": tables, "triggers": triggers}


# -- PostgreSQL --------------------------------------------------------------------------------
_PG_COLUMNS = """
    SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default,
           c.is_identity
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_name = c.table_name
     AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema()
    ORDER BY c.table_name, c.ordinal_position
"""
_PG_PRIMARY = """
    SELECT tc.table_name, kc.column_name
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kc ON kc.constraint_name = tc.constraint_name
     AND kc.table_schema = tc.table_schema AND kc.table_name = tc.table_name
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
"""
_PG_INDEXES = """
    SELECT t.relname, i.relname, x.indisunique, x.indisprimary,
           EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                   AND k.contype = 'u'),
           ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                 ORDER BY k.n),
           pg_get_expr(x.indpred, x.indrelid)
    FROM pg_index x
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relkind = 'r'
"""
_PG_FOREIGN = """
    SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname,
           c.confdeltype
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
    JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()
"""
_PG_CHECKS = """
    SELECT c.conrelid::regclass::text, count(*) FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'c' AND n.nspname = current_schema() GROUP BY 1
"""
_PG_TRIGGERS = """
    SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND n.nspname = current_schema()
"""
_DELETE_RULES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
                 "d": "SET DEFAULT"}


def describe_postgresql(db: peewee.Database) -> dict:
    """The schema of a PostgreSQL database (its current schema)."""
    primary = set(map(tuple, db.execute_sql(_PG_PRIMARY).fetchall()))
    tables: dict[str, dict] = {}
    for table, column, data_type, nullable, default, identity in db.execute_sql(
            _PG_COLUMNS).fetchall():
        entry = tables.setdefault(table, _table({}, {}, {}, 0))
        is_pk = (table, column) in primary
        entry["columns"][column] = (
            _type(data_type), nullable == "NO" or is_pk,
            None if identity == "YES" else _expression(default), is_pk)
    unique_sets: dict[str, set] = {}
    for table, index, unique, is_primary, constraint, columns, predicate in db.execute_sql(
            _PG_INDEXES).fetchall():
        if table not in tables or is_primary:
            continue
        if constraint:
            unique_sets.setdefault(table, set()).add(tuple(columns))
        else:
            tables[table]["indexes"][index] = (bool(unique), tuple(columns),
                                               _expression(predicate))
    for table, entry in tables.items():
        entry["indexes"]["(unique constraints)"] = tuple(sorted(unique_sets.get(table, ())))
    for table, column, ref_table, ref_column, rule in db.execute_sql(_PG_FOREIGN).fetchall():
        if table in tables:
            tables[table]["foreign_keys"][column] = (ref_table, ref_column,
                                                     _DELETE_RULES.get(rule, rule))
    for table, count in db.execute_sql(_PG_CHECKS).fetchall():
        if table in tables:
            tables[table]["checks"] = count
    triggers = {name for (name,) in db.execute_sql(_PG_TRIGGERS).fetchall()}
    return {"tables": tables, "triggers": triggers}


# -- comparing ---------------------------------------------------------------------------------
def differences(left: dict, right: dict, names: tuple[str, str] = ("sqlite", "postgresql")
                ) -> list[str]:
    """Every way two described schemas differ, one line each (empty when they agree)."""
    out = []
    a, b = names
    for table in sorted(set(left["tables"]) | set(right["tables"])):
        if table not in left["tables"] or table not in right["tables"]:
            out.append(f"table {table}: only in {a if table in left['tables'] else b}")
            continue
        lt, rt = left["tables"][table], right["tables"][table]
        for part, word in (("columns", "column"), ("indexes", "index"),
                           ("foreign_keys", "foreign key")):
            for key in sorted(set(lt[part]) | set(rt[part]), key=str):
                lv, rv = lt[part].get(key), rt[part].get(key)
                if lv != rv:
                    out.append(f"{table} {word} {key}: {a} {lv} / {b} {rv}")
        if list(lt["columns"]) != list(rt["columns"]):
            out.append(f"{table} column order: {a} {list(lt['columns'])} / "
                       f"{b} {list(rt['columns'])}")
        if lt["checks"] != rt["checks"]:
            out.append(f"{table} CHECK constraints: {a} {lt['checks']} / {b} {rt['checks']}")
    if left["triggers"] != right["triggers"]:
        out.append(f"triggers: {a} {sorted(left['triggers'])} / {b} {sorted(right['triggers'])}")
    return out


def model_problems(description: dict) -> list[str]:
    """Tables or columns the models expect that the database lacks (or has in excess)."""
    from db.models import ALL_MODELS
    problems = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        present = description["tables"].get(table)
        if present is None:
            problems.append(f"table {table} is missing")
            continue
        expected = {f.column_name for f in model._meta.sorted_fields}
        found = set(present["columns"])
        for column in sorted(expected - found):
            problems.append(f"{table}.{column} is missing")
        for column in sorted(found - expected):
            problems.append(f"{table}.{column} is not in the model")
    return problems
