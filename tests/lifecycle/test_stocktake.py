"""A stock-take over a generated store with known missing, misplaced and unknown items, killed
mid-way and resumed; its status lists, corrections and biên bản values checked."""
import os
import signal
import subprocess
import sys
from datetime import datetime

import openpyxl
import pytest

from kiosk import PROJECT_ROOT
from db.models import Copy, EquipmentType, Incident, Journal, Outbox, StocktakeScan, Title
from kiosk.minutes.model import build_minutes
from kiosk.minutes.pdf import write_minutes_pdf
from kiosk.minutes.xlsx import write_minutes_xlsx
from kiosk.services.circulation import Circulation
from kiosk.services.stocktake import StocktakeService, read_codes

STORE = 600  # copies in TK beyond the small school's


@pytest.fixture
def store(context):
    """TK.00101..TK.00700 at 20,000 đồng each; TK.00101-00110 will be missing, two on loan."""
    now = datetime(2026, 11, 26)
    with context.db.atomic():
        title = Title.create(title="Sách tham khảo", search_key="sach tham khao", price=20000,
                             updated_at=now)
        Copy.insert_many([{"barcode": f"TK.{n:05d}", "title": title.id, "store": "TK",
                           "updated_at": now} for n in range(101, 101 + STORE)]).execute()
    circulation = Circulation(context)
    session = circulation.start_session("0123456789")
    for code in ("TK.00111", "TK.00112"):
        assert circulation.borrow(session, code).ok
    return context


def _files(folder, codes, per_file=5):
    folder.mkdir()
    for start in range(0, len(codes), per_file):
        (folder / f"batch-{start // per_file:03d}.txt").write_text(
            "\n".join(codes[start:start + per_file]) + "\n")
    return sorted(folder.glob("*.txt"))


