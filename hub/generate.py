"""A school year of records as a lower secondary school's kiosk would push them (contract v1
and v1.1), made from a seed: for the demo and for the benchmark. Everything a page shows has a
source here: the roster and quotas at the start of the year, declarations, book loans to take
home and their returns (a few never come back), lessons with one to three items (a few lines
voided), class visits to the library."""
from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

VN = timezone(timedelta(hours=7))
GROUPS = {
    "Tổ KHTN": ["KHTN"],
    "Tổ Toán - Tin": ["Toán", "Tin học"],
    "Tổ Ngữ văn": ["Ngữ văn"],
    "Tổ Ngoại ngữ": ["Tiếng Anh"],
    "Tổ Xã hội": ["Lịch sử và Địa lí", "GDCD"],
    "Tổ Năng khiếu": ["Âm nhạc", "Mĩ thuật", "Giáo dục thể chất", "Công nghệ"],
}
EQUIPMENT = {"KHTN": ["KHTN.KHV", "KHTN.OCN", "KHTN.DC", "KHTN.LK"],
             "Toán": ["TOAN.TV", "TOAN.MHHH"],
             "Tin học": ["TIN.LAP"], "Ngữ văn": ["TIN.MC"], "Tiếng Anh": ["TA.TN", "TA.TAI"],
             "Lịch sử và Địa lí": ["LSDL.QDC", "LSDL.BD"], "GDCD": ["TIN.MC"],
             "Âm nhạc": ["AN.DP"], "Mĩ thuật": ["MT.GV"], "Giáo dục thể chất": ["TD.BD", "TD.DN"],
             "Công nghệ": ["CN.BTD"]}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Linh",
         "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Vy"]
TITLES = ["Dế Mèn phiêu lưu ký", "Đất rừng phương Nam", "Tôi thấy hoa vàng trên cỏ xanh",
          "Kính vạn hoa", "Hoàng tử bé", "Totto-chan bên cửa sổ", "Cho tôi xin một vé đi tuổi thơ",
          "Những tấm lòng cao cả", "Không gia đình", "Góc sân và khoảng trời"]


