"""The registers fed by the item lifecycle: the sổ đăng ký cá biệt's kiểm kê columns from the
finished stock-takes (and TL from withdrawals), the equipment asset ledger's damaged and
removed columns from the incidents, their repairs and write-offs, and the withdrawals, over
two school years of known events."""
from datetime import date, datetime, timezone

import openpyxl
import pytest

from db.models import Incident
from kiosk.export.registers import export_registers
from kiosk.services.stock import StockService, WithdrawItem
from kiosk.services.stocktake import StocktakeService


def _at(context, day: date, hour: int = 2) -> None:
    """Move the kiosk's clock to ``day`` (back too: the floor kept against a wrong clock
    is set aside for this history)."""
    context.clock.moment = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)
    context.clock.floor = None


@pytest.fixture
def two_years(context, tmp_path):
    """The small school (TK.00001-5, TK.00009 reference, TK.00010 lost; three microscopes and
    30 test tubes) through two school years of stock-takes, damage, repairs and
    withdrawals; then its registers from 01/09/2025 to 30/11/2026."""
    takes, stock = StocktakeService(context), StockService(context)
    # 2025-2026: a stock-take of TK in March, nothing corrected but what was seen broken.
    _at(context, date(2026, 3, 10))
    take = takes.start("CB0001", "book", store="TK").params["stocktake_id"]
    for code in ("TK.00001", "TK.00002"):
        assert takes.scan(take, code, "CB0001").ok
    assert takes.scan(take, "TK.00003", "CB0001", damaged=True).ok
    assert takes.finish(take, "CB0001", confirm=("damaged",)).ok
    # ... and of the equipment: a microscope broken, 4 test tubes broken.
    _at(context, date(2026, 3, 5))
    take = takes.start("CB0001", "equipment").params["stocktake_id"]
    assert takes.scan(take, "TB.KHTN6.001", "CB0001", damaged=True).ok
    for code in ("TB.KHTN6.002", "TB.KHTN6.003"):
        assert takes.scan(take, code, "CB0001").ok
    assert takes.count(take, "KHTN6.OCN", 26, 4, "CB0001").ok
    assert takes.finish(take, "CB0001", confirm=("damaged", "counts")).ok
    tubes = Incident.get((Incident.kind == "damaged") & Incident.equipment_type.is_null(False))
    _at(context, date(2026, 4, 10))
    assert stock.resolve(tubes.id, "CB0001", "repaired", quantity=1).ok  # 3 still broken
    # 2026-2027: two tubes written off, the microscope and a book withdrawn, a stock-take of
    # TK in November that confirms what it did not see as missing.
    _at(context, date(2026, 10, 15))
    assert stock.resolve(tubes.id, "CB0001", "written_off", quantity=2).ok
    assert stock.withdraw("CB0001", ["TB.KHTN6.001", "TK.00005"], "beyond_repair").ok
    _at(context, date(2026, 11, 25))
    take = takes.start("CB0001", "book", store="TK").params["stocktake_id"]
    for code in ("TK.00001", "TK.00004"):
        assert takes.scan(take, code, "CB0001").ok
    assert takes.finish(take, "CB0001", confirm=("missing",)).ok
    _at(context, date(2026, 11, 26))
    out = tmp_path / "registers"
    export_registers(context, date(2025, 9, 1), date(2026, 11, 30), out, formats=("xlsx", "pdf"))
    return out


def _rows(sheet, first_header="STT"):
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    return rows[start], [r for r in rows[start + 1:] if r[1]]


def test_the_accession_registers_inventory_columns_come_from_the_stocktakes(two_years):
    sheet = openpyxl.load_workbook(two_years / "so-dang-ky-ca-biet/tk.xlsx").active
    header, rows = _rows(sheet, "Ngày vào sổ")
    years = [header.index(f"Kiểm kê {y}") for y in ("2025-26", "2026-27")]
    marks = {r[1]: tuple(r[i] for i in years) for r in rows}
    assert marks == {
        "TK.00001": ("Đủ", "Đủ"),
        "TK.00002": ("Đủ", "Thiếu"),  # not seen in November, confirmed missing
        "TK.00003": ("Hỏng", "Thiếu"),
        "TK.00004": ("Chưa kiểm", "Đủ"),  # not seen in March, nothing confirmed then
        "TK.00005": ("Chưa kiểm", "TL"),  # withdrawn in October
        "TK.00009": ("Chưa kiểm", "Thiếu"),
        "TK.00010": ("M", "M"),  # lost before either stock-take
    }
    # The years before hold nothing: no stock-take then.
    assert all(r[header.index("Kiểm kê 2024-25")] in (None, "") for r in rows)


def test_the_asset_ledgers_damaged_and_removed_columns_come_from_the_lifecycle(two_years):
    book = openpyxl.load_workbook(two_years / "so-theo-doi-tai-san-tbdh.xlsx")
    figures = {}
    for year in ("2025-2026", "2026-2027"):
        header, rows = _rows(book[year])
        columns = [header.index(name) for name in (
            "Đầu năm: tổng", "Đầu năm: hỏng", "Tăng", "Giảm", "Cuối năm: tổng",
            "Cuối năm: hỏng")]
        for r in rows:
            figures[(year, r[2])] = tuple(r[i] for i in columns)
    # Microscopes: one broken in March 2026, withdrawn in October 2026.
    assert figures[("2025-2026", "KHTN6.KHV")] == (3, 0, 0, 0, 3, 1)
    assert figures[("2026-2027", "KHTN6.KHV")] == (3, 1, 0, 1, 2, 0)
    # Test tubes: 4 broken in March, 1 repaired in April, 2 written off in October.
    assert figures[("2025-2026", "KHTN6.OCN")] == (30, 0, 0, 0, 30, 3)
    assert figures[("2026-2027", "KHTN6.OCN")] == (30, 3, 0, 2, 28, 1)
