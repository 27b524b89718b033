"""The pages, as district staff and principals see them (Django's test client, PostgreSQL)."""
import io
from datetime import date

import openpyxl
import pytest

from hub.web.models import DistrictRequest, RequestAnswer
from tests.hub.schoolyear import YEAR, push_school_year

pytestmark = pytest.mark.django_db
Q = f"?year={YEAR}&term=HK1"


def _xlsx(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()], book


def test_login_page_is_vietnamese_first_and_english_on_request(client):
    page = client.get("/login/")
    assert "Đăng nhập" in page.content.decode()
    assert "Đăng nhập" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    english = client.get("/login/")
    assert "Log in" in english.content.decode() and "Đăng nhập" not in english.content.decode()


def test_pages_need_a_log_in(client, people):
    for url in ("/district/", "/s/HY-THCS-A/", "/s/HY-THCS-A/usage/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_district_staff_see_every_school_and_its_kiosks_health(client, feed, feed_b, people):
    push_school_year(client, feed)
    client.force_login(people["district"])
    page = client.get("/district/?sort=name").content.decode()
    assert "Trường THCS A" in page and "Trường THCS B" in page
    assert page.index("Trường THCS A") < page.index("Trường THCS B")
    assert "Hoạt động" in page  # A pushed just now: green
    assert "Mất liên lạc" in page  # B never did
    rows, _ = _xlsx(client.get("/district/?format=xlsx"))
    assert ["HY-THCS-A", "Trường THCS A", "Hoạt động"] == rows[6 + 1][:3] or \
        ["HY-THCS-A", "Trường THCS A", "Hoạt động"] == rows[6 + 2][:3]


def test_school_usage_page_and_its_xlsx(client, feed, people):
    push_school_year(client, feed)
    client.force_login(people["principal_a"])
    page = client.get(f"/s/HY-THCS-A/usage/{Q}").content.decode()
    assert "Tổ KHTN" in page and "Nguyễn Văn Một" in page and "<svg" in page
    assert "75" in page  # GV1: 3 of 4
    rows, _ = _xlsx(client.get(f"/s/HY-THCS-A/usage/{Q}&format=xlsx"))
    assert rows[0][3] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    gv1 = next(r for r in rows if r[1] == "GV1")
    assert gv1[2:6] == ["Nguyễn Văn Một", 4, 3, 75.0]
    school_total = next(r for r in rows if r[2] == "Cộng toàn trường")
    assert school_total[3:6] == [12, 5, 41.7]


def test_subjects_reading_declarations_overdue_pages_and_xlsx(client, feed, people):
    push_school_year(client, feed)
    client.force_login(people["principal_a"])
    rows, _ = _xlsx(client.get(f"/s/HY-THCS-A/usage/subjects/{Q}&format=xlsx"))
    khtn = next(r for r in rows if r[1] == "KHTN")
    assert khtn[2:6] == [3, 0, 1, 4]
    page = client.get(f"/s/HY-THCS-A/reading/?year={YEAR}").content.decode()
    assert "6A1" in page and "<svg" in page and "polyline" in page
    rows, _ = _xlsx(client.get(f"/s/HY-THCS-A/reading/?year={YEAR}&format=xlsx"))
    a1 = next(r for r in rows if r[0] == "6A1")
    assert a1[1] == 40 and a1[-4:] == [4, 0.1, 2, 74]
    page = client.get(f"/s/HY-THCS-A/declarations/?year={YEAR}").content.decode()
    assert "TK.00101" in page and "giá" in page
    rows, _ = _xlsx(client.get("/s/HY-THCS-A/overdue/?format=xlsx"))
    assert any(r[0] == "HS12" for r in rows)


def test_text_that_looks_like_a_formula_is_written_as_text(client, feed, people):
    push_school_year(client, feed)
    client.force_login(people["principal_a"])
    response = client.get(f"/s/HY-THCS-A/declarations/?year={YEAR}&format=xlsx")
    _, book = _xlsx(response)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    # In the raw sheet the title is an inline string, never a <f> formula element.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert '<is><t>=HYPERLINK("http://x","y")</t></is>' in sheet
    assert "15/09/2026 09:00" in sheet  # declared at 09:00 Vietnam time


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_stays_text(text):
    from openpyxl.cell import WriteOnlyCell  # noqa: F401

    from hub.web import xlsx

    book = xlsx.workbook()
    sheet = xlsx.Sheet(book, "t")
    sheet.row([text, 5])
    loaded = openpyxl.load_workbook(io.BytesIO(xlsx.to_bytes(book)))
    first = loaded.worksheets[0]["A1"]
    # XML turns a lone CR into LF when read back; either way it is a text cell, not a formula.
    assert first.data_type == "s" and first.value.replace("\n", "\r") == text
    assert loaded.worksheets[0]["B1"].value == 5


def test_district_comparisons(client, feed, feed_b, people):
    push_school_year(client, feed)
    client.force_login(people["readonly"])
    for url in ("/district/usage/", "/district/reading/", "/district/declarations/",
                "/district/overdue/"):
        page = client.get(url + Q)
        assert page.status_code == 200 and "Trường THCS B" in page.content.decode(), url
    rows, _ = _xlsx(client.get(f"/district/usage/{Q}&format=xlsx&table=subjects"))
    assert next(r for r in rows if r[1] == "KHTN")[2:6] == [3, 0, 1, 4]


def test_a_district_request_answered_refused_and_received(client, feed, feed_b, people):
    push_school_year(client, feed)
    client.force_login(people["district"])
    response = client.post("/district/requests/", {
        "title": "Thống kê số tiết sử dụng thiết bị HK1", "kind": "usage_subjects",
        "school_year": YEAR, "term": "HK1", "due_on": "2027-01-15"})
    item = DistrictRequest.objects.get()
    assert response.status_code == 302
    assert set(item.answers.values_list("state", flat=True)) == {"pending"}
    client.force_login(people["principal_a"])
    page = client.get(f"/s/HY-THCS-A/requests/{item.pk}/").content.decode()
    assert "Chưa gửi" in page and "15/01/2027" in page and "KHTN" in page
    client.post(f"/s/HY-THCS-A/requests/{item.pk}/", {"note": "Số liệu từ ki-ốt"})
    answer = RequestAnswer.objects.get(request=item, school=feed.school)
    assert answer.state == "sent" and answer.figures["rows"][0][0] == "KHTN"
    client.force_login(people["district"])
    refused = client.post(f"/district/requests/{item.pk}/", {"answer": answer.pk,
                                                            "action": "refuse", "reason": ""})
    assert refused.status_code == 302
    answer.refresh_from_db()
    assert answer.state == "sent"  # a refusal needs a reason
    client.post(f"/district/requests/{item.pk}/", {"answer": answer.pk, "action": "refuse",
                                                   "reason": "Thiếu khối 9"})
    answer.refresh_from_db()
    assert (answer.state, answer.reason) == ("refused", "Thiếu khối 9")
    client.force_login(people["principal_a"])
    page = client.get(f"/s/HY-THCS-A/requests/{item.pk}/").content.decode()
    assert "Thiếu khối 9" in page and "Từ chối" in page
    client.post(f"/s/HY-THCS-A/requests/{item.pk}/", {"note": "Đã bổ sung"})
    client.force_login(people["district"])
    client.post(f"/district/requests/{item.pk}/", {"answer": answer.pk, "action": "receive"})
    answer.refresh_from_db()
    assert answer.state == "received"
    page = client.get(f"/district/requests/{item.pk}/").content.decode()
    assert "Đã nhận" in page and "Chưa gửi" in page  # B has not sent
    rows, _ = _xlsx(client.get(f"/district/requests/{item.pk}/answers/{answer.pk}.xlsx"))
    assert any(r[0] == "KHTN" for r in rows)


def test_read_only_users_cannot_change_anything(client, feed, people):
    client.force_login(people["readonly"])
    response = client.post("/district/requests/", {"title": "x", "kind": "usage",
                                                   "school_year": YEAR, "term": "HK1",
                                                   "due_on": "2027-01-15"})
    assert response.status_code == 404 and not DistrictRequest.objects.exists()


def test_csrf_is_enforced_on_forms(feed, people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["district"])
    response = strict.post("/district/requests/", {"title": "x", "kind": "usage",
                                                   "school_year": YEAR, "term": "HK1",
                                                   "due_on": "2027-01-15"})
    assert response.status_code == 403 and not DistrictRequest.objects.exists()


def test_log_in_is_locked_after_repeated_wrong_passwords(client, people, hub_config):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "phong", "password": "sai"})
    locked = client.post("/login/", {"username": "phong", "password": "mật-khẩu-đủ-dài-1"})
    assert locked.status_code in (403, 429)
    assert "Tạm khóa" in locked.content.decode()
    other = client.post("/login/", {"username": "hieutruong_a", "password": "mật-khẩu-đủ-dài-1"})
    assert other.status_code == 302  # another user from the same address still gets in


