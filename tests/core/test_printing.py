"""Print requests resolved from what the actions recorded, laid out by the real layout and
printed by the real print service: off the calling thread, one result per request (labels
included), failures reported with the printer's sentence, reprints marked and dated."""
import dataclasses
import queue
import socket
import threading

import zxingcpp
from PIL import Image

from db.queries import patrons
from kiosk.printing import (BorrowReceipt, DaySummaryReport, EquipmentSlip, Labels,
                            PrintQueue, ReceiptBuilder, Reprint, ReturnReceipt)
from kiosk.services.circulation import Circulation, ReturnRun
from kiosk.services.equipment import EquipmentLending, Lesson
from printers.backends import PrinterSettings, build_backend
from kiosk.i18n import receipt_captions
from printers.service import PrintService
from tests.printers.captioned import render


def _queue(context, backend, timeout_s=5.0):
    service = PrintService(backend, receipt_captions, timeout_s=timeout_s)
    printer = PrintQueue(context, service)
    results = queue.Queue()
    printer.on_print_result = lambda *result: results.put(result)
    return printer, service, results


def _borrow(context, *codes):
    service = Circulation(context)
    session = service.start_session("0123456789")
    for code in codes or ("TK.00001",):
        assert service.borrow(session, code).ok
    return session


def _decode_reference(receipt):
    image = render(receipt, 576).to_image().convert("L")
    return [r.text for r in zxingcpp.read_barcodes(image)]


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


def test_borrow_receipt_lists_each_book_with_its_due_date(context):
    session = _borrow(context, "TK.00001", "GK.00001")
    [receipt] = ReceiptBuilder(context).build(BorrowReceipt(session.txn_ref), "vi")
    assert receipt.patron_name == "Nguyễn Văn An" and receipt.patron_class == "6A1"
    assert [line.code for line in receipt.lines] == ["TK.00001", "GK.00001"]
    assert [line.due for line in receipt.lines] == [loan.due_on for loan in session.borrowed]
    assert receipt.printed_at.utcoffset().total_seconds() == 7 * 3600
    assert not receipt.reprint
    assert _decode_reference(receipt) == [session.txn_ref]


def _changed_rows(receipt, before, index, due):
    """Rows of the printed bitmap that change when line ``index`` gets another due date."""
    lines = list(receipt.lines)
    lines[index] = dataclasses.replace(lines[index], due=due)
    after = render(dataclasses.replace(receipt, lines=tuple(lines)), 576).to_image()
    assert after.size == before.size
    return {y for y in range(before.height)
            if before.crop((0, y, before.width, y + 1)).tobytes()
            != after.crop((0, y, before.width, y + 1)).tobytes()}


def test_the_printed_borrow_receipt_shows_each_lines_due_date(context):
    """What is on the paper, not only in the request: a line's due date, when it differs from the
    others, is printed with that line (text mode: read back; bitmap: changing it changes the
    pixels of that line and no other's)."""
    from datetime import date
    from printers.text_mode import receipt_lines

    session = _borrow(context, "TK.00001", "GK.00001")
    context.clock.advance(days=3)
    assert Circulation(context).renew("GK.00001").ok  # GK.00001 now due 14/12, TK.00001 10/12
    [receipt] = ReceiptBuilder(context).build(Reprint(session.txn_ref), "vi")
    assert [line.due for line in receipt.lines] == [date(2026, 12, 10), date(2026, 12, 14)]
    text = receipt_lines(receipt, 48, receipt_captions("vi"))
    first = text.index("*1. Dế Mèn phiêu lưu ký")
    second = text.index("*2. Toán 6 tập một")
    assert "Hạn trả: 10/12/2026" in text[first + 1] and "Hạn trả: 14/12/2026" in text[second + 1]
    before = render(receipt, 576).to_image()
    rows_first = _changed_rows(receipt, before, 0, date(2026, 12, 11))
    rows_second = _changed_rows(receipt, before, 1, date(2026, 12, 25))
    assert rows_first and rows_second and max(rows_first) < min(rows_second)

    [shared] = ReceiptBuilder(context).build(Reprint(session.txn_ref), "en")
    same = [dataclasses.replace(line, due=date(2026, 12, 10)) for line in shared.lines]
    once = receipt_lines(dataclasses.replace(shared, lines=tuple(same)), 48,
                         receipt_captions("en"))
    assert sum("Due: 10/12/2026" in line for line in once) == 1  # shared: once, at the top


