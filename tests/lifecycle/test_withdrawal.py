"""Withdrawal (thanh lý, xuất kho) by scanning or by a list, with a reason and a decision:
withdrawn things leave lending and the stock counts, stay in the history, and are the rows of
the sổ đăng ký tổng quát's xuất kho part."""
import json
import subprocess
import sys
from datetime import date, datetime, timedelta

from db.models import Copy, EquipmentType, Journal, Loan, Outbox
from db.queries import withdrawals
from kiosk import PROJECT_ROOT
from kiosk.services.circulation import Circulation
from kiosk.services.stock import StockService, WithdrawItem


def _all_time():
    return datetime(2000, 1, 1), datetime(2100, 1, 1)


def test_withdrawal_and_the_xuat_kho_rows(context):
    Copy.update(price=30000).where(Copy.barcode.in_(["TK.00003", "TK.00004"])).execute()
    Copy.update(price=18000).where(Copy.barcode == "GK.00001").execute()
    EquipmentType.update(unit_price=5000).where(EquipmentType.code == "KHTN6.OCN").execute()
    stock = StockService(context)
    outcome = stock.withdraw("CB0001", ["TK.00003", "TK.00004", "GK.00001",
                                        WithdrawItem("KHTN6.OCN", 4)],
                             "worn", decision_no="15/QĐ-THCS",
                             decision_date=date(2026, 11, 20), note="Rách, mất trang")
    assert outcome.ok and outcome.params["count"] == 7
    [row] = withdrawals.in_period(*_all_time())
    assert (row.reason, row.decision_no, row.decision_date) == ("worn", "15/QĐ-THCS",
                                                                date(2026, 11, 20))
    assert row.books_by_store == {"TK": 2, "GK": 1} and row.equipment_pieces == 4
    assert row.pieces == 7 and row.value == 2 * 30000 + 18000 + 4 * 5000
    assert withdrawals.by_ref(outcome.params["ref"]).id == row.id
    # Out of lending and the counts, still in the history.
    assert Copy.get(Copy.barcode == "TK.00003").status == "withdrawn"
    tubes = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (tubes.stock_total, tubes.stock_on_hand) == (26, 26)
    circulation = Circulation(context)
    assert circulation.borrow(circulation.start_session("0123456789"), "TK.00003").code == \
        "item_withdrawn"
    records = [json.loads(r.data) for r in Outbox.select().where(Outbox.type == "item.withdrawn")]
    assert len(records) == 4
    assert {r["reason"] for r in records} == {"worn"}
    assert {r["decision_date"] for r in records} == {"2026-11-20"}
    assert [r["quantity_withdrawn"] for r in records if r["item_kind"] == "equipment_stock"] == [4]
    assert Journal.get(Journal.action == "withdraw").after.count("TK.00003") == 1
    # Outside the period: no row.
    later = datetime(2030, 1, 1)
    assert withdrawals.in_period(later, later + timedelta(days=1)) == []


def test_what_cannot_be_withdrawn_changes_nothing(context):
    circulation = Circulation(context)
    assert circulation.borrow(circulation.start_session("0123456789"), "TK.00001").ok
    stock = StockService(context)
    assert stock.withdraw("CB0001", ["TK.00002", "TK.00001"], "worn").code == "withdraw_on_loan"
    assert stock.withdraw("CB0001", ["TK.00002", "TK.00002"], "worn").code == "withdraw_twice"
    assert stock.withdraw("CB0001", ["TK.00002", "XX.1"], "worn").code == "unknown_code"
    assert stock.withdraw("CB0001", ["TK.00002"], "because").code == "bad_withdraw_reason"
    assert stock.withdraw("GV0012", ["TK.00002"], "worn").code == "not_staff"
    assert stock.withdraw("CB0001", [WithdrawItem("KHTN6.OCN", 31)], "worn").code == \
        "withdraw_above_stock"
    assert Copy.get(Copy.barcode == "TK.00002").status == "available"
    assert withdrawals.in_period(*_all_time()) == []
    assert Outbox.select().where(Outbox.type == "item.withdrawn").count() == 0
    # A lost copy may be withdrawn (reason: lost), and once only.
    assert stock.withdraw("CB0001", ["TK.00010"], "lost").ok
    assert stock.withdraw("CB0001", ["TK.00010"], "lost").code == "already_withdrawn"


def test_kiosk_withdraw_by_list(context, tmp_path):
    listing = tmp_path / "thanh-ly.csv"
    listing.write_text("STT,Mã,Tên\n1,TK.00002,Dế Mèn\n2,TK.00005,Dế Mèn\n", encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[school]\ncode = "HY"\nname = "T"\nkiosk_id = "kiosk-1"\n'
                      f'[database]\npath = "{context.config.database.path}"\n')
    done = subprocess.run([sys.executable, "-m", "kiosk", "withdraw", "--list", str(listing),
                           "--reason", "outdated", "--decision", "3/QĐ", "--decision-date",
                           "25/11/2026", "--staff", "CB0001", "--config", str(config)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Đã thanh lý 2 bản/thiết bị." in done.stdout
    assert {c.barcode for c in Copy.select().where(Copy.status == "withdrawn")} == \
        {"TK.00002", "TK.00005"}
    assert Loan.select().count() == 0
