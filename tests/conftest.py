import pytest

from tests.factories import make_context, seed_small_school


@pytest.fixture
def context(tmp_path):
    """A kiosk context on a fresh database file with a small school in it."""
    ctx = make_context(tmp_path)
    with ctx.db.atomic():
        seed_small_school()
    yield ctx
    ctx.close()
