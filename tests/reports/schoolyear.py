"""A school year (2026-2027) with known counts by construction, made through the kiosk's own
services at the moments they happened (a frozen clock moved along), and its quota and lesson
plan files imported as a school would.

Every figure the report tests assert is written down here, next to what makes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import openpyxl

from db.models import Copy, EquipmentItem, EquipmentType, Patron, Title
from db.queries import calendar, patrons
from kiosk.imports.runner import run_import
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending, Lesson
from kiosk.services.planning import Planning
from kiosk.services.staff import StaffService, hash_pin
from tests.factories import make_context

VN = timezone(timedelta(hours=7))
YEAR = "2026-2027"
KHTN_GROUP, MATH_GROUP, SOCIAL_GROUP = "Tổ Khoa học tự nhiên", "Tổ Toán - Tin", "Tổ Khoa học xã hội"

#: Class sizes (active students).
CLASSES = {"6A1": 30, "6A2": 20, "7A1": 25}

#: Teachers: code -> (name, group at the start, subjects, grades).
TEACHERS = {
    "GV1001": ("Nguyễn Thị Lan", KHTN_GROUP, "KHTN", "6"),
    "GV1002": ("Trần Văn Minh", MATH_GROUP, "Toán", "6;7"),
    "GV1003": ("Lê Thu Hà", KHTN_GROUP, "KHTN", "7"),  # moves to MATH_GROUP on 01/11/2026
    "GV1004": ("Phạm Quốc Bảo", SOCIAL_GROUP, "Lịch sử và Địa lí", "7"),  # records nothing
}
GROUP_CHANGE = date(2026, 11, 1)

#: Counted lessons of each teacher by month (HK1). GV1001's December has one lesson taught
#: with self-made equipment only; GV1003's Sep-Oct ones are filed under KHTN_GROUP, her
#: November ones under MATH_GROUP.
LESSONS = {
    "GV1001": {9: 3, 10: 4, 11: 5, 12: 2},
    "GV1002": {9: 2, 10: 2, 11: 2, 12: 2},
    "GV1003": {9: 2, 10: 2, 11: 3},
}
#: GV1001's October also has a lesson whose only line was voided: it does not count.
#: GV1001's first lesson (September) used three microscopes: it counts once.
#: GV1002 also took the projector on a long-term loan in September: it counts for no lesson.

#: Quotas of HK1 (imported from a file): subject x grade, and GV1003's own total.
QUOTAS = [("KHTN", "6", "", 20), ("Toán", "6", "", 6), ("Toán", "7", "", 5),
          ("Lịch sử và Địa lí", "7", "", 4), ("", "", "GV1003", 10)]
#: So: GV1001 20 required / 14 recorded (70 %); GV1002 6 + 5 = 11 / 8; GV1003 10 on her MATH
#: line / 3 there (and 4 on her old KHTN line, no requirement there); GV1004 4 / 0.
EXPECTED_USAGE = {
    # (group, code): (required, recorded, by month Sep..Dec)
    (KHTN_GROUP, "GV1001"): (20, 14, [3, 4, 5, 2]),
    (KHTN_GROUP, "GV1003"): (None, 4, [2, 2, 0, 0]),
    (MATH_GROUP, "GV1002"): (11, 8, [2, 2, 2, 2]),
    (MATH_GROUP, "GV1003"): (10, 3, [0, 0, 3, 0]),
    (SOCIAL_GROUP, "GV1004"): (4, 0, [0, 0, 0, 0]),
}
EXPECTED_GROUPS = {KHTN_GROUP: (20, 18), MATH_GROUP: (21, 11), SOCIAL_GROUP: (4, 0)}
EXPECTED_SCHOOL = (45, 29)

#: The lesson plan: KHTN grade 6, PPCT 1..6 in weeks 1..6; PPCT 6 needs no equipment.
#: GV1001 records PPCT 1, 2 and 3 for 6A1 in September: 6A1 missed 4 and 5; 6A2 missed 1..5.
PLAN = [(n, n, f"Bài {n}: Bài học số {n}", "" if n == 6 else "Kính hiển vi (6)")
        for n in range(1, 7)]
EXPECTED_MISSED = [("6A1", 4), ("6A1", 5)] + [("6A2", n) for n in range(1, 6)]

#: Students' book loans (to take home) by class and month, and how many different students
#: of the class borrowed. A voided loan (6A1, October) is on top of these.
BOOK_LOANS = {"6A1": {9: 5, 10: 7, 11: 9}, "6A2": {9: 2, 11: 4}, "7A1": {9: 1, 10: 3}}
BORROWERS = {"6A1": 6, "6A2": 3, "7A1": 2}
TEACHER_BOOK_LOANS = {10: 2}  # GV1002 borrows two books in October
LAST_YEAR_LOANS = {10: 3}  # October 2025, students of 6A1
#: Class visits: (class, day, students); a fourth one is recorded and voided.
VISITS = [("6A1", date(2026, 10, 14), 28), ("6A1", date(2026, 11, 11), 30),
          ("7A1", date(2026, 11, 18), 25)]
#: A student of 9A1 (its only one) named like a spreadsheet formula borrows the book whose title
#: is one, on 01/12/2026 (after the reading tests' period).
FORMULA_NAME = '=HYPERLINK("http://x","y")'
#: Declarations: by (kind, store or group): declared, acknowledged, waiting, refused.
EXPECTED_DECLARATIONS = {("book", "NV"): (4, 3, 0, 1), ("equipment", ""): (2, 0, 2, 0)}
#: The most borrowed title is "Dế Mèn phiêu lưu ký" (every 6A1 loan): 21 loans.
TOP_TITLE = ("Dế Mèn phiêu lưu ký", 21)


@dataclass
class SchoolYear:
    """The context and what was made, for tests to look at."""

    context: object
    folder: Path
    partial_return_ref: str = ""
    voided_lesson_ref: str = ""
    notes: dict = field(default_factory=dict)


def at(day: date, hour: int = 9) -> datetime:
    """A moment of a local day, as the frozen clock takes it."""
    return datetime.combine(day, time(hour), tzinfo=VN).astimezone(timezone.utc)


def school_days(month: int, count: int, year: int | None = None, first: int = 2) -> list[date]:
    """``count`` weekdays of a month from the ``first``-th on."""
    year = year or (2026 if month >= 8 else 2027)
    days, day = [], date(year, month, first)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _seed(folder: Path) -> None:
    stamp = datetime(2026, 8, 20)
    calendar.upsert_school_year(YEAR, date(2026, 9, 7), date(2027, 5, 31))
    year_id = [y for y in calendar.school_years() if y[0] == YEAR]
    from db.models import SchoolYear as SY
    sy = SY.get(SY.name == YEAR)
    calendar.upsert_term(sy.id, "Học kỳ I", date(2026, 9, 7), date(2027, 1, 16))
    calendar.upsert_term(sy.id, "Học kỳ II", date(2027, 1, 18), date(2027, 5, 31))
    assert year_id
    n = 0
    for class_name, size in CLASSES.items():
        for i in range(size):
            n += 1
            Patron.create(kind="student", code=f"{3000000000 + n}", name=f"Học sinh {class_name}-{i}",
                          search_key=f"hoc sinh {class_name.lower()}-{i}", class_name=class_name,
                          grade=int(class_name[0]), updated_at=stamp)
    # A student who left: inactive, not in the class size.
    Patron.create(kind="student", code="3999999999", name="Học sinh đã chuyển",
                  class_name="6A1", grade=6, active=False, updated_at=stamp)
    for code, (name, group, subjects, grades) in TEACHERS.items():
        Patron.create(kind="teacher", code=code, name=name, search_key=name.lower(),
                      subject_group=group, subjects=subjects, grades=grades, updated_at=stamp)
    Patron.create(kind="staff", code="CB0001", name="Đỗ Minh Thư", role="librarian",
                  pin_hash=hash_pin("2468"), updated_at=stamp)
    titles = [Title.create(title="Dế Mèn phiêu lưu ký", author="Tô Hoài", publisher="NXB Kim Đồng",
                           year=2020, price=45000, classification="8(V)", updated_at=stamp),
              Title.create(title="Tuổi thơ dữ dội", author="Phùng Quán", publisher="NXB Kim Đồng",
                           year=2019, price=120000, classification="8(V)", updated_at=stamp),
              Title.create(title=FORMULA_NAME, author="+Tác giả", updated_at=stamp)]
    for i in range(1, 31):
        Copy.create(barcode=f"TK.{i:05d}", title=titles[0], store="TK", added_on=date(2026, 8, 20),
                    updated_at=stamp)
    for i in range(31, 61):
        Copy.create(barcode=f"TK.{i:05d}", title=titles[1], store="TK", added_on=date(2026, 9, 15),
                    updated_at=stamp)
    Copy.create(barcode="TN.00001", title=titles[2], store="TN", added_on=date(2026, 9, 15),
                updated_at=stamp)
    scope = EquipmentType.create(code="KHTN6.KHV", name="Kính hiển vi quang học", unit="cái",
                                 subject="KHTN", grade="6", group_name="Thiết bị thực hành",
                                 unit_price=3500000, country="Việt Nam", year=2021,
                                 added_on=date(2025, 8, 1), updated_at=stamp)
    for i in range(1, 6):
        EquipmentItem.create(barcode=f"TB.KHTN6.{i:03d}", type=scope, added_on=date(2025, 8, 1),
                             updated_at=stamp)
    projector = EquipmentType.create(code="DC.MC", name="Máy chiếu", unit="cái", subject="Dùng chung",
                                     grade="6-9", added_on=date(2026, 9, 10), updated_at=stamp)
    EquipmentItem.create(barcode="TB.DC.001", type=projector, added_on=date(2026, 9, 10),
                         updated_at=stamp)
    EquipmentType.create(code="KHTN6.OCN", name="Ống nghiệm", unit="cái", tracking="counted",
                         stock_total=50, stock_on_hand=50, subject="KHTN", grade="6",
                         added_on=date(2025, 8, 1), updated_at=stamp)


def _write_quota_file(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ĐỊNH MỨC SỐ TIẾT"])
    sheet.append(["Năm học", "Học kỳ", "Môn học", "Khối", "Mã giáo viên", "Số tiết tối thiểu"])
    for subject, grade, teacher, periods in QUOTAS:
        sheet.append([YEAR, "HK1", subject, grade, teacher, periods])
    sheet.append([YEAR, "HK1", "Ngữ văn", "6", "", None])  # a template line left empty
    book.save(path)
    return path


def _write_plan_file(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Môn học", "Khối", "Tiết PPCT", "Tuần", "Tên bài", "Thiết bị"])
    for ppct, week, title, equipment in PLAN:
        sheet.append(["khtn", 6, ppct, week, title, equipment])
    book.save(path)
    return path


def build(folder: Path, database: dict | None = None) -> SchoolYear:
    """Make the school year in a new database under ``folder`` (or the ``database`` section
    given: a server's); 'now' ends at 20/12/2026."""
    sections = {"database": database} if database else {}
    context = make_context(folder, now=at(date(2026, 8, 25)), **sections)
    clock = context.clock
    with context.db.atomic():
        _seed(folder)
    made = SchoolYear(context=context, folder=folder)

    def move(moment: datetime) -> None:
        """Set the clock (it never goes back by itself: the generator jumps in time)."""
        clock.floor = None
        clock.moment = moment
    for kind, path in (("quotas", _write_quota_file(folder / "dinh-muc.xlsx")),
                       ("lesson-plan", _write_plan_file(folder / "phan-dinh.xlsx"))):
        report = run_import(context, kind, path, actor="CB0001")
        assert report.ok, report.errors
    lending = EquipmentLending(context)
    circulation = Circulation(context)
    staff = StaffService(context)

    def lesson(code: str, day: date, class_name: str, subject: str, period: int, *,
               items=("TB.KHTN6.001",), stock=None, ppct=None, title="", self_made="",
               session="morning", back=None):
        move(at(day, 7))
        teacher = patrons.by_code(code)
        basket = lending.start(teacher)
        basket.lesson = Lesson(date=day, period=period, class_name=class_name, subject=subject,
                               title=title, ppct=ppct, self_made=self_made, session=session)
        for item in items:
            assert lending.add_scan(basket, item).ok
        if stock:
            assert lending.set_quantity(basket, stock[0], stock[1]).ok
        outcome = lending.confirm(basket)
        assert outcome.ok, outcome
        loans = outcome.params["loans"]
        move(at(day, 11))
        if loans:
            entries = [(loan.loan_id, "good", (back if back is not None and loan.quantity > 1
                                               else None)) for loan in loans]
            assert lending.return_lines(entries, teacher).ok
        return outcome

    # GV1001: KHTN in 6A1 (Sep, Oct, Dec), 6A2 (Nov); PPCT 1-3 in September.
    for month, count in LESSONS["GV1001"].items():
        for i, day in enumerate(school_days(month, count)):
            if month == 9:
                items = ("TB.KHTN6.001", "TB.KHTN6.002", "TB.KHTN6.003") if i == 0 else \
                    ("TB.KHTN6.001",)
                lesson("GV1001", day, "6A1", "KHTN", 2, items=items, ppct=i + 1,
                       title=PLAN[i][2])
            elif month == 10 and i == 0:
                out = lesson("GV1001", day, "6A1", "KHTN", 3, items=(),
                             stock=("KHTN6.OCN", 10), back=8, title="Thực hành ống nghiệm")
                made.partial_return_ref = out.params["ref"]
            elif month == 12 and i == 1:
                lesson("GV1001", day, "6A1", "KHTN", 1, items=(), self_made="Mô hình tế bào",
                       title="Ôn tập")
            else:
                lesson("GV1001", day, "6A1" if month != 11 else "6A2", "KHTN", 4,
                       title=f"Tiết tự chọn {month}-{i}", session="afternoon" if month == 11
                       else "morning")
    # GV1001's voided October lesson.
    move(at(date(2026, 10, 20), 7))
    basket = lending.start(patrons.by_code("GV1001"))
    basket.lesson = Lesson(date=date(2026, 10, 20), period=5, class_name="6A1", subject="KHTN")
    lending.add_scan(basket, "TB.KHTN6.004")
    voided = lending.confirm(basket)
    made.voided_lesson_ref = voided.params["ref"]
    assert staff.void(voided.params["loans"][0].loan_id, "CB0001", "Quét nhầm").ok
    # GV1002: Toán, 6A1 and 7A1; a long-term projector in September.
    for month, count in LESSONS["GV1002"].items():
        for i, day in enumerate(school_days(month, count, first=10)):
            lesson("GV1002", day, "6A1" if i % 2 == 0 else "7A1", "Toán", 1,
                   items=("TB.KHTN6.005",), title=f"Toán {month}-{i}")
    move(at(date(2026, 9, 8), 7))
    basket = lending.start(patrons.by_code("GV1002"), long_term=True)
    lending.add_scan(basket, "TB.DC.001")
    assert lending.confirm(basket).ok
    # GV1003: KHTN 7A1 in Sep-Oct (KHTN group), Toán 7A1 in November (her new group).
    for month in (9, 10, 11):
        if month == 11:
            Patron.update(subject_group=MATH_GROUP, subjects="Toán").where(
                Patron.code == "GV1003").execute()
        for i, day in enumerate(school_days(month, LESSONS["GV1003"][month], first=20)):
            lesson("GV1003", day, "7A1", "KHTN" if month < 11 else "Toán", 3,
                   items=("TB.KHTN6.002",), title=f"Bài {month}-{i}")
    # Book loans to take home, returned the same day.
    students = {name: [p.code for p in Patron.select().where(Patron.class_name == name,
                                                              Patron.active == True)]  # noqa: E712
                for name in CLASSES}
    copies = {"6A1": [f"TK.{i:05d}" for i in range(1, 4)],
              "6A2": [f"TK.{i:05d}" for i in range(31, 34)],
              "7A1": [f"TK.{i:05d}" for i in range(34, 37)]}
    for class_name, months in BOOK_LOANS.items():
        k = 0
        for month, count in months.items():
            for i, day in enumerate(school_days(month, count, first=3)):
                code = students[class_name][k % BORROWERS[class_name]]
                k += 1
                move(at(day, 10))
                session = circulation.start_session(code)
                assert circulation.borrow(session, copies[class_name][0]).ok
                move(at(day, 15))
                assert circulation.return_code(copies[class_name][0]).ok
    # The voided book loan (6A1, October).
    move(at(date(2026, 10, 28), 10))
    session = circulation.start_session(students["6A1"][0])
    loan = circulation.borrow(session, "TK.00010")
    assert staff.void(loan.loan.loan_id, "CB0001", "Quét nhầm").ok
    # Teachers' reading.
    for day in school_days(10, TEACHER_BOOK_LOANS[10], first=6):
        move(at(day, 10))
        session = circulation.start_session("GV1002")
        assert circulation.borrow(session, "TK.00040").ok
        move(at(day, 16))
        assert circulation.return_code("TK.00040").ok
    # Last year's October.
    for day in school_days(10, LAST_YEAR_LOANS[10], year=2025, first=6):
        move(at(day, 10))
        session = circulation.start_session(students["6A1"][0])
        assert circulation.borrow(session, "TK.00020").ok
        move(at(day, 16))
        assert circulation.return_code("TK.00020").ok
    # A student named like a formula borrows (and keeps) the formula-titled book.
    Patron.create(kind="student", code="3888888888", name=FORMULA_NAME,
                  class_name="9A1", grade=9, updated_at=datetime(2026, 8, 20))
    move(at(date(2026, 12, 1), 10))
    session = circulation.start_session("3888888888")
    assert circulation.borrow(session, "TN.00001").ok
    # Class visits, and one recorded by mistake.
    planning = Planning(context)
    for class_name, day, students_count in VISITS:
        move(at(day, 14))
        assert planning.record_visit("CB0001", class_name, students_count, day,
                                     ("Dế Mèn phiêu lưu ký",)).ok
    move(at(date(2026, 11, 19), 14))
    assert planning.record_visit("CB0001", "6A2", 18).ok
    mistake = planning.recent_visits(2)[0]
    assert planning.void_visit("CB0001", mistake.id).ok
    # Declarations in September: 4 professional books (the province acknowledges 3, refuses
    # one), 2 labelled force meters (waiting).
    move(at(date(2026, 9, 15), 9))
    from db.models import Title as TitleModel
    from db.queries import outbox
    from db.tx import write_transaction
    from kiosk.services.catalogue import Catalogue
    catalogue = Catalogue(context)
    title_id = TitleModel.get(TitleModel.title == "Tuổi thơ dữ dội").id
    assert catalogue.declare_copies("CB0001", "NV", 4, title_id=title_id, price=50000).ok
    assert catalogue.declare_equipment("CB0001", "KHTN6.LK", 2, name="Lực kế", unit="cái",
                                       subject="KHTN", grade="6", labelled=True).ok
    declared = [row for row in outbox.pending_batch(1000) if row.type == "item.declared"]
    books = [r.record_id for r in declared if '"store": "NV"' in r.data_json]
    with write_transaction(context.db):
        outbox.apply_results(books, [(i, "accepted", "") for i in books[:3]]
                             + [(books[3], "rejected", "thiếu giá tiền")],
                             clock.db_now(), "no answer")
    move(at(date(2026, 12, 20), 16))
    return made