def test_a_killed_stocktake_resumes_and_its_minutes_add_up(store, tmp_path):
    context = store
    service = StocktakeService(context)
    started = service.start("CB0001", "book", store="TK",
                            committee=[("Đỗ Minh Thư", "thủ thư"), ("Lê Hùng", "phó hiệu trưởng")])
    take_id = started.params["stocktake_id"]
    # On the shelves: everything in TK but 10 missing, the 2 on loan, the lost TK.00010, and
    # TK.00009 (reference, still on its shelf) seen; plus 2 from GK, 3 unknown, 5 scanned twice.
    # TK.00700 is scanned at the kiosk instead, seen damaged.
    present = ([f"TK.{n:05d}" for n in range(1, 6)] + ["TK.00009", "TK.00010"]
               + [f"TK.{n:05d}" for n in range(113, 100 + STORE)])
    codes = present + ["GK.00001", "GK.00001", "XX.99999", "TK.99999", "=HYPERLINK(1)"] \
        + present[:4]
    files = _files(tmp_path / "batches", codes)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    worker = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "tests/lifecycle/stocktake_worker.py"),
         context.config.database.path, str(take_id), str(tmp_path / "batches")],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, env=env)
    assert worker.stdout.readline() == b"running\n"
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    # Each load is whole: every committed load has all its codes, no more.
    loaded = {row[0]: row[1] for row in context.db.execute_sql(
        "SELECT id, codes FROM stocktake_load WHERE stocktake_id = ?", (take_id,))}
    assert len(loaded) >= 2
    for load_id, count in loaded.items():
        assert StocktakeScan.select().where(StocktakeScan.load == load_id).count() == count
    assert len(loaded) < len(files), "the worker finished before it was killed"
    # Resume: load every file again; those already in are refused, the rest go in.
    outcomes = [service.load(take_id, path) for path in files]
    assert sum(o.code == "file_already_loaded" for o in outcomes) == len(loaded)
    assert all(o.ok for o in outcomes if o.code != "file_already_loaded")
    assert StocktakeScan.select().count() == len(codes)
    # Scans at the kiosk: one seen damaged, one scanned again.
    assert service.scan(take_id, "TK.00700", damaged=True).code == "stocktake_found"
    assert service.scan(take_id, "TK.00003").code == "stocktake_duplicate"

    progress = service.progress(take_id)
    assert progress.expected == 7 + STORE  # TK.00001-05, 09 (reference), 10 (lost) + the store
    assert len(progress.found) == len(present) + 1
    assert sorted(e.code for e in progress.on_loan) == ["TK.00111", "TK.00112"]
    assert sorted(e.code for e in progress.not_seen) == [f"TK.{n:05d}" for n in range(101, 111)]
    assert progress.misplaced == ["GK.00001"]
    assert sorted(progress.unknown) == ["=HYPERLINK(1)", "TK.99999", "XX.99999"]
    assert progress.duplicates == 4 + 1 + 1  # four re-scanned, GK twice, one at the kiosk
    assert progress.damaged == 1

    finished = service.finish(take_id, "CB0001")
    assert finished.ok
    assert service.scan(take_id, "TK.00001").code == "stocktake_closed"
    p = finished.params
    # 594 seen + 2 on loan are đủ; TK.00101-110 thiếu; TK.00700 hỏng.
    assert (p["ok"], p["missing"], p["damaged"], p["lost"], p["unchecked"]) == \
        (596, 10, 1, 0, 0)
    # The corrections: not seen -> lost (with an incident); TK.00010 seen -> lendable again;
    # TK.00700 kept apart as damaged.
    assert Copy.get(Copy.barcode == "TK.00101").status == "lost"
    assert Copy.get(Copy.barcode == "TK.00010").status == "available"
    assert Copy.get(Copy.barcode == "TK.00700").status == "damaged"
    assert Incident.select().where(Incident.kind == "missing").count() == 10
    assert Outbox.select().where(Outbox.type == "item.updated").count() == 12
    assert Journal.select().where(Journal.action == "stocktake_finish").count() == 1

    minutes = build_minutes(service, take_id, place="Hưng Yên")
    assert minutes.total == 607
    assert minutes.missing_value == 200000  # ten copies at 20.000 đồng
    assert minutes.values["damaged"] == 20000
    assert f"{minutes.good_percent:.1f}" == "98.2"  # 596 / 607
    assert [line.code for line in minutes.lines][:2] == ["TK.00101", "TK.00102"]
    assert [m["name"] for m in minutes.committee] == ["Đỗ Minh Thư", "Lê Hùng"]
    xlsx = write_minutes_xlsx(minutes, tmp_path / "bb.xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "BIÊN BẢN KIỂM KÊ" in cells and "Thiếu" in cells and 596 in cells
    unknown_line = next(c for c in cells if isinstance(c, str) and "HYPERLINK" in c)
    assert unknown_line.startswith("Mã không có trong sổ")  # text, never a formula
    pdf = write_minutes_pdf(minutes, tmp_path / "bb.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "BIÊN BẢN KIỂM KÊ" in text and "Hiệu trưởng" in text
    assert "Giá trị thiếu, mất: 200.000 đồng" in text and "Tỉ lệ còn tốt: 98,2%" in text


def test_counted_stock_is_counted_and_corrected(context):
    service = StocktakeService(context)
    take_id = service.start("CB0001", "equipment").params["stocktake_id"]
    assert service.count(take_id, "KHTN6.OCN", 31).code == "count_above_register"
    assert service.count(take_id, "KHTN6.OCN", 25, 2).ok
    assert service.scan(take_id, "TB.KHTN6.001").ok
    finished = service.finish(take_id, "CB0001", confirm=("counts",))
    p = finished.params
    # 25 good, 2 damaged, 3 short; the two labelled items not seen stay unchecked.
    assert (p["ok"], p["damaged"], p["missing"], p["unchecked"]) == (26, 2, 3, 2)
    kind = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (kind.stock_total, kind.stock_on_hand, kind.stock_damaged, kind.stock_missing) == \
        (30, 25, 2, 3)


def test_batch_files_of_every_shape(tmp_path):
    assert read_codes(b"TK.00001\r\nTK.00002\n\n") == ["TK.00001", "TK.00002"]
    assert read_codes("Mã\nTK.00001\n".encode()) == ["TK.00001"]
    assert read_codes(b"\xef\xbb\xbfSTT;Ma vach;Ten\n1;TK.00001;A\n2;TK.00002;B\n") == \
        ["TK.00001", "TK.00002"]
    assert read_codes(b"TK.00001,2026-11-26 09:00\nTK.00002,2026-11-26 09:01\n") == \
        ["TK.00001", "TK.00002"]


def test_bad_files_change_nothing(context, tmp_path):
    service = StocktakeService(context)
    take_id = service.start("CB0001", "book", store="TK").params["stocktake_id"]
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\x00" * 100)
    assert service.load(take_id, binary).code == "file_not_codes"
    assert service.load(take_id, tmp_path / "absent.txt").code == "file_unreadable"
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    assert service.load(take_id, empty).code == "file_no_codes"
    assert StocktakeScan.select().count() == 0
