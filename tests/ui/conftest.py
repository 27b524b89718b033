"""Fixtures for the screens' logic (no window) and the window tests' environment."""
import os
import tempfile

import pytest

# Kivy reads these when first imported (only the window tests import it).
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", os.path.join(tempfile.gettempdir(), "kiosk-test-kivy-home"))

from kiosk.i18n import set_language  # noqa: E402
from kiosk.presenters.idle import FakeMonotonic  # noqa: E402
from tests.dummy_ports import MemorySounds, RecordingPrinter, make_flow  # noqa: E402
from tests.factories import reconfigure  # noqa: E402


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test starts (and ends) in Vietnamese."""
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def monotonic():
    """The idle timer's clock, moved by hand."""
    return FakeMonotonic()


@pytest.fixture
def receipts(context):
    """A printer that records what each request prints."""
    return RecordingPrinter(context)


@pytest.fixture
def sounds():
    """A sound player that records what it played."""
    return MemorySounds()


@pytest.fixture
def flow(context, receipts, sounds, monotonic):
    """The kiosk's flow on the small school, with in-memory ports (sync configured)."""
    reconfigure(context, "sync", url="https://so-gd.example/api")  # read by the indicator
    kiosk_flow, writer = make_flow(context, receipts, sounds, monotonic)
    yield kiosk_flow
    writer.close()
