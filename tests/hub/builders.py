"""Records as a kiosk writes them (docs/provincial-sync.md, v1 and v1.1), and a kiosk that
pushes them to the hub through Django's test client (the real view, the real database)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

VN = timezone(timedelta(hours=7))


def moment(day: date, hour: int = 9, minute: int = 0) -> str:
    """An ``occurred_at`` in Vietnam time."""
    return datetime.combine(day, time(hour, minute), VN).isoformat()


def rid() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())


@dataclass
class KioskFeed:
    """One school's kiosk: its token, and record builders."""

    school_code: str
    kiosk_id: str
    token: str
    school: object = None
    kiosk: object = None
    sent: list = field(default_factory=list)

    @classmethod
    def create(cls, code: str, name: str, kiosk_id: str) -> "KioskFeed":
        """Make the school, the kiosk and a token."""
        from hub.ingest.tokens import issue_token
        from hub.schools.models import Kiosk, School

        school = School.objects.create(code=code, name=name, level="THCS")
        kiosk = Kiosk.objects.create(school=school, kiosk_id=kiosk_id, name=f"Ki-ốt {kiosk_id}")
        return cls(code, kiosk_id, issue_token(kiosk), school, kiosk)

    # -- pushing ------------------------------------------------------------------------------
    def body(self, records: list[dict]) -> dict:
        """A request body."""
        return {"school_code": self.school_code, "kiosk_id": self.kiosk_id, "records": records}

    def post(self, client, payload, token: str | None = None, path: str = "/v1/records"):
        """POST a JSON payload with this kiosk's token."""
        return client.post(path, data=json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token or self.token}")

    def push(self, client, records: list[dict]) -> dict[str, str]:
        """Push and return {id: status}; fails the test on anything but 200."""
        response = self.post(client, self.body(records))
        assert response.status_code == 200, response.content
        return {r["id"]: r["status"] for r in response.json()["results"]}

    # -- records ------------------------------------------------------------------------------
    def record(self, kind: str, data: dict, occurred: str, record_id: str | None = None) -> dict:
        """A record of any type."""
        return {"id": record_id or rid(), "type": kind, "occurred_at": occurred,
                "data": {"school_code": self.school_code, **data}}

    def book_loan(self, day: date, student: str, class_name: str, title: str = "Dế Mèn",
                  due: date | None = None, kind: str = "student", loan_id: str | None = None,
                  barcode: str = "TK.00001") -> tuple[dict, str]:
        """A ``loan.borrowed`` of a book; returns (record, loan_id)."""
        loan_id = loan_id or rid()
        data = {"kiosk_id": self.kiosk_id, "loan_id": loan_id, "txn_ref": "GD-1",
                "patron_code": student, "patron_kind": kind, "patron_name": f"HS {student}",
                "patron_class": class_name if kind == "student" else "", "item_kind": "book",
                "item_barcode": barcode, "title": title, "author": "Tô Hoài", "isbn": None,
                "quantity": 1, "due_date": (due or day + timedelta(days=7)).isoformat(),
                "renewals": 0, "long_term": False, "condition": None, "void_reason": None}
        return self.record("loan.borrowed", data, moment(day)), loan_id

    def equipment_loan(self, day: date, teacher: str, teacher_name: str, group: str,
                       subject: str, class_name: str, period: int, session: str = "morning",
                       lesson_id: str | None = None, code: str = "KHTN6.KHV",
                       long_term: bool = False, with_lesson_id: bool = True,
                       due: date | None = None) -> tuple[dict, str]:
        """A ``loan.borrowed`` of equipment for a lesson (v1.1 ``data.lesson``)."""
        loan_id = rid()
        lesson = {"date": None if long_term else day.isoformat(), "period": period,
                  "session": session, "class": class_name, "subject": subject,
                  "subject_group": group, "title": "Bài 5", "ppct": 12, "purpose": "dạy trên lớp"}
        if with_lesson_id:
            lesson["lesson_id"] = lesson_id or rid()
        data = {"kiosk_id": self.kiosk_id, "loan_id": loan_id, "txn_ref": "TB-1",
                "patron_code": teacher, "patron_kind": "teacher", "patron_name": teacher_name,
                "patron_class": "", "item_kind": "equipment_stock", "item_barcode": None,
                "equipment_code": code, "equipment_name": "Kính hiển vi", "unit": "cái",
                "quantity": 1, "due_date": (due or day).isoformat(), "renewals": 0,
                "long_term": long_term, "condition": None, "void_reason": None, "lesson": lesson}
        return self.record("loan.borrowed", data, moment(day, 7)), loan_id

    def event(self, kind: str, loan_id: str, day: date, **extra) -> dict:
        """``loan.returned`` / ``loan.voided`` / ``loan.renewed`` of a loan."""
        return self.record(kind, {"loan_id": loan_id, "kiosk_id": self.kiosk_id, **extra},
                           moment(day, 15))

    def quota(self, year: str, term: str, rules: list[dict], day: date) -> dict:
        """``quota.set`` (v1.1)."""
        return self.record("quota.set", {"school_year": year, "term": term, "rules": rules,
                                         "set_by": "CB0001"}, moment(day))

    def roster(self, year: str, classes: dict[str, int], teachers: list[dict] | None,
               day: date) -> dict:
        """``roster.updated`` (v1.1)."""
        data = {"school_year": year,
                "classes": [{"class": c, "grade": c[0], "students": n} for c, n in classes.items()]}
        if teachers is not None:
            data["teachers"] = teachers
        return self.record("roster.updated", data, moment(day))

    def visit(self, day: date, class_name: str, students: int, titles=()) -> dict:
        """``class.visit`` (v1.1)."""
        return self.record("class.visit", {"visit_id": rid(), "class": class_name,
                                           "date": day.isoformat(), "students": students,
                                           "titles": list(titles)}, moment(day, 10))

    def declared(self, day: date, barcode: str, title: str, **fields) -> dict:
        """``item.declared`` of a book copy."""
        data = {"item_kind": "book", "item_barcode": barcode, "title": title,
                "author": "A", "publisher": "NXB Giáo dục Việt Nam", "year": 2024,
                "isbn": None, "classification": "8V", "language": "vi", "store": "TK",
                "status": "available", "condition": "good", "price": 35000, "shelf_mark": ""}
        data.update(fields)
        return self.record("item.declared", data, moment(day))
