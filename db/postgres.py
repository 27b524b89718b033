"""PostgreSQL: several kiosks of one school on one server (``[database] url``).

:class:`PostgresEngine` has the methods of :class:`db.engine.SqliteEngine`; what differs:

- Writes need no lock taken up front: rows are locked as they are changed, and every change a
  race could hit is conditional (``UPDATE copy ... WHERE status = 'available'``), so of two
  kiosks scanning one copy at once, one lends and the other is refused. A row lock waited on
  longer than the busy timeout (``lock_timeout``) is the same clear "busy" refusal as SQLite's.
- The schema version lives in the ``schema_version`` table (:mod:`db.migrate`); migrations take
  an advisory lock so two kiosks starting together migrate once.
- ``search_key(text)`` is an SQL function made from the same table of letters as
  :func:`db.text.search_key` (no extension needed).
- A lost connection (server restarted, switched off, network cut) is noticed, reported to the
  process's :class:`~db.health.ServerHealth`, and replaced by a new one on the next use;
  while the server stays gone, connections fail at once instead of each waiting for a timeout.
- Backups are ``pg_dump`` archives (``pg_restore`` reads them back).

The password never travels in the URL: it comes from a file or libpq's ``~/.pgpass``, and is
handed to the driver as its own parameter, so no message or log line can hold it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import peewee
import psycopg
from psycopg.adapt import Dumper

from db.errors import DatabaseUnavailable
from db.health import HealthProbe, ServerHealth
from db.text import search_key

log = logging.getLogger(__name__)


class _BoolAsInt(Dumper):
    """Python booleans go to the server as 0/1: flags are INTEGER columns on both engines."""

    oid = psycopg.adapters.types["int2"].oid

    def dump(self, obj):
        return b"1" if obj else b"0"


def public_url(url: str) -> str:
    """The URL with any password taken out (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))


def where(url: str) -> str:
    """``host:port/database`` for status lines."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}{parts.path or '/'}"


class ServerGone(psycopg.OperationalError):
    """Raised at once, without trying, while the server is known to be gone (a connection is
    tried again every :data:`db.health.RETRY_S` seconds)."""


class KioskPostgresDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database that survives its server going away and coming back."""

    def __init__(self, url: str, *, health: ServerHealth, **connect_params):
        super().__init__(url, prefer_psycopg3=True, **connect_params)
        self.health = health

    # -- connecting ---------------------------------------------------------------------------
    def _connect(self):
        if not self.health.may_try():
            raise ServerGone(f"database server unreachable ({self.health.state().detail})")
        try:
            conn = super()._connect()
        except psycopg.Error as exc:
            self.health.lost(str(exc))
            raise
        self.health.back()
        return conn

    def _initialize_connection(self, conn):
        conn.adapters.register_dumper(bool, _BoolAsInt)

    def _broken(self) -> bool:
        conn = self._state.conn
        return conn is None or conn.closed or conn.broken

    def _drop(self) -> None:
        """Forget a dead connection; the transaction stack stays so open blocks unwind."""
        conn = self._state.conn
        self._state.conn = None
        self._state.closed = True
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - it is dead already
                pass

    def _drop_if_broken(self) -> bool:
        """Drop the connection when it is dead; True when it was (the next use connects anew:
        whether the server itself is gone, that attempt tells)."""
        if not self._broken():
            return False
        self._drop()
        return True

    # -- statements ---------------------------------------------------------------------------
    def execute_sql(self, sql, params=None):
        if self._state.closed and self.in_transaction():
            raise peewee.OperationalError(
                "the connection to the database server was lost during this transaction")
        was_open = not self._state.closed
        try:
            return super().execute_sql(sql, params)
        except (peewee.OperationalError, peewee.InterfaceError):
            stale = self._drop_if_broken() and was_open
            if not stale or self.in_transaction() or sql.lstrip()[:6].upper() != "SELECT":
                raise  # a write's fate is unknown: never sent twice
        # A read outside any transaction met a connection that died meanwhile (a server
        # restarted, a cable put back): once more, on a new connection.
        return super().execute_sql(sql, params)

    def begin(self, isolation_level=None):
        was_open = not self._state.closed
        try:
            super().begin(isolation_level)
        except (peewee.OperationalError, peewee.InterfaceError):
            if not (self._drop_if_broken() and was_open):
                raise
            super().begin(isolation_level)  # nothing was done yet: begin on a new connection

    def rollback(self):
        if self._state.closed or self._broken():
            self._drop()  # the server rolled back when the connection died
            return
        try:
            super().rollback()
        except (peewee.OperationalError, peewee.InterfaceError):
            if not self._drop_if_broken():
                raise

    def close(self):
        if self._broken() and not self.in_transaction():
            self._drop()
            self._state.reset()
            return True
        return super().close()

    def ping(self) -> None:
        """``SELECT 1`` on this thread's connection, trying to connect whatever the back-off
        says (the health probe's call)."""
        if self.is_closed():
            self.health.try_now()
        self.execute_sql("SELECT 1").fetchone()
        self.health.back()


