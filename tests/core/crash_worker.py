"""Run by test_crash: borrow and return forever on a database (a file or a server URL) until
killed."""
import sys

from db.models import Copy, Patron
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.circulation import Circulation


def main(target: str) -> None:
    database = {"url": target} if target.startswith("postgresql://") else {"path": target}
    config = config_from_dict({"school": {"code": "X", "name": "Y", "kiosk_id": "crash"},
                               "database": database,
                               "loans": {"student": {"max_books": 1000}}})
    context = open_context(config)
    service = Circulation(context)
    codes = [c.barcode for c in Copy.select(Copy.barcode)]
    patrons = [p.code for p in Patron.select(Patron.code)]
    n = 0
    while True:
        session = service.start_session(patrons[n % len(patrons)])
        for code in codes[(n * 7) % len(codes):][:5]:
            outcome = service.borrow(session, code)
            if not outcome.ok:
                service.return_code(code)
            n += 1
            if n == 50:
                sys.stdout.write("running\n")
                sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
