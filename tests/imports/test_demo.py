"""The demo school: its files import cleanly and ``kiosk demo --prepare`` builds a usable kiosk."""
import openpyxl
import pytest

from db.models import (Copy, EquipmentItem, EquipmentType, Holiday, Loan, Patron, Period,
                       SchoolYear, Term, Title)
from kiosk.cli import main
from kiosk.cli import demo as demo_cli
from kiosk.config import load_config
from kiosk.context import open_context
from kiosk.demo import DEMO_ASSETS, load_school, prepare_demo
from kiosk.imports.codes import expand_codes
from kiosk.imports.tabular import header_key
from kiosk.services.staff import verify_pin


def _column(name: str, header: str) -> list:
    """The cells under ``header`` in an asset workbook, read independently of the importer."""
    sheet = openpyxl.load_workbook(DEMO_ASSETS / name, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    for index, row in enumerate(rows):
        keys = [header_key(cell) for cell in row]
        if header_key(header) in keys:
            column = keys.index(header_key(header))
            return [r[column] for r in rows[index + 1:] if any(r)]
    raise AssertionError(f"{header} not in {name}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    config_path = prepare_demo(directory)
    context = open_context(load_config(config_path))
    yield directory, config_path, context
    context.close()


def test_demo_database_matches_the_asset_files(demo):
    _, _, context = demo
    statuses = _column("students.xlsx", "Trạng thái HS")
    assert Patron.select().where(Patron.kind == "student").count() == len(statuses) >= 250
    assert Patron.select().where(Patron.kind == "student", Patron.active == False  # noqa: E712
                                 ).count() == sum(1 for s in statuses if s != "Đang học")
    assert len({p.class_name for p in Patron.select().where(Patron.kind == "student")}) == 8
    kinds = _column("teachers.xlsx", "Loại")
    assert Patron.select().where(Patron.kind == "teacher").count() == kinds.count("Giáo viên")
    assert Patron.select().where(Patron.kind == "staff").count() == kinds.count("Nhân viên") == 2
    accession = _column("books.xlsx", "Số ĐKCB")
    assert Title.select().count() == len(accession) >= 100
    assert Copy.select().count() == sum(len(expand_codes(c)) for c in accession) >= 500
    labels = [c for c in _column("equipment.xlsx", "Mã nhãn")]
    assert EquipmentType.select().count() == len(labels) >= 35
    assert EquipmentItem.select().count() == sum(len(expand_codes(c or "")) for c in labels)
    assert EquipmentType.select().where(EquipmentType.tracking == "counted").count() == sum(
        1 for c in labels if not c)


def test_demo_calendar_staff_pins_and_loans(demo):
    directory, config_path, context = demo
    school = load_school()
    assert context.config.school.code == "HY-THCS-DEMO"
    assert context.config.resolve(context.config.database.path) == directory / "kiosk.sqlite3"
    assert context.config.printer.kind == "preview"
    assert SchoolYear.get().name == "2026-2027" and Term.select().count() == 2
    assert Period.select().count() == len(school.raw["periods"])
    assert Holiday.select().count() == len(school.raw["holidays"])
    for staff in Patron.select().where(Patron.kind == "staff"):
        assert verify_pin(school.staff_pin, staff.pin_hash)
    today = context.clock.today()
    overdue = Loan.select().where(Loan.returned_at.is_null(), Loan.due_on < today,
                                  Loan.kind == "book")
    assert len({loan.patron_id for loan in overdue}) == 2
    assert Loan.select().where(Loan.returned_at.is_null()).count() >= 5
    assert Loan.select().where(Loan.returned_at.is_null(False)).count() >= 1


def test_prepare_twice_adds_no_second_set_of_loans(demo):
    directory, _, context = demo
    loans = Loan.select().count()
    prepare_demo(directory)
    again = open_context(context.config)  # re-bind the models to the demo file
    try:
        assert Loan.select().count() == loans
        assert Patron.select().where(Patron.kind == "student").count() == len(
            _column("students.xlsx", "Mã học sinh"))
    finally:
        again.close()


def test_cli_demo_prepare_prints_the_pin(tmp_path, capsys):
    assert main(["demo", "--prepare", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert "1234" in out and str(tmp_path / "d" / "kiosk.toml") in out
    assert (tmp_path / "d" / "kiosk.sqlite3").is_file()


def test_cli_demo_without_prepare_uses_the_data_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    started = []
    monkeypatch.setattr(demo_cli, "start_kiosk",
                        lambda path, console=False: started.append(path) or 0)
    assert main(["demo"]) == 0
    expected = tmp_path / "data" / "school-kiosk" / "demo" / "kiosk.toml"
    assert started == [expected] and expected.is_file()
    assert "1234" in capsys.readouterr().out
    assert main(["demo"]) == 0  # already there: not prepared again
    assert capsys.readouterr().out == ""
    assert started == [expected, expected]


def test_start_kiosk_serves_scans_on_the_demo_school(tmp_path, capsys, monkeypatch):
    import io
    config_path = prepare_demo(tmp_path)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("CB0001\nxong\n"))
    assert demo_cli.start_kiosk(config_path, console=True) == 0
    assert "Xin chào Đỗ Minh Thư" in capsys.readouterr().out


def test_prepare_never_overwrites_a_real_config(tmp_path, capsys):
    real = tmp_path / "kiosk.toml"
    real.write_text('[school]\ncode = "HY-THCS-01"\nname = "Trường thật"\n', encoding="utf-8")
    assert main(["demo", "--prepare", str(tmp_path)]) == 2
    assert "not a demo config" in capsys.readouterr().out
    assert real.read_text(encoding="utf-8").endswith('"Trường thật"\n')
    assert not (tmp_path / "kiosk.sqlite3").exists()