def test_a_right_password_logs_in_and_lands_on_the_right_page(client, people):
    response = client.post("/login/", {"username": "hieutruong_a",
                                       "password": "mật-khẩu-đủ-dài-1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/s/HY-THCS-A/"
    assert date.today().year > 2000


def test_reading_by_class_and_month_per_student_and_class_visits(client, feed, people):
    push_school_year(client, feed)
    client.force_login(people["principal_a"])
    url = f"/s/HY-THCS-A/reading/?year={YEAR}"
    loans = client.get(url).content.decode()
    per_student = client.get(url + "&view=per_student").content.decode()
    visits = client.get(url + "&view=visits").content.decode()
    october = f"{round(3 / 40, 2):.2f}".replace(".", ",")  # 6A1: 3 loans, 40 students
    assert october in per_student and october not in loans
    assert 'aria-current="page">Lượt mượn về / học sinh' in per_student
    assert "số lượt học sinh đọc" in visits and 'aria-current="page">Đọc tại chỗ' in visits
    assert client.get(url + "&view=nonsense").status_code == 200  # shows the loans

    _, book = _xlsx(client.get(url + "&format=xlsx"))
    counts, per, visit = ([[c.value for c in row] for row in sheet.iter_rows()]
                          for sheet in book.worksheets)
    header = next(r for r in counts if r[0] == "Lớp")
    a1 = next(r for r in counts if r[0] == "6A1")
    a1_per = next(r for r in per if r[0] == "6A1")
    months = len(header) - 6
    assert a1_per[2:2 + months] == [round(n / 40, 2) for n in a1[2:2 + months]]
    a1_visits = next(r for r in visit if r[0] == "6A1")
    assert sum(a1_visits[1:-2:2]) == 2 and sum(a1_visits[2:-2:2]) == 74
    assert a1_visits[-2:] == [2, 74]
