"""The hub's tests: Django on the PostgreSQL cluster of scripts/with-postgres.

Without ``KIOSK_TEST_POSTGRES`` they are skipped (plain ``pytest`` still runs the rest); under
CI (``KIOSK_TEST_REQUIRE_REAL=1``, set by .ci/run) a missing database or chromium fails.
"""
import dataclasses
import os

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
