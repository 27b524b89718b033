"""The config file: typed, validated, one-line errors naming key and file."""
import pytest

from kiosk import PROJECT_ROOT
from kiosk.config import ConfigError, config_from_dict, find_config_path, load_config


def test_example_config_is_valid():
    config = load_config(PROJECT_ROOT / "config/kiosk.example.toml")
    assert config.school.code == "HY-THCS-0001"
    assert config.loans.student.max_books == 3 and config.loans.teacher.may_borrow_equipment
    assert config.scanner[0].kind == "keyboard" and config.printer.kind == "preview"


def test_defaults_for_everything_but_the_school():
    config = config_from_dict({"school": {"code": "A", "name": "B"}})
    assert config.loans.closed_weekdays == [6]
    assert config.database.busy_timeout_ms == 5000 and config.sync.batch_size == 200
    with pytest.raises(ConfigError, match="school: bắt buộc, đang thiếu"):
        config_from_dict({})
    with pytest.raises(ConfigError, match="school.name: bắt buộc"):
        config_from_dict({"school": {"code": "A"}})


@pytest.mark.parametrize("section, value, key", [
    ({"loans": {"student": {"max_books": "ba"}}}, None, "loans.student.max_books"),
    ({"loans": {"student": {"book_loan_days": 0}}}, None, "loans.student.book_loan_days"),
    ({"loans": {"closed_weekdays": [7]}}, None, "loans.closed_weekdays"),
    ({"printer": {"kind": "laser"}}, None, "printer.kind"),
    ({"printer": {"kind": "usb"}}, None, "printer.vendor_id"),
    ({"scanner": [{"kind": "serial"}]}, None, "scanner[0].port"),
    ({"codes": {"student": "("}}, None, "codes.student"),
    ({"sync": {"url": "ftp://x"}}, None, "sync.url"),
    ({"ui": {"fullscreen": "yes"}}, None, "ui.fullscreen"),
])
def test_bad_values_name_their_key(section, value, key):
    raw = {"school": {"code": "A", "name": "B"}, **section}
    with pytest.raises(ConfigError) as caught:
        config_from_dict(raw, source="/etc/kiosk.toml")
    assert str(caught.value).startswith(f"/etc/kiosk.toml: {key}")


def test_config_path_from_option_or_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    with pytest.raises(ConfigError):
        find_config_path(None)
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "a.toml"))
    assert find_config_path(None) == tmp_path / "a.toml"
    assert find_config_path("b.toml").name == "b.toml"


def test_unreadable_toml_is_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[school\ncode=")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: không phải TOML hợp lệ")
    assert "\n" not in str(caught.value)


def test_problems_speak_the_language_of_the_moment(tmp_path, monkeypatch):
    from kiosk.i18n import set_language
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    with pytest.raises(ConfigError) as caught:
        find_config_path(None)
    assert str(caught.value) == "chưa có tệp cấu hình: dùng --config TỆP hoặc đặt biến KIOSK_CONFIG"
    set_language("en")
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"school": {"code": "A", "name": "B"}, "ui": {"idle_timeout_s": 0}},
                         source="k.toml")
    assert str(caught.value) == "k.toml: ui.idle_timeout_s: must be positive"


def test_a_config_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'[school]\ncode = "A"\nname = "Tr\xfd\xf5\xccng"\n')  # "Trường" in cp1258
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: không phải văn bản UTF-8 (hãy lưu tệp dạng UTF-8)"


def test_relative_paths_are_taken_from_the_config_folder(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "A"\nname = "B"\n[database]\npath = "data/k.sqlite3"\n')
    config = load_config(path)
    assert config.resolve(config.database.path) == tmp_path / "data/k.sqlite3"
