"""The staff's "Kho" tab through its presenter: resolve damage and loss, a stock-take at the
kiosk (scan, seen damaged, counted stock with +1/+10, finish with corrections, the biên bản
written), a withdrawal by scanning with a reason and a decision number."""
from pathlib import Path

from db.models import Copy, EquipmentItem, EquipmentType, Loan, Withdrawal
from tests.ui.test_presenters_staff import _sign_in
from tests.ui.test_presenters_teacher import _lend_equipment


def test_resolve_what_came_back_damaged(flow):
    _lend_equipment(flow)
    flow.scan("GV0012")
    flow.presenter.choose("return_equipment")
    ret = flow.presenter
    flow.scan("TB.KHTN6.001")
    ret.set_condition(ret.entries[0].loan.loan_id, "damaged")
    ret.confirm()
    flow.home()
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    assert desk.mode_label("incidents") == "Cần xử lý (1)"
    [incident] = desk.incidents
    assert desk.incident_text(incident).startswith(
        "Kính hiển vi quang học (TB.KHTN6.001) – Hỏng – Phạm Thu Hà")
    assert desk.resolutions() == []
    desk.select_incident(incident.id)
    assert [label for _, label in desk.resolutions()] == ["Đã sửa xong", "Thanh lý"]
    desk.resolve("repaired")
    assert review.message.ok and desk.incidents == []
    assert EquipmentItem.get(EquipmentItem.barcode == "TB.KHTN6.001").status == "available"


def test_an_overdue_book_recorded_lost_from_the_overdue_tab(flow, context):
    flow.scan("0123456789")
    flow.scan("TK.00001")
    flow.presenter.done()
    flow.home()
    context.clock.advance(days=40)
    review = _sign_in(flow)
    review.show_tab("overdue")
    [row] = review.overdue["6A1"]
    review.declare_lost(row.loan_id)
    assert review.message.code == "declared_lost"
    assert Copy.get(Copy.barcode == "TK.00001").status == "lost"
    review.show_tab("stock")
    assert [i.kind for i in review.stock.incidents] == ["lost"]


def test_a_stocktake_at_the_kiosk(flow, context):
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    desk.set_mode("stocktake")
    assert desk.take is None
    desk.start_stocktake("book", store="TK")
    assert review.message.code == "stocktake_started" and desk.take is not None
    for code in ("TK.00001", "TK.00002", "TK.00003", "TK.00009", "GK.00001", "XYZ.1"):
        flow.scan(code)
    desk.toggle_damaged()
    flow.scan("TK.00004")
    assert desk.last_scan.code == "stocktake_found" and not desk.damaged_next
    p = desk.progress
    assert (len(p.found), len(p.not_seen), p.misplaced, p.unknown, p.damaged) == (
        5, 2, ["GK.00001"], ["XYZ.1"], 1)
    desk.ask_finish()
    assert desk.finishing
    desk.finish(corrections=True)
    assert review.message.code == "stocktake_finished"
    assert review.message.params["missing"] == 1  # TK.00005 (TK.00010 was lost already)
    assert Copy.get(Copy.barcode == "TK.00005").status == "lost"
    assert Copy.get(Copy.barcode == "TK.00004").status == "damaged"
    xlsx, pdf = desk.minutes_files
    assert Path(xlsx).exists() and Path(pdf).read_bytes().startswith(b"%PDF")
    assert desk.take is None


def test_counted_stock_with_the_plus_ten_stepper(flow):
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    desk.set_mode("stocktake")
    desk.start_stocktake("equipment")
    [(kind, counted)] = desk.counted_rows()
    assert kind.code == "KHTN6.OCN" and counted is None
    for delta in (10, 10, 10, -1, 1, 10):  # never above what the register holds (30)
        desk.step_count("KHTN6.OCN", delta)
    assert desk.counted_rows()[0][1] == (30, 0)
    desk.step_count("KHTN6.OCN", -1)
    desk.step_count("KHTN6.OCN", -1)
    desk.finish(corrections=True)
    assert EquipmentType.get(EquipmentType.code == "KHTN6.OCN").stock_missing == 2


