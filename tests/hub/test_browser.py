"""The hub in a real headless Chromium (Debian's, driven by Playwright): district staff and a
principal log in, open a school, a report with its chart, download an xlsx and read it back,
and answer a district request. Each page is screenshotted at a phone's and a desktop's width
(``HUB_SCREENSHOTS=DIR`` keeps them; docs/hub-screens/ holds the ones looked at)."""
import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.hub.conftest import REQUIRED
from tests.hub.schoolyear import YEAR, push_school_year

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "mật-khẩu-đủ-dài-1"

if not os.path.exists(CHROMIUM):
    if REQUIRED:
        raise RuntimeError("CI: chromium is not installed (scripts/setup installs it)")
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop on this thread; the ORM calls the tests make
    # between its steps are ordinary blocking calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield launched
            launched.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("HUB_SCREENSHOTS") or tmp_path / "shots")

    def take(page, size: str, name: str) -> Path:
        path = folder / size / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000
        return path
    return take


@pytest.fixture
def district(client, feed, feed_b, people):
    push_school_year(client, feed)
    return people


def _log_in(browser, live_server, size: str, username: str):
    context = browser.new_context(viewport=SIZES[size], accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    return context, page


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_district_staff_open_a_school_a_report_a_chart_and_an_xlsx(browser, live_server,
                                                                    district, shots, size):
    context, page = _log_in(browser, live_server, size, "phong")
    assert page.url.endswith("/district/")
    assert page.locator("h1").inner_text() == "Các trường và ki-ốt"
    assert page.locator("text=Mất liên lạc").first.is_visible()  # school B never pushed
    shots(page, size, "01-truong-va-kiosk")
    page.click("text=Trường THCS A")
    assert page.url.endswith("/s/HY-THCS-A/")
    assert page.locator(".kiosk-card").count() == 1
    shots(page, size, "02-tong-quan-truong")
    page.goto(f"{live_server.url}/s/HY-THCS-A/usage/?year={YEAR}&term=HK1")
    chart = page.locator("figure svg.chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert page.locator("figure svg.chart rect").count() == 2  # two tổ
    assert page.locator("text=Nguyễn Văn Một").first.is_visible()
    shots(page, size, "03-su-dung-thiet-bi")
    with page.expect_download() as download:
        page.click("text=Tải Excel")
    data = Path(download.value.path()).read_bytes()
    rows = [[c.value for c in r] for r in
            openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows()]
    assert next(r for r in rows if r[1] == "GV1")[2:6] == ["Nguyễn Văn Một", 4, 3, 75.0]
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/s/HY-THCS-A/reading/?year={YEAR}")
    assert page.locator("svg.chart polyline").count() == 2
    shots(page, size, "04-van-hoa-doc")
    for url, name in [("/district/usage/?term=HK1&year=" + YEAR, "05-so-sanh-su-dung"),
                      ("/district/reading/?year=" + YEAR, "06-so-sanh-van-hoa-doc"),
                      ("/district/declarations/?year=" + YEAR, "07-ke-khai"),
                      (f"/s/HY-THCS-A/declarations/?year={YEAR}", "08-ke-khai-truong"),
                      ("/s/HY-THCS-A/overdue/", "09-qua-han")]:
        page.goto(live_server.url + url)
        assert page.locator("h1").is_visible()
        shots(page, size, name)
    context.close()


def test_a_request_created_answered_and_received_in_the_browser(browser, live_server,
                                                                district, shots):
    from hub.web.models import RequestAnswer

    context, page = _log_in(browser, live_server, "desktop", "phong")
    page.goto(f"{live_server.url}/district/requests/")
    page.fill("input[name=title]", "Thống kê số tiết sử dụng thiết bị HK1")
    page.select_option("select[name=kind]", "usage_subjects")
    page.select_option("select[name=school_year]", YEAR)
    page.select_option("select[name=term]", "HK1")
    page.fill("input[name=due_on]", "2027-01-15")
    page.click("text=Gửi yêu cầu tới các trường")
    assert page.locator("text=Đã gửi yêu cầu tới tất cả các trường").is_visible()
    request_url = page.url
    context.close()

    for size in ("phone", "desktop"):
        context, page = _log_in(browser, live_server, size, "hieutruong_a")
        assert page.url.endswith("/s/HY-THCS-A/")
        page.click("nav.tabs >> text=Yêu cầu báo cáo")
        page.click("text=Thống kê số tiết sử dụng thiết bị HK1")
        if size == "phone":
            assert page.locator("text=Chưa gửi").first.is_visible()
            assert page.locator("td", has_text="KHTN").first.is_visible()
            shots(page, size, "10-yeu-cau-hieu-truong")
        else:
            page.fill("textarea[name=note]", "Số liệu từ ki-ốt của trường")
            page.click("text=Gửi báo cáo")
            assert page.locator("text=Đã gửi báo cáo lên phòng").is_visible()
            shots(page, size, "10-yeu-cau-hieu-truong")
        context.close()
    assert RequestAnswer.objects.get(school__code="HY-THCS-A").state == "sent"

    for size in ("desktop", "phone"):
        context, page = _log_in(browser, live_server, size, "phong")
        page.goto(request_url)
        if size == "desktop":
            page.click("#answer-HY-THCS-A >> text=Đã nhận")
            assert page.locator("#answer-HY-THCS-A .badge", has_text="Đã nhận").is_visible()
        shots(page, size, "11-yeu-cau-phong")
        context.close()
    assert RequestAnswer.objects.get(school__code="HY-THCS-A").state == "received"


def test_the_principal_cannot_reach_another_school_in_the_browser(browser, live_server, district):
    context, page = _log_in(browser, live_server, "desktop", "hieutruong_a")
    response = page.goto(f"{live_server.url}/s/HY-THCS-B/usage/")
    assert response.status == 404
    context.close()


def _gaps_of_issue_17(client, feed):
    """A plan with lessons needing equipment, a partial return, a withdrawn copy."""
    from datetime import date, timedelta

    from tests.hub.builders import moment

    day = date(2026, 10, 12)
    lessons = [{"ppct": n, "week": n, "week_starts": (date(2026, 9, 7) + timedelta(weeks=n - 1))
                .isoformat(), "title": f"Bài {n}: Tế bào", "equipment": "Kính hiển vi (6)"}
               for n in range(10, 14)]
    kit, _ = feed.equipment_loan(day, "GV1", "Nguyễn Văn Một", "Tổ KHTN", "KHTN", "6A1", 3,
                                 code="KHTN6.OCN", due=day + timedelta(days=1))
    kit["data"].update(quantity=3, outstanding=3, equipment_name="Ống nghiệm")
    part = feed.record("loan.returned", {**kit["data"], "returned_good": 2, "outstanding": 1,
                                         "this_return": {"good": 2, "outstanding": 1}},
                       moment(day, 15))
    worn = feed.declared(day, "TK.00101", "Sách cũ", status="withdrawn", reason="worn")
    worn["type"] = "item.withdrawn"
    feed.push(client, [feed.record("plan.updated", {"school_year": YEAR, "subject": "KHTN",
                                                    "grade": "6", "lessons": lessons},
                                   moment(day)), kit, part, worn])


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_missed_lessons_reading_views_and_a_partial_return_in_the_browser(
        browser, live_server, district, client, feed, shots, size):
    _gaps_of_issue_17(client, feed)
    context, page = _log_in(browser, live_server, size, "hieutruong_a")
    page.click("nav.tabs >> text=Tiết chưa ghi nhận")
    assert page.locator("h1").inner_text().startswith("Tiết cần thiết bị chưa ghi nhận")
    assert page.locator("td", has_text="Bài 13: Tế bào").first.is_visible()
    assert page.locator("td", has_text="Bài 12: Tế bào").count() == 0  # taught (PPCT 12)
    assert page.locator("figure svg.chart").is_visible()
    shots(page, size, "12-tiet-chua-ghi-nhan")
    page.goto(f"{live_server.url}/s/HY-THCS-A/reading/?year={YEAR}")
    page.click("nav.views >> text=Lượt mượn về / học sinh")
    assert page.locator("nav.views [aria-current]").inner_text() == "Lượt mượn về / học sinh"
    october = f"{round(3 / 40, 2):.2f}".replace(".", ",")  # 6A1: 3 loans, 40 students
    assert page.locator("td", has_text=october).first.is_visible()
    shots(page, size, "13-muon-ve-moi-hoc-sinh")
    page.click("nav.views >> text=Đọc tại chỗ")
    shots(page, size, "14-doc-tai-cho")
    page.goto(f"{live_server.url}/s/HY-THCS-A/overdue/")
    assert page.locator(".tag", has_text="còn 1/3").is_visible()
    shots(page, size, "15-qua-han-tra-mot-phan")
    context.close()