# -- search_key() in SQL -----------------------------------------------------------------------
def _folded_letters() -> tuple[str, str]:
    """Every Latin letter with marks whose :func:`search_key` is one plain letter, and that
    letter: the two strings of ``translate()`` (upper case included, so ``lower()`` needs no
    locale)."""
    source, target = [], []
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if (unicodedata.category(char) not in ("Lu", "Ll")
                or unicodedata.normalize("NFC", char) != char):
            continue
        key = search_key(char)
        if len(key) == 1 and key.isascii() and key.isalpha():
            source.append(char)
            target.append(key)
    return "".join(source), "".join(target)


def search_key_function() -> str:
    """``CREATE FUNCTION search_key(text)``: lower case, marks off, ``đ`` as ``d``, spaces
    made one, as :func:`db.text.search_key` does for Vietnamese (NFC) text."""
    source, target = _folded_letters()
    return (
        "CREATE OR REPLACE FUNCTION search_key(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$ "
        "SELECT btrim(regexp_replace(lower(translate(COALESCE(value, ''), "
        f"'{source}', '{target}')), '\\s+', ' ', 'g')) $body$")


def _lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a name."""
    return int.from_bytes(hashlib.sha256(f"school-kiosk:{name}".encode()).digest()[:8], "big",
                          signed=True)


# -- error reasons -----------------------------------------------------------------------------
_SQLSTATE_REASONS = {
    "55P03": "locked",       # lock_not_available (lock_timeout)
    "40P01": "locked",       # deadlock_detected
    "40001": "locked",       # serialization_failure
    "57014": "locked",       # query_canceled (statement_timeout)
    "53100": "disk_full",
    "53200": "disk_full",    # out_of_memory
    "25006": "read_only",    # read_only_sql_transaction
    "28P01": "denied",       # invalid_password
    "28000": "denied",       # invalid_authorization_specification (pg_hba.conf)
    "42501": "denied",       # insufficient_privilege
    "3D000": "unreadable",   # invalid_catalog_name: no such database
    "57P01": "unreachable",  # admin_shutdown
    "57P02": "unreachable",  # crash_shutdown
    "57P03": "unreachable",  # cannot_connect_now (starting up)
    "08000": "unreachable", "08003": "unreachable", "08006": "unreachable",
    "08001": "unreachable", "08004": "unreachable",
    "XX001": "corrupt", "XX002": "corrupt",
}


def _root_psycopg(exc: BaseException) -> BaseException:
    seen = exc
    while seen is not None:
        if isinstance(seen, psycopg.Error):
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


class PostgresEngine:
    """A PostgreSQL server (psycopg 3): READ COMMITTED, conditional updates, ``lock_timeout``."""

    name = "postgresql"
    param = "%s"

    def open(self, target: str, busy_timeout_ms: int, *, password: str | None = None,
             connect_timeout_s: float = 3.0, application_name: str = "school-kiosk"
             ) -> peewee.Database:
        """A connected database at the URL ``target`` (the password, if any, apart)."""
        if urlsplit(target).password is not None:
            raise DatabaseUnavailable("denied", "the URL must not hold the password")
        health = ServerHealth(where(target))
        params = {
            "connect_timeout": max(2, int(round(connect_timeout_s))),
            "application_name": application_name[:63],
            # A server that vanished is noticed in seconds, not after TCP's quarter of an hour.
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3,
            "keepalives_count": 3, "tcp_user_timeout": int(connect_timeout_s * 1000) + 2000,
            # A row lock held by another kiosk is waited for as long as SQLite's busy timeout;
            # a transaction left open by a kiosk that lost its network ends after a minute.
            "options": f"-c lock_timeout={int(busy_timeout_ms)} "
                       f"-c idle_in_transaction_session_timeout=60000 -c TimeZone=UTC",
        }
        if password:
            params["password"] = password
        db = KioskPostgresDatabase(target, health=health, **params)
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
        return db

    # -- transactions -------------------------------------------------------------------------
    def begin_write(self, db: peewee.Database):
        """A plain transaction: rows are locked as they change (conditional updates decide
        races); waiting on another kiosk's row lock ends at ``lock_timeout``."""
        return db.atomic()

    def lock_schema(self, db: peewee.Database) -> None:
        """Inside a migration's transaction: one kiosk migrates at a time."""
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_lock_key("schema"),))

    def try_session_lock(self, db: peewee.Database, name: str) -> bool:
        """Take the server-wide lock ``name`` for this connection if free (at once). The server
        drops it when the connection ends, even when its kiosk is killed."""
        return bool(db.execute_sql("SELECT pg_try_advisory_lock(%s)",
                                   (_lock_key(name),)).fetchone()[0])

    def release_session_lock(self, db: peewee.Database, name: str) -> None:
        """Let go of the lock ``name`` (nothing when the connection that held it is gone)."""
        try:
            held = db.execute_sql("SELECT pg_advisory_unlock(%s)",
                                  (_lock_key(name),)).fetchone()[0]
        except self.errors() as exc:
            log.warning("sync lock not released (%s): the server drops it with the connection",
                        exc)
            return
        if not held:
            log.warning("sync lock %s was no longer held (connection renewed meanwhile)", name)

    # -- schema -------------------------------------------------------------------------------
    def legacy_version(self, db: peewee.Database) -> int:
        """A PostgreSQL database always kept its version in the table."""
        return 0

    def after_migration(self, db: peewee.Database, version: int) -> None:
        """Nothing beyond the version table."""

    def after_migrating(self, db: peewee.Database) -> None:
        """Nothing: the server keeps its own write-ahead log."""

    def install_functions(self, db: peewee.Database) -> None:
        """Create (or refresh) ``search_key(text)``."""
        db.execute_sql(search_key_function().replace("%", "%%"))

    def functions_installed(self, db: peewee.Database) -> bool:
        """True when ``search_key(text)`` exists as this kiosk would make it (so a kiosk whose
        role does not own it never needs to replace it)."""
        row = db.execute_sql("SELECT prosrc FROM pg_proc WHERE proname = 'search_key' "
                             "AND pronamespace = current_schema()::regnamespace").fetchone()
        body = search_key_function().split("$body$")[1]
        return row is not None and row[0] == body

    def translate(self, sql: str) -> list[str]:
        """Migration SQL written for SQLite, for this server."""
        from db.dialect import placeholders, to_postgresql
        return [placeholders(statement) for statement in to_postgresql(sql)]

    def describe(self, db: peewee.Database) -> dict:
        """The schema as :func:`db.schema.describe` compares it."""
        from db.schema import describe_postgresql
        return describe_postgresql(db)

    # -- looking after the server -------------------------------------------------------------
    def integrity_problems(self, db: peewee.Database) -> list[str]:
        """What the schema lacks against the models, and whether ``search_key`` works."""
        from db.schema import model_problems
        problems = model_problems(self.describe(db))
        try:
            folded = db.execute_sql("SELECT search_key(%s)", ("Nguyễn Đức",)).fetchone()[0]
        except self.errors() as exc:
            problems.append(f"search_key(): {exc}")
        else:
            if folded != "nguyen duc":
                problems.append(f"search_key('Nguyễn Đức') gives {folded!r}")
        return problems

    #: How a backup file of this engine is named.
    backup_suffix = ".pgdump"

    @staticmethod
    def _tool(name: str) -> str:
        path = shutil.which(name)
        if path is None:
            raise OSError(f"{name} not found (apt-get install postgresql-client)")
        return path

    @staticmethod
    def _env(db: peewee.Database | None = None) -> dict:
        """The client tools' environment: the password (if any) apart from the command line."""
        env = dict(os.environ)
        if db is not None:
            password = db.connect_params.get("password")
            if password:
                env["PGPASSWORD"] = password
            env["PGCONNECT_TIMEOUT"] = str(db.connect_params.get("connect_timeout", 3))
        return env

    def _run(self, argv: list[str], db: peewee.Database | None = None, timeout: float = 3600
             ) -> subprocess.CompletedProcess:
        return subprocess.run(argv, env=self._env(db), capture_output=True, text=True,
                              timeout=timeout)

    def backup(self, db: peewee.Database, target: Path) -> None:
        """A ``pg_dump`` custom-format archive of the database into the new file ``target``
        (0600; ``pg_restore`` reads it back). A consistent snapshot while kiosks write."""
        target = Path(target)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        result = self._run([self._tool("pg_dump"), "--format=custom", "--no-owner",
                            "--no-privileges", "--file", str(target), "--dbname", db.database],
                           db)
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise OSError(" ".join(result.stderr.split())[:300] or "pg_dump failed")
        from db.backup import fsync_file
        fsync_file(target)

    def check_backup_file(self, path: Path) -> list[str]:
        """Problems reading the archive back (``pg_restore --list``): empty when it holds the
        kiosk's tables and their data."""
        try:
            result = self._run([self._tool("pg_restore"), "--list", str(path)], timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            return [str(exc)]
        if result.returncode != 0:
            return [" ".join(result.stderr.split())[:300] or "pg_restore cannot read it"]
        listed = result.stdout
        missing = [table for table in ("schema_version", "loan", "journal", "outbox")
                   if f"TABLE DATA public {table} " not in listed]
        return [f"no data of table {table}" for table in missing]

    def backup_version(self, path: Path) -> int | None:
        """The highest version in the archive's ``schema_version`` table, or None."""
        try:
            result = self._run([self._tool("pg_restore"), "--data-only", "--table",
                                "schema_version", "--file", "-", str(path)], timeout=600)
        except (OSError, subprocess.SubprocessError):
            return None
        if result.returncode != 0:
            return None
        versions, copying = [], False
        for line in result.stdout.splitlines():
            if line.startswith("COPY ") and "schema_version" in line:
                copying = True
            elif copying and line == "\\.":
                copying = False
            elif copying and line.split("\t")[0].isdigit():
                versions.append(int(line.split("\t")[0]))
        return max(versions) if versions else None

    def restore_from(self, db: peewee.Database, path: Path) -> None:
        """Replace every table of the database with the archive's, in one transaction (it waits
        for other kiosks' locks: stop them first)."""
        if not db.is_closed() and not db.in_transaction():
            db.close()  # our own idle connection must not hold anything
        result = self._run([self._tool("pg_restore"), "--clean", "--if-exists",
                            "--single-transaction", "--no-owner", "--no-privileges",
                            "--dbname", db.database, str(path)], db)
        if result.returncode != 0:
            raise OSError(" ".join(result.stderr.split())[:300] or "pg_restore failed")

    def location(self, db: peewee.Database) -> str:
        """The server and database, without any password."""
        return public_url(db.database)

    def health(self, db: peewee.Database) -> ServerHealth | None:
        """The server's reachability as this process sees it."""
        return db.health

    def start_probe(self, db: peewee.Database, interval_s: float = 5.0) -> HealthProbe:
        """A thread asking the server every few seconds, so the kiosk notices it is gone (or
        back) even while nobody scans."""
        return HealthProbe(db.ping, db.close, db.health, interval_s).start()

    def classify(self, exc: BaseException) -> DatabaseUnavailable:
        """A driver error as a reason word: ``unreachable`` for a lost or refused connection."""
        root = _root_psycopg(exc)
        state = getattr(root, "sqlstate", None)
        reason = _SQLSTATE_REASONS.get(state or "")
        if reason is None and state and state.startswith("08"):
            reason = "unreachable"
        if reason is None and isinstance(root, psycopg.OperationalError) and not state:
            text = str(root).lower()
            reason = ("denied" if "password" in text or "pg_hba" in text or
                      "authentication" in text else "unreachable")
        if reason is None and isinstance(exc, peewee.OperationalError) and "lost" in str(exc):
            reason = "unreachable"
        return DatabaseUnavailable(reason or "unreadable", " ".join(str(root).split())[:300])

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes that mean "the database failed"."""
        return (peewee.DatabaseError, peewee.InterfaceError, psycopg.Error)


POSTGRESQL = PostgresEngine()
