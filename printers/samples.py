"""Sample receipts and labels with realistic Vietnamese data: for print-test, the demo, the docs
and the benchmark. Nothing here reads a database."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from printers.labels import BookLabel, EquipmentLabel
from printers.receipt import ClassCounts, DaySummary, LessonInfo, Receipt, ReceiptLine

SCHOOL = "Trường THCS Nguyễn Trãi"
KIOSK = "Ki-ốt thư viện tầng 1"
#: 08:15 in Vietnam on 26/11/2026 (01:15 UTC).
MOMENT = datetime(2026, 11, 26, 1, 15, tzinfo=timezone.utc)

_BOOKS = [
    ("Dế Mèn phiêu lưu ký", "TN.00012"),
    ("Truyện Kiều (bản chú giải đầy đủ, có tranh minh họa của các họa sĩ Việt Nam)", "TK.00003"),
    ("Tiếng Việt 6, tập một", "GK.00457"),
    ("Những ngôi sao xa xôi", "TK.00148"),
    ("Hướng dẫn thí nghiệm Vật lý THCS", "NV.00021"),
]


def borrow_receipt(items: int = 5, lang: str = "vi") -> Receipt:
    """A student's loan of ``items`` books (at most five distinct titles, repeated beyond)."""
    due = date(2026, 12, 10)
    lines = tuple(ReceiptLine(title=_BOOKS[i % 5][0], code=_BOOKS[i % 5][1], due=due)
                  for i in range(items))
    return Receipt(kind="borrow", school_name=SCHOOL, kiosk_name=KIOSK,
                   reference="MS-20261126-0042", printed_at=MOMENT,
                   patron_name="Nguyễn Thị Ánh Tuyết", patron_class="6A1", lines=lines, lang=lang)


def return_receipt(lang: str = "vi") -> Receipt:
    """A student's return: one good, one damaged and late."""
    lines = (ReceiptLine(title=_BOOKS[0][0], code=_BOOKS[0][1], condition="good"),
             ReceiptLine(title=_BOOKS[3][0], code=_BOOKS[3][1], condition="damaged", late=True))
    return Receipt(kind="return", school_name=SCHOOL, kiosk_name=KIOSK,
                   reference="TS-20261126-0043", printed_at=MOMENT + timedelta(minutes=7),
                   patron_name="Trần Đức Hoàng", patron_class="9A3", lines=lines, lang=lang)


def equipment_slip(lang: str = "vi") -> Receipt:
    """A teacher's loan of equipment for one lesson."""
    lines = (ReceiptLine(title="Kính hiển vi quang học", code="TB.SINH6.007"),
             ReceiptLine(title="Bộ lam kính và lamen", code="TB.SINH6.012", quantity=12,
                         unit="bộ"),
             ReceiptLine(title="Tranh ảnh: Tế bào thực vật", code="TB.SINH6.031"))
    lesson = LessonInfo(lesson_date=date(2026, 11, 26), period="3", class_name="6A2",
                        subject="Khoa học tự nhiên",
                        lesson_title="Bài 8: Quan sát tế bào thực vật")
    return Receipt(kind="equipment_slip", school_name=SCHOOL, kiosk_name="Ki-ốt phòng thiết bị",
                   reference="TB-20261126-0007", printed_at=MOMENT,
                   patron_name="Lê Văn Dũng", lines=lines, lesson=lesson, lang=lang)


def equipment_return_slip(lang: str = "vi") -> Receipt:
    """A teacher brings equipment back: a microscope damaged, 10 of 12 slide sets back (one
    broken, with a note), 2 still out."""
    lines = (ReceiptLine(title="Kính hiển vi quang học", code="TB.SINH6.007",
                         condition="damaged", note="nứt gương phản chiếu"),
             ReceiptLine(title="Bộ lam kính và lamen", code="SINH6.LK", quantity=10, unit="bộ",
                         of_quantity=12, still_out=2, split=(("good", 9), ("damaged", 1)),
                         condition="damaged", note="vỡ 1 lam kính"))
    return Receipt(kind="equipment_slip", school_name=SCHOOL, kiosk_name="Ki-ốt phòng thiết bị",
                   reference="TT-20261126-0011", printed_at=MOMENT + timedelta(hours=1),
                   patron_name="Lê Văn Dũng", lines=lines, lang=lang,
                   title="PHIẾU TRẢ THIẾT BỊ" if lang == "vi" else "EQUIPMENT RETURN SLIP")


def day_summary(lang: str = "vi") -> Receipt:
    """The staff's end-of-day summary."""
    summary = DaySummary(day=date(2026, 11, 26), books_borrowed=37, books_returned=29,
                         equipment_borrowed=14, equipment_returned=12, overdue=5, patrons=58,
                         notes=("Máy chiếu Epson (TB.CNTT.002) chưa trả - cô Phạm Thu Hà",
                                "Bộ thí nghiệm điện (TB.LY9.004) chưa trả - thầy Vũ Quốc Khánh"),
                         by_class=(ClassCounts("6A1", 12, 9, 13, 12), ClassCounts("6A2", 10, 8),
                                   ClassCounts("7A3", 15, 12, 1, 0)))
    return Receipt(kind="day_summary", school_name=SCHOOL, kiosk_name=KIOSK,
                   reference="TK-20261126", printed_at=MOMENT + timedelta(hours=9, minutes=30),
                   patron_name="Đỗ Minh Châu", summary=summary, lang=lang)


def all_receipts(lang: str = "vi") -> dict[str, Receipt]:
    """One sample of every receipt kind."""
    return {"borrow": borrow_receipt(lang=lang), "return": return_receipt(lang),
            "equipment_slip": equipment_slip(lang), "day_summary": day_summary(lang)}


def book_labels() -> list[BookLabel]:
    """A few book labels."""
    return [BookLabel(accession=code, school_name=SCHOOL, shelf_mark=mark, title=title)
            for (title, code), mark in zip(_BOOKS, ["895.922 TÔH 2019", "895.922 NGD 2015",
                                                    "4(V)(075) TIE 2021", "895.922 LEM 2018",
                                                    "53(075) HUO 2020"])]


def equipment_labels() -> list[EquipmentLabel]:
    """A few equipment labels."""
    return [EquipmentLabel(code="TB.SINH6.007", name="Kính hiển vi quang học", school_name=SCHOOL),
            EquipmentLabel(code="TB.CNTT.002", name="Máy chiếu Epson EB-X06", school_name=SCHOOL),
            EquipmentLabel(code="TB.LY9.004", name="Bộ thí nghiệm mạch điện", school_name=SCHOOL)]
