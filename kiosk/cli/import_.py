"""``kiosk import students|teachers|books|equipment FILE [--dry-run]``.

Exit status: 0 when every row imported, 1 when some rows were bad (the good ones imported),
2 when the file (or the config, or the database) could not be used and nothing changed.
"""
from __future__ import annotations

import logging

from db.errors import DatabaseError
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.i18n import t
from kiosk.imports.errors import ImportFileError
from kiosk.imports.report import ImportReport
from kiosk.imports.runner import KINDS, run_import

log = logging.getLogger(__name__)

#: How many bad rows are listed one by one before "... and N more".
MAX_LISTED_ERRORS = 50


def register(subparsers, common) -> None:
    """Add the ``import`` sub-command."""
    parser = subparsers.add_parser("import", parents=[common], help=t("imports.cli_help"),
                                   description=t("imports.cli_help"))
    parser.add_argument("kind", choices=KINDS, help=t("imports.cli_kind"))
    parser.add_argument("file", metavar=t("imports.cli_file_metavar"), help=t("imports.cli_file"))
    parser.add_argument("--dry-run", action="store_true", help=t("imports.cli_dry_run"))
    parser.set_defaults(func=run)


@run_command
def run(args) -> int:
    """Import one file and print the report."""
    with command_context(args) as context:
        try:
            report = run_import(context, args.kind, args.file, dry_run=args.dry_run, actor="cli")
        except ImportFileError as exc:
            raise CommandFailed(t(exc.message_key, **exc.values)) from None
        except DatabaseError as exc:
            raise CommandFailed(t("imports.cannot_open", error=str(exc))) from None
    for line in report_lines(report):
        out(line)
    return 0 if report.ok else 1


def report_lines(report: ImportReport) -> list[str]:
    """The report as translated lines."""
    lines = []
    if report.dry_run:
        lines.append(t("imports.dry_run_note"))
    lines.append(t(f"imports.summary_{report.kind}", rows=report.rows, created=report.created,
                   updated=report.updated, unchanged=report.unchanged, bad=len(report.errors),
                   **{k: v for k, v in report.extra.items() if not k.startswith("titles_")}))
    if report.extra.get("titles_created") or report.extra.get("titles_updated"):
        lines.append(t("imports.summary_titles", created=report.extra.get("titles_created", 0),
                       updated=report.extra.get("titles_updated", 0)))
    if report.records:
        lines.append(t("imports.summary_records", count=report.records))
    for error in report.errors[:MAX_LISTED_ERRORS]:
        reason = t(f"imports.row.{error.reason_key}")
        detail = f" ({error.detail})" if error.detail else ""
        lines.append(t("imports.bad_row", row=error.row_number, reason=reason) + detail)
    if len(report.errors) > MAX_LISTED_ERRORS:
        lines.append(t("imports.more_errors", count=len(report.errors) - MAX_LISTED_ERRORS))
    return lines
