"""``kiosk export registers --from DD/MM/YYYY --to DD/MM/YYYY [--out DIR] [--format ...]`` and
``kiosk export template quotas|lesson-plan [--out FILE]``."""
from __future__ import annotations

import logging
from pathlib import Path

from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock import format_date, parse_date
from kiosk.i18n import t

log = logging.getLogger(__name__)

TEMPLATES = ("quotas", "lesson-plan")


def register(subparsers, common) -> None:
    """Add ``kiosk export registers`` and ``kiosk export template``."""
    parser = subparsers.add_parser("export", parents=[common], help=t("export.help"),
                                   description=t("export.help"))
    what = parser.add_subparsers(dest="what", metavar=t("cli.command_metavar"), required=True,
                                 help=t("cli.command_help"))
    registers = what.add_parser("registers", parents=[common], help=t("export.registers_help"),
                                description=t("export.registers_help"))
    registers.add_argument("--from", dest="start", required=True, metavar="DD/MM/YYYY",
                           help=t("export.opt_from"))
    registers.add_argument("--to", dest="end", required=True, metavar="DD/MM/YYYY",
                           help=t("export.opt_to"))
    registers.add_argument("--out", metavar=t("cli.metavar_dir"), help=t("export.opt_out"))
    registers.add_argument("--format", choices=("xlsx", "pdf", "both"), default="xlsx",
                           help=t("export.opt_format"))
    registers.add_argument("--force", action="store_true", help=t("export.opt_force"))
    registers.set_defaults(func=run_registers)
    template = what.add_parser("template", parents=[common], help=t("export.template_help"),
                               description=t("export.template_help"))
    template.add_argument("kind", choices=TEMPLATES, help=t("export.template_kind"))
    template.add_argument("--out", metavar=t("cli.metavar_file"), help=t("export.template_out"))
    template.add_argument("--year", metavar="YYYY-YYYY", help=t("export.template_year"))
    template.add_argument("--force", action="store_true", help=t("export.opt_force"))
    template.set_defaults(func=run_template)


@run_command
def run_registers(args) -> int:
    """Write the registers; 0 on success, 2 on a bad date, config or output folder."""
    dates = []
    for value in (args.start, args.end):
        try:
            dates.append(parse_date(value))
        except ValueError:
            raise CommandFailed(t("export.bad_date", value=value)) from None
    start, end = dates
    if end < start:
        raise CommandFailed(t("export.bad_range", start=format_date(start), end=format_date(end)))
    formats = ("xlsx", "pdf") if args.format == "both" else (args.format,)
    # XlsxWriter and ReportLab: imported only when exporting (the CLI starts fast).
    from kiosk.export.registers import OutputExists, export_registers

    with command_context(args) as context:
        folder = Path(args.out) if args.out else (
            context.config.reports.export_folder(context.config)
            / f"so-sach-{start:%Y%m%d}-{end:%Y%m%d}")
        try:
            result = export_registers(context, start, end, folder, formats=formats,
                                      force=args.force)
        except OutputExists as exc:
            raise CommandFailed(t("export.exists", path=exc.path, count=exc.count)) from None
    out(t("export.written", count=len(result.files), out=folder, books=result.book_lines,
           equipment=result.equipment_lines))
    for path in result.files:
        out(t("export.file_line", path=path))
    return 0


@run_command
def run_template(args) -> int:
    """Write an import template filled with the school's subjects and grades."""
    from kiosk.imports.templates import write_lesson_plan_template, write_quota_template
    from kiosk.reports.calendar import school_year_of

    with command_context(args) as context:
        year = args.year or school_year_of(context.clock.today())
        name = f"mau-dinh-muc-{year}.xlsx" if args.kind == "quotas" else \
            f"mau-so-phan-dinh-{year}.xlsx"
        path = Path(args.out) if args.out else (
            context.config.reports.export_folder(context.config) / name)
        if path.is_dir():
            path = path / name
        if path.exists() and not args.force:
            raise CommandFailed(t("report.exists", path=path))
        writer = write_quota_template if args.kind == "quotas" else write_lesson_plan_template
        rows = writer(path, year, t)
    out(t("export.template_written", path=path, rows=rows))
    return 0
