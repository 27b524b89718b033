"""``kiosk report day``: the day's transactions as a table, CSV or an Excel file."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock import format_date, parse_date
from kiosk.i18n import t
from kiosk.services.day_report import DayRow, day_transactions

COLUMNS = ("time", "action", "patron_code", "patron", "class", "item_code", "item", "quantity",
           "due", "condition", "reason", "kiosk")
#: The on-screen table: (column, width); the patron's code and the kiosk are left to the files.
TABLE = (("time", 8), ("action", 9), ("patron", 22), ("class", 5), ("code", 13),
         ("item", 28), ("qty", 3), ("due", 10), ("note", 0))


def register(subparsers, common) -> None:
    """Add ``kiosk report day``."""
    parser = subparsers.add_parser("report", parents=[common], help=t("report.help"))
    kinds = parser.add_subparsers(dest="report_kind", required=True,
                                  metavar=t("cli.command_metavar"), help=t("cli.command_help"))
    day = kinds.add_parser("day", parents=[common], help=t("report.day_help"))
    day.add_argument("--date", metavar="DD/MM/YYYY", help=t("report.date_help"))
    day.add_argument("--format", choices=("table", "csv", "xlsx"), default="table",
                     help=t("report.format_help"))
    day.add_argument("--out", metavar=t("cli.metavar_file"), help=t("report.out_help"))
    day.set_defaults(func=_day)


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
    with command_context(args) as context:
        try:
            day = parse_date(args.date) if args.date else context.clock.today()
        except ValueError:
            raise CommandFailed(t("report.bad_date", value=args.date)) from None
        rows = day_transactions(day, context.clock)
    headers = [t(f"report.col_{name}") for name in COLUMNS]
    if args.format == "table":
        out(t("report.day_title", date=format_date(day), count=len(rows)))
        if rows:
            for line in table_lines(rows):
                out(line)
    elif args.format == "csv":
        target = open(args.out, "w", newline="", encoding="utf-8-sig") if args.out else sys.stdout
        try:
            writer = csv.writer(target)
            writer.writerow(headers)
            writer.writerows(_cells(row) for row in rows)
        finally:
            if args.out:
                target.close()
    else:
        from openpyxl import Workbook

        path = Path(args.out or f"giao-dich-{day:%Y-%m-%d}.xlsx")
        book = Workbook(write_only=True)
        sheet = book.create_sheet(t("report.sheet_name"))
        sheet.append([t("report.day_title", date=format_date(day), count=len(rows))])
        sheet.append(headers)
        for row in rows:
            sheet.append(_cells(row))
        book.save(path)
        out(t("report.written", path=path))
    return 0
