"""The wiring: one object holding the config, the open database and the clock.

Built once at start-up (``open_context``) and handed to every service.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from db import Database, migrate, open_database
from db.errors import DatabaseUnavailable
from db.queries import journal, school
from db.tx import write_transaction
from kiosk.clock import Clock
from kiosk.config import Config
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


def open_configured_database(config: Config) -> Database:
    """The database the config names: the SQLite file at ``path``, or the PostgreSQL server at
    ``url`` with the password from ``password_file`` (or libpq's ``~/.pgpass`` without one).

    Raises :class:`DatabaseUnavailable`; a password file open to other users is refused
    (``denied``) before anything is sent to the server.
    """
    settings = config.database
    if not settings.on_server:
        return open_database(config.resolve(settings.path), settings.busy_timeout_ms)
    password = None
    if settings.password_file:
        try:
            password = read_secret(config.resolve(settings.password_file),
                                   "database password file")
        except SecretFileError as exc:
            raise DatabaseUnavailable("denied", str(exc)) from None
    return open_database(settings.url, settings.busy_timeout_ms, password=password,
                         connect_timeout_s=settings.connect_timeout_s,
                         application_name=f"school-kiosk {config.school.kiosk_id}")


def open_context(config: Config, clock: Clock | None = None, migrate_schema: bool = True
                 ) -> KioskContext:
    """Open the configured database (migrating it to the current schema) and register this kiosk."""
    db = open_configured_database(config)
    if migrate_schema:
        migrate(db)
    context = KioskContext(config=config, db=db, clock=clock or Clock())
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
