"""Backups that can be restored: taken while the kiosk runs (the SQLite backup API; on a
PostgreSQL server a ``pg_dump`` archive), each checked, kept by rotation (the newest of each of
the last N days, ISO weeks and months), copied to a USB stick or a school share, and restored
with the current database kept aside.

A backup is ``<stem>-[<tag>-]YYYYmmdd-HHMMSS.sqlite3`` (``.pgdump`` from a server; local time)
in ``[database] backup_dir``; every file is 0600. The stem is the file's name, or the server's
database name.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from db.backup import fsync_file
from db.engine import backup_engine, engine_of
from db.migrate import LATEST_VERSION, current_version, migrate

log = logging.getLogger(__name__)

_STAMP = re.compile(r"-(\d{8}-\d{6})\.(sqlite3|pgdump)$")


class BackupError(Exception):
    """A backup, copy or restore could not be done; ``code`` names why (catalog key)."""

    def __init__(self, code: str, **params):
        super().__init__(f"{code} {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Keep:
    """How many backups rotation keeps, by day, ISO week and month."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    aside: Path
    version_before: int
    version_after: int


def backup_folder(config) -> Path:
    """``[database] backup_dir``, or ``backups`` beside the database (a server's: beside
    where the file would be, the data folder)."""
    database = config.resolve(config.database.path)
    return config.resolve(config.database.backup_dir or str(database.parent / "backups"))


def backup_stem(config) -> str:
    """The first part of the backups' names: the file's name, or the server's database."""
    if config.database.on_server:
        return urlsplit(config.database.url).path.strip("/") or "school"
    return config.resolve(config.database.path).stem


def write_backup(db, target: Path) -> None:
    """A snapshot of the open database ``db`` into the new file ``target`` (0600)."""
    engine_of(db).backup(db, target)


def keep_of(config) -> Keep:
    """The rotation from ``[backup]``."""
    return Keep(config.backup.daily, config.backup.weekly, config.backup.monthly)


def stamp_of(path: Path) -> datetime | None:
    """When a backup was taken, from its name."""
    match = _STAMP.search(path.name)
    return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None


def take_backup(db, folder: Path, stem: str, moment: datetime, tag: str = "") -> Path:
    """Write and check one backup of the open peewee database ``db`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = engine_of(db)
    name = f"{stem}-{tag + '-' if tag else ''}{moment:%Y%m%d-%H%M%S}{engine.backup_suffix}"
    target = folder / name
    if target.exists():
        raise BackupError("exists", path=target)
    partial = folder / f".{name}.partial"
    partial.unlink(missing_ok=True)
    try:
        engine.backup(db, partial)
        problems = engine.check_backup_file(partial)
        if problems:
            raise BackupError("check_failed", path=target, problems="; ".join(problems[:3]))
        os.replace(partial, target)
        fsync_file(target)
    except OSError as exc:
        raise BackupError("write_failed", path=target, error=exc.strerror or str(exc)) from None
    except BackupError:
        raise
    except Exception as exc:  # driver errors: a full disk, a locked file, a server gone
        raise BackupError("write_failed", path=target, error=str(exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    log.info("backup written and checked: %s", target)
    return target


def backups_in(folder: Path, stem: str) -> list[Path]:
    """The backups of ``stem`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [(stamp_of(p), p) for p in folder.glob(f"{stem}-*")
             if p.suffix in (".sqlite3", ".pgdump")]
    return [p for when, p in sorted((f for f in found if f[0]), reverse=True)]


def to_keep(stamps: list[datetime], keep: Keep) -> set[datetime]:
    """Which of ``stamps`` rotation keeps: the newest of each of the last ``daily`` days that
    have a backup, likewise ``weekly`` ISO weeks and ``monthly`` months."""
    kept: set[datetime] = set()
    for count, bucket in ((keep.daily, lambda d: d.date()),
                          (keep.weekly, lambda d: d.isocalendar()[:2]),
                          (keep.monthly, lambda d: (d.year, d.month))):
        seen = []
        for stamp in sorted(stamps, reverse=True):
            key = bucket(stamp)
            if key not in seen:
                if len(seen) == count:
                    break
                seen.append(key)
                kept.add(stamp)
    return kept


def rotate(folder: Path, stem: str, keep: Keep) -> list[Path]:
    """Delete the backups rotation does not keep; returns those deleted."""
    files = backups_in(folder, stem)
    kept = to_keep([stamp_of(p) for p in files], keep)
    removed = [p for p in files if stamp_of(p) not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("rotated out %s", path)
    return removed


def copy_backup(backup: Path, folder: Path, keep: Keep, stem: str) -> Path:
    """Copy a checked backup into ``folder`` (a USB stick or a share), check the copy, rotate."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / backup.name
        partial = folder / f".{backup.name}.partial"
        with open(backup, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        os.chmod(partial, 0o600)
        fsync_file(partial)
        problems = backup_engine(backup).check_backup_file(partial)
        if problems:
            partial.unlink(missing_ok=True)
            raise BackupError("check_failed", path=target, problems="; ".join(problems[:3]))
        os.replace(partial, target)
        fsync_file(target)
    except OSError as exc:
        raise BackupError("copy_failed", path=folder, error=exc.strerror or str(exc)) from None
    rotate(folder, stem, keep)
    return target


def check_backup(path: Path) -> int:
    """The schema version of a sound kiosk backup; raises :class:`BackupError` otherwise."""
    if not path.is_file():
        raise BackupError("not_found", path=path)
    engine = backup_engine(path)
    problems = engine.check_backup_file(path)
    if problems:
        raise BackupError("check_failed", path=path, problems="; ".join(problems[:3]))
    version = engine.backup_version(path)
    if version is None:
        raise BackupError("not_kiosk", path=path)
    if version > LATEST_VERSION:
        raise BackupError("too_new", path=path, version=version, latest=LATEST_VERSION)
    return version


def restore(db, source: Path, folder: Path, stem: str, moment: datetime) -> Restored:
    """Check ``source``, keep the current database aside (a backup tagged ``before-restore``),
    copy ``source`` over the open database ``db``, migrate it and check it.

    On a server, the other kiosks should be stopped first: the restore replaces every table in
    one transaction, and waits for their locks."""
    engine = engine_of(db)
    if backup_engine(source) is not engine:
        raise BackupError("not_kiosk", path=source)
    check_backup(source)
    before = current_version(db)
    aside = take_backup(db, folder, stem, moment, tag="before-restore")
    engine.restore_from(db, source)
    migrate(db)
    problems = engine.integrity_problems(db)
    if problems:
        raise BackupError("check_failed", path=source, problems="; ".join(problems[:3]))
    log.warning("database restored from %s (the previous one kept as %s)", source, aside)
    return Restored(aside=aside, version_before=before, version_after=current_version(db))
