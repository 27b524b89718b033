"""Fixtures for the devices tests (helpers live in ``scanhelpers``)."""
from pathlib import Path

import pytest

from scanhelpers import CORPUS


@pytest.fixture
def corpus() -> Path:
    """The zxing-samples folder, or skip when the shared corpus is absent."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS
