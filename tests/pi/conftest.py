"""The screens' logic fixtures (flow on the small school) for the Pi tests."""
from tests.ui.conftest import flow, monotonic, receipts, sounds  # noqa: F401
