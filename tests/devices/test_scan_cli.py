"""``kiosk scan-test`` with a serial scanner on a pty and a camera on a video file, and the
wiring from config to sources."""
import os
import subprocess
import sys
import threading
import time
import tty

from devices.stream_source import LineStreamSource
from kiosk.cli import main
from kiosk.config import config_from_dict
from kiosk.scanners import build_sources, build_wedge
from scanhelpers import BOOK, ISBN, ROOT, presentation_video

SCHOOL = '[school]\ncode = "79000001"\nname = "THCS Nguyễn Du"\n'


def test_build_sources_from_config(tmp_path):
    config = config_from_dict({
        "school": {"code": "1", "name": "A"},
        "scanner": [
            {"kind": "keyboard", "max_key_gap_ms": 30, "suffix": "tab", "min_length": 6},
            {"kind": "serial", "port": "/dev/ttyACM0", "baudrate": 115200, "terminator": "\r"},
            {"kind": "camera", "device": 0, "decoder": "pyzbar", "symbologies": ["ean13"],
             "roi": [0.25, 0.25, 0.5, 0.5], "max_width": 480, "gone_after_s": 0.5},
            {"kind": "evdev", "name": "Honeywell Scanner"},
        ]})
    sources = build_sources(config.scanner, 40)
    assert [type(s).__name__ for s in sources] == ["SerialSource", "CameraSource",
                                                  "EvdevSource"]
    serial_source, camera, evdev_source = sources
    assert serial_source.baudrate == 115200 and serial_source.max_length == 40
    assert camera.pipeline.decoder.name == "pyzbar"
    assert camera.pipeline.decoder.symbologies == ("ean13",)
    assert camera.pipeline.roi == (0.25, 0.25, 0.5, 0.5) and camera.pipeline.max_width == 480
    assert evdev_source.name == "evdev:Honeywell Scanner"
    wedge = build_wedge(config.scanner[0])
    assert (wedge.max_key_gap, wedge.min_length, wedge.suffix_keys) == (0.03, 6, ("\t",))
    with_stdin = build_sources(config.scanner, keyboard_fd=0)
    assert isinstance(with_stdin[0], LineStreamSource)


def test_camera_defaults_and_choices():
    config = config_from_dict({
        "school": {"code": "1", "name": "A"},
        "scanner": [{"kind": "camera"},
                    {"kind": "camera", "decoder": "zxing", "confirm_frames": 3,
                     "confirm_window_s": 0.5}]})
    default, chosen = build_sources(config.scanner)
    assert default.pipeline.decoder.name == "zxing+pyzbar"
    assert default.pipeline.decoder.symbologies == ("code128", "ean13", "qrcode", "code39")
    assert (default.confirmer.frames, default.confirmer.window_s) == (2, 1.0)
    assert chosen.pipeline.decoder.name == "zxing"
    assert (chosen.confirmer.frames, chosen.confirmer.window_s) == (3, 0.5)


def test_bad_scanner_config_names_the_key():
    import pytest

    from kiosk.config import ConfigError

    with pytest.raises(ConfigError, match=r"scanner\[0\].roi"):
        config_from_dict({"school": {"code": "1", "name": "A"},
                          "scanner": [{"kind": "camera", "roi": [0.5, 0.5, 0.8, 0.2]}]})
    with pytest.raises(ConfigError, match=r"scanner\[0\].symbologies"):
        config_from_dict({"school": {"code": "1", "name": "A"},
                          "scanner": [{"kind": "camera", "symbologies": ["morse"]}]})
    with pytest.raises(ConfigError, match=r"scanner\[0\].decoder"):
        config_from_dict({"school": {"code": "1", "name": "A"},
                          "scanner": [{"kind": "camera", "decoder": "opencv"}]})
    for bad in ({"confirm_frames": 0}, {"confirm_window_s": 0}, {"confirm_frames": 11}):
        with pytest.raises(ConfigError, match=r"scanner\[0\].*confirm"):
            config_from_dict({"school": {"code": "1", "name": "A"},
                              "scanner": [{"kind": "camera", **bad}]})


