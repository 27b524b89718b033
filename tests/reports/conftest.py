import pytest

from tests.reports.schoolyear import build


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The generated school year (built once per test module; tests only read it)."""
    made = build(tmp_path_factory.mktemp("year"))
    yield made
    made.context.close()


@pytest.fixture
def kiosk_toml(year, tmp_path):
    """A config file on the school year's database, exports into tmp_path."""
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử Nghiệm"\nkiosk_id = "kiosk-1"\n'
        'place = "Hưng Yên"\n'
        f'[database]\npath = "{year.context.config.database.path}"\n'
        f'[reports]\nexport_dir = "{tmp_path / "exports"}"\n', encoding="utf-8")
    return path
