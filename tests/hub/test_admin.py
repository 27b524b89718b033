"""District staff issue and revoke kiosk tokens in the admin; the token is shown once."""
import re
from datetime import date

import pytest

from hub.schools.models import KioskToken

pytestmark = pytest.mark.django_db


def test_issue_a_token_in_the_admin_and_the_kiosk_can_push_with_it(client, feed, people):
    client.force_login(people["district"])
    page = client.post("/admin/schools/kiosk/", {"action": "new_token",
                                                 "_selected_action": [feed.kiosk.pk]},
                       follow=True).content.decode()
    token = re.search(r"HY-THCS-A/kiosk-a1: ([A-Za-z0-9_-]{40,})", page).group(1)
    assert KioskToken.objects.filter(kiosk=feed.kiosk).count() == 2
    assert not KioskToken.objects.filter(digest=token).exists()  # kept hashed only
    record, _ = feed.book_loan(date(2026, 10, 5), "HS1", "6A1")
    assert feed.post(client, feed.body([record]), token=token).status_code == 200


def test_revoke_in_the_admin_stops_every_token_of_the_kiosk(client, feed, people):
    client.force_login(people["district"])
    client.post("/admin/schools/kiosk/", {"action": "revoke",
                                          "_selected_action": [feed.kiosk.pk]}, follow=True)
    record, _ = feed.book_loan(date(2026, 10, 5), "HS1", "6A1")
    assert feed.post(client, feed.body([record])).status_code == 401


def test_principals_have_no_admin(client, people):
    client.force_login(people["principal_a"])
    response = client.get("/admin/schools/kiosk/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_district_staff_make_a_principal_account(client, feed, people):
    from django.contrib.auth.models import User

    client.force_login(people["district"])
    response = client.post("/admin/auth/user/add/", {
        "username": "hieutruong_moi", "password1": "Mật-khẩu-rất-dài-2026",
        "password2": "Mật-khẩu-rất-dài-2026", "usable_password": "true",
        "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "0", "membership-MAX_NUM_FORMS": "1",
        "membership-0-role": "principal", "membership-0-school": feed.school.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="hieutruong_moi")
    assert user.membership.school == feed.school and user.check_password("Mật-khẩu-rất-dài-2026")
