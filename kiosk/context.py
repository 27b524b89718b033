"""The wiring: one object holding the config, the open database and the clock.

Built once at start-up (``open_context``) and handed to every service.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import peewee

from db import migrate, open_database
from db.models import Journal, Kiosk, School
from kiosk.clock import Clock
from kiosk.config import Config

log = logging.getLogger(__name__)


@dataclass
class KioskContext:
    """Everything a service needs: config, database, clock."""

    config: Config
    db: peewee.SqliteDatabase
    clock: Clock = field(default_factory=Clock)

    @property
    def kiosk_id(self) -> str:
        """This kiosk's id in journal entries and records."""
        return self.config.school.kiosk_id

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()


def open_context(config: Config, clock: Clock | None = None, migrate_schema: bool = True
                 ) -> KioskContext:
    """Open the configured database (migrating it to the current schema) and register this kiosk."""
    db = open_database(config.resolve(config.database.path), config.database.busy_timeout_ms)
    if migrate_schema:
        migrate(db)
    context = KioskContext(config=config, db=db, clock=clock or Clock())
    if migrate_schema:
        newest = Journal.select(peewee.fn.MAX(Journal.at)).scalar()
        if isinstance(newest, str):
            newest = datetime.fromisoformat(newest)
        context.clock.never_before(newest)
        _register_identity(context)
    return context


def _register_identity(context: KioskContext) -> None:
    """Make sure the school row and this kiosk's row exist."""
    school = context.config.school
    with context.db.atomic():
        existing = School.get_or_none(School.id == 1)
        if existing is None:
            School.create(id=1, code=school.code, name=school.name)
        elif (existing.code, existing.name) != (school.code, school.name):
            existing.code, existing.name = school.code, school.name
            existing.save()
        if Kiosk.get_or_none(Kiosk.kiosk_id == school.kiosk_id) is None:
            Kiosk.create(kiosk_id=school.kiosk_id, name=school.kiosk_name,
                         first_seen_at=context.clock.db_now())
