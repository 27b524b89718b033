import pytest

from kiosk.i18n import set_language

from tests import postgres
from tests.factories import make_context, seed_small_school

ENGINES = ("sqlite", "postgresql")
#: The suites whose database tests run on both engines (the rest on SQLite, the kiosk's default).
BOTH_ENGINES = ("core", "imports", "sync", "reports", "services")


def pytest_addoption(parser):
    parser.addoption("--engine", action="append", choices=ENGINES, default=None,
                     help="run the database tests on this engine only (repeatable); default: "
                          "both when KIOSK_TEST_POSTGRES names a server, else SQLite")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself (pragmas, the file on disk)")
    config.addinivalue_line(
        "markers", "postgresql_only: about the PostgreSQL server itself")


def _engines(config) -> list[str]:
    chosen = config.getoption("--engine")
    if chosen:
        return list(dict.fromkeys(chosen))
    if postgres.URL or postgres.REQUIRED:
        return list(ENGINES)
    return ["sqlite"]


def pytest_generate_tests(metafunc):
    """A test that uses a database (the ``engine`` fixture, directly or through ``context``)
    runs once per engine in the suites of :data:`BOTH_ENGINES`."""
    if "engine" not in metafunc.fixturenames:
        return
    parts = metafunc.definition.path.parts
    suite = parts[parts.index("tests") + 1] if "tests" in parts else ""
    engines = _engines(metafunc.config) if suite in BOTH_ENGINES else ["sqlite"]
    if metafunc.definition.get_closest_marker("sqlite_only"):
        engines = [e for e in engines if e == "sqlite"]
    if metafunc.definition.get_closest_marker("postgresql_only"):
        engines = ["postgresql"]
    metafunc.parametrize("engine", engines, indirect=True)


@pytest.fixture(scope="session")
def pg_databases():
    """The test server's database maker (fails under CI when there is no server)."""
    if postgres.URL is None:
        if postgres.REQUIRED:
            pytest.fail("KIOSK_TEST_POSTGRES is not set: no PostgreSQL for the tests")
        pytest.skip("no PostgreSQL server (KIOSK_TEST_POSTGRES is not set)")
    databases = postgres.Databases(postgres.URL)
    yield databases
    databases.close()


@pytest.fixture
def engine(request):
    """The database engine this run of the test uses: ``sqlite`` or ``postgresql``."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_section(engine, tmp_path, request):
    """The ``[database]`` table of a new, migrated database on the test's engine."""
    if engine == "sqlite":
        yield {"path": str(tmp_path / "kiosk.sqlite3")}
        return
    databases = request.getfixturevalue("pg_databases")
    url = databases.new()
    yield {"url": url}
    databases.drop(url)


@pytest.fixture
def new_database(engine, tmp_path, request):
    """Make empty (unmigrated) databases on the test's engine: ``new_database(name)`` gives
    the target ``open_database`` takes (a file path, or a server URL)."""
    made = []

    def make(name: str = "new"):
        if engine == "sqlite":
            return tmp_path / f"{name}.sqlite3"
        url = request.getfixturevalue("pg_databases").new(migrated=False)
        made.append(url)
        return url
    yield make
    if made:
        from db.connection import database
        if database.obj is not None and not database.obj.is_closed():
            database.obj.close()
        for url in made:
            request.getfixturevalue("pg_databases").drop(url)


@pytest.fixture(autouse=True)
def vietnamese_first():
    """Every test starts in Vietnamese, whatever the one before it switched to."""
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def context(tmp_path, database_section):
    """A kiosk context on a fresh database with a small school in it."""
    ctx = make_context(tmp_path, database=database_section)
    with ctx.db.atomic():
        seed_small_school()
    yield ctx
    ctx.close()
