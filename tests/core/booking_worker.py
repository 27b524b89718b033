"""Run by test_bookings_two_kiosks: one kiosk process books equipment for a lesson at a given
moment and prints what its teacher saw, as JSON."""
import json
import sys
import time
from datetime import date

from db.queries import patrons
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.bookings import Bookings
from kiosk.services.equipment import Lesson


def main(database: str, kiosk_id: str, teacher_code: str, lesson_day: str,
         start_at: str) -> None:
    """``database``: the ``[database]`` table as JSON (a file's path, or a server's URL)."""
    config = config_from_dict({"school": {"code": "HY-THCS-01", "name": "Y",
                                          "kiosk_id": kiosk_id},
                               "database": json.loads(database)})
    context = open_context(config)
    service = Bookings(context)
    teacher = patrons.by_code(teacher_code)
    lesson = Lesson(date=date.fromisoformat(lesson_day), period=2, session="morning",
                    class_name="6A1" if teacher_code == "GV0012" else "6A2", subject="KHTN")
    while time.time() < float(start_at):  # both kiosks press "Đặt trước" at once
        time.sleep(0.0005)
    outcome = service.book(teacher, lesson, {"KHTN6.KHV": 3, "KHTN6.OCN": 20})
    sys.stdout.write(json.dumps({"ok": outcome.ok, "code": outcome.code,
                                 "message": outcome.message}, ensure_ascii=False) + "\n")
    context.close()


if __name__ == "__main__":
    main(*sys.argv[1:6])
