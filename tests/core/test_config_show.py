"""``kiosk config show``: every default filled in, the file's own values, no secret shown; a file
with several mistakes reports them all, with the nearest key for a misspelt one."""
import tomllib

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, config_from_dict


def test_config_show_prints_the_effective_config_as_toml(tmp_path, capsys):
    path = tmp_path / "kiosk.toml"
    path.write_text('[school]\ncode = "HY-1"\nname = "Trường Thử"\n'
                    '[sync]\nurl = "https://kiosk:s3cret-pass@so.example/api"\n'
                    '[loans.student]\nmax_books = 2\n', encoding="utf-8")
    assert main(["config", "show", "--config", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "s3cret-pass" not in shown and "https://kiosk:***@so.example/api" in shown
    parsed = tomllib.loads(shown)
    assert parsed["school"]["name"] == "Trường Thử"
    assert parsed["loans"]["student"]["max_books"] == 2
    assert parsed["loans"]["teacher"]["max_books"] == 10  # a default, filled in
    assert parsed["printer"]["kind"] == "preview" and parsed["scanner"][0]["kind"] == "keyboard"


def test_every_problem_of_a_file_is_reported_with_the_nearest_key():
    raw = {"school": {"code": "A", "name": "B"}, "loans": {"studnet": {"max_books": 2}},
           "printer": {"kind": "laser"}, "ui": {"idle_timeout_s": 0}}
    with pytest.raises(ConfigError) as caught:
        config_from_dict(raw, source="/etc/kiosk.toml")
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and all(line.startswith("/etc/kiosk.toml: ") for line in lines)
    assert "loans.studnet: không có khóa này (có phải loans.student?)" in lines[0]
    assert any(line.startswith("/etc/kiosk.toml: printer.kind: phải là một trong")
               for line in lines)
