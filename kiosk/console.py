"""The kiosk without a screen: scans read line by line from standard input.

For a kiosk whose display is broken, for trying a scanner over SSH, and for the demo on a machine
without a display. A card opens a borrow session; codes scanned then are borrowed; the same card
again, an empty line or ``xong`` ends it. A loaned item scanned with no session open is returned.
"""
from __future__ import annotations

import sys
from typing import TextIO

from kiosk.context import KioskContext
from kiosk.i18n import t
from kiosk.services import identify as ident
from kiosk.services.circulation import BorrowSession, Circulation

END_WORDS = {"", "xong", "done", "q"}


def run_console(context: KioskContext, lines: TextIO | None = None, out: TextIO | None = None
                ) -> int:
    """Serve scans from ``lines`` (standard input) until end of input; returns 0."""
    lines = sys.stdin if lines is None else lines
    out = sys.stdout if out is None else out
    service = Circulation(context)
    session: BorrowSession | None = None
    write = lambda text: out.write(text + "\n")  # noqa: E731
    write(t("console.welcome", school=context.config.school.name))
    for raw in lines:
        code = raw.strip()
        if session is not None and (code.lower() in END_WORDS or code == session.patron.code):
            write(t("console.session_end", name=session.patron.name,
                    count=len(session.borrowed)))
            session = None
            continue
        if not code:
            continue
        if session is None:
            found = service.identify(code)
            if found.kind == ident.PATRON:
                opened = service.start_session(code)
                if not isinstance(opened, BorrowSession):
                    write("✗ " + opened.message)
                    continue
                session = opened
                write(t("console.greeting", name=session.patron.name,
                        cls=session.patron.class_name or "-"))
                block = service.patron_block(session.patron)
                if block:
                    write("! " + block.message)
                for loan in service.current_loans(session.patron):
                    write(t("console.current_loan", title=loan.title,
                            due=loan.due_on.strftime("%d/%m/%Y")))
                continue
            outcome = service.return_code(code)
        else:
            outcome = service.borrow(session, code)
        write(("✓ " if outcome.ok else "✗ ") + outcome.message)
    return 0
