"""Run by test_two_kiosks: one kiosk of two sharing a server, lending, returning and renewing
the same copies as the other for a while, its sync thread pushing all along.

    two_kiosk_worker.py URL KIOSK_ID SECONDS OUT.jsonl SYNC_URL TOKEN_FILE LOAN_DAYS

LOAN_DAYS differs between the two kiosks so that each can renew the other's loans (a renewal
must move the due date later), and renewals race with returns too.

Prints ``ready``, waits for a line on stdin (both kiosks start together), works for SECONDS,
prints ``lent``, keeps its sync thread pushing until a second line arrives, then exits. Every
outcome is one JSON line in OUT; an exception that escapes a service is a line too.
"""
import json
import random
import sys
import time
import traceback

from db.queries import fetch_all
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.circulation import BorrowSession, Circulation
from kiosk.sync.service import start_sync_thread


def main(url: str, kiosk_id: str, seconds: str, out: str, sync_url: str, token_file: str,
         loan_days: str) -> None:
    config = config_from_dict({
        "school": {"code": "HY-THCS-01", "name": "Trường THCS Thử", "kiosk_id": kiosk_id},
        "database": {"url": url},
        "loans": {"student": {"max_books": 1000, "max_renewals": 2,
                              "book_loan_days": int(loan_days)}},
        "sync": {"url": sync_url, "token_file": token_file, "batch_size": 50,
                 "interval_s": 0.2, "timeout_s": 10.0, "base_backoff_s": 0.5,
                 "max_backoff_s": 2.0}})
    context = open_context(config)
    service = Circulation(context)
    codes = [code for (code,) in fetch_all("SELECT barcode FROM copy ORDER BY barcode")]
    patrons = [code for (code,) in fetch_all("SELECT code FROM patron ORDER BY code")]
    rng = random.Random(kiosk_id)
    sync = start_sync_thread(context)
    print("ready", flush=True)
    sys.stdin.readline()
    end = time.monotonic() + float(seconds)
    with open(out, "w", encoding="utf-8") as log:
        while time.monotonic() < end:
            code, roll = rng.choice(codes), rng.random()
            action = "borrow" if roll < 0.45 else "return" if roll < 0.9 else "renew"
            try:
                if action == "borrow":
                    session = service.start_session(rng.choice(patrons))
                    assert isinstance(session, BorrowSession), session
                    outcome = service.borrow(session, code)
                elif action == "return":
                    outcome = service.return_code(code)
                else:
                    outcome = service.renew(code)
            except Exception:  # noqa: BLE001 - the test counts these: there must be none
                log.write(json.dumps({"action": action, "code": code,
                                      "exception": traceback.format_exc()}) + "\n")
                continue
            loan = outcome.loan
            log.write(json.dumps({
                "action": action, "code": code, "ok": outcome.ok, "result": outcome.code,
                "message": outcome.message, "loan": loan.uid if loan else None,
                "ref": (loan.return_ref if action == "return" else loan.txn_ref) if loan
                else None}, ensure_ascii=False) + "\n")
            sync.wake()
    print("lent", flush=True)
    sys.stdin.readline()
    sync.stop(timeout=10)
    context.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
