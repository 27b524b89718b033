"""The ports' own behaviour: a blocking printer behind a worker thread, the outbox status."""
from kiosk.presenters.ports import MemoryReceiptSink


def test_memory_sink_holds_results_until_complete():
    sink = MemoryReceiptSink(auto_complete=False, fail=True)
    results = []
    sink.on_print_result = lambda *r: results.append(r)
    sink.print_receipt("return", "TR-1", [], None, {})
    assert results == []
    sink.complete()
    assert results == [(False, "TR-1", "paper out")]


def test_flow_with_the_real_print_service(flow, tmp_path):
    import queue

    from kiosk.receipt_sink import PrinterReceiptSink
    from printers.backends import PrinterSettings, build_backend
    from printers.service import PrintService

    service = PrintService(build_backend(PrinterSettings(kind="preview", path=str(tmp_path))))
    arrived = queue.Queue()
    sink = PrinterReceiptSink(flow.context, service)
    flow.ports.receipts = sink
    sink.on_print_result = lambda *r: arrived.put(r)  # the app would Clock-hop this
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.presenter.receipt.state == "printing"
    flow.handle_print_result(*arrived.get(timeout=10))
    assert flow.presenter.receipt.state == "printed"
    assert len(list(tmp_path.glob("*.png"))) == 1
    service.close()
