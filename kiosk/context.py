"""The wiring: one object holding the config, the open database and the clock.

Built once at start-up (``open_context``) and handed to every service.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from db import Database, migrate, open_database
from db.errors import DatabaseUnavailable
from db.queries import journal, school
from db.tx import write_transaction
from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.logs import protect_library_loggers, register_secret
from kiosk.secret_file import SecretFileError, read_secret

log = logging.getLogger(__name__)


@dataclass
class KioskContext:
    """Everything a service needs: config, database, clock."""

    config: Config
    db: Database
    clock: Clock = field(default_factory=Clock)

    @property
    def kiosk_id(self) -> str:
        """This kiosk's id in journal entries and records."""
        return self.config.school.kiosk_id

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()


def open_configured_database(config: Config, create: bool = True) -> Database:
    """The database the config names: the SQLite file at ``path`` (not created unless
    ``create``), or the PostgreSQL server at ``url`` with the password from ``password_file``
    (or libpq's ``~/.pgpass`` without one).

    Raises :class:`db.errors.DatabaseMissing` and :class:`DatabaseUnavailable`; a password file
    open to other users is refused (``denied``) before anything is sent to the server.
    """
    settings = config.database
    if not settings.on_server:
        return open_database(config.resolve(settings.path), settings.busy_timeout_ms,
                             create=create)
    password = None
    if settings.password_file:
        try:
            password = read_secret(config.resolve(settings.password_file),
                                   "database password file")
        except SecretFileError as exc:
            raise DatabaseUnavailable("denied", str(exc)) from None
        register_secret(password)  # masked in every log line, peewee's and psycopg's included
    return open_database(settings.url, settings.busy_timeout_ms, password=password,
                         connect_timeout_s=settings.connect_timeout_s,
                         application_name=f"school-kiosk {config.school.kiosk_id}")


def open_context(config: Config, clock: Clock | None = None, migrate_schema: bool = True,
                 create: bool = True) -> KioskContext:
    """Open the configured database (migrating it to the current schema) and register this kiosk.

    ``create=False`` (the kiosk and the commands that need the school's data) raises
    :class:`db.errors.DatabaseMissing` rather than start a new, empty database where a
    mistyped ``database.path`` points.
    """
    protect_library_loggers()  # peewee logs statements with their parameters at DEBUG
    db = open_configured_database(config, create=create)
    if migrate_schema:
        migrate(db)
    clock = clock or Clock()
    clock.tz = ZoneInfo(config.locale.timezone)  # days, due dates and times shown are local
    context = KioskContext(config=config, db=db, clock=clock)
    if migrate_schema:
        context.clock.never_before(journal.newest_time())
        register_identity(context)
    return context


def register_identity(context: KioskContext) -> None:
    """Make sure the school row and this kiosk's row exist."""
    config = context.config.school
    with write_transaction(context.db):
        school.register_identity(code=config.code, name=config.name, kiosk_id=config.kiosk_id,
                                 kiosk_name=config.kiosk_name, at=context.clock.db_now())
