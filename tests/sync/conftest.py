import pytest

from kiosk.standin.server import StandinServer
from kiosk.sync.http import HttpConnector
from kiosk.sync.worker import SyncWorker
from tests.factories import make_context, seed_small_school
from tests.sync.helpers import TOKEN, StandinClient, write_token


@pytest.fixture
def standin(tmp_path):
    """A real stand-in provincial server on a free loopback port."""
    server = StandinServer(tmp_path / "standin.sqlite3", token=TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def standin_client(standin):
    """A client for the stand-in's fault and stats endpoints."""
    return StandinClient(standin.url)


@pytest.fixture
def token_file(tmp_path):
    """The kiosk's token file, mode 600."""
    return write_token(tmp_path / "province.token")


def sync_section(url: str, token_file, **overrides) -> dict:
    """A ``[sync]`` table with short back-offs for tests."""
    section = {"url": url, "token_file": str(token_file), "batch_size": 50,
               "interval_s": 0.2, "timeout_s": 2.0, "base_backoff_s": 1.0,
               "max_backoff_s": 60.0}
    section.update(overrides)
    return section


@pytest.fixture
def sync_context(tmp_path, standin, token_file, database_section):
    """A kiosk context (seeded school, either engine) whose sync points at the stand-in."""
    ctx = make_context(tmp_path, database=database_section,
                       sync=sync_section(standin.url, token_file))
    with ctx.db.atomic():
        seed_small_school()
    yield ctx
    ctx.close()


@pytest.fixture
def connector(sync_context, token_file):
    """The real HTTP connector for the context."""
    cfg = sync_context.config.sync
    return HttpConnector(cfg.url, TOKEN, cfg.timeout_s, token_file=str(token_file))


@pytest.fixture
def worker(sync_context, connector):
    """A worker on the context."""
    return SyncWorker(sync_context, connector)
