"""Throw-away PostgreSQL databases for the tests, on the server ``KIOSK_TEST_POSTGRES`` names
(``scripts/with-postgres`` starts one; ``./scripts/test`` runs the suite through it).

Each test gets a database of its own, copied from a template migrated once per run (a copy is
~60 ms; migrating again would be slower), and dropped afterwards.
"""
from __future__ import annotations

import itertools
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

#: The server the tests may use, or None.
URL = os.environ.get("KIOSK_TEST_POSTGRES") or None
#: Set by CI: a missing server is a failure, not a skip.
REQUIRED = os.environ.get("KIOSK_TEST_REQUIRE_REAL") == "1"


def with_database(url: str, name: str) -> str:
    """``url`` pointing at the database ``name`` instead."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


class Databases:
    """Makes and drops databases on the test server."""

    def __init__(self, url: str):
        self.url = url
        self._admin = psycopg.connect(url, autocommit=True)
        self._numbers = itertools.count(1)
        self._prefix = f"kt{os.getpid()}"
        self._template: str | None = None
        self._made: list[str] = []

    def _create(self, name: str, template: str = "template0") -> str:
        self._admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._made.append(name)
        return with_database(self.url, name)

    def template(self) -> str:
        """The name of a database at the latest schema, made on first use."""
        if self._template is None:
            from db import migrate, open_database
            name = f"{self._prefix}_template"
            url = self._create(name)
            db = open_database(url)
            migrate(db)
            db.close()
            self._template = name
        return self._template

    def new(self, migrated: bool = True) -> str:
        """The URL of a new database: at the latest schema, or (``migrated=False``) empty."""
        name = f"{self._prefix}_{next(self._numbers)}"
        return self._create(name, self.template() if migrated else "template0")

    def drop(self, url: str) -> None:
        """Drop a database made here (its connections are ended first)."""
        name = urlsplit(url).path.lstrip("/")
        self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._made:
            self._made.remove(name)

    def close(self) -> None:
        """Drop every database still here, the template last."""
        for name in reversed(list(self._made)):
            self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()
        self._admin.close()
