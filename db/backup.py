"""Copying a live SQLite database safely: the backup API (never ``cp``), the copy checked.

The backup API copies a consistent snapshot while other connections keep writing (WAL readers
do not block writers). Copies are written 0600 (they hold the staff PIN hashes and the patrons'
names) and switched to a rollback journal, so a backup is one self-contained file.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Write a snapshot of ``source`` into the new file ``target`` (0600; must not exist)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
        destination.commit()
    finally:
        destination.close()
    fsync_file(target)


def restore_database(source: Path, target: sqlite3.Connection) -> None:
    """Overwrite the open database ``target`` with the file ``source`` (through the backup API,
    so other connections see either the old or the new database, never half of it)."""
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(target)
    finally:
        origin.close()


def check_file(path: Path) -> list[str]:
    """Problems with the database file at ``path`` (empty when ``integrity_check`` and
    ``foreign_key_check`` pass); opened read-only."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        problems = [row[0] for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in db.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    finally:
        db.close()
    return problems


def schema_version(path: Path) -> int | None:
    """The kiosk schema version stored in the file, or None when it is not a kiosk database."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("PRAGMA user_version").fetchone()[0] or None
        finally:
            db.close()
    except sqlite3.Error:
        return None


def fsync_file(path: Path) -> None:
    """Flush a file and its folder entry to the card (a power cut must not leave half a copy)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
