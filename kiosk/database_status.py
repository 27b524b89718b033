"""The database's reachability for the screens: on a PostgreSQL server it can be switched off
or cut off from the kiosk; an SQLite file beside the kiosk is always there.

:class:`LiveDatabase` reads the engine's health record (no query: cheap enough for every
clock tick) and says which refusal an error raised by a read stands for, so a lost server on
a scan is "Mất kết nối máy chủ", never "something went wrong".
"""
from __future__ import annotations

from db.connection import classify_error
from db.engine import driver_errors, engine_of
from db.errors import DatabaseUnavailable
from kiosk.context import KioskContext
from kiosk.presenters.ports import DatabaseStatus


class LiveDatabase:
    """The running kiosk's database, as the home and staff screens show it."""

    def __init__(self, context: KioskContext):
        self.context = context

    def status(self) -> DatabaseStatus:
        """Reachable or not, where, since when, why (aware UTC times)."""
        db = self.context.db
        engine = engine_of(db)
        health = engine.health(db)
        if health is None:
            return DatabaseStatus(reachable=True, engine=engine.name,
                                  where=engine.location(db))
        state = health.state()
        return DatabaseStatus(reachable=state.reachable, engine=engine.name, where=state.where,
                              since=state.since, detail=state.detail)

    def explain(self, error: BaseException) -> str | None:
        """The refusal code (``db_unreachable``, ``db_locked``...) for an error raised by a
        database read or write, or None when the error is not the database's."""
        if isinstance(error, DatabaseUnavailable):
            return f"db_{error.reason}"
        if isinstance(error, driver_errors()):
            return f"db_{classify_error(error, self.context.db).reason}"
        return None
