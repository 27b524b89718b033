"""``kiosk db init|migrate|check|backup|restore``: look after the database file."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from db.backup import copy_database
from db.connection import integrity_ok
from db.engine import engine_of
from db.migrate import LATEST_VERSION, current_version, migrate
from db.queries import journal
from kiosk.backup import (BackupError, backup_folder, copy_backup, keep_of, restore, rotate,
                          take_backup)
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock_trust import check_at_start, clock_message
from kiosk.context import register_identity
from kiosk.i18n import t


def register(subparsers, common) -> None:
    """Add ``kiosk db``."""
    parser = subparsers.add_parser("db", parents=[common], help=t("dbcmd.help"))
    actions = parser.add_subparsers(dest="db_action", required=True,
                                    metavar=t("cli.command_metavar"), help=t("cli.command_help"))
    actions.add_parser("init", parents=[common], help=t("dbcmd.init_help")).set_defaults(
        func=_init)
    actions.add_parser("migrate", parents=[common], help=t("dbcmd.migrate_help")).set_defaults(
        func=_migrate)
    actions.add_parser("check", parents=[common], help=t("dbcmd.check_help")).set_defaults(
        func=_check)
    backup = actions.add_parser("backup", parents=[common], help=t("dbcmd.backup_help"))
    backup.add_argument("--out", metavar=t("cli.metavar_file"), help=t("dbcmd.backup_out_help"))
    backup.add_argument("--tag", metavar=t("cli.metavar_word"), help=t("backup.tag_help"))
    backup.add_argument("--copy-to", metavar=t("cli.metavar_dir"), action="append",
                        help=t("backup.copy_to_help"))
    backup.set_defaults(func=_backup)
    restore_parser = actions.add_parser("restore", parents=[common], help=t("backup.restore_help"))
    restore_parser.add_argument("file", metavar=t("backup.file_metavar"),
                                help=t("backup.file_help"))
    restore_parser.set_defaults(func=_restore)


@run_command
def _init(args) -> int:
    with command_context(args, migrate_schema=False, create=True) as context:
        before = current_version(context.db)
        migrate(context.db)
        register_identity(context)
        key = "dbcmd.init_exists" if before else "dbcmd.init_done"
        out(t(key, path=context.db.database, version=LATEST_VERSION))
    return 0


@run_command
def _migrate(args) -> int:
    with command_context(args, migrate_schema=False) as context:
        before = current_version(context.db)
        applied = migrate(context.db)
        if applied:
            out(t("dbcmd.migrated", before=before, after=applied[-1]))
        else:
            out(t("dbcmd.up_to_date", version=before))
    return 0


@run_command
def _check(args) -> int:
    with command_context(args, migrate_schema=False) as context:
        version = current_version(context.db)
        try:
            ok, problems = integrity_ok(context.db)
        except engine_of(context.db).errors() as exc:
            ok, problems = False, [str(exc)]
        out(t("dbcmd.version", version=version, latest=LATEST_VERSION))
        for problem in problems[:20]:
            out("  " + problem)
        if version:
            context.clock.never_before(journal.newest_time())
            check_at_start(context.clock)
            out(clock_message(context.clock))
        out(t("dbcmd.check_ok") if ok and version == LATEST_VERSION else t("dbcmd.check_bad"))
        return 0 if ok and version == LATEST_VERSION else 1


@run_command
def _backup(args) -> int:
    with command_context(args, migrate_schema=False) as context:
        config = context.config
        source = Path(context.db.database)
        if args.out:
            target = Path(args.out)
            if target.exists():
                raise CommandFailed(t("dbcmd.backup_exists", path=target))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                copy_database(context.db.connection(), target)
            except (OSError, sqlite3.Error) as exc:
                target.unlink(missing_ok=True)
                raise CommandFailed(t("dbcmd.backup_failed", error=str(exc))) from None
            out(t("dbcmd.backup_done", path=target))
            return 0
        folder, keep = backup_folder(config), keep_of(config)
        try:
            made = take_backup(context.db, folder, source.stem, context.clock.local_now(),
                               tag=args.tag or "")
        except BackupError as exc:
            raise CommandFailed(t(f"backup.{exc.code}", **exc.params)) from None
        out(t("dbcmd.backup_done", path=made))
        for path in rotate(folder, source.stem, keep):
            out(t("backup.rotated", path=path.name))
        targets = [Path(p) for p in args.copy_to or []]
        if config.backup.share_dir and not args.copy_to:
            targets.append(config.resolve(config.backup.share_dir))
        status = 0
        for target in targets:
            folder_for_kiosk = target / "school-kiosk" / config.school.kiosk_id
            try:
                if not target.is_dir():
                    raise BackupError("copy_failed", path=target, error=t("backup.not_mounted"))
                copied = copy_backup(made, folder_for_kiosk, keep, source.stem)
                out(t("backup.copied", path=copied))
            except BackupError as exc:
                sys.stderr.write(t(f"backup.{exc.code}", **exc.params) + "\n")
                status = 1
        return status


@run_command
def _restore(args) -> int:
    # A restore names what to put there: it may recreate a database that is gone (a new card).
    with command_context(args, migrate_schema=False, create=True) as context:
        source = Path(args.file)
        try:
            done = restore(context.db, source, backup_folder(context.config),
                           Path(context.db.database).stem, context.clock.local_now())
        except BackupError as exc:
            raise CommandFailed(t(f"backup.{exc.code}", **exc.params)) from None
        out(t("backup.restored", path=source, version=done.version_after))
        out(t("backup.kept_aside", path=done.aside))
    return 0
