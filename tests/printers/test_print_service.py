"""The print queue: off the caller's thread, typed results by a deadline, reprint."""
from __future__ import annotations

import threading

import pytest

from printers import samples
from printers.backends import PrinterSettings, build_backend
from printers.errors import PrinterTimeout
from printers.escpos_out import encode_document
from printers.labels import label_document
from printers.render import render_receipt
from printers.service import PrintResult, PrintService


@pytest.fixture
def service_for():
    made: list[PrintService] = []

    def make(settings: PrinterSettings, **kwargs) -> PrintService:
        service = PrintService(build_backend(settings), width_dots=settings.width_dots, **kwargs)
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
    assert printer.wait_jobs(1)[0] == encode_document(render_receipt(receipt, 576))


def test_reprint_sends_the_same_job_again(service_for, net_printer):
    printer = net_printer("ok")
    service = service_for(PrinterSettings(kind="network", port=printer.port, status_query=False))
    first = service.print_receipt(samples.return_receipt()).result(timeout=10)
    again = service.reprint(first.job_id).result(timeout=10)
    assert again.ok and again.job_id != first.job_id and again.reference == first.reference
    one, two = printer.wait_jobs(2)
    assert one == two
    assert service.recent()[0] == (again.job_id, first.reference)


def test_reprint_of_an_unknown_job_is_a_failed_result(service_for, tmp_path):
    service = service_for(PrinterSettings(kind="preview", path=str(tmp_path)))
    result = service.reprint("J99999").result(timeout=1)
    assert not result.ok and result.error_code == "unknown_job"


def test_only_the_last_jobs_are_kept(service_for, tmp_path):
    service = service_for(PrinterSettings(kind="preview", path=str(tmp_path)), keep=2)
    ids = [service.print_receipt(samples.return_receipt()).result(timeout=10).job_id
           for _ in range(3)]
    assert [job for job, _ref in service.recent()] == ids[:0:-1]
    assert service.reprint(ids[0]).result(timeout=1).error_code == "unknown_job"


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