def test_scan_test_with_serial_pty_and_camera_video(tmp_path, capsys):
    video = presentation_video(tmp_path / "labels.avi")
    master, slave = os.openpty()
    tty.setraw(slave)
    port = os.ttyname(slave)
    config = tmp_path / "kiosk.toml"
    config.write_text(SCHOOL + f'''
[[scanner]]
kind = "serial"
port = "{port}"
baudrate = 9600

[[scanner]]
kind = "camera"
device = "{video}"
gone_after_s = 0.15
''', encoding="utf-8")

    def scanner():
        time.sleep(0.8)
        os.write(master, b"GV0012\r\n")
        time.sleep(0.3)
        os.write(master, b"0123456789\r\n")

    writer = threading.Thread(target=scanner)
    writer.start()
    try:
        status = main(["--lang", "en", "scan-test", "--config", str(config), "--seconds", "4"])
    finally:
        writer.join()
        os.close(master)
        os.close(slave)
    out = capsys.readouterr().out
    assert status == 0
    lines = [line.split() for line in out.splitlines() if "latency" in line]
    seen = [(fields[2], fields[3], fields[4]) for fields in lines]
    serial_lines = [s for s in seen if s[0] == f"serial:{port}"]
    camera_lines = [s for s in seen if s[0] == f"camera:{video}"]
    assert serial_lines == [(f"serial:{port}", "-", "GV0012"),
                            (f"serial:{port}", "-", "0123456789")]
    assert [(s[1], s[2]) for s in camera_lines] == [
        ("code128", BOOK), ("ean13", ISBN), ("code128", BOOK)]
    assert "5 codes in" in out


def test_scan_test_command_reads_stdin_lines(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(SCHOOL + '[[scanner]]\nkind = "keyboard"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "scan-test", "--config", str(config), "--count", "2"],
        input="TK.00003\nab\n9786041234567\nNEVER\n", capture_output=True, text=True,
        cwd=ROOT, timeout=60, env={**os.environ, "KIOSK_LANG": "vi"})
    assert result.returncode == 0, result.stderr
    codes = [line.split()[4] for line in result.stdout.splitlines() if "trễ" in line]
    assert codes == ["TK.00003", "9786041234567"]
    assert "Đã nhận 2 mã" in result.stdout


def test_scan_test_without_config_says_so(capsys, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert main(["--lang", "en", "scan-test"]) == 2
    assert "Config error" in capsys.readouterr().err


def test_scan_test_says_what_each_code_is(tmp_path, context):
    config = tmp_path / "scan.toml"
    config.write_text(SCHOOL + f'[database]\npath = "{context.db.database}"\n'
                      '[[scanner]]\nkind = "keyboard"\n', encoding="utf-8")
    codes = ["0123456789", "GV0012", "CB0001", "TK.00001", "TB.KHTN6.001", "KHTN6.OCN",
             "9786042000017", "ZZZZ-1", "0999999999"]
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "scan-test", "--config", str(config), "--count",
         str(len(codes))], input="\n".join(codes) + "\n", capture_output=True, text=True,
        cwd=ROOT, timeout=60, env={**os.environ, "KIOSK_LANG": "vi"})
    assert result.returncode == 0, result.stderr
    what = {line.split()[4]: line.split("→ ", 1)[1] for line in result.stdout.splitlines()
            if "→" in line}
    assert what == {
        "0123456789": "thẻ học sinh: Nguyễn Văn An, lớp 6A1",
        "GV0012": "thẻ giáo viên: Phạm Thu Hà",
        "CB0001": "thẻ nhân viên: Đỗ Minh Thư",
        "TK.00001": "sách: Dế Mèn phiêu lưu ký",
        "TB.KHTN6.001": "thiết bị: Kính hiển vi quang học",
        "KHTN6.OCN": "thiết bị: Ống nghiệm",
        "9786042000017": "ISBN của sách: Dế Mèn phiêu lưu ký",
        "ZZZZ-1": "không rõ: mã không có trong cơ sở dữ liệu và không giống loại mã nào đã "
                  "cấu hình",
        "0999999999": "không rõ: chưa có trong cơ sở dữ liệu, có dạng mã thẻ học sinh",
    }


def test_scan_test_without_a_database_tells_by_the_code_patterns(tmp_path):
    config = tmp_path / "scan.toml"
    config.write_text(SCHOOL + f'[database]\npath = "{tmp_path}/none.sqlite3"\n'
                      '[[scanner]]\nkind = "keyboard"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "scan-test", "--config", str(config), "--count", "2"],
        input="TK.00003\nGV0012\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "KIOSK_LANG": "en"})
    assert "→ book code (by its shape" in result.stdout
    assert "→ teacher card code (by its shape" in result.stdout
    assert not (tmp_path / "none.sqlite3").exists()
