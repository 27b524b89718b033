"""``kiosk export registers --from DD/MM/YYYY --to DD/MM/YYYY --out DIR``."""
from __future__ import annotations

import logging
from pathlib import Path

from kiosk.clock import format_date, parse_date
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.i18n import t

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add ``kiosk export registers``."""
    parser = subparsers.add_parser("export", parents=[common], help=t("export.help"),
                                   description=t("export.help"))
    what = parser.add_subparsers(dest="what", metavar=t("cli.command_metavar"), required=True)
    registers = what.add_parser("registers", parents=[common], help=t("export.registers_help"),
                                description=t("export.registers_help"))
    registers.add_argument("--from", dest="start", required=True, metavar="DD/MM/YYYY",
                           help=t("export.opt_from"))
    registers.add_argument("--to", dest="end", required=True, metavar="DD/MM/YYYY",
                           help=t("export.opt_to"))
    registers.add_argument("--out", required=True, metavar="DIR", help=t("export.opt_out"))
    registers.set_defaults(func=run_registers)


@run_command
def run_registers(args) -> int:
    """Write the registers; 0 on success, 2 on a bad date or config."""
    dates = []
    for value in (args.start, args.end):
        try:
            dates.append(parse_date(value))
        except ValueError:
            raise CommandFailed(t("export.bad_date", value=value)) from None
    start, end = dates
    if end < start:
        raise CommandFailed(t("export.bad_range", start=format_date(start), end=format_date(end)))
    from kiosk.export.registers import export_registers  # openpyxl: only when exporting

    with command_context(args) as context:
        result = export_registers(context, start, end, Path(args.out))
    out(t("export.written", count=len(result.files), out=args.out, books=result.book_lines,
           equipment=result.equipment_lines))
    for path in result.files:
        out(t("export.file_line", path=path))
    return 0
