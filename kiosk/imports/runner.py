"""Running one import: read the file, then write everything in one transaction (or roll it back).

The header is found before the database is touched; the rows are then read one by one as they
are written (a file is never held whole in memory), so a file that turns out broken or too long
half-way rolls the transaction back and changes nothing. The rows, one journal entry summarising the import and the provincial records commit
together. A dry run does the same work and rolls the transaction back.
"""
from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType

from db.connection import classify_error
from db.engine import engine_of
from db.tx import Who, action
from db.vocabulary import REF_IMPORT, ROSTER_UPDATED
from kiosk.context import KioskContext
from kiosk.imports.errors import ImportFileError
from kiosk.imports.report import ImportReport
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import read_table

log = logging.getLogger(__name__)

#: The kinds of file, each a module with ``KIND``, ``COLUMNS`` and ``apply(table, session)``.
KINDS = ("students", "teachers", "books", "equipment", "quotas", "lesson-plan")


#: Imports after which the province hears the school's classes (students) or teachers.
ROSTER_KINDS = ("students", "teachers")


def send_roster(session: ImportSession, kind: str) -> None:
    """Queue ``roster.updated`` with the list this import changed (contract v1.1)."""
    from db.queries import planning
    from kiosk.reports.calendar import school_year_of
    from kiosk.services.payloads import roster_data

    year = school_year_of(session.context.clock.today())
    if kind == "students":
        data = roster_data(session.school_code, year, classes=planning.roster_classes())
    else:
        data = roster_data(session.school_code, year, teachers=planning.roster_teachers())
    session.record(ROSTER_UPDATED, data)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def importer(kind: str) -> ModuleType:
    """The module that imports one kind of file."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    return importlib.import_module(f"kiosk.imports.{kind.replace('-', '_')}")


def run_import(context: KioskContext, kind: str, path: str | Path, *, dry_run: bool = False,
               actor: str = "") -> ImportReport:
    """Import one file; :class:`ImportFileError` (and no change) when it cannot be read,
    :class:`db.errors.DatabaseUnavailable` (and no change) when the database fails."""
    module = importer(kind)
    path = Path(path)
    table = read_table(path, module.COLUMNS, context.config.imports)
    report = ImportReport(kind=kind, dry_run=dry_run)
    now = context.clock.db_now()
    who = Who(kiosk_id=context.kiosk_id, actor=actor, at=now,
              occurred_at=context.clock.iso_local(now))
    try:
        # An import may change nothing the province needs (a re-import of the same file).
        with action(who, prefix=REF_IMPORT, records=False, db=context.db) as current:
            session = ImportSession(context, report, current)
            module.apply(table, session)  # rows are read as it goes: a bad file rolls back
            report.rows = table.count
            if not report.rows:
                raise ImportFileError("no_rows", file=path.name)
            if kind in ROSTER_KINDS and (report.created or report.updated):
                send_roster(session, kind)
            report.errors.sort(key=lambda e: e.row_number)
            current.journal(f"import.{kind}", entity="import", entity_key=path.name,
                            after=report.summary(), reason="dry_run" if dry_run else "")
            if dry_run:
                raise _DryRun
        report.ref = current.ref
    except _DryRun:
        log.info("dry run of %s import from %s rolled back", kind, path)
    except engine_of(context.db).errors() as exc:  # rolled back: nothing changed
        log.error("%s import from %s failed in the database: %s", kind, path, exc)
        raise classify_error(exc, context.db) from exc
    else:
        log.info("imported %s from %s: %s", kind, path, report.summary())
    return report
