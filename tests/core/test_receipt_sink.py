"""The screens' receipts through the real print service: off the calling thread, one result per
receipt (labels included), failures reported with the printer's sentence."""
import queue
import socket
import threading

import zxingcpp
from PIL import Image

from db.models import Patron
from kiosk.receipt_sink import PrinterReceiptSink
from kiosk.services.circulation import Circulation
from printers.backends import PrinterSettings, build_backend
from printers.service import PrintService


def _sink(context, backend, timeout_s=5.0):
    service = PrintService(backend, timeout_s=timeout_s)
    sink = PrinterReceiptSink(context, service)
    results = queue.Queue()
    sink.on_print_result = lambda *result: results.put(result)
    return sink, service, results


def _borrow(context):
    service = Circulation(context)
    session = service.start_session("0123456789")
    service.borrow(session, "TK.00001")
    return session


class _HeldBackend:
    """Wraps a real backend; holds every job until released."""

    def __init__(self, inner):
        self.inner = inner
        self.release = threading.Event()

    def seconds_for(self, job):
        return self.inner.seconds_for(job)

    def send(self, job):
        self.release.wait(10)
        return self.inner.send(job)


def test_receipt_prints_off_the_calling_thread(context, tmp_path):
    held = _HeldBackend(build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    sink, service, results = _sink(context, held)
    session = _borrow(context)
    sink.print_receipt("borrow", session.txn_ref, session.borrowed, session.patron, {})
    assert results.empty()  # returned while the printer still holds the job
    held.release.set()
    ok, txn_ref, message = results.get(timeout=10)
    assert (ok, txn_ref, message) == (True, session.txn_ref, "")
    (png,) = tmp_path.glob("*.png")
    with Image.open(png) as image:
        assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [session.txn_ref]
    service.close()


def test_a_missing_printer_is_a_failed_receipt_with_a_sentence(context):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = build_backend(PrinterSettings(kind="network", host="127.0.0.1", port=port,
                                            timeout_s=1.0, status_query=False))
    sink, service, results = _sink(context, backend, timeout_s=3.0)
    session = _borrow(context)
    sink.print_receipt("borrow", session.txn_ref, session.borrowed, session.patron, {})
    ok, txn_ref, message = results.get(timeout=10)
    assert not ok and txn_ref == session.txn_ref and "mã QR" in message
    assert sink.last_result == (False, message)
    service.close()


def test_labels_print_as_one_result(context, tmp_path):
    sink, service, results = _sink(
        context, build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    sink.print_receipt("labels", "NH-1", [], None,
                       {"codes": ["TK.00001", "TK.00002", "TK.00003"], "kind": "book",
                        "title": "Dế Mèn phiêu lưu ký"})
    assert results.get(timeout=10) == (True, "NH-1", "")
    pictures = sorted(tmp_path.glob("*.png"))
    assert len(pictures) == 3
    with Image.open(pictures[0]) as image:
        assert "TK.00001" in [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    service.close()


def test_reprint_and_day_summary_come_from_the_database(context, tmp_path):
    sink, service, results = _sink(
        context, build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    session = _borrow(context)
    teacher = Patron.get(Patron.code == "GV0012")
    sink.print_receipt("reprint", session.txn_ref, [], teacher, {})
    sink.print_receipt("day_summary", "TK-1", [], None, {"day": context.clock.today()})
    sink.print_receipt("reprint", "GD-NOPE", [], None, {})
    got = {results.get(timeout=10)[:2] for _ in range(3)}
    assert got == {(True, session.txn_ref), (True, "TK-1"), (False, "GD-NOPE")}
    service.close()
