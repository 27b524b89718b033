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
           "due", "kiosk")


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
            format_date(row.due_on), row.kiosk_id]


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
        for row in rows:
            cells = _cells(row)
            out(f"{cells[0]}  {cells[1]:<6} {cells[3]:<24} {cells[4] or '-':<5} "
                f"{cells[5]:<13} {cells[6][:36]:<36} {cells[8]:<10} {cells[9]}")
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
