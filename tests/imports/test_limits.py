"""Files too big to import: too many rows, a zip bomb, too many bytes. Each is refused with its
limit named, and changes nothing, however far the import had got."""
import pytest

from bench.bench_import_memory import write_bomb, write_csv
from kiosk.imports import students
from kiosk.imports.errors import ImportFileError
from kiosk.imports.runner import run_import
from kiosk.imports.tabular import read_table
from kiosk.i18n import t
from tests.factories import reconfigure
from tests.imports.conftest import table_counts


def test_rows_are_read_as_the_import_goes(tmp_path):
    path = write_csv(tmp_path / "hs.csv", 5000)
    table = read_table(path, students.COLUMNS)
    assert table.count == 0  # the header is found; nothing below it read yet
    first = next(table.rows)
    assert first[0] == 2 and table.count == 1
    assert sum(1 for _ in table.rows) == 4999 and table.count == 5000


def test_more_rows_than_the_limit_is_refused_whole(context, tmp_path):
    reconfigure(context, "imports", max_rows=1200)
    before = table_counts()
    path = write_csv(tmp_path / "hs.csv", 1201)  # 1,200 rows would import; the last one is over
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "students", path)
    assert caught.value.reason == "too_many_rows" and caught.value.values["limit"] == 1200
    assert table_counts() == before  # the 1,200 rows written before it were rolled back
    assert t(caught.value.message_key, **caught.value.values) == (
        "Tệp hs.csv có hơn 1200 dòng dữ liệu: không nhập dòng nào. Hãy chia nhỏ tệp, hoặc tăng "
        "imports.max_rows trong tệp cấu hình.")
    assert run_import(context, "students", write_csv(tmp_path / "ok.csv", 1200)).created == 1200


def test_a_zip_bomb_is_refused_before_it_is_unpacked(context, tmp_path):
    reconfigure(context, "imports", max_unpacked_mb=20)
    bomb = write_bomb(tmp_path / "bomb.xlsx", target_mb=40)
    assert bomb.stat().st_size < 1024 * 1024  # under a megabyte on disk
    before = table_counts()
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "students", bomb)
    assert caught.value.reason == "unpacked_too_large" and caught.value.values["limit"] == 20
    assert table_counts() == before


def test_a_file_larger_than_the_limit_is_refused(context, tmp_path):
    reconfigure(context, "imports", max_file_mb=1)
    path = write_csv(tmp_path / "hs.csv", 40_000)  # about 1.5 MB
    with pytest.raises(ImportFileError) as caught:
        run_import(context, "students", path)
    assert caught.value.reason == "too_large" and caught.value.values["limit"] == 1


def test_bad_rows_past_a_thousand_are_counted_not_kept(fresh, tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text("Lớp,Mã học sinh,Họ tên\n" + "".join(f"6A1,HS{n},Tên {n}\n"
                                                       for n in range(3000)), encoding="utf-8")
    report = run_import(fresh, "students", path)
    assert report.bad_rows == 3000 and len(report.errors) == 1000 and not report.ok
    assert report.summary()["bad_rows"] == 3000
