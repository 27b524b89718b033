"""Backends against real transports: a TCP listener, a pty, files; and how they fail."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from printers import samples
from printers.backends import PAPER_STATUS, PrinterSettings, PrintJob, build_backend
from printers.document import Bitmap, Document
from printers.errors import (PaperOut, PrinterConfigError, PrinterDisconnected, PrinterTimeout,
                             PrinterUnavailable)
from printers.escpos_out import encode_document

from printer_fakes import PAPER_END
from kiosk.i18n import receipt_captions
from tests.printers.captioned import render


def _job(width: int = 576) -> PrintJob:
    receipt = samples.borrow_receipt()
    return PrintJob(render(receipt, width), receipt, receipt_captions(receipt.lang))


def _big_job() -> PrintJob:
    """A job far larger than any socket or tty buffer: 576 x 3000 dots of black."""
    return PrintJob(Document(576, (Bitmap(Image.new("1", (576, 3000), 0)),), name="big"))


def _wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.01)


def test_network_printer_receives_the_exact_bytes(net_printer):
    printer = net_printer("ok")
    backend = build_backend(PrinterSettings(kind="network", port=printer.port, timeout_s=5))
    job = _job()
    assert backend.send(job) == f"127.0.0.1:{printer.port}"
    (received,) = printer.wait_jobs(1)
    assert received == PAPER_STATUS + encode_document(job.document)


def test_network_printer_that_never_answers_status_still_prints(net_printer):
    printer = net_printer("silent")
    backend = build_backend(PrinterSettings(kind="network", port=printer.port, timeout_s=5,
                                            status_timeout_s=0.1))
    job = _job(384)
    backend.send(job)
    assert printer.wait_jobs(1)[0].endswith(encode_document(job.document))


def test_status_query_can_be_switched_off(net_printer):
    printer = net_printer("ok")
    backend = build_backend(PrinterSettings(kind="network", port=printer.port,
                                            status_query=False))
    job = _job()
    backend.send(job)
    assert printer.wait_jobs(1)[0] == encode_document(job.document)


def test_paper_out_where_the_printer_says_so(net_printer):
    printer = net_printer("paper_out")
    backend = build_backend(PrinterSettings(kind="network", port=printer.port, timeout_s=5))
    with pytest.raises(PaperOut) as caught:
        backend.send(_job())
    assert caught.value.message_key == "printer.paper_out"
    # Nothing but the query went out.
    assert printer.wait_jobs(1)[0] == PAPER_STATUS


def test_closed_port_is_unavailable(closed_port):
    backend = build_backend(PrinterSettings(kind="network", port=closed_port, timeout_s=2))
    with pytest.raises(PrinterUnavailable):
        backend.send(_job())


def test_listener_that_stalls_is_a_timeout(net_printer):
    printer = net_printer("stall")
    backend = build_backend(PrinterSettings(kind="network", port=printer.port, timeout_s=0.5,
                                            status_query=False))
    with pytest.raises(PrinterTimeout):
        backend.send(_big_job())


def test_network_printer_unplugged_mid_job(net_printer):
    printer = net_printer("unplug", unplug_after=4096)
    backend = build_backend(PrinterSettings(kind="network", port=printer.port, timeout_s=5,
                                            status_query=False))
    with pytest.raises(PrinterDisconnected):
        backend.send(_big_job())


def test_serial_printer_over_a_pty(pty_printer):
    printer = pty_printer()
    backend = build_backend(PrinterSettings(kind="serial", port=printer.path, baudrate=115200,
                                            timeout_s=5))
    job = _job(384)
    backend.send(job)
    expected = PAPER_STATUS + encode_document(job.document)
    _wait_for(lambda: len(printer.received) >= len(expected))
    assert bytes(printer.received) == expected


def test_serial_paper_out(pty_printer):
    printer = pty_printer(paper=PAPER_END)
    backend = build_backend(PrinterSettings(kind="serial", port=printer.path, timeout_s=5))
    with pytest.raises(PaperOut):
        backend.send(_job())


def test_serial_printer_that_stops_reading_is_a_timeout(pty_printer):
    printer = pty_printer(read=False)
    backend = build_backend(PrinterSettings(kind="serial", port=printer.path, timeout_s=0.5,
                                            status_query=False))
    with pytest.raises(PrinterTimeout):
        backend.send(_big_job())


def test_serial_printer_unplugged_mid_job(pty_printer):
    printer = pty_printer(unplug_after=4096)
    backend = build_backend(PrinterSettings(kind="serial", port=printer.path, timeout_s=5,
                                            status_query=False))
    with pytest.raises(PrinterDisconnected):
        backend.send(_big_job())
    assert len(printer.received) >= 4096


def test_missing_serial_device_is_unavailable(tmp_path):
    backend = build_backend(PrinterSettings(kind="serial", port=str(tmp_path / "ttyUSB9")))
    with pytest.raises(PrinterUnavailable):
        backend.send(_job())


def test_file_backend_writes_the_escpos_bytes(tmp_path):
    path = tmp_path / "receipt.bin"
    backend = build_backend(PrinterSettings(kind="file", path=str(path)))
    job = _job()
    backend.send(job)
    assert path.read_bytes() == encode_document(job.document)


def test_file_backend_to_a_missing_folder_is_unavailable(tmp_path):
    backend = build_backend(PrinterSettings(kind="file", path=str(tmp_path / "no" / "lp0")))
    with pytest.raises(PrinterUnavailable):
        backend.send(_job())


def test_text_mode_sends_cp1258_text(tmp_path):
    path = tmp_path / "receipt.bin"
    backend = build_backend(PrinterSettings(kind="file", path=str(path), mode="text",
                                            codepage_table=30))
    backend.send(_job())
    data = path.read_bytes()
    assert data.startswith(b"\x1b@\x1bt\x1e")
    assert b"Nguy\xea\xden" in data  # "Nguyễn": ê then a combining tilde


def test_preview_backend_writes_a_png(tmp_path):
    backend = build_backend(PrinterSettings(kind="preview", path=str(tmp_path / "pv")))
    job = _job(384)
    where = Path(backend.send(job))
    assert where.parent == tmp_path / "pv" and where.suffix == ".png"
    with Image.open(where) as image:
        assert image.size == job.document.to_image().size


def test_no_printer_is_unavailable():
    with pytest.raises(PrinterUnavailable):
        build_backend(PrinterSettings(kind="none")).send(_job())


def test_usb_printer_not_plugged_in_is_unavailable():
    backend = build_backend(PrinterSettings(kind="usb", vendor_id=0x0416, product_id=0x5011,
                                            timeout_s=1))
    with pytest.raises(PrinterUnavailable):
        backend.send(_job())


@pytest.mark.parametrize("settings", [PrinterSettings(kind="bluetooth"),
                                      PrinterSettings(kind="usb"),
                                      PrinterSettings(kind="serial", port=""),
                                      PrinterSettings(mode="braille")])
def test_bad_settings_are_config_errors(settings):
    with pytest.raises(PrinterConfigError):
        build_backend(settings)
