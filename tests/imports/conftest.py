import pytest

from db.models import (Copy, EquipmentItem, EquipmentType, Journal, Outbox, Patron, Title)
from kiosk.i18n import set_language
from tests.factories import make_context


@pytest.fixture
def fresh(tmp_path, database_section):
    """A kiosk context on an empty database (either engine)."""
    ctx = make_context(tmp_path, database=database_section)
    yield ctx
    ctx.close()


@pytest.fixture(autouse=True)
def vietnamese():
    """The CLI may switch the process-wide language; put Vietnamese back after each test."""
    yield
    set_language("vi")


def table_counts() -> dict[str, int]:
    """Rows in every table an import may touch, the outbox and the journal included."""
    return {model.__name__: model.select().count()
            for model in (Patron, Title, Copy, EquipmentType, EquipmentItem, Outbox, Journal)}


def outbox_types() -> list[str]:
    """The types of the queued provincial records, oldest first."""
    return [row.type for row in Outbox.select().order_by(Outbox.id)]
