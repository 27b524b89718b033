"""``kiosk report day|usage|usage-stats|reading|declarations``: the reports as a table on the
terminal, an Excel file or a printable PDF.

Files go where ``--out`` says (a file, or a folder for the default name) or into the configured
export folder, never silently into the current directory; an existing file is kept unless
``--force``.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock import format_date, parse_date
from kiosk.i18n import t
from kiosk.services.day_report import DayRow, day_transactions

COLUMNS = ("time", "action", "patron_code", "patron", "class", "item_code", "item", "quantity",
           "due", "condition", "void_reason", "kiosk")
#: The on-screen table: (column, width); the patron's code and the kiosk are left to the files.
TABLE = (("time", 8), ("action", 9), ("patron", 22), ("class", 5), ("code", 13),
         ("item", 28), ("qty", 3), ("due", 10), ("note", 0))


def _file_options(parser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0],
                        help=t("report.opt_format"))
    parser.add_argument("--out", metavar=t("cli.metavar_file"), help=t("report.out_help"))
    parser.add_argument("--force", action="store_true", help=t("report.opt_force"))


def _period_options(parser, term: bool) -> None:
    parser.add_argument("--from", dest="start", metavar="DD/MM/YYYY", help=t("report.opt_from"))
    parser.add_argument("--to", dest="end", metavar="DD/MM/YYYY", help=t("report.opt_to"))
    if term:
        parser.add_argument("--term", choices=("HK1", "HK2", "year"),
                            help=t("report.opt_term"))


def register(subparsers, common) -> None:
    """Add ``kiosk report``."""
    parser = subparsers.add_parser("report", parents=[common], help=t("report.help"),
                                   description=t("report.help"))
    kinds = parser.add_subparsers(dest="report_kind", required=True,
                                  metavar=t("cli.command_metavar"), help=t("cli.command_help"))
    day = kinds.add_parser("day", parents=[common], help=t("report.day_help"),
                           description=t("report.day_help"))
    day.add_argument("--date", metavar="DD/MM/YYYY", help=t("report.date_help"))
    _file_options(day, ("table", "csv", "xlsx"))
    day.set_defaults(func=_day)
    usage = kinds.add_parser("usage", parents=[common], help=t("report.usage_help"),
                             description=t("report.usage_help"))
    _period_options(usage, term=True)
    usage.add_argument("--group", metavar=t("report.group_metavar"), help=t("report.opt_group"))
    _file_options(usage, ("table", "xlsx", "pdf"))
    usage.set_defaults(func=_usage)
    stats = kinds.add_parser("usage-stats", parents=[common], help=t("report.stats_help"),
                             description=t("report.stats_help"))
    _period_options(stats, term=True)
    _file_options(stats, ("xlsx", "pdf", "table"))
    stats.set_defaults(func=_stats)
    reading = kinds.add_parser("reading", parents=[common], help=t("report.reading_help"),
                               description=t("report.reading_help"))
    _period_options(reading, term=True)
    _file_options(reading, ("table", "xlsx", "pdf"))
    reading.set_defaults(func=_reading)
    declarations = kinds.add_parser("declarations", parents=[common],
                                    help=t("report.declarations_help"),
                                    description=t("report.declarations_help"))
    _period_options(declarations, term=True)
    _file_options(declarations, ("table", "xlsx", "pdf"))
    declarations.set_defaults(func=_declarations)


def _date(value: str | None):
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise CommandFailed(t("report.bad_date", value=value)) from None


def output_path(args, context, default_name: str, suffix: str) -> Path:
    """Where a report goes: ``--out`` (a file; a folder takes the default name), else the
    configured export folder. An existing file is refused unless ``--force``."""
    if args.out:
        path = Path(args.out)
        if path.is_dir():
            path = path / default_name
    else:
        path = context.config.reports.export_folder(context.config) / default_name
    path = path.with_suffix(suffix) if path.suffix.lower() != suffix else path
    if path.exists() and not args.force:
        raise CommandFailed(t("report.exists", path=path))
    return path


def _period(args, context):
    from kiosk.reports.calendar import report_period

    start, end = _date(args.start), _date(args.end)
    if start and end and end < start:
        raise CommandFailed(t("report.bad_range", start=format_date(start),
                              end=format_date(end)))
    return report_period(start, end, getattr(args, "term", None), context.clock.today())


def _written(paths) -> None:
    for path in paths:
        out(t("report.written", path=path))


# -- day --------------------------------------------------------------------------------------
def _cells(row: DayRow) -> list:
    return [row.at.strftime("%H:%M:%S"), t(f"report.action_{row.action}"), row.patron_code,
            row.patron_name, row.class_name, row.item_code, row.item_title, row.quantity,
            format_date(row.due_on), _condition(row), row.reason, row.kiosk_id]


def _condition(row: DayRow) -> str:
    return t(f"report.condition_{row.condition}") if row.condition else ""


def _fit(text, width: int, right: bool = False) -> str:
    """``text`` in a column ``width`` wide (cut with ``…``); 0: as it is."""
    text = "" if text is None else str(text)
    if not width:
        return text
    if len(text) > width:
        text = text[:width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)


def table_lines(rows: list[DayRow]) -> list[str]:
    """The day as a table with a header line: what happened, to whom, how many, due when, and
    the condition on return or the reason of a void."""
    header = "  ".join(_fit(t(f"report.table_{name}"), width) for name, width in TABLE)
    lines = [header.rstrip(), "-" * len(header.rstrip())]
    for row in rows:
        values = {"time": row.at.strftime("%H:%M:%S"), "action": t(f"report.action_{row.action}"),
                  "patron": row.patron_name, "class": row.class_name or "-", "code": row.item_code,
                  "item": row.item_title, "qty": row.quantity,
                  "due": format_date(row.due_on) if row.action == "borrow" else "",
                  "note": _condition(row) or (t("report.void_reason", reason=row.reason)
                                              if row.reason else "")}
        lines.append("  ".join(_fit(values[name], width, right=name == "qty")
                               for name, width in TABLE).rstrip())
    return lines


@run_command
def _day(args) -> int:
    # XlsxWriter: imported only when a report runs (the CLI starts fast).
    from kiosk.export.xlsx import Column, XlsxBook, csv_safe

    with command_context(args) as context:
        day = _date(args.date) or context.clock.today()
        rows = day_transactions(day, context.clock)
        headers = [t(f"report.col_{name}") for name in COLUMNS]
        if args.format == "table":
            out(t("report.day_title", date=format_date(day), count=len(rows)))
            if rows:
                for line in table_lines(rows):
                    out(line)
            return 0
        if args.format == "csv" and not args.out:
            writer = csv.writer(sys.stdout)
            writer.writerow(headers)
            writer.writerows([csv_safe(c) for c in _cells(row)] for row in rows)
            return 0
        path = output_path(args, context, f"giao-dich-{day:%Y-%m-%d}", f".{args.format}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.format == "csv":
            with open(path, "w", newline="", encoding="utf-8-sig") as target:
                writer = csv.writer(target)
                writer.writerow(headers)
                writer.writerows([csv_safe(c) for c in _cells(row)] for row in rows)
        else:
            book = XlsxBook(path)
            sheet = book.sheet(t("report.sheet_name"), title=t("report.day_title",
                               date=format_date(day), count=len(rows)),
                               subtitles=[context.config.school.name],
                               columns=[Column(h, 16) for h in headers])
            for row in rows:
                sheet.row(_cells(row))
            book.close()
    out(t("report.written", path=path))
    return 0


# -- usage ------------------------------------------------------------------------------------
@run_command
def _usage(args) -> int:
    from kiosk.reports.output import usage_document, usage_table
    from kiosk.reports.usage import usage_report

    with command_context(args) as context:
        period = _period(args, context)
        report = usage_report(period, context.clock.today(), args.group)
        if args.format == "table":
            for line in usage_table(report, t):
                out(line)
            return 0
        name = f"danh-gia-su-dung-tbdh-{period.school_year}-{period.term}"
        path = output_path(args, context, name, f".{args.format}")
        _written(usage_document(context, report, path.with_suffix(""), (args.format,), t))
    return 0


@run_command
def _stats(args) -> int:
    from kiosk.reports.output import usage_stats_document
    from kiosk.reports.usage import subject_grade_counts

    with command_context(args) as context:
        period = _period(args, context)
        counts = subject_grade_counts(period)
        if args.format == "table":
            out(t("report.stats_title"))
            out(f"{'':<20} " + " ".join(f"{g:>5}" for g in counts.grades) + "  "
                + t("report.col_total"))
            for subject in counts.subjects:
                out(f"{subject[:20]:<20} " + " ".join(
                    f"{counts.cells.get((subject, g), 0):>5}" for g in counts.grades)
                    + f"  {counts.row_total(subject)}")
            return 0
        name = f"thong-ke-so-tiet-su-dung-thiet-bi-{period.school_year}-{period.term}"
        path = output_path(args, context, name, f".{args.format}")
        _written(usage_stats_document(context, counts, period, path.with_suffix(""),
                                      (args.format,), t))
    return 0


# -- reading ----------------------------------------------------------------------------------
@run_command
def _reading(args) -> int:
    from kiosk.reports.output import reading_document, reading_table
    from kiosk.reports.reading import reading_report

    with command_context(args) as context:
        period = _period(args, context)
        report = reading_report(context.clock, period.start, period.end)
        if args.format == "table":
            for line in reading_table(report, t):
                out(line)
            return 0
        name = f"van-hoa-doc-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        path = output_path(args, context, name, f".{args.format}")
        _written(reading_document(context, report, path.with_suffix(""), (args.format,), t))
    return 0


# -- declarations -----------------------------------------------------------------------------
@run_command
def _declarations(args) -> int:
    from kiosk.reports.declarations import declarations_report
    from kiosk.reports.output import declarations_document, declarations_table

    with command_context(args) as context:
        period = _period(args, context)
        report = declarations_report(period.start, period.end)
        if args.format == "table":
            for line in declarations_table(report, t):
                out(line)
            return 0
        name = f"ke-khai-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        path = output_path(args, context, name, f".{args.format}")
        _written(declarations_document(context, report, path.with_suffix(""), (args.format,),
                                       t))
    return 0
