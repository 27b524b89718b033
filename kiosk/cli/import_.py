"""``kiosk import students|teachers|books|equipment FILE [--dry-run]``.

Exit status: 0 when every row imported, 1 when some rows were bad (the good ones imported),
2 when the file (or the config, or the database) could not be used and nothing changed.
"""
from __future__ import annotations

import argparse
import logging
import textwrap

from db.errors import DatabaseError
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.i18n import t
from kiosk.imports.errors import ImportFileError
from kiosk.imports.report import ImportReport
from kiosk.imports.runner import KINDS, importer, run_import

log = logging.getLogger(__name__)

#: How many bad rows are listed one by one before "... and N more".
MAX_LISTED_ERRORS = 50


def register(subparsers, common) -> None:
    """Add ``kiosk import KIND FILE``: one sub-command per kind, whose help lists its columns."""
    parser = subparsers.add_parser("import", parents=[common], help=t("imports.cli_help"),
                                   description=t("imports.cli_help"))
    kinds = parser.add_subparsers(dest="kind", metavar=t("imports.cli_kind_metavar"),
                                  required=True, help=t("imports.cli_kind"))
    for kind in KINDS:
        columns = importer(kind).COLUMNS
        sub = kinds.add_parser(kind, parents=[common], help=t(f"imports.kind_{kind}"),
                               description=t(f"imports.kind_{kind}"),
                               epilog=columns_help(columns),
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("file", metavar=t("imports.cli_file_metavar"),
                         help=t("imports.cli_file"))
        sub.add_argument("--dry-run", action="store_true", help=t("imports.cli_dry_run"))
        sub.set_defaults(func=run)


def columns_help(columns) -> str:
    """The columns a kind of file may have: the header (and the other headers it is known by),
    required ones first."""
    lines = textwrap.wrap(t("imports.columns_heading"), 78)
    for column in sorted(columns, key=lambda c: not c.required):
        also = (" " + t("imports.column_also", names=", ".join(column.aliases[1:]))
                if len(column.aliases) > 1 else "")
        mark = t("imports.column_required") if column.required else t("imports.column_optional")
        lines.append(f"  {column.label}{also} - {mark}")
    lines += textwrap.wrap(t("imports.columns_note"), 78)
    return "\n".join(lines)


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
                   updated=report.updated, unchanged=report.unchanged, bad=report.bad_rows,
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
    listed = min(len(report.errors), MAX_LISTED_ERRORS)
    if report.bad_rows > listed:
        lines.append(t("imports.more_errors", count=report.bad_rows - listed))
    return lines
