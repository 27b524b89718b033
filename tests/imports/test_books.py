"""Books: titles matched by ISBN or by title and author, copies by accession number."""
import json

from db.models import Copy, Outbox, Title
from kiosk.imports.runner import run_import
from tests.imports.conftest import outbox_types, table_counts
from tests.imports.sheets import nfd, write_xlsx

HEADER = ["STT", "Nhan đề", "Tác giả", "Nhà xuất bản", "Năm xuất bản", "ISBN",
          "Ký hiệu phân loại", "Giá tiền", "Kho", "Số ĐKCB"]
ROWS = [
    [1, "Toán 6, tập một", "Bộ Giáo dục và Đào tạo", "NXB Giáo dục Việt Nam", 2021,
     "978-604-0-00001-9", "51(075)", "18.000", "GK", "GK.00001-GK.00005"],
    [2, nfd("Đất rừng phương Nam"), "Đoàn Giỏi", "NXB Kim Đồng", 2019, "", "895.922", 75000,
     "TN", "TN.00001, TN.00002; TN.00003"],
    [3, "Kính vạn hoa", "Nguyễn Nhật Ánh", "NXB Kim Đồng", "2020", "6041000000", "895.922",
     "60000đ", "TN", "TN.00004"],
]


def books_file(path, rows):
    return write_xlsx(path, [nfd(h) for h in HEADER], rows, above=[["SỔ ĐĂNG KÝ CÁ BIỆT"]])


def test_books_with_ranges_lists_and_isbn(fresh, tmp_path):
    report = run_import(fresh, "books", books_file(tmp_path / "s.xlsx", ROWS))
    assert (report.created, report.errors) == (9, [])
    assert report.extra == {"titles_created": 3}
    math = Title.get(Title.isbn == "9786040000019")
    assert (math.title, math.year, math.price, math.classification) == (
        "Toán 6, tập một", 2021, 18000, "51(075)")
    assert [c.barcode for c in math.copies.order_by(Copy.barcode)] == [
        f"GK.0000{n}" for n in range(1, 6)]
    land = Title.get(Title.search_key == "dat rung phuong nam")
    assert land.title == "Đất rừng phương Nam" and land.isbn is None
    assert land.copies.count() == 3
    kinh = Title.get(Title.title == "Kính vạn hoa")
    assert (kinh.isbn, kinh.price) == ("9786041000001", 60000)  # ISBN-10 made ISBN-13
    copy = Copy.get(Copy.barcode == "TN.00004")
    assert (copy.store, copy.price, copy.shelf_mark) == ("TN", 60000, "895.922 NGU 2020")


def test_each_new_copy_is_declared_to_the_province(fresh, tmp_path):
    run_import(fresh, "books", books_file(tmp_path / "s.xlsx", ROWS))
    assert outbox_types() == ["item.declared"] * 9
    data = json.loads(Outbox.select().order_by(Outbox.id).first().data)
    assert (data["item_barcode"], data["isbn"], data["school_code"]) == (
        "GK.00001", "9786040000019", "HY-THCS-01")


def test_reimport_updates_rather_than_duplicates(fresh, tmp_path):
    run_import(fresh, "books", books_file(tmp_path / "a.xlsx", ROWS))
    before = table_counts()
    rows = [row[:] for row in ROWS]
    rows[1][7] = 80000                       # new price for Đất rừng phương Nam
    rows[0][9] = "GK.00001-GK.00006"         # one more copy of Toán 6
    rows[2][1] = "KÍNH VẠN HOA"              # same ISBN: same title, renamed
    report = run_import(fresh, "books", books_file(tmp_path / "b.xlsx", rows))
    assert report.errors == []
    assert report.created == 1
    assert Title.select().count() == 3
    assert Copy.select().count() == before["Copy"] + 1
    assert Copy.get(Copy.barcode == "TN.00002").price == 80000
    assert Title.get(Title.isbn == "9786041000001").title == "KÍNH VẠN HOA"
    new_records = outbox_types()[before["Outbox"]:]
    assert new_records.count("item.declared") == 1
    assert new_records.count("item.updated") == 4  # 3 repriced copies + the renamed title's copy
    again = run_import(fresh, "books", books_file(tmp_path / "b.xlsx", rows))
    assert (again.created, again.updated, again.records) == (0, 0, 0)


def test_title_without_isbn_matched_by_title_and_author(fresh, tmp_path):
    run_import(fresh, "books", books_file(tmp_path / "a.xlsx", [ROWS[1]]))
    same = [[1, "Dat rung phuong nam", "DOAN GIOI", "", "", "", "", "", "TN", "TN.00010"]]
    run_import(fresh, "books", books_file(tmp_path / "b.xlsx", same))
    assert Title.select().count() == 1
    assert Copy.get(Copy.barcode == "TN.00010").title.title == "Dat rung phuong nam"


def test_bad_book_rows(fresh, tmp_path):
    rows = ROWS + [
        [4, "", "Ai", "", "", "", "", "", "TK", "TK.00001"],                    # row 6
        [5, "Sách A", "Ai", "", "", "978-604-0-00001-2", "", "", "TK", "TK.00002"],  # row 7
        [6, "Sách B", "Ai", "", "năm ngoái", "", "", "", "TK", "TK.00003"],     # row 8
        [7, "Sách C", "Ai", "", "", "", "", "rẻ", "TK", "TK.00004"],            # row 9
        [8, "Sách D", "Ai", "", "", "", "", "", "TK", "TK.00009-TK.00005"],     # row 10
        [9, "Sách E", "Ai", "", "", "", "", "", "TN", "TN.00004"],              # row 11
    ]
    report = run_import(fresh, "books", books_file(tmp_path / "s.xlsx", rows))
    assert [(e.row_number, e.reason_key) for e in report.errors] == [
        (6, "missing_title"), (7, "bad_isbn"), (8, "bad_year"), (9, "bad_price"),
        (10, "bad_range"), (11, "duplicate_in_file")]
    assert report.created == 9
    assert not Copy.select().where(Copy.barcode.startswith("TK")).exists()
