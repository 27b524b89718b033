"""The hub's tests: Django on the PostgreSQL cluster of scripts/with-postgres.

Without ``KIOSK_TEST_POSTGRES`` they are skipped (plain ``pytest`` still runs the rest); under
CI (``KIOSK_TEST_REQUIRE_REAL=1``, set by .ci/run) a missing database or chromium fails.
"""
import dataclasses
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub.builders import KioskFeed

HERE = os.path.dirname(__file__)
REQUIRED = os.environ.get("KIOSK_TEST_REQUIRE_REAL") == "1"
NO_POSTGRES = "needs PostgreSQL: run through scripts/with-postgres (KIOSK_TEST_POSTGRES is not set)"


def pytest_collection_modifyitems(config, items):
    """Skip (or, under CI, fail) the hub's tests without a PostgreSQL server."""
    if os.environ.get("KIOSK_TEST_POSTGRES"):
        return
    needs = {"db", "transactional_db", "live_server", "django_db_setup"}
    mine = [item for item in items if str(item.fspath).startswith(HERE) and (
        item.get_closest_marker("django_db") or needs & set(getattr(item, "fixturenames", ())))]
    if REQUIRED and mine:
        raise pytest.UsageError("CI: KIOSK_TEST_POSTGRES is not set: the hub's tests need "
                                "PostgreSQL (scripts/with-postgres)")
    for item in mine:
        item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))


@pytest.fixture(autouse=True)
def _fresh_terms():
    from hub.calendar import forget_terms

    forget_terms()
    yield
    forget_terms()


@pytest.fixture
def hub_config(settings):
    """Change the hub's config for one test: ``hub_config(ingest=dict(retry_after_s=3))``."""
    def change(**sections):
        current = settings.HUB
        for name, values in sections.items():
            current = dataclasses.replace(
                current, **{name: dataclasses.replace(getattr(current, name), **values)})
        settings.HUB = current
        return current
    return change


@pytest.fixture
def feed(db):
    """A school with one kiosk and its token, and a helper that pushes records to it."""
    return KioskFeed.create("HY-THCS-A", "Trường THCS A", "kiosk-a1")


@pytest.fixture
def feed_b(db):
    """A second school."""
    return KioskFeed.create("HY-THCS-B", "Trường THCS B", "kiosk-b1")


def make_user(username: str, role: str, school=None, password: str = "mật-khẩu-đủ-dài-1"):
    """A person with a role (``district``, ``principal``, ``readonly``)."""
    from django.contrib.auth.models import User

    from hub.schools.models import Membership

    user = User.objects.create_user(username, password=password,
                                    is_staff=(role == "district"))
    Membership.objects.create(user=user, role=role, school=school)
    return user


@pytest.fixture
def people(feed, feed_b):
    """District staff, a district read-only user, and each school's principal."""
    return {"district": make_user("phong", "district"),
            "readonly": make_user("xem", "readonly"),
            "principal_a": make_user("hieutruong_a", "principal", feed.school),
            "principal_b": make_user("hieutruong_b", "principal", feed_b.school)}


# -- a real kiosk in its own processes, pushing to the hub's live server -------------------------
ROOT = Path(__file__).resolve().parents[2]
KIOSK = [sys.executable, "-m", "kiosk"]


def run_kiosk(*args, config: Path, module: str = "kiosk") -> subprocess.CompletedProcess:
    """``python -m kiosk ARGS`` (or another module) with the kiosk's config, in its own
    process (no Django settings leak into it)."""
    env = dict(os.environ, KIOSK_CONFIG=str(config))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def outbox_states(db: Path) -> dict:
    """The kiosk's outbox: records per state."""
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())


@pytest.fixture
def demo_kiosk(tmp_path, live_server):
    """The demo kiosk (``kiosk demo --prepare``) set to push to the hub's live server with its
    own token: (config path, kiosk database, the hub's Kiosk)."""
    from hub.ingest.tokens import issue_token
    from hub.schools.models import Kiosk, School

    folder = tmp_path / "kiosk"
    done = subprocess.run([*KIOSK, "demo", "--prepare", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    school = School.objects.create(code="HY-THCS-DEMO", name="Trường THCS Hoa Sen")
    kiosk = Kiosk.objects.create(school=school, kiosk_id="demo-kiosk-1")
    token = folder / "token"
    token.write_text(issue_token(kiosk) + "\n")
    token.chmod(0o600)
    config = folder / "hub-kiosk.toml"
    config.write_text((folder / "kiosk.toml").read_text() +
                      f'\n[sync]\nurl = "{live_server.url}"\ntoken_file = "token"\n')
    return config, folder / "kiosk.sqlite3", kiosk
