"""``kiosk borrow PATRON CODE...``, ``kiosk return CODE...``, ``kiosk renew CODE...`` and
``kiosk lost CODE...``: the screen's services, scriptable, equipment included.

Books go through a borrow session; equipment (labelled items, counted stock with
``--quantity``) through one checkout for its lesson (``--class --session --period --subject``)
or long-term (``--long-term``), as on the equipment screen. A return may say how many pieces
came back (``--quantity``), in which condition (``--condition``, or ``--split`` by condition),
and a ``--note``; the rest stays on loan.

One line of result per code; exit status 0 when every code went through, 1 when any was refused.
"""
from __future__ import annotations

import argparse
import re

from db.text import printable
from db.vocabulary import CONDITIONS, SESSIONS
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.clock import parse_date
from kiosk.i18n import t
from kiosk.services import identify as ident
from kiosk.services.circulation import BorrowSession, Circulation
from kiosk.services.equipment import EquipmentBasket, EquipmentLending, Lesson
from kiosk.services.results import refuse
from kiosk.services.stock import StockService
from kiosk.services.takeback import ReturnSplit


def _pairs(values: list[str], convert, option: str) -> dict[str, object]:
    """``CODE=VALUE`` options as a dict (a bad one stops the command with its name)."""
    found = {}
    for text in values:
        code, sep, value = text.partition("=")
        if not sep or not code.strip():
            raise CommandFailed(t("circ.bad_pair", option=option, value=text))
        try:
            found[code.strip()] = convert(value.strip())
        except ValueError:
            raise CommandFailed(t("circ.bad_pair", option=option, value=text)) from None
    return found


def _quantity(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _condition(value: str) -> str:
    if value not in CONDITIONS:
        raise ValueError(value)
    return value


def _split(value: str) -> ReturnSplit:
    """``good:2,damaged:1`` -> a split."""
    counts = {}
    for part in value.split(","):
        match = re.fullmatch(r"\s*(good|damaged|missing)\s*:\s*(\d+)\s*", part)
        if not match:
            raise ValueError(value)
        counts[match.group(1)] = int(match.group(2))
    return ReturnSplit(**counts)


def register(subparsers, common) -> None:
    """Add ``kiosk borrow``, ``kiosk return``, ``kiosk renew`` and ``kiosk lost``."""
    borrow = subparsers.add_parser("borrow", parents=[common], help=t("circ.borrow_help"),
                                   description=t("circ.borrow_description"),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    borrow.add_argument("patron", metavar=t("circ.patron_metavar"), help=t("circ.patron_help"))
    borrow.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                        help=t("circ.codes_help"))
    borrow.add_argument("--quantity", action="append", default=[], metavar="CODE=N",
                        help=t("circ.opt_quantity"))
    borrow.add_argument("--class", dest="class_name", default="", help=t("circ.opt_class"))
    borrow.add_argument("--session", choices=SESSIONS, default="morning",
                        help=t("circ.opt_session"))
    borrow.add_argument("--period", type=int, help=t("circ.opt_period"))
    borrow.add_argument("--subject", default="", help=t("circ.opt_subject"))
    borrow.add_argument("--lesson", default="", help=t("circ.opt_lesson"))
    borrow.add_argument("--ppct", type=int, help=t("circ.opt_ppct"))
    borrow.add_argument("--purpose", default="", help=t("circ.opt_purpose"))
    borrow.add_argument("--date", metavar="DD/MM/YYYY", help=t("circ.opt_date"))
    borrow.add_argument("--long-term", action="store_true", help=t("circ.opt_long_term"))
    borrow.set_defaults(func=_borrow)
    give_back = subparsers.add_parser("return", parents=[common], help=t("circ.return_help"),
                                      description=t("circ.return_description"))
    give_back.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                           help=t("circ.codes_help"))
    give_back.add_argument("--by", metavar=t("circ.patron_metavar"), help=t("circ.opt_by"))
    give_back.add_argument("--quantity", action="append", default=[], metavar="CODE=N",
                           help=t("circ.opt_quantity_back"))
    give_back.add_argument("--condition", action="append", default=[], metavar="CODE=WORD",
                           help=t("circ.opt_condition"))
    give_back.add_argument("--split", action="append", default=[],
                           metavar="CODE=good:N,damaged:N,missing:N", help=t("circ.opt_split"))
    give_back.add_argument("--note", action="append", default=[], metavar="CODE=TEXT",
                           help=t("circ.opt_note"))
    give_back.set_defaults(func=_return)
    renew = subparsers.add_parser("renew", parents=[common], help=t("circ.renew_help"))
    renew.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                       help=t("circ.codes_help"))
    renew.set_defaults(func=_renew)
    lost = subparsers.add_parser("lost", parents=[common], help=t("circ.lost_help"))
    lost.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                      help=t("circ.codes_help"))
    lost.add_argument("--staff", required=True, metavar="CB...", help=t("circ.opt_staff"))
    lost.add_argument("--by", metavar=t("circ.patron_metavar"), help=t("circ.opt_by"))
    lost.add_argument("--note", default="", help=t("circ.opt_note"))
    lost.set_defaults(func=_lost)


