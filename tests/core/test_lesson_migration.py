"""Migration 5 turns the lesson fields copied onto each equipment loan into lesson records:
one per (teacher, date, session, period, class), every loan kept and pointed to its lesson."""
from db import LATEST_VERSION, migrate, open_database
from db.models import Lesson, Loan


def _old_loan(db, n, patron, item, day, period, klass, session="morning", long_term=0,
              title="Bài 1", condition=None):
    db.execute_sql(
        "INSERT INTO loan (uid, txn_ref, patron_id, kind, item_id, quantity, out_at, due_on,"
        " returned_at, return_condition, kiosk_id, long_term, lesson_date, lesson_period,"
        " lesson_session, lesson_class, lesson_subject, lesson_title, lesson_purpose)"
        " VALUES (?, ?, ?, 'equipment', ?, 1, ?, ?, ?, ?, 'k1', ?, ?, ?, ?, ?, 'KHTN', ?, ?)",
        (f"u{n}", f"TB-{n:08X}", patron, item, f"{day} 01:00:00", day,
         f"{day} 03:00:00" if condition else None, condition, long_term, day, period, session,
         klass, title, "thực hành"))


def test_lessons_are_built_from_the_loans_of_version_4(tmp_path):
    db = open_database(tmp_path / "v4.sqlite3")
    migrate(db, target=4)
    db.execute_sql("INSERT INTO patron (id, kind, code, name, subject_group, updated_at) VALUES"
                   " (1, 'teacher', 'GV1', 'Cô Hà', 'Tổ KHTN', '2026-09-01'),"
                   " (2, 'teacher', 'GV2', 'Thầy Nam', 'Tổ Toán', '2026-09-01')")
    db.execute_sql("INSERT INTO equipment_type (id, code, name, updated_at) VALUES"
                   " (1, 'KHV', 'Kính hiển vi', '2026-09-01')")
    for n in range(1, 7):
        db.execute_sql("INSERT INTO equipment_item (id, barcode, type_id, updated_at) "
                       "VALUES (?, ?, 1, '2026-09-01')", (n, f"TB.KHV.{n:03d}"))
    # Cô Hà, 10/11, tiết 2 sáng, 6A1: three microscopes in one lesson (one returned missing).
    for n, condition in ((1, "good"), (2, "missing_parts"), (3, None)):
        _old_loan(db, n, 1, n, "2026-11-10", 2, "6A1", condition=condition)
    # Cô Hà, same day, tiết 2 chiều: another lesson (periods count per session).
    _old_loan(db, 4, 1, 4, "2026-11-10", 2, "6A1", session="afternoon")
    # Thầy Nam, 11/11, tiết 3, 7A2; and a long-term loan, which has no lesson.
    _old_loan(db, 5, 2, 5, "2026-11-11", 3, "7A2")
    _old_loan(db, 6, 2, 6, "2026-11-11", None, "", long_term=1)
    db.close()

    db = open_database(tmp_path / "v4.sqlite3")
    from db import LATEST_VERSION
    assert migrate(db) == list(range(5, LATEST_VERSION + 1))
    assert Loan.select().count() == 6
    assert Lesson.select().count() == 3
    microscopes = list(Loan.select().where(Loan.uid.in_(["u1", "u2", "u3"])))
    assert len({loan.lesson_id for loan in microscopes}) == 1
    lesson = microscopes[0].lesson
    assert (lesson.teacher.code, str(lesson.lesson_date), lesson.session, lesson.period,
            lesson.class_name, lesson.subject, lesson.title, lesson.purpose,
            lesson.subject_group) == ("GV1", "2026-11-10", "morning", 2, "6A1", "KHTN",
                                      "Bài 1", "thực hành", "Tổ KHTN")
    assert Loan.get(Loan.uid == "u4").lesson.session == "afternoon"
    assert Loan.get(Loan.uid == "u4").lesson_id != lesson.id
    assert Loan.get(Loan.uid == "u5").lesson.subject_group == "Tổ Toán"
    assert Loan.get(Loan.uid == "u6").lesson is None
    assert Loan.get(Loan.uid == "u2").return_condition == "missing"
    db.close()
