"""``kiosk db init|migrate|check|backup``: look after the database file."""
from __future__ import annotations

from pathlib import Path

from db.connection import integrity_ok
from db.engine import engine_of
from db.migrate import LATEST_VERSION, current_version, migrate
from kiosk.cli._common import CommandFailed, command_context, out, run_command
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
    backup.set_defaults(func=_backup)


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
        out(t("dbcmd.check_ok") if ok and version == LATEST_VERSION else t("dbcmd.check_bad"))
        return 0 if ok and version == LATEST_VERSION else 1


@run_command
def _backup(args) -> int:
    with command_context(args, migrate_schema=False) as context:
        source = Path(context.db.database)
        if args.out:
            target = Path(args.out)
        else:
            folder = context.config.resolve(context.config.database.backup_dir or
                                            str(source.parent / "backups"))
            stamp = context.clock.local_now().strftime("%Y%m%d-%H%M%S")
            target = folder / f"{source.stem}-{stamp}.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise CommandFailed(t("dbcmd.backup_exists", path=target))
        try:
            engine_of(context.db).backup(context.db, target)
        except (OSError,) + engine_of(context.db).errors() as exc:
            target.unlink(missing_ok=True)
            raise CommandFailed(t("dbcmd.backup_failed", error=str(exc))) from None
        out(t("dbcmd.backup_done", path=target))
    return 0
