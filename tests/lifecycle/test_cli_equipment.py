"""The CLI speaks equipment: a lesson checkout with quantities, a partial return with a
condition, the lesson required; stock-take and withdrawal commands in the translated help."""
import subprocess
import sys

import pytest

from db.models import EquipmentItem, EquipmentType, Lesson, Loan
from kiosk import PROJECT_ROOT


@pytest.fixture
def kiosk(context, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[school]\ncode = "HY"\nname = "T"\nkiosk_id = "kiosk-1"\n'
                      f'[database]\npath = "{context.config.database.path}"\n')

    def run(*args, lang="vi"):
        return subprocess.run([sys.executable, "-m", "kiosk", *args, "--config", str(config),
                               "--lang", lang], cwd=PROJECT_ROOT, capture_output=True,
                              text=True)
    return run


def test_borrow_and_return_equipment_from_the_terminal(kiosk):
    refused = kiosk("borrow", "GV0012", "TB.KHTN6.001")
    assert refused.returncode == 1 and "tiết" in refused.stdout and Loan.select().count() == 0
    lent = kiosk("borrow", "GV0012", "TB.KHTN6.001", "KHTN6.OCN", "--quantity", "KHTN6.OCN=3",
                 "--class", "6A1", "--session", "afternoon", "--period", "2", "--subject",
                 "KHTN", "--lesson", "Bài 5: Kính hiển vi")
    assert lent.returncode == 0, lent.stdout + lent.stderr
    lesson = Lesson.get()
    assert (lesson.class_name, lesson.session, lesson.period, lesson.title) == (
        "6A1", "afternoon", 2, "Bài 5: Kính hiển vi")
    assert [loan.quantity for loan in Loan.select().order_by(Loan.id)] == [1, 3]
    back = kiosk("return", "TB.KHTN6.001", "KHTN6.OCN", "--quantity", "KHTN6.OCN=2",
                 "--condition", "TB.KHTN6.001=damaged", "--note", "TB.KHTN6.001=nứt gương",
                 "--by", "GV0012")
    assert back.returncode == 0, back.stdout + back.stderr
    assert "đã trả 2/3, còn 1" in back.stdout
    item = EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001")
    assert item.status == "damaged"
    stock_loan = Loan.get(Loan.equipment_type.is_null(False))
    assert stock_loan.returned_at is None and stock_loan.returned_good == 2
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_on_hand == 29
    split = kiosk("return", "KHTN6.OCN", "--split", "KHTN6.OCN=missing:1", "--by", "GV0012")
    assert split.returncode == 0 and Loan.get_by_id(stock_loan.id).returned_missing == 1
    lost = kiosk("lost", "TB.KHTN6.002", "--staff", "CB0001")
    assert lost.returncode == 1 and "không" in lost.stdout.lower()


def test_help_names_the_new_commands_in_both_languages(kiosk):
    vi = subprocess.run([sys.executable, "-m", "kiosk", "--help"], cwd=PROJECT_ROOT,
                        capture_output=True, text=True).stdout
    assert "kiểm kê" in vi and "thanh lý" in vi
    en = subprocess.run([sys.executable, "-m", "kiosk", "--lang", "en", "--help"],
                        cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert "stock-take" in en and "withdraw" in en
    borrow = subprocess.run([sys.executable, "-m", "kiosk", "borrow", "--help"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert "--long-term" in borrow and "--quantity" in borrow and "mượn dài hạn" in borrow


def test_a_stocktake_from_the_terminal(kiosk, tmp_path):
    started = kiosk("stocktake", "start", "--staff", "CB0001", "--kind", "book", "--store", "TK",
                    "--member", "Đỗ Minh Thư – thủ thư")
    assert started.returncode == 0, started.stderr
    ref = started.stdout.strip().splitlines()[-1]
    batch = tmp_path / "batch.txt"
    batch.write_text("TK.00001\nTK.00002\nTK.00003\nTK.00004\nGK.00001\n")
    assert kiosk("stocktake", "load", ref, str(batch)).returncode == 0
    assert kiosk("stocktake", "load", ref, str(batch)).returncode == 1  # loaded already
    status = kiosk("stocktake", "status", ref).stdout
    assert "4/7 có" in status and "1 nhầm chỗ" in status and "TK.00005" in status
    assert kiosk("stocktake", "report", ref, "--out", str(tmp_path)).returncode == 1
    finished = kiosk("stocktake", "finish", ref, "--staff", "CB0001", "--no-corrections")
    assert finished.returncode == 0 and "1 mất, 2 chưa kiểm" in finished.stdout
    report = kiosk("stocktake", "report", ref, "--out", str(tmp_path))
    assert report.returncode == 0
    assert (tmp_path / f"bien-ban-kiem-ke-{ref}.pdf").read_bytes().startswith(b"%PDF")
