import pytest

from tests.factories import database_toml
from tests.reports.schoolyear import build


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def year(request, tmp_path_factory):
    """The generated school year (built once per test module and engine; tests only read it):
    every report figure is checked on the kiosk's SQLite file and on a shared server."""
    database, databases = None, None
    if request.param == "postgresql":
        databases = request.getfixturevalue("pg_databases")
        database = {"url": databases.new()}
    made = build(tmp_path_factory.mktemp("year"), database)
    yield made
    made.context.close()
    if databases is not None:
        databases.drop(database["url"])


@pytest.fixture
def kiosk_toml(year, tmp_path):
    """A config file on the school year's database, exports into tmp_path."""
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[school]\ncode = "HY-THCS-01"\nname = "Trường THCS Thử Nghiệm"\nkiosk_id = "kiosk-1"\n'
        'place = "Hưng Yên"\n'
        + database_toml(year.context) +
        f'[reports]\nexport_dir = "{tmp_path / "exports"}"\n', encoding="utf-8")
    return path
