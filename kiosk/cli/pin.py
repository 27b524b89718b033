"""``kiosk pin set CODE``: give a staff card a new PIN (typed twice, or read from stdin)."""
from __future__ import annotations

import getpass
import sys

from db.queries import patrons
from db.vocabulary import STAFF
from kiosk.cli._common import CommandFailed, command_context, out, run_command
from kiosk.i18n import t
from kiosk.pins import hash_pin, pin_key, valid_new_pin


def register(subparsers, common) -> None:
    """Add ``kiosk pin``."""
    parser = subparsers.add_parser("pin", parents=[common], help=t("pincmd.help"))
    actions = parser.add_subparsers(dest="pin_action", required=True)
    set_pin = actions.add_parser("set", parents=[common], help=t("pincmd.set_help"))
    set_pin.add_argument("code", metavar=t("pincmd.code_metavar"), help=t("pincmd.code_help"))
    set_pin.add_argument("--stdin", action="store_true", help=t("pincmd.stdin_help"))
    set_pin.set_defaults(func=_set)


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass(t("pincmd.prompt"))
    if getpass.getpass(t("pincmd.again")) != first:
        raise CommandFailed(t("pincmd.mismatch"))
    return first


@run_command
def _set(args) -> int:
    with command_context(args) as context:
        found = patrons.pin_state(args.code.strip())
        staff = found.patron if found else None
        if staff is None or staff.kind != STAFF:
            raise CommandFailed(t("refusal.not_staff"))
        length = context.config.pins.length
        pin = _read_pin(args.stdin)
        if not valid_new_pin(pin, length):
            raise CommandFailed(t("pincmd.invalid", length=length))
        key = pin_key(context.config)
        if key is None:
            raise CommandFailed(t("refusal.pin_key_missing"))
        patrons.set_pin_state(staff.id, 0, None, pin_hash=hash_pin(pin, key))  # one statement
        out(t("pincmd.done", name=staff.name))
    return 0
