"""A principal of school A gets 404 on every URL of school B, and on every district-wide URL;
district staff get each page. The test walks every URL pattern the hub has."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hub.web.models import DistrictRequest, RequestAnswer

pytestmark = pytest.mark.django_db
OPEN = ("login/", "logout/", "i18n/", "admin/", "v1/")  # not pages of a school or the district


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith(OPEN):
                yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(OPEN):
            yield route


def _fill(route: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


@pytest.fixture
def world(feed, feed_b, people):
    request = DistrictRequest.objects.create(title="Thống kê HK1", kind="usage_subjects",
                                             school_year="2026-2027", term="HK1",
                                             due_on="2027-01-15")
    answers = {s.code: RequestAnswer.objects.create(request=request, school=s, state="sent",
                                                    figures={"columns": ["a"], "rows": [[1]]})
               for s in (feed.school, feed_b.school)}
    return request, answers


def test_every_pattern_is_walked(world):
    routes = list(_patterns())
    assert len([r for r in routes if "<str:code>" in r]) >= 8
    assert len([r for r in routes if r.startswith("district/")]) >= 8


def test_principal_of_a_gets_404_on_every_url_of_b_and_of_the_district(client, people, world):
    request, answers = world
    client.force_login(people["principal_a"])
    checked = 0
    for route in _patterns():
        if route == "":
            continue
        url = _fill(route, {"code": "HY-THCS-B", "pk": request.pk,
                            "answer": answers["HY-THCS-B"].pk})
        if "<str:code>" in route or route.startswith("district/"):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"note": "x", "answer": answers["HY-THCS-B"].pk,
                                     "action": "receive"}).status_code == 404, url
            checked += 1
        own = _fill(route, {"code": "HY-THCS-A", "pk": request.pk,
                            "answer": answers["HY-THCS-A"].pk})
        if "<str:code>" in route:
            assert client.get(own).status_code == 200, own
    assert checked >= 16
    answers["HY-THCS-B"].refresh_from_db()
    assert answers["HY-THCS-B"].state == "sent"  # nothing changed by the walk


def test_unknown_school_is_404_for_district_staff_too(client, people):
    client.force_login(people["district"])
    assert client.get("/s/NO-SUCH-SCHOOL/").status_code == 404


def test_district_staff_open_every_page_of_every_school(client, people, world):
    request, answers = world
    client.force_login(people["district"])
    for route in _patterns():
        for code in ("HY-THCS-A", "HY-THCS-B"):
            url = _fill(route, {"code": code, "pk": request.pk, "answer": answers[code].pk})
            response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)


def test_a_user_without_a_role_sees_nothing(client, world):
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("khach", password="x-y-z-1-2-3")
    client.force_login(nobody)
    for route in _patterns():
        if route:
            url = _fill(route, {"code": "HY-THCS-A", "pk": world[0].pk,
                                "answer": world[1]["HY-THCS-A"].pk})
            assert client.get(url).status_code == 404, url