def _id(rng: random.Random, day: date | None = None) -> str:
    """A UUIDv7 as the kiosks make them: the moment's milliseconds first, then random bits
    (so ids of one school year are in time order, as in a real outbox)."""
    moment = datetime.combine(day or date(2026, 9, 1), time(7), VN).timestamp() * 1000
    ms = int(moment) + rng.randrange(10 * 3600 * 1000)
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) | \
        rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def _at(day: date, rng: random.Random, start: int = 7, end: int = 16) -> str:
    minutes = rng.randint(start * 60, end * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), VN).isoformat()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def school_days(first: date, last: date) -> Iterator[date]:
    """Monday to Friday between two days."""
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def school_year_records(school_code: str, kiosk_id: str, seed: int, until: date | None = None,
                        school_year: str = "2026-2027", classes_per_grade: int = 4,
                        loans_per_student_month: float = 1.5,
                        lessons_per_teacher_week: float = 2.0) -> Iterator[dict]:
    """The year's records, oldest first, up to ``until`` (default: the end of the year)."""
    rng = random.Random(seed)
    start_year = int(school_year[:4])
    first, last = date(start_year, 9, 7), date(start_year + 1, 5, 29)
    if until is not None:
        last = min(last, until)
    classes = {f"{g}A{n}": rng.randint(36, 44) for g in range(6, 10)
               for n in range(1, classes_per_grade + 1)}
    students = [(f"{seed:03d}{i:06d}", c) for c, size in classes.items() for i in range(size)]
    rng.shuffle(students)
    teachers = []
    for group, subjects in GROUPS.items():
        for n in range(max(2, classes_per_grade + len(subjects) - 1)):
            subject = subjects[n % len(subjects)]
            grades = sorted(rng.sample(["6", "7", "8", "9"], 2))
            teachers.append({"code": f"GV{len(teachers) + 1:03d}", "name": _name(rng),
                             "subject_group": group, "subject": subject, "grades": grades})
    base = {"school_code": school_code}

    def record(kind: str, data: dict, occurred: str) -> dict:
        return {"id": _id(rng, date.fromisoformat(occurred[:10])), "type": kind,
                "occurred_at": occurred, "data": {**base, **data}}

    opening = datetime.combine(first - timedelta(days=3), time(8, 0), VN).isoformat()
    yield record("roster.updated", {
        "school_year": school_year,
        "classes": [{"class": c, "grade": c[0], "students": n} for c, n in classes.items()],
        "teachers": [{"code": t["code"], "name": t["name"], "subject_group": t["subject_group"],
                      "teaches": [{"subject": t["subject"], "grade": g} for g in t["grades"]]}
                     for t in teachers]}, opening)
    for term, periods in (("HK1", 1.0), ("HK2", 0.9)):
        rules = [{"subject": s, "grade": g, "periods": int(round(rng.randint(10, 16) * periods))}
                 for subjects in GROUPS.values() for s in subjects for g in "6789"]
        yield record("quota.set", {"school_year": school_year, "term": term, "rules": rules,
                                   "set_by": "CB0001"}, opening)
    # The lesson plan: 70 PPCT lessons a subject and grade, two a week, every third needing
    # equipment (ids from a generator of its own: the rest of the year stays as it was).
    monday = first - timedelta(days=first.weekday())
    plan_ids = random.Random(seed * 7919 + 1)
    for subject in EQUIPMENT:
        for grade in "6789":
            lessons = [{"ppct": n, "week": (n + 1) // 2,
                        "week_starts": (monday + timedelta(weeks=(n - 1) // 2)).isoformat(),
                        "title": f"Bài {n}",
                        "equipment": ", ".join(EQUIPMENT[subject]) if n % 3 == 0 else ""}
                       for n in range(1, 71)]
            yield {"id": _id(plan_ids, first), "type": "plan.updated", "occurred_at": opening,
                   "data": {**base, "school_year": school_year, "subject": subject,
                            "grade": grade, "lessons": lessons}}
    for n in range(rng.randint(150, 250)):
        incomplete = rng.random() < 0.06
        yield record("item.declared", {
            "item_kind": "book", "item_barcode": f"TK.{n + 1:05d}", "title": rng.choice(TITLES),
            "author": "", "publisher": "" if incomplete else "NXB Giáo dục Việt Nam",
            "year": 2024, "classification": "8V", "store": rng.choice(["TK", "TN", "GK"]),
            "price": None if incomplete else rng.choice([32000, 45000, 68000])}, opening)
    returns: dict[date, list] = defaultdict(list)
    per_day = len(students) * loans_per_student_month / 21.0
    lessons_per_day = lessons_per_teacher_week / 5.0
    for day in school_days(first, last):
        for loan in returns.pop(day, []):
            yield record("loan.returned", loan, _at(day, rng, 13, 17))
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            code, class_name = rng.choice(students)
            loan_id = _id(rng, day)
            due = day + timedelta(days=7)
            data = {"kiosk_id": kiosk_id, "loan_id": loan_id, "txn_ref": "GD-" + loan_id[:8],
                    "patron_code": code, "patron_kind": "student", "patron_name": _name(rng),
                    "patron_class": class_name, "item_kind": "book",
                    "item_barcode": f"TK.{rng.randint(1, 2000):05d}", "title": rng.choice(TITLES),
                    "quantity": 1, "due_date": due.isoformat(), "long_term": False}
            yield record("loan.borrowed", data, _at(day, rng))
            if rng.random() < 0.005:
                yield record("loan.voided", {"loan_id": loan_id, "kiosk_id": kiosk_id,
                                             "void_reason": "nhầm"}, _at(day, rng, 16, 17))
            elif rng.random() < 0.97:
                back = day + timedelta(days=rng.randint(2, 10))
                while back.weekday() >= 5:
                    back += timedelta(days=1)
                returns[back].append(
                    {"loan_id": loan_id, "kiosk_id": kiosk_id, "condition": "good"})
        for teacher in teachers:
            if rng.random() >= lessons_per_day:
                continue
            grade = rng.choice(teacher["grades"])
            lesson = {"lesson_id": _id(rng, day), "date": day.isoformat(),
                      "session": rng.choice(["morning", "morning", "afternoon"]),
                      "period": rng.randint(1, 4),
                      "class": f"{grade}A{rng.randint(1, classes_per_grade)}",
                      "subject": teacher["subject"], "subject_group": teacher["subject_group"],
                      "title": f"Bài {rng.randint(1, 30)}", "ppct": rng.randint(1, 70),
                      "purpose": "dạy trên lớp"}
            for code in rng.sample(EQUIPMENT[teacher["subject"]],
                                   min(len(EQUIPMENT[teacher["subject"]]), rng.randint(1, 3))):
                loan_id = _id(rng, day)
                data = {"kiosk_id": kiosk_id, "loan_id": loan_id, "txn_ref": "TB-" + loan_id[:8],
                        "patron_code": teacher["code"], "patron_kind": "teacher",
                        "patron_name": teacher["name"], "patron_class": "",
                        "item_kind": "equipment_stock", "equipment_code": code,
                        "equipment_name": code, "quantity": 1, "due_date": day.isoformat(),
                        "long_term": False, "lesson": lesson}
                yield record("loan.borrowed", data, _at(day, rng, 7, 8))
                if rng.random() < 0.02:
                    yield record("loan.voided", {"loan_id": loan_id, "kiosk_id": kiosk_id},
                                 _at(day, rng, 8, 9))
                elif rng.random() < 0.99:
                    yield record("loan.returned", {"loan_id": loan_id, "kiosk_id": kiosk_id,
                                                   "condition": "good"}, _at(day, rng, 11, 12))
        if day.weekday() == 2:
            for class_name in rng.sample(sorted(classes), max(1, len(classes) // 3)):
                yield record("class.visit", {"visit_id": _id(rng, day), "class": class_name,
                                             "date": day.isoformat(),
                                             "students": classes[class_name] - rng.randint(0, 4),
                                             "titles": rng.sample(TITLES, 2)}, _at(day, rng))
    for loan in returns.pop(last, []):
        yield record("loan.returned", loan, _at(last, rng, 15, 17))
