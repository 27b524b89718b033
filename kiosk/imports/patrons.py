"""Writing patrons (students, teachers, staff) in bulk, a chunk of rows at a time: one query
to look the chunk's codes up, then its inserts and updates (memory stays flat however long the
file).

Rows arrive already validated as ``(row_number, fields)``; a code met twice in one file, or held
by a patron of another kind, is a bad row. A column absent from the file leaves that field as it
was; a present column, even empty, is the truth. PINs are never touched.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from db.queries import patrons
from db.text import search_key
from kiosk.imports import values as v
from kiosk.imports.session import ImportSession

log = logging.getLogger(__name__)

#: Rows written together (one lookup query, a few insert statements).
CHUNK = 500


def personal_fields(values: dict, active_statuses: set[str]) -> dict:
    """Birth date, gender and active flag, from the columns the file has."""
    fields: dict = {}
    if "birth_date" in values:
        fields["birth_date"] = v.day(values["birth_date"])
    if "gender" in values:
        fields["gender"] = v.gender(values["gender"])
    if "status" in values:
        fields["active"] = search_key(v.text(values["status"])) in active_statuses
    return fields


def good_rows(table, session: ImportSession, parse_row: Callable[[dict], dict]):
    """``(row_number, fields)`` of every row that has a code and parses; the others reported."""
    for row_number, values in table.rows:
        if not v.text(values.get("code")):
            session.report.error(row_number, "missing_code")
            continue
        try:
            yield row_number, parse_row(values)
        except v.BadValue as exc:
            session.report.error(row_number, exc.reason, exc.detail)


def upsert_patrons(session: ImportSession, rows: Iterable[tuple[int, dict]],
                   allowed_kinds: set[str], default_kind: str) -> None:
    """Create new patrons and update changed ones; count the unchanged.

    ``allowed_kinds``: the kinds an existing patron may have for this file to update it
    (a teachers file may turn a teacher into staff, never a student). ``default_kind``: the
    kind of a new patron whose row does not say.
    """
    report = session.report
    seen: dict[str, int] = {}  # every code of the file so far, and its row
    chunk: list[tuple[int, dict]] = []
    for row_number, fields in rows:
        code = fields["code"]
        if code in seen:
            report.error(row_number, "duplicate_in_file", f"{code} ({seen[code]})")
            continue
        seen[code] = row_number
        chunk.append((row_number, fields))
        if len(chunk) >= CHUNK:
            _write_chunk(session, chunk, allowed_kinds, default_kind)
            chunk = []
    _write_chunk(session, chunk, allowed_kinds, default_kind)
    log.debug("patrons: %d created, %d updated", report.created, report.updated)


def _write_chunk(session: ImportSession, chunk: list[tuple[int, dict]], allowed_kinds: set[str],
                 default_kind: str) -> None:
    if not chunk:
        return
    report = session.report
    existing = patrons.importable_by_code([fields["code"] for _, fields in chunk])
    inserts: list[dict] = []
    for row_number, fields in chunk:
        code = fields["code"]
        fields = dict(fields)
        if "name" in fields:
            fields["search_key"] = search_key(fields["name"])
        old = existing.get(code)
        if old is None:
            inserts.append({"kind": default_kind, **fields, "updated_at": session.now})
            continue
        if old["kind"] not in allowed_kinds:
            report.error(row_number, "code_taken", code)
            continue
        changes = {k: v for k, v in fields.items() if k != "code" and old.get(k) != v}
        if not changes:
            report.unchanged += 1
            continue
        patrons.update_fields(old["id"], changes, session.now)
        report.updated += 1
    patrons.insert_many(inserts)
    report.created += len(inserts)
