"""The kiosk's side of the end-to-end tests, run as its own process with the kiosk's config
(``KIOSK_CONFIG``): staff actions the CLI has no command for (a void and its undo, made through
``StaffService`` as the staff screen makes them) and the kiosk's own report figures as JSON.

    python -m tests.hub.kiosk_side void CODE STAFF REASON [PATRON]  # prints the HUY- reference
    python -m tests.hub.kiosk_side undo REF STAFF
    python -m tests.hub.kiosk_side figures YYYY-MM-DD         # overdue as of that day
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date

from db.queries import catalogue, loans, patrons
from kiosk.config import load_config
from kiosk.context import open_context
from kiosk.reports.calendar import report_period
from kiosk.reports.declarations import declarations_report
from kiosk.reports.reading import reading_report
from kiosk.reports.usage import usage_report
from kiosk.services.staff import StaffService


def _open_loan(code: str, patron_code: str = ""):
    """The open loan of a copy, or ``patron_code``'s open loan of equipment ``code``."""
    if patron_code:
        patron = patrons.by_code(patron_code)
        return next(loan for loan in loans.open_loans_of_patron(patron.id)
                    if code in (loan.code, loan.equipment_code))
    return loans.open_loan_of_copy(catalogue.copy_by_barcode(code).id)


def figures(context, overdue_on: date) -> dict:
    """The kiosk's own reports for the school year up to today, and its overdue loans."""
    today = context.clock.today()
    period = report_period(None, None, "year", today)
    reading = reading_report(context.clock, period.start, period.end)
    usage = usage_report(period, today)
    declared = declarations_report(period.start, period.end)
    return {
        "school_year": period.school_year,
        "reading": {c.class_name: c.total for c in reading.classes if c.total or c.students},
        "students": {c.class_name: c.students for c in reading.classes},
        "teacher_loans": reading.teacher_loans,
        "visits": reading.visits,
        "usage": {u.code: [u.required, u.recorded] for g in usage.groups for u in g.teachers},
        "overdue": sorted([loan.patron_code, loan.title, loan.outstanding]
                          for loan in loans.overdue(overdue_on)),
        "declared": {kind: sum(g.declared for g in declared.groups if g.kind == kind)
                     for kind in ("book", "equipment")},
        "incomplete_books": declared.incomplete_books,
    }


def main(argv: list[str]) -> int:
    """Run one command; prints its answer as JSON."""
    context = open_context(load_config(os.environ["KIOSK_CONFIG"]))
    try:
        command = argv[0]
        if command == "void":
            code, staff, reason = argv[1:4]
            loan = _open_loan(code, argv[4] if len(argv) > 4 else "")
            outcome = StaffService(context).void(loan.id, staff, reason)
            answer = {"ok": outcome.ok, "ref": outcome.params.get("ref"), "code": outcome.code}
        elif command == "undo":
            outcome = StaffService(context).undo_void(argv[1], argv[2])
            answer = {"ok": outcome.ok, "ref": outcome.params.get("ref"), "code": outcome.code}
        elif command == "figures":
            answer = figures(context, date.fromisoformat(argv[1]))
        else:
            raise SystemExit(f"unknown command {command}")
    finally:
        context.close()
    sys.stdout.write(json.dumps(answer, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