def test_withdraw_by_scanning_with_a_reason_and_decision(flow):
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    desk.set_mode("withdraw")
    flow.scan("TK.00003")
    flow.scan("TK.00004")
    flow.scan("TK.00003")  # once is enough
    assert [code for code, _ in desk.withdraw_codes] == ["TK.00003", "TK.00004"]
    desk.withdraw()
    assert review.message.code == "withdraw_reason_required"
    desk.set_reason("worn")
    desk.start_decision()
    for key in "12/qd-thcs":
        desk.decision_key(key)
    desk.finish_decision()
    desk.withdraw()
    assert review.message.code == "withdrawn" and desk.withdraw_codes == []
    withdrawal = Withdrawal.get()
    assert (withdrawal.reason, withdrawal.decision_no) == ("worn", "12/QD-THCS")
    assert Copy.get(Copy.barcode == "TK.00003").status == "withdrawn"
    # A withdrawn copy cannot be lent.
    flow.home()
    flow.scan("0123456789")
    flow.scan("TK.00003")
    assert flow.presenter.lines[-1].outcome.code == "item_withdrawn"
    assert Loan.select().count() == 0


def test_a_scanners_batch_file_loaded_from_a_usb_stick(flow, context, tmp_path):
    """The stick as the kiosk sees it mounted: /media/<user>/<label>/<file>."""
    import os

    from db.models import StocktakeLoad, StocktakeScan
    from tests.factories import reconfigure
    stick = tmp_path / "media" / "pi" / "KIEMKE"
    stick.mkdir(parents=True)
    (stick / "old.txt").write_text("TK.00005\n")
    os.utime(stick / "old.txt", (1_700_000_000, 1_700_000_000))
    (stick / "ke-3.csv").write_text("STT,Mã vạch,Ghi chú\n1,TK.00001,\n2,TK.00002,\n"
                                    "3,GK.00001,\n4,TK.00001,\n5,XYZ.9,\n")
    (stick / "anh.jpg").write_bytes(b"\xff\xd8 not codes")
    (stick / ".hidden").mkdir()
    (stick / ".hidden" / "x.txt").write_text("TK.00003\n")
    reconfigure(context, "stocktake", batch_dirs=[str(tmp_path / "media"),
                                                   str(tmp_path / "absent")])
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    desk.set_mode("stocktake")
    desk.start_stocktake("book", store="TK")
    desk.pick_batch_file()
    assert [f.name for f in desk.batch_files] == ["ke-3.csv", "old.txt"]  # newest first
    assert desk.batch_file_label(desk.batch_files[0]).startswith("ke-3.csv · 1 KB · ")
    desk.load_batch_file(str(desk.batch_files[0].path))
    assert review.message.code == "stocktake_loaded", review.message.message
    assert review.message.message == ("Đã nạp 5 mã từ “ke-3.csv”: 2 có, 1 để nhầm chỗ, "
                                      "1 không rõ, 1 trùng.")
    assert desk.batch_files is None  # back to the stock-take, its figures updated
    p = desk.progress
    assert (len(p.found), p.misplaced, p.unknown, p.duplicates) == (2, ["GK.00001"],
                                                                     ["XYZ.9"], 1)
    assert StocktakeLoad.select().count() == 1 and StocktakeScan.select().count() == 5
    # The same file again changes nothing and says why.
    desk.pick_batch_file()
    desk.load_batch_file(str(stick / "ke-3.csv"))
    assert review.message.code == "file_already_loaded" and desk.batch_files is not None
    assert StocktakeScan.select().count() == 5
    desk.close_batch_files()
    assert desk.batch_files is None


def test_no_usb_stick_says_so(flow, context, tmp_path):
    from tests.factories import reconfigure
    reconfigure(context, "stocktake", batch_dirs=[str(tmp_path / "nothing")])
    review = _sign_in(flow)
    review.show_tab("stock")
    desk = review.stock
    desk.set_mode("stocktake")
    desk.start_stocktake("equipment")
    desk.pick_batch_file()
    assert desk.batch_files == []
