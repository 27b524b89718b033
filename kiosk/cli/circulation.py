"""``kiosk borrow PATRON CODE...`` and ``kiosk return CODE...``: the screen's services, scriptable.

One line of result per code; exit status 0 when every code went through, 1 when any was refused.
"""
from __future__ import annotations

from db.text import printable
from kiosk.cli._common import command_context, out, run_command
from kiosk.i18n import t
from kiosk.services.circulation import BorrowSession, Circulation


def register(subparsers, common) -> None:
    """Add ``kiosk borrow``, ``kiosk return`` and ``kiosk renew``."""
    borrow = subparsers.add_parser("borrow", parents=[common], help=t("circ.borrow_help"))
    borrow.add_argument("patron", metavar=t("circ.patron_metavar"), help=t("circ.patron_help"))
    borrow.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                        help=t("circ.codes_help"))
    borrow.set_defaults(func=_borrow)
    give_back = subparsers.add_parser("return", parents=[common], help=t("circ.return_help"))
    give_back.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                           help=t("circ.codes_help"))
    give_back.set_defaults(func=_return)
    renew = subparsers.add_parser("renew", parents=[common], help=t("circ.renew_help"))
    renew.add_argument("codes", nargs="+", metavar=t("circ.code_metavar"),
                       help=t("circ.codes_help"))
    renew.set_defaults(func=_renew)


def _line(code: str, outcome) -> str:
    mark = "OK " if outcome.ok else "-- "
    return f"{mark}{printable(code)}: {outcome.message}"


@run_command
def _borrow(args) -> int:
    with command_context(args) as context:
        service = Circulation(context)
        session = service.start_session(args.patron)
        if not isinstance(session, BorrowSession):
            out(_line(args.patron, session))
            return 1
        out(t("circ.patron_line", name=session.patron.name, cls=session.patron.class_name or "-"))
        all_ok = True
        for code in args.codes:
            outcome = service.borrow(session, code)
            all_ok &= outcome.ok
            out(_line(code, outcome))
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
def _return(args) -> int:
    return _each_code(args, Circulation.return_code)


@run_command
def _renew(args) -> int:
    return _each_code(args, Circulation.renew)
