"""``kiosk stocktake start|load|scan|count|status|finish|report``: a stock-take from a
terminal (or a script), through the same service as the staff screen. Each step is committed
on its own, so a session interrupted anywhere resumes where it stopped."""
from __future__ import annotations

import re
from pathlib import Path

from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.i18n import t
from kiosk.minutes.model import build_minutes
from kiosk.services.stocktake import CORRECTIONS, StocktakeService


def register(subparsers, common) -> None:
    """Add ``kiosk stocktake`` and its sub-commands."""
    parser = subparsers.add_parser("stocktake", parents=[common], help=t("stocktake.help"),
                                   description=t("stocktake.help"))
    steps = parser.add_subparsers(dest="step", metavar="start|load|scan|count|status|finish|"
                                                       "report", required=True)
    start = steps.add_parser("start", parents=[common], help=t("stocktake.start_help"))
    start.add_argument("--staff", required=True, metavar="CB...", help=t("stocktake.opt_staff"))
    start.add_argument("--kind", choices=("book", "equipment"), default="book",
                       help=t("stocktake.opt_kind"))
    start.add_argument("--store", default="", help=t("stocktake.opt_store"))
    start.add_argument("--room", default="", help=t("stocktake.opt_room"))
    start.add_argument("--shelf", default="", help=t("stocktake.opt_shelf"))
    start.add_argument("--member", action="append", default=[], help=t("stocktake.opt_member"))
    start.set_defaults(func=_start)
    load = steps.add_parser("load", parents=[common], help=t("stocktake.load_help"))
    load.add_argument("session", metavar="KK-...", help=t("stocktake.opt_session"))
    load.add_argument("files", nargs="+", type=Path, help=t("stocktake.files_help"))
    load.set_defaults(func=_load)
    scan = steps.add_parser("scan", parents=[common], help=t("stocktake.scan_help"))
    scan.add_argument("session", metavar="KK-...", help=t("stocktake.opt_session"))
    scan.add_argument("codes", nargs="+", help=t("stocktake.codes_help"))
    scan.add_argument("--damaged", action="store_true", help=t("stocktake.opt_damaged"))
    scan.set_defaults(func=_scan)
    count = steps.add_parser("count", parents=[common], help=t("stocktake.count_help"))
    count.add_argument("session", metavar="KK-...", help=t("stocktake.opt_session"))
    count.add_argument("counts", nargs="+", metavar="CODE=GOOD[/DAMAGED]",
                       help=t("stocktake.counts_help"))
    count.set_defaults(func=_count)
    status = steps.add_parser("status", parents=[common], help=t("stocktake.status_help"))
    status.add_argument("session", nargs="?", metavar="KK-...", help=t("stocktake.opt_session"))
    status.set_defaults(func=_status)
    finish = steps.add_parser("finish", parents=[common], help=t("stocktake.finish_help"))
    finish.add_argument("session", metavar="KK-...", help=t("stocktake.opt_session"))
    finish.add_argument("--staff", required=True, metavar="CB...", help=t("stocktake.opt_staff"))
    finish.add_argument("--confirm", default=",".join(CORRECTIONS),
                        help=t("stocktake.opt_confirm"))
    finish.add_argument("--no-corrections", action="store_true", help=t("stocktake.opt_none"))
    finish.set_defaults(func=_finish)
    report = steps.add_parser("report", parents=[common], help=t("stocktake.report_help"))
    report.add_argument("session", metavar="KK-...", help=t("stocktake.opt_session"))
    report.add_argument("--out", type=Path, default=Path("."), help=t("stocktake.opt_out"))
    report.set_defaults(func=_report)


def _line(code: str, outcome) -> str:
    return f"{'OK ' if outcome.ok else '-- '}{code}: {outcome.message}"


def _session(service: StocktakeService, ref: str):
    take = service.session(ref)
    if take is None:
        raise CommandFailed(t("refusal.no_such_stocktake"))
    return take


