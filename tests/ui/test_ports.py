"""The ports' own behaviour: a blocking printer behind a worker thread, the outbox status."""
import threading
import time

from kiosk.presenters.ports import BackgroundReceiptSink, MemoryReceiptSink


def test_background_sink_returns_at_once_and_reports_later():
    release = threading.Event()
    results = []
    done = threading.Event()

    def slow_printer(kind, txn_ref, loans, patron, extra):
        release.wait(5)
        if txn_ref == "GD-BAD":
            raise OSError("paper out")

    sink = BackgroundReceiptSink(slow_printer)
    sink.on_print_result = lambda ok, ref, msg: (results.append((ok, ref, msg)),
                                                 done.set() if len(results) == 2 else None)
    started = time.perf_counter()
    sink.print_receipt("borrow", "GD-OK", [], None, {})
    sink.print_receipt("borrow", "GD-BAD", [], None, {})
    assert time.perf_counter() - started < 0.05  # the UI thread never waits for paper
    assert results == []
    release.set()
    assert done.wait(5)
    assert results == [(True, "GD-OK", ""), (False, "GD-BAD", "paper out")]
    sink.close()


def test_memory_sink_holds_results_until_complete():
    sink = MemoryReceiptSink(auto_complete=False, fail=True)
    results = []
    sink.on_print_result = lambda *r: results.append(r)
    sink.print_receipt("return", "TR-1", [], None, {})
    assert results == []
    sink.complete()
    assert results == [(False, "TR-1", "paper out")]


def test_flow_with_a_background_sink(flow, receipts):
    import queue
    arrived = queue.Queue()
    sink = BackgroundReceiptSink(lambda *a: None)
    flow.ports.receipts = sink
    sink.on_print_result = lambda *r: arrived.put(r)  # the app would Clock-hop this
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    assert flow.presenter.receipt.state == "printing"
    flow.handle_print_result(*arrived.get(timeout=5))
    assert flow.presenter.receipt.state == "printed"
    sink.close()
