"""The hub's demo district: schools with a school year of generated records stored through the
same code as ``POST /v1/records``, kiosks in every state the schools page shows, people of each
role, and a district request some principals have answered. Idempotent: a second run adds
nothing."""
from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hub.calendar import VIETNAM, current_school_year
from hub.generate import school_year_records
from hub.ingest.contract import Incoming, parse_moment
from hub.ingest.store import store_records
from hub.ingest.tokens import issue_token
from hub.schools.models import Kiosk, Membership, School
from hub.web.models import DistrictRequest, RequestAnswer

log = logging.getLogger(__name__)
PASSWORD = "demo1234"
DEMO_KIOSK_SCHOOL = ("HY-THCS-DEMO", "Trường THCS Hoa Sen (trường mẫu)", "demo-kiosk-1")
NAMES = ["Lê Quý Đôn", "Nguyễn Du", "Chu Văn An", "Trần Phú", "Hoàng Hoa Thám", "Phạm Ngũ Lão",
         "Võ Thị Sáu", "Lý Thường Kiệt", "Nguyễn Trãi", "Tô Hiệu", "Quang Trung", "Kim Đồng"]


def store_generated(kiosk: Kiosk, records, batch: int = 1000) -> int:
    """Store generated record dicts as one kiosk's pushes; returns how many were new."""
    stored, chunk = 0, []

    def flush():
        nonlocal stored
        with transaction.atomic():
            stored += len(store_records(kiosk, chunk, timezone.now()))
        chunk.clear()

    for raw in records:
        chunk.append(Incoming(raw["id"], raw["type"], parse_moment(raw["occurred_at"]),
                              raw["data"], json.dumps(raw["data"], ensure_ascii=False)))
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return stored


def _health(kiosk: Kiosk, n: int, now: datetime) -> None:
    """Give each demo kiosk a believable last heartbeat; a few have a problem to show."""
    kiosk.version = "0.1.0"
    kiosk.printer_status, kiosk.paper_out, kiosk.clock_offset_s = "ok", False, 1.0
    kiosk.queue_pending, kiosk.queue_dead = 0, 0
    kiosk.scanners = [{"name": "usb", "status": "connected", "detail": ""}]
    seen = now - timedelta(minutes=3)
    if n == 1:
        kiosk.printer_status, kiosk.paper_out = "paper_out", True
    elif n == 2:
        kiosk.clock_offset_s = -412.0
    elif n == 3:
        seen = now - timedelta(hours=5)
        kiosk.queue_pending, kiosk.oldest_pending_at = 230, now - timedelta(hours=6)
    elif n == 4:
        seen = now - timedelta(days=3)
    kiosk.last_heartbeat_at = kiosk.last_records_at = kiosk.last_push_at = seen
    kiosk.save()


def build_demo(schools: int = 8, until: date | None = None, scale: float = 1.0) -> dict:
    """Make the demo district (skipped when it exists); returns what was made."""
    if School.objects.filter(code="HY-THCS-01").exists():
        return {"schools": School.objects.count(), "records": 0, "created": False}
    today = until or datetime.now(VIETNAM).date()
    year = current_school_year(today)
    now = timezone.now()
    made = []
    for n in range(schools):
        name = NAMES[n % len(NAMES)]
        school = School.objects.create(code=f"HY-THCS-{n + 1:02d}", name=f"Trường THCS {name}",
                                       level="THCS", commune=f"Xã {n + 1}")
        kiosk = Kiosk.objects.create(school=school, kiosk_id=f"kiosk-{n + 1:02d}",
                                     name="Ki-ốt thư viện")
        issue_token(kiosk)
        made.append((school, kiosk))
    code, name, kiosk_id = DEMO_KIOSK_SCHOOL
    demo_school, _ = School.objects.get_or_create(code=code, defaults={"name": name,
                                                                        "level": "THCS"})
    Kiosk.objects.get_or_create(school=demo_school, kiosk_id=kiosk_id,
                                defaults={"name": "Ki-ốt thư viện (demo)"})
    records = 0
    for n, (school, kiosk) in enumerate(made):
        records += store_generated(kiosk, school_year_records(
            school.code, kiosk.kiosk_id, seed=n + 1, until=today, school_year=year,
            loans_per_student_month=(0.8 + 0.25 * (n % 5)) * scale,
            lessons_per_teacher_week=(1.2 + 0.4 * (n % 4)) * scale))
        _health(kiosk, n, now)
    _people(made, demo_school)
    _request(made, year, now)
    return {"schools": len(made) + 1, "records": records, "created": True}


def _people(made, demo_school) -> None:
    def person(username, role, school=None, first=""):
        user = User.objects.create_user(username, password=PASSWORD, first_name=first,
                                        is_staff=(role == Membership.DISTRICT))
        Membership.objects.create(user=user, role=role, school=school)

    person("phong", Membership.DISTRICT, first="Cán bộ phòng GD&ĐT")
    person("xem", Membership.READONLY, first="Chỉ xem")
    for school, _ in made:
        person(f"hieutruong{school.code[-2:]}", Membership.PRINCIPAL, school,
               first=f"Hiệu trưởng {school.name[13:]}")
    person("hieutruongdemo", Membership.PRINCIPAL, demo_school, first="Hiệu trưởng Hoa Sen")


def _request(made, year: str, now: datetime) -> None:
    from hub.web import snapshots

    start = int(year[:4])
    request = DistrictRequest.objects.create(
        title="Thống kê số tiết sử dụng thiết bị HK1", kind="usage_subjects", school_year=year,
        term="HK1", due_on=date(start + 1, 1, 15),
        note="Các trường gửi số liệu học kỳ I trước ngày 15/01.")
    for n, school in enumerate(School.objects.all()):
        answer = RequestAnswer(request=request, school=school)
        if n % 4 in (1, 2, 3) and school.code != DEMO_KIOSK_SCHOOL[0]:
            answer.figures = snapshots.table("usage_subjects", school, year, "HK1")
            answer.state, answer.sent_at = RequestAnswer.SENT, now
            if n % 4 == 2:
                answer.state, answer.reviewed_at = RequestAnswer.RECEIVED, now
            elif n % 4 == 3:
                answer.state, answer.reviewed_at = RequestAnswer.REFUSED, now
                answer.reason = "Thiếu số liệu khối 9, đề nghị bổ sung."
        answer.save()
