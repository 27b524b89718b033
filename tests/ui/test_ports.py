"""The ports' own behaviour: the recording printer, the real print queue behind the flow, the
writer off the calling thread."""
import queue
import threading

from tests.dummy_ports import RecordingPrinter


def test_recording_printer_holds_results_until_complete(context):
    from kiosk.printing import DaySummaryReport

    printer = RecordingPrinter(context, auto_complete=False, fail=True)
    results = []
    printer.on_print_result = lambda *r: results.append(r)
    request = DaySummaryReport(context.clock.today())
    printer.submit(request)
    assert results == []
    printer.complete()
    assert results == [(False, request.ref, "paper out")]
    assert printer.calls[0].receipt.summary.day == context.clock.today()


def test_flow_with_the_real_print_service(flow, tmp_path):
    from kiosk.printing import PrintQueue
    from printers.backends import PrinterSettings, build_backend
    from printers.service import PrintService

    from kiosk.i18n import receipt_captions
    service = PrintService(build_backend(PrinterSettings(kind="preview", path=str(tmp_path))),
                           receipt_captions)
    arrived = queue.Queue()
    printer = PrintQueue(flow.context, service)
    flow.ports.printer = printer
    printer.on_print_result = lambda *r: arrived.put(r)  # the app would Clock-hop this
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.presenter.receipt.state == "printing"
    flow.handle_print_result(*arrived.get(timeout=10))
    assert flow.presenter.receipt.state == "printed"
    assert len(list(tmp_path.glob("*.png"))) == 1
    service.close()


def test_every_write_of_the_flow_runs_on_the_writer_thread(flow, monkeypatch):
    seen = []
    borrow = flow.circulation.borrow

    def spying(*args, **kwargs):
        seen.append(threading.current_thread().name)
        return borrow(*args, **kwargs)

    monkeypatch.setattr(flow.circulation, "borrow", spying)
    flow.scan("0123456789")
    flow.scan("TK.00001")
    assert seen == ["db-writer"] and flow.presenter.borrowed_count == 1
