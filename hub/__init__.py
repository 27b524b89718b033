"""The district hub: receives every kiosk's records (contract v1, docs/provincial-sync.md) and
shows the district office and each principal the figures the district asks for (docs/hub.md).

A deployable of its own (Django). It imports nothing of the kiosk: the contract is its only tie.
"""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT_ROOT / "assets"
__version__ = "0.1.0"