def _line(code: str, outcome) -> str:
    mark = "OK " if outcome.ok else "-- "
    return f"{mark}{printable(code)}: {outcome.message}"


@run_command
def _borrow(args) -> int:
    quantities = _pairs(args.quantity, _quantity, "--quantity")
    with command_context(args) as context:
        service = Circulation(context)
        session = service.start_session(args.patron)
        if not isinstance(session, BorrowSession):
            out(_line(args.patron, session))
            return 1
        out(t("circ.patron_line", name=session.patron.name, cls=session.patron.class_name or "-"))
        books, gear = [], []
        for code in args.codes:
            found = service.identify(code)
            (gear if found.kind in (ident.ITEM, ident.STOCK) else books).append((code, found))
        all_ok = True
        for code, found in books:
            outcome = service.borrow(session, found)
            all_ok &= outcome.ok
            out(_line(code, outcome))
        if gear:
            all_ok &= _borrow_equipment(context, session.patron, gear, quantities, args)
        return 0 if all_ok else 1


def _borrow_equipment(context, patron, gear, quantities, args) -> bool:
    """One checkout of every equipment code, for its lesson (or long-term)."""
    lending = EquipmentLending(context)
    lesson = None
    if not args.long_term:
        if not (args.class_name and args.period and args.subject):
            out(_line(" ".join(code for code, _ in gear), refuse("equipment_needs_lesson")))
            return False
        try:
            day = parse_date(args.date) if args.date else context.clock.today()
        except ValueError:
            raise CommandFailed(t("report.bad_date", value=args.date)) from None
        lesson = Lesson(date=day, period=args.period, class_name=args.class_name.strip(),
                        subject=args.subject.strip(), title=args.lesson.strip(),
                        purpose=args.purpose.strip(), session=args.session, ppct=args.ppct)
    basket = lending.start(patron, lesson, long_term=args.long_term)
    if not isinstance(basket, EquipmentBasket):
        out(_line(patron.code, basket))
        return False
    ok = True
    for code, found in gear:
        if found.kind == ident.STOCK:
            outcome = lending.set_quantity(basket, found.code, quantities.get(code, 1))
        else:
            outcome = lending.add_scan(basket, found)
        ok &= outcome.ok
        out(_line(code, outcome))
    if not ok:
        return False
    outcome = lending.confirm(basket)
    out(_line(outcome.params.get("ref", ""), outcome))
    return outcome.ok


@run_command
def _return(args) -> int:
    quantities = _pairs(args.quantity, _quantity, "--quantity")
    conditions = _pairs(args.condition, _condition, "--condition")
    splits = _pairs(args.split, _split, "--split")
    notes = _pairs(args.note, str, "--note")
    with command_context(args) as context:
        service = EquipmentLending(context)
        by = None
        if args.by:
            found = service.identify(args.by)
            if found.kind != ident.PATRON:
                raise CommandFailed(_line(args.by, refuse("not_a_card", code=args.by)))
            by = found.record
        books, lines, all_ok = [], [], True
        taken: set[int] = set()
        for code in args.codes:
            found = service.identify(code)
            if found.kind not in (ident.ITEM, ident.STOCK):
                books.append(code)
                continue
            if found.kind == ident.STOCK and by is None:
                out(_line(code, refuse("stock_needs_quantity", code=code)))
                all_ok = False
                continue
            loan = service.open_equipment_loan(found, by, skip=taken) if by else \
                service.open_equipment_loan(found, None)
            if not hasattr(loan, "loan_id"):
                out(_line(code, loan))
                all_ok = False
                continue
            taken.add(loan.loan_id)
            split = splits.get(code) or ReturnSplit.of(
                conditions.get(code, "good"), quantities.get(code, loan.outstanding))
            if notes.get(code):
                split = ReturnSplit(split.good, split.damaged, split.missing, notes[code])
            lines.append((loan.loan_id, split))
        for code in books:
            outcome = service.return_code(code, returned_by=by,
                                          condition=conditions.get(code, "good"),
                                          note=notes.get(code, ""))
            all_ok &= outcome.ok
            out(_line(code, outcome))
        if lines:
            outcome = service.return_lines(lines, by)
            all_ok &= outcome.ok
            out(_line(outcome.params.get("ref", ""), outcome))
            for info in outcome.params.get("loans", []):
                out("   " + t("circ.returned_line", code=info.code, title=info.title,
                              back=info.accounted, of=info.quantity, left=info.outstanding))
        return 0 if all_ok else 1


def _each_code(args, action) -> int:
    """Run ``action(service, code)`` for every code, one line each; 1 when any was refused."""
    with command_context(args) as context:
        service = Circulation(context)
        all_ok = True
        for code in args.codes:
            outcome = action(service, code)
            all_ok &= outcome.ok
            out(_line(code, outcome))
        return 0 if all_ok else 1


@run_command
def _renew(args) -> int:
    return _each_code(args, Circulation.renew)


@run_command
def _lost(args) -> int:
    with command_context(args) as context:
        stock = StockService(context)
        all_ok = True
        for code in args.codes:
            outcome = stock.declare_lost_code(code, args.staff, by=args.by, note=args.note)
            all_ok &= outcome.ok
            out(_line(code, outcome))
        return 0 if all_ok else 1
