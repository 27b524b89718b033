"""The kiosk application: config, circulation services, sync, CLI and the Kivy UI (``kiosk.ui``)."""
from pathlib import Path

#: The checkout's root; the kiosk runs from its checkout (editable install), assets beside it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
