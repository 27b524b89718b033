"""Migration 6 on a database of version 5: every returned loan gets its return row and its
pieces counted by the condition it came back in; open loans stay open with nothing counted."""
from db import LATEST_VERSION, migrate, open_database
from db.models import EquipmentType, Loan, LoanReturn


def test_version_5_loans_get_their_returns(tmp_path):
    db = open_database(tmp_path / "v5.sqlite3")
    migrate(db, target=5)
    db.execute_sql("INSERT INTO patron (id, kind, code, name, updated_at) VALUES "
                   "(1, 'teacher', 'GV0001', 'Cô Hà', '2026-09-01')")
    db.execute_sql("INSERT INTO equipment_type (id, code, name, tracking, stock_total,"
                   " stock_on_hand, updated_at) VALUES (1, 'ON', 'Ống nghiệm', 'counted', 10, 7,"
                   " '2026-09-01')")
    for n, returned, condition in ((1, "2026-11-10 09:00:00", "good"),
                                   (2, "2026-11-10 09:05:00", "damaged"),
                                   (3, None, None)):
        db.execute_sql(
            "INSERT INTO loan (id, uid, txn_ref, patron_id, kind, equipment_type_id, quantity,"
            " out_at, due_on, returned_at, return_condition, return_ref, kiosk_id)"
            " VALUES (?, ?, 'TB-1', 1, 'equipment', 1, 3, '2026-11-10 08:00:00', '2026-11-10',"
            " ?, ?, ?, 'k')", (n, f"u{n}", returned, condition, f"TT-{n}" if returned else None))
    db.close()
    db = open_database(tmp_path / "v5.sqlite3")
    assert migrate(db) == list(range(6, LATEST_VERSION + 1))
    counts = {loan.id: (loan.returned_good, loan.returned_damaged, loan.returned_missing)
              for loan in Loan.select()}
    assert counts == {1: (3, 0, 0), 2: (0, 3, 0), 3: (0, 0, 0)}
    backs = {row.loan_id: (row.return_ref, row.good, row.damaged) for row in LoanReturn.select()}
    assert backs == {1: ("TT-1", 3, 0), 2: ("TT-2", 0, 3)}
    kind = EquipmentType.get()
    assert (kind.stock_damaged, kind.stock_missing) == (0, 0)
    db.close()
