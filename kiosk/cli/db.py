"""``kiosk db init|migrate|check|backup|restore|copy-to``: look after the database (the SQLite
file or the PostgreSQL server), and move a school from the one to the other."""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from db import open_database
from db.connection import integrity_ok
from db.copy import CopyRefused, copy_to_server
from db.engine import engine_of, is_server_url
from db.errors import DatabaseUnavailable
from db.migrate import LATEST_VERSION, current_version, migrate
from db.queries import journal
from kiosk.backup import (BackupError, backup_folder, backup_stem, copy_backup, keep_of,
                          restore, rotate, take_backup, write_backup)
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock_trust import check_at_start, clock_message
from kiosk.context import register_identity
from kiosk.i18n import t
from kiosk.secret_file import SecretFileError, read_secret


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
    copy = actions.add_parser("copy-to", parents=[common], help=t("dbcmd.copy_help"))
    copy.add_argument("url", metavar="URL", help=t("dbcmd.copy_url_help"))
    copy.add_argument("--password-file", metavar="PATH", help=t("dbcmd.copy_password_help"))
    copy.set_defaults(func=_copy_to)


@run_command
def _init(args) -> int:
    with command_context(args, migrate_schema=False, create=True) as context:
        before = current_version(context.db)
        migrate(context.db)
        register_identity(context)
        key = "dbcmd.init_exists" if before else "dbcmd.init_done"
        out(t(key, path=engine_of(context.db).location(context.db), version=LATEST_VERSION))
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
        stem = backup_stem(config)
        if args.out:
            target = Path(args.out)
            if target.exists():
                raise CommandFailed(t("dbcmd.backup_exists", path=target))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                write_backup(context.db, target)
            except (OSError,) + engine_of(context.db).errors() as exc:
                target.unlink(missing_ok=True)
                raise CommandFailed(t("dbcmd.backup_failed", error=str(exc))) from None
            out(t("dbcmd.backup_done", path=target))
            return 0
        folder, keep = backup_folder(config), keep_of(config)
        try:
            made = take_backup(context.db, folder, stem, context.clock.local_now(),
                               tag=args.tag or "")
        except BackupError as exc:
            raise CommandFailed(t(f"backup.{exc.code}", **exc.params)) from None
        out(t("dbcmd.backup_done", path=made))
        for path in rotate(folder, stem, keep):
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
                copied = copy_backup(made, folder_for_kiosk, keep, stem)
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
                           backup_stem(context.config), context.clock.local_now())
        except BackupError as exc:
            raise CommandFailed(t(f"backup.{exc.code}", **exc.params)) from None
        out(t("backup.restored", path=source, version=done.version_after))
        out(t("backup.kept_aside", path=done.aside))
    return 0


@run_command
def _copy_to(args) -> int:
    url = args.url
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError:
        raise CommandFailed(t("dbcmd.copy_bad_url")) from None
    if not is_server_url(url) or has_password:
        raise CommandFailed(t("dbcmd.copy_bad_url"))
    password = None
    if args.password_file:
        try:
            password = read_secret(args.password_file, "database password file")
        except SecretFileError as exc:
            raise CommandFailed(str(exc)) from None
    with command_context(args, migrate_schema=False) as context:
        if context.config.database.on_server:
            raise CommandFailed(t("dbcmd.copy_refused_same_engine"))
        source = context.db
        try:
            target = open_database(url, context.config.database.busy_timeout_ms,
                                   password=password)
        except DatabaseUnavailable as exc:
            raise CommandFailed(t(f"refusal.db_{exc.reason}") + f" ({exc.detail})") from None
        try:
            counts = copy_to_server(source, target)
        except CopyRefused as refused:
            raise CommandFailed(t(f"dbcmd.copy_refused_{refused.reason}", **refused.params)
                                ) from None
        finally:
            target.close()
        for count in counts:
            out(t("dbcmd.copy_table", table=count.table, source=count.source,
                  target=count.target))
        out(t("dbcmd.copy_done", tables=len(counts), rows=sum(c.target for c in counts),
              where=engine_of(target).location(target)))
        out(t("dbcmd.copy_next", url=url))
    return 0
