"""The print queue: off the caller's thread, typed results by a deadline, jobs prepared on the
worker."""
from __future__ import annotations

import threading

import pytest

from printers import samples
from printers.backends import PrinterSettings, build_backend
from printers.errors import PrinterTimeout
from printers.escpos_out import encode_document
from printers.labels import label_document
from printers.service import PrintResult, PrintService
from kiosk.i18n import receipt_captions
from tests.printers.captioned import render


@pytest.fixture
def service_for():
    made: list[PrintService] = []

    def make(settings: PrinterSettings, **kwargs) -> PrintService:
        service = PrintService(build_backend(settings), receipt_captions,
                               width_dots=settings.width_dots, **kwargs)
        made.append(service)
        return service
    yield make
    for service in made:
        service.close(wait_s=0.5)


def test_receipt_is_rendered_and_printed_on_the_worker_thread(service_for, net_printer):
    printer = net_printer("ok")
    service = service_for(PrinterSettings(kind="network", port=printer.port, status_query=False))
    seen: list[tuple[PrintResult, str]] = []
    done = threading.Event()

    def callback(result: PrintResult) -> None:
        seen.append((result, threading.current_thread().name))
        done.set()
    receipt = samples.borrow_receipt()
    future = service.print_receipt(receipt, callback=callback)
    result = future.result(timeout=10)
    assert result.ok and result.error_code == "" and result.reference == receipt.reference
    assert done.wait(10)
    assert seen[0][0] == result and seen[0][1] != threading.current_thread().name
    assert printer.wait_jobs(1)[0] == encode_document(render(receipt, 576))


def test_a_prepared_job_is_built_on_the_worker_and_prints_every_part(service_for, net_printer):
    printer = net_printer("ok")
    service = service_for(PrinterSettings(kind="network", port=printer.port, status_query=False))
    built_on = []
    parts = [samples.return_receipt(), samples.borrow_receipt()]

    def prepare():
        built_on.append(threading.current_thread().name)
        return parts

    result = service.print_prepared(prepare, "TR-1").result(timeout=10)
    assert result.ok and result.reference == "TR-1" and built_on == ["print-worker"]
    # One connection a part; the fake may see two closing connections in either order.
    assert sorted(printer.wait_jobs(2)) == sorted(encode_document(render(part, 576))
                                                  for part in parts)


def test_a_prepared_job_with_nothing_to_print_fails(service_for, tmp_path):
    service = service_for(PrinterSettings(kind="preview", path=str(tmp_path)))
    result = service.print_prepared(lambda: [], "GD-NOPE").result(timeout=5)
    assert not result.ok and result.reference == "GD-NOPE"
    assert list(tmp_path.glob("*.png")) == []


def test_failure_is_a_typed_result_with_the_reference_for_the_screen(service_for, closed_port):
    service = service_for(PrinterSettings(kind="network", port=closed_port, timeout_s=2))
    receipt = samples.borrow_receipt()
    result = service.print_receipt(receipt).result(timeout=10)
    assert not result.ok
    assert result.error_code == "unavailable" and result.message_key == "printer.unavailable"
    assert result.reference == receipt.reference  # the screen shows this as a QR code


def test_a_stalled_printer_gives_a_timeout_by_the_deadline(service_for, net_printer):
    """The backend would wait 30 s for the stalled listener; the caller hears at the deadline,
    and a job queued behind the stuck one also gets its answer."""
    printer = net_printer("stall")
    service = service_for(PrinterSettings(kind="network", port=printer.port, timeout_s=30,
                                          status_query=False), timeout_s=0.5)
    big = samples.borrow_receipt(items=60)
    first = service.print_receipt(big)
    second = service.print_receipt(samples.return_receipt())
    for future in (first, second):
        result = future.result(timeout=10)
        assert not result.ok and result.error_code == PrinterTimeout.code
        assert result.message_key == "printer.timeout"


def test_paper_out_result(service_for, net_printer):
    printer = net_printer("paper_out")
    service = service_for(PrinterSettings(kind="network", port=printer.port, timeout_s=5))
    result = service.print_receipt(samples.borrow_receipt()).result(timeout=10)
    assert (result.ok, result.error_code) == (False, "paper_out")


def test_labels_print_through_the_same_queue(service_for, tmp_path):
    service = service_for(PrinterSettings(kind="file", path=str(tmp_path / "lp0"), width_dots=384))
    document = label_document(samples.book_labels()[0], 384)
    result = service.print_document(document, "TN.00012").result(timeout=10)
    assert result.ok
    assert (tmp_path / "lp0").read_bytes() == encode_document(document)


def test_a_closed_service_refuses_politely(service_for, tmp_path):
    service = service_for(PrinterSettings(kind="preview", path=str(tmp_path)))
    service.close()
    result = service.print_receipt(samples.return_receipt()).result(timeout=1)
    assert not result.ok and result.error_code == "unavailable"
