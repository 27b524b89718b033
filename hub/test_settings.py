"""Settings for the test suite: the hub on the throw-away PostgreSQL cluster that
``scripts/with-postgres`` starts (``KIOSK_TEST_POSTGRES``). Without it the hub's tests are
skipped (see tests/hub/conftest.py) and this falls back to SQLite so Django still loads."""
import os
import tempfile

os.environ.setdefault("HUB_SECRET_KEY", "tests-only-not-a-secret")
_url = os.environ.get("KIOSK_TEST_POSTGRES")
os.environ["HUB_DATABASE_URL"] = _url or f"sqlite:///{tempfile.gettempdir()}/hub-tests.sqlite3"

from hub.settings import *  # noqa: E402,F401,F403

# Fast hashing in tests only (production uses Django's PBKDF2 default).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = os.path.join(tempfile.gettempdir(), "hub-test-static")
os.makedirs(STATIC_ROOT, exist_ok=True)