def test_a_reprint_is_marked_and_keeps_the_original_time(context):
    session = _borrow(context)
    first = session.borrowed[0].out_at
    context.clock.advance(hours=3)
    [again] = ReceiptBuilder(context).build(Reprint(session.txn_ref), "vi")
    assert again.reprint and again.printed_at == first
    assert [line.code for line in again.lines] == ["TK.00001"]
    words = receipt_captions("vi")("reprint")
    assert words == "BẢN IN LẠI"
    image = render(again, 576).to_image()
    plain = render(ReceiptBuilder(context).build(BorrowReceipt(session.txn_ref),
                                                         "vi")[0], 576).to_image()
    assert image.height > plain.height  # the mark takes a line


def test_return_receipt_marks_late_and_damaged_items(context):
    _borrow(context)
    context.clock.advance(days=20)
    run = ReturnRun()
    assert Circulation(context).return_code("TK.00001", run, condition="damaged").ok
    [receipt] = ReceiptBuilder(context).build(ReturnReceipt(run.ref), "vi")
    assert receipt.lines[0].late and receipt.lines[0].condition == "damaged"
    assert receipt.patron_name == "Nguyễn Văn An"
    assert _decode_reference(receipt) == [run.ref]
    [reprinted] = ReceiptBuilder(context).build(Reprint(run.ref), "vi")
    assert reprinted.kind == "return" and reprinted.reprint


def test_equipment_slip_carries_the_lesson_and_the_day_summary_counts_it(context):
    lending = EquipmentLending(context)
    teacher = patrons.by_code("GV0012")
    basket = lending.start(teacher, Lesson(context.clock.today(), 2, "6A1", "KHTN", "Tế bào",
                                           session="afternoon"))
    lending.add_scan(basket, "TB.KHTN6.001")
    lending.set_quantity(basket, "KHTN6.OCN", 12)
    lent = lending.confirm(basket)
    [slip] = ReceiptBuilder(context).build(EquipmentSlip(lent.params["ref"]), "vi")
    assert slip.lesson.class_name == "6A1" and [l.quantity for l in slip.lines] == [1, 12]
    assert slip.lesson.period == "2 (chiều)" and slip.lesson.lesson_title == "Tế bào"
    assert _decode_reference(slip) == [basket.txn_ref]
    [summary] = ReceiptBuilder(context).build(DaySummaryReport(context.clock.today()), "vi")
    # pieces, not loan lines: a microscope and 12 test tubes
    assert summary.summary.equipment_borrowed == 13 and summary.summary.patrons == 1
    assert [(c.class_name, c.equipment_borrowed) for c in summary.summary.by_class] == [
        ("6A1", 13)]
    assert len(summary.summary.notes) == 2


def test_receipt_prints_off_the_calling_thread(context, tmp_path):
    held = _HeldBackend(build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    printer, service, results = _queue(context, held)
    session = _borrow(context)
    printer.submit(BorrowReceipt(session.txn_ref))
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
    printer, service, results = _queue(context, backend, timeout_s=3.0)
    session = _borrow(context)
    printer.submit(BorrowReceipt(session.txn_ref))
    ok, txn_ref, message = results.get(timeout=10)
    assert not ok and txn_ref == session.txn_ref and "mã QR" in message
    assert printer.last_result == (False, message)
    service.close()


def test_labels_print_as_one_result(context, tmp_path):
    printer, service, results = _queue(
        context, build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    request = Labels(("TK.00001", "TK.00002", "TK.00003"), kind="book",
                     title="Dế Mèn phiêu lưu ký")
    printer.submit(request)
    assert results.get(timeout=10) == (True, request.ref, "")
    pictures = sorted(tmp_path.glob("*.png"))
    assert len(pictures) == 3
    with Image.open(pictures[0]) as image:
        assert "TK.00001" in [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    service.close()


def test_an_unknown_reference_fails_to_print(context, tmp_path):
    printer, service, results = _queue(
        context, build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    session = _borrow(context)
    printer.submit(Reprint(session.txn_ref))
    summary = DaySummaryReport(context.clock.today())
    printer.submit(summary)
    printer.submit(Reprint("GD-00000000"))
    got = {results.get(timeout=10)[:2] for _ in range(3)}
    assert got == {(True, session.txn_ref), (True, summary.ref), (False, "GD-00000000")}
    service.close()