@run_command
def _start(args) -> int:
    with command_context(args) as context:
        members = []
        for text in args.member:
            parts = re.split(r"\s+[–-]\s+", text, maxsplit=1)
            members.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
        outcome = StocktakeService(context).start(args.staff, args.kind, store=args.store,
                                                  room=args.room, shelf=args.shelf,
                                                  committee=members)
        out(outcome.message)
        if outcome.ok:
            out(outcome.params["ref"])
        return 0 if outcome.ok else 1


@run_command
def _load(args) -> int:
    with command_context(args) as context:
        service = StocktakeService(context)
        take = _session(service, args.session)
        status = 0
        for path in args.files:
            outcome = service.load(take.id, path)
            out(_line(path.name, outcome))
            status |= 0 if outcome.ok else 1
        return status


@run_command
def _scan(args) -> int:
    with command_context(args) as context:
        service = StocktakeService(context)
        take = _session(service, args.session)
        status = 0
        for code in args.codes:
            outcome = service.scan(take.id, code, damaged=args.damaged)
            out(_line(code, outcome))
            status |= 0 if outcome.ok else 1
        return status


@run_command
def _count(args) -> int:
    with command_context(args) as context:
        service = StocktakeService(context)
        take = _session(service, args.session)
        status = 0
        for text in args.counts:
            match = re.fullmatch(r"(.+?)=(\d+)(?:/(\d+))?", text.strip())
            if not match:
                raise CommandFailed(t("circ.bad_quantity", value=text))
            outcome = service.count(take.id, match.group(1), int(match.group(2)),
                                    int(match.group(3) or 0))
            out(_line(match.group(1), outcome))
            status |= 0 if outcome.ok else 1
        return status


def _print_progress(service, take) -> None:
    progress = service.progress(take.id)
    out(t("stocktake.status_line", ref=take.ref, scope=service.scope_label(take),
          found=len(progress.found), expected=progress.expected,
          on_loan=len(progress.on_loan), not_seen=len(progress.not_seen),
          misplaced=len(progress.misplaced), unknown=len(progress.unknown),
          duplicates=progress.duplicates))
    for kind, counted in progress.counted:
        out(t("stocktake.counted_line", code=kind.code, name=kind.name, on_hand=kind.on_hand,
              damaged=kind.damaged, counted=f"{counted[0]}/{counted[1]}" if counted
              else t("stocktake.not_counted")))
    if progress.not_seen and len(progress.not_seen) <= 50:
        out(t("stocktake.not_seen_title"))
        for entry in progress.not_seen:
            out(f"  {entry.code}  {entry.title}")


@run_command
def _status(args) -> int:
    with command_context(args) as context:
        service = StocktakeService(context)
        takes = [_session(service, args.session)] if args.session else service.open_sessions()
        if not takes:
            out(t("stocktake.open_none"))
        for take in takes:
            _print_progress(service, take)
        return 0


@run_command
def _finish(args) -> int:
    with command_context(args) as context:
        service = StocktakeService(context)
        take = _session(service, args.session)
        confirm = () if args.no_corrections else tuple(
            word.strip() for word in args.confirm.split(",") if word.strip())
        outcome = service.finish(take.id, args.staff, confirm)
        out(outcome.message)
        return 0 if outcome.ok else 1


@run_command
def _report(args) -> int:
    from kiosk.minutes.pdf import write_minutes_pdf  # ReportLab and openpyxl: only here
    from kiosk.minutes.xlsx import write_minutes_xlsx

    with command_context(args) as context:
        service = StocktakeService(context)
        take = _session(service, args.session)
        minutes = build_minutes(service, take.id)
        if minutes is None:
            raise CommandFailed(t("stocktake.not_finished", ref=take.ref), status=1)
        stem = f"bien-ban-kiem-ke-{take.ref}"
        xlsx = write_minutes_xlsx(minutes, args.out / f"{stem}.xlsx")
        pdf = write_minutes_pdf(minutes, args.out / f"{stem}.pdf")
        out(t("stocktake.report_written", xlsx=xlsx, pdf=pdf))
        return 0
