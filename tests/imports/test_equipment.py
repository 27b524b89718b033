"""Equipment: types with labelled items, and counted stock adjusted by the difference."""
import json

from db.models import EquipmentItem, EquipmentType, Outbox
from kiosk.imports.runner import run_import
from tests.imports.conftest import outbox_types
from tests.imports.sheets import nfd, write_xlsx

HEADER = ["STT", "Mã thiết bị", "Tên thiết bị", "Nhóm thiết bị", "Loại thiết bị", "Môn học",
          "Lớp/Khối", "Đơn vị tính", "Số lượng", "Mã nhãn"]
ROWS = [
    [1, "KHTN6.KHV2", nfd("Kính hiển vi quang học"), "Thiết bị thực hành", "Dụng cụ quan sát",
     "KHTN", 6, "cái", 3, "TB.KHTN6X.001-TB.KHTN6X.003"],
    [2, "KHTN6.CTT", "Cốc thủy tinh 250 ml", "Dụng cụ thí nghiệm", "Thủy tinh", "KHTN", "6",
     "cái", 24, ""],
    [3, "LSDL6.QDC", "Quả địa cầu", "Mô hình", "Địa lí", "Lịch sử và Địa lí", "6", "quả", "",
     "TB.LSDL6.001, TB.LSDL6.002"],
]


def equipment_file(path, rows):
    return write_xlsx(path, [nfd(h) for h in HEADER], rows)


def test_labelled_and_counted_equipment(fresh, tmp_path):
    report = run_import(fresh, "equipment", equipment_file(tmp_path / "tb.xlsx", ROWS))
    assert (report.created, report.errors) == (6, [])
    scope = EquipmentType.get(EquipmentType.code == "KHTN6.KHV2")
    assert (scope.name, scope.tracking, scope.grade, scope.search_key) == (
        "Kính hiển vi quang học", "item", "6", "kinh hien vi quang hoc")
    assert sorted(i.barcode for i in scope.items) == [
        "TB.KHTN6X.001", "TB.KHTN6X.002", "TB.KHTN6X.003"]
    beakers = EquipmentType.get(EquipmentType.code == "KHTN6.CTT")
    assert (beakers.tracking, beakers.stock_total, beakers.stock_on_hand) == ("counted", 24, 24)
    assert outbox_types() == ["item.declared"] * 6
    kinds = sorted(json.loads(r.data)["item_kind"] for r in Outbox.select())
    assert kinds == ["equipment_item"] * 5 + ["equipment_stock"]


def test_reimport_adjusts_counted_stock_by_the_difference(context, tmp_path):
    # The seeded school has KHTN6.OCN: 30 counted test tubes; say 10 are out on loan.
    EquipmentType.update(stock_on_hand=20).where(EquipmentType.code == "KHTN6.OCN").execute()
    row = [1, "KHTN6.OCN", "Ống nghiệm", "", "", "KHTN", "6", "cái", 40, ""]
    report = run_import(context, "equipment", equipment_file(tmp_path / "a.xlsx", [row]))
    assert (report.updated, report.errors) == (1, [])
    tubes = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (tubes.stock_total, tubes.stock_on_hand) == (40, 30)
    assert outbox_types()[-1] == "item.updated"
    row[8] = 5  # fewer than the 10 on loan
    report = run_import(context, "equipment", equipment_file(tmp_path / "b.xlsx", [row]))
    assert [(e.row_number, e.reason_key) for e in report.errors] == [(2, "below_on_loan")]
    tubes = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (tubes.stock_total, tubes.stock_on_hand) == (40, 30)


def test_reimport_of_labelled_items_does_not_duplicate(fresh, tmp_path):
    run_import(fresh, "equipment", equipment_file(tmp_path / "a.xlsx", ROWS))
    rows = [row[:] for row in ROWS]
    rows[0][9] = "TB.KHTN6X.001-TB.KHTN6X.004"
    report = run_import(fresh, "equipment", equipment_file(tmp_path / "b.xlsx", rows))
    assert (report.created, report.unchanged, report.updated) == (1, 6, 0)
    assert EquipmentItem.select().count() == 6
    assert outbox_types()[6:] == ["item.declared"]


def test_bad_equipment_rows(context, tmp_path):
    rows = ROWS + [
        [4, "", "Không mã", "", "", "", "", "", 1, ""],                               # row 5
        [5, "X.1", "", "", "", "", "", "", 1, ""],                                    # row 6
        [6, "X.2", "Không số lượng", "", "", "", "", "", "", ""],                     # row 7
        [7, "X.3", "Âm", "", "", "", "", "", -3, ""],                                 # row 8
        [8, "KHTN6.KHV", "Kính hiển vi", "", "", "", "", "", 5, ""],                  # row 9
        [9, "X.4", "Nhãn trùng", "", "", "", "", "", "", "TB.LSDL6.002"],             # row 10
    ]
    report = run_import(context, "equipment", equipment_file(tmp_path / "tb.xlsx", rows))
    assert [(e.row_number, e.reason_key) for e in report.errors] == [
        (5, "missing_code"), (6, "missing_name"), (7, "missing_quantity"), (8, "bad_quantity"),
        (9, "tracking_conflict"), (10, "duplicate_in_file")]
    assert report.created == 6
    scope = EquipmentType.get(EquipmentType.code == "KHTN6.KHV")
    assert (scope.tracking, scope.name) == ("item", "Kính hiển vi quang học")  # untouched
