"""``kiosk print-test`` and the print service the composition root builds from ``[printer]``."""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, config_from_dict
from kiosk.i18n import set_language
from kiosk.runtime import build_print_service, printer_settings
from printers.backends import EscposBackend, NoPrinter, PreviewBackend
from printers.settings import PrinterSettings


@pytest.fixture(autouse=True)
def vietnamese():
    set_language("vi")
    yield
    set_language("vi")


def _config(tmp_path: Path, printer: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "HY-001"\nname = "Trường THCS Lê Quý Đôn"\n\n[printer]\n'
                    + printer, encoding="utf-8")
    return path


def test_print_test_on_the_preview_printer(tmp_path, capsys):
    config = _config(tmp_path, 'kind = "preview"\npath = "out"\n')
    assert main(["print-test", "--config", str(config)]) == 0
    files = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert len(files) == 2 and "borrow" in files[0] and "label-TK.00003" in files[1]
    out = capsys.readouterr().out
    assert "Phiếu mẫu: đã in" in out and "Nhãn mẫu: đã in" in out


def test_print_test_on_a_network_printer(tmp_path, net_printer, capsys):
    printer = net_printer("ok")
    config = _config(tmp_path, f'kind = "network"\nport = {printer.port}\nwidth_dots = 384\n')
    assert main(["--lang", "en", "print-test", "--no-label", "--config", str(config)]) == 0
    (job,) = printer.wait_jobs(1)
    assert b"\x1dv0" in job and b"MS-20261126-0042" in job
    assert "Sample receipt: printed" in capsys.readouterr().out


def test_print_test_without_a_printer_fails_with_a_sentence(tmp_path, closed_port, capsys):
    config = _config(tmp_path, f'kind = "network"\nport = {closed_port}\ntimeout_s = 2\n')
    assert main(["print-test", "--config", str(config)]) == 1
    assert "không in được [unavailable]" in capsys.readouterr().out


def test_print_test_with_a_bad_config(tmp_path, capsys):
    config = _config(tmp_path, 'kind = "laser"\n')
    assert main(["print-test", "--config", str(config)]) == 2
    assert "printer.kind" in capsys.readouterr().err


def _cfg(printer: dict):
    return config_from_dict({"school": {"code": "X", "name": "Trường X"}, "printer": printer},
                            source="/etc/kiosk/kiosk.toml")


def test_build_printer_picks_the_backend():
    for printer, kind in [({"kind": "preview"}, PreviewBackend), ({"kind": "none"}, NoPrinter),
                          ({"kind": "network", "host": "10.0.0.9"}, EscposBackend),
                          ({"kind": "serial", "port": "/dev/ttyUSB0"}, EscposBackend),
                          ({"kind": "usb", "vendor_id": 0x0416, "product_id": 0x5011},
                           EscposBackend),
                          ({"kind": "file", "path": "/dev/usb/lp0"}, EscposBackend)]:
        service = build_print_service(_cfg(printer))
        try:
            assert isinstance(service.backend, kind)
        finally:
            service.close()


def test_printer_section_is_read_into_the_printers_own_settings():
    config = _cfg({"kind": "preview", "path": "receipts", "width_dots": 384, "mode": "text",
                   "codepage_table": 30, "status_query": False, "native_qr": False})
    assert isinstance(config.printer, PrinterSettings)
    settings = printer_settings(config)
    assert settings.path == "/etc/kiosk/receipts"
    assert (settings.width_dots, settings.mode, settings.codepage_table, settings.status_query,
            settings.native_qr) == (384, "text", 30, False, False)


def test_text_mode_needs_cp1258():
    with pytest.raises(ConfigError):
        _cfg({"mode": "text", "codepage": "CP437"})
