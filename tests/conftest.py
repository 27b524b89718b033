import pytest

from kiosk.i18n import set_language

from tests.factories import make_context, seed_small_school


@pytest.fixture(autouse=True)
def vietnamese_first():
    """Every test starts in Vietnamese, whatever the one before it switched to."""
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def context(tmp_path):
    """A kiosk context on a fresh database file with a small school in it."""
    ctx = make_context(tmp_path)
    with ctx.db.atomic():
        seed_small_school()
    yield ctx
    ctx.close()
