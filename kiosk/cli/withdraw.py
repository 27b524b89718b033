"""``kiosk withdraw CODE... --reason REASON [--decision NO] [--decision-date DD/MM/YYYY]``:
withdraw (thanh lý, xuất kho) copies, labelled items or counted stock, by the codes given or
listed in a file (one code a line, or a CSV with a code column)."""
from __future__ import annotations

from pathlib import Path

from db.vocabulary import WITHDRAW_REASONS
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.cli.circulation import _pairs, _quantity
from kiosk.clock import parse_date
from kiosk.i18n import t
from kiosk.services.stock import StockService, WithdrawItem
from kiosk.services.stocktake import read_codes


def register(subparsers, common) -> None:
    """Add ``kiosk withdraw``."""
    parser = subparsers.add_parser("withdraw", parents=[common], help=t("withdraw.help"),
                                   description=t("withdraw.description"))
    parser.add_argument("codes", nargs="*", metavar=t("circ.code_metavar"),
                        help=t("circ.codes_help"))
    parser.add_argument("--list", type=Path, help=t("withdraw.opt_list"))
    parser.add_argument("--reason", required=True, choices=WITHDRAW_REASONS,
                        help=t("withdraw.opt_reason"))
    parser.add_argument("--decision", default="", help=t("withdraw.opt_decision"))
    parser.add_argument("--decision-date", metavar="DD/MM/YYYY",
                        help=t("withdraw.opt_decision_date"))
    parser.add_argument("--quantity", action="append", default=[], metavar="CODE=N",
                        help=t("withdraw.opt_quantity"))
    parser.add_argument("--from", dest="source", choices=("on_hand", "damaged", "missing"),
                        default="on_hand", help=t("withdraw.opt_from"))
    parser.add_argument("--note", default="", help=t("withdraw.opt_note"))
    parser.add_argument("--staff", required=True, metavar="CB...", help=t("circ.opt_staff"))
    parser.set_defaults(func=_withdraw)


@run_command
def _withdraw(args) -> int:
    quantities = _pairs(args.quantity, _quantity, "--quantity")
    codes = list(args.codes)
    if args.list:
        try:
            codes += read_codes(args.list.read_bytes())
        except OSError as exc:
            raise CommandFailed(t("refusal.file_unreadable", name=args.list,
                                  error=exc.strerror)) from None
    if not codes:
        raise CommandFailed(t("withdraw.no_codes"))
    try:
        decided = parse_date(args.decision_date) if args.decision_date else None
    except ValueError:
        raise CommandFailed(t("report.bad_date", value=args.decision_date)) from None
    with command_context(args) as context:
        things = [WithdrawItem(code, quantities.get(code, 1), args.source) for code in codes]
        outcome = StockService(context).withdraw(args.staff, things, args.reason,
                                                 decision_no=args.decision,
                                                 decision_date=decided, note=args.note)
        out(("OK " if outcome.ok else "-- ") + outcome.message)
        if outcome.ok:
            out(outcome.params["ref"])
        return 0 if outcome.ok else 1
