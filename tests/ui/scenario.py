"""Drive the real kiosk app through every screen: wedge scans arrive as key events, touches as
touches; screenshots are saved; checks are written to a JSON report.

Run as ``python -m tests.ui.scenario OUT_DIR WIDTH HEIGHT`` under a display (Xvfb). Used by the
end-to-end test and by ``scripts/screenshots``. The database is seeded with the small test
school in ``OUT_DIR/db``.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

log = logging.getLogger("scenario")

STEP_S = 0.12


def seed(db_dir: Path, width: int, height: int):
    """A fresh database with the small school, and the context on it."""
    from kiosk.config import config_from_dict
    from kiosk.context import open_context
    from tests.factories import seed_small_school

    db_dir.mkdir(parents=True, exist_ok=True)
    path = db_dir / "kiosk.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    config = config_from_dict({
        "school": {"code": "HY-THCS-01", "name": "Trường THCS Thử Nghiệm Nguyễn Trãi",
                   "kiosk_id": "kiosk-e2e"},
        "database": {"path": str(path)},
        "ui": {"fullscreen": False, "width": width, "height": height, "sounds": True},
        "stocktake": {"batch_dirs": [str(db_dir.parent / "usb")]}})
    stick = db_dir.parent / "usb" / "kiosk" / "KIEMKE"  # a USB stick as it is mounted
    stick.mkdir(parents=True, exist_ok=True)
    (stick / "ke-3-tham-khao.txt").write_text("TK.00001\nTK.00002\nTK.00003\n")
    context = open_context(config)
    with context.db.atomic():
        seed_small_school()
        _overdue_loans(context)
    _report_data(context)
    _teachers_equipment(context)
    return context


def _teachers_equipment(context) -> None:
    """Genders known (thầy/cô), kinds of other subjects (one with a long name), a booking of
    Mr Châu's for today (his card collects it), and a long-term loan of his taken four months
    ago (renewed on the menu)."""
    from datetime import timedelta

    from db.models import EquipmentType, Patron
    from db.queries import patrons
    from kiosk.clock import Clock
    from kiosk.context import KioskContext
    from kiosk.services.bookings import Bookings
    from kiosk.services.equipment import EquipmentLending, Lesson

    stamp = context.clock.db_now()
    Patron.update(gender="Nữ").where(Patron.code == "GV0012").execute()
    Patron.update(gender="Nam", subjects="Toán;KHTN").where(Patron.code == "GV0020").execute()
    for code, name, unit, total, subject in (
            ("HOA8.BTH", "Bảng tuần hoàn các nguyên tố hóa học", "tờ", 6, "Hóa học"),
            ("HOA8.MH", "Bộ mô hình phân tử hữu cơ dạng rỗng", "bộ", 4, "Hóa học"),
            ("DIA6.MT", "Mô hình hệ Mặt Trời", "bộ", 3, "Địa lý")):
        EquipmentType.create(code=code, name=name, unit=unit, tracking="counted",
                             stock_total=total, stock_on_hand=total, subject=subject,
                             grade=code[3], updated_at=stamp)
    chau = patrons.by_code("GV0020")
    today = context.clock.today()
    made = Bookings(context).book(chau, Lesson(date=today, period=1, class_name="6A2",
                                               subject="Hóa học", title="Bảng tuần hoàn"),
                                  {"HOA8.BTH": 2})
    if not made.ok:
        raise RuntimeError(f"scenario booking: {made.code}")
    months_ago = Clock(now_fn=lambda: context.clock.now() - timedelta(days=125))
    lending = EquipmentLending(KioskContext(context.config, context.db, months_ago))
    basket = lending.start(chau, long_term=True)
    lending.set_quantity(basket, "DIA6.MT", 1)
    if not lending.confirm(basket).ok:
        raise RuntimeError("scenario long-term loan")


def _report_data(context) -> None:
    """A term's worth of figures for the Báo cáo tab: lessons with equipment by two teachers
    over three months, book loans by class, a class visit, the required periods."""
    from datetime import date, datetime, time, timedelta, timezone

    from db.models import Copy, Patron, Title
    from kiosk.clock import Clock
    from kiosk.context import KioskContext
    from kiosk.services.circulation import Circulation
    from kiosk.services.equipment import EquipmentLending, Lesson
    from kiosk.services.planning import Planning

    stamp = context.clock.db_now()
    vn = timezone(timedelta(hours=7))
    Patron.update(grades="6").where(Patron.code == "GV0012").execute()
    Patron.create(kind="teacher", code="GV0020", name="Ngô Bảo Châu", search_key="ngo bao chau",
                  subject_group="Toán - Tin", subjects="Toán", grades="6;7", updated_at=stamp)
    for i in range(12):
        Patron.create(kind="student", code=f"01234567{60 + i}", name=f"Học sinh {i}",
                      class_name=("6A1", "6A2", "7A3")[i % 3], grade=6 + (i % 3 == 2),
                      updated_at=stamp)
    from db.models import EquipmentItem, EquipmentType
    ruler = EquipmentType.create(code="TOAN6.BT", name="Bộ thước vẽ bảng", unit="bộ",
                                 subject="Toán", grade="6", updated_at=stamp)
    EquipmentItem.create(barcode="TB.TOAN6.001", type=ruler, updated_at=stamp)
    title = Title.create(title="Hoàng tử bé", search_key="hoang tu be", updated_at=stamp)
    for n in range(1, 5):
        Copy.create(barcode=f"NV.0010{n}", title=title, store="NV", updated_at=stamp)
    today = context.clock.today()

    def at(day, hour):
        return Clock(now_fn=lambda: datetime.combine(day, time(hour), tzinfo=vn))

    for weeks in range(1, 10):
        day = today - timedelta(weeks=weeks)
        past = KioskContext(context.config, context.db, at(day, 8))
        lending = EquipmentLending(past)
        for code, subject, klass in (("GV0012", "KHTN", "6A1"), ("GV0020", "Toán", "6A2")):
            if code == "GV0020" and weeks % 3:
                continue
            from db.queries import patrons
            basket = lending.start(patrons.by_code(code))
            basket.lesson = Lesson(date=day, period=2, class_name=klass, subject=subject)
            lending.add_scan(basket, "TB.TOAN6.001")
            outcome = lending.confirm(basket)
            if not outcome.ok:
                raise RuntimeError(f"report data: {code} {day}: {outcome.code}")
            back = KioskContext(context.config, context.db, at(day, 11))
            EquipmentLending(back).return_lines(
                [(loan.loan_id, "good", None) for loan in outcome.params["loans"]], None)
        circulation = Circulation(past)
        for i in range(weeks % 4 + 1):
            session = circulation.start_session(f"01234567{60 + (weeks + i) % 12}")
            circulation.borrow(session, f"NV.0010{1 + i % 4}")
            Circulation(KioskContext(context.config, context.db, at(day, 15))).return_code(
                f"NV.0010{1 + i % 4}")
    planning = Planning(context)
    year = planning.current_year()
    planning.set_quotas("CB0001", year, "HK1", [("KHTN", "6", "", 12), ("Toán", "6", "", 6),
                                                ("Toán", "7", "", 4)])
    planning.record_visit("CB0001", "6A1", 24, today - timedelta(days=3))


def _overdue_loans(context) -> None:
    """A student of 7A3 who borrowed two children's books four weeks ago."""
    from datetime import timedelta

    from db.models import Copy, Patron, Title
    from kiosk.clock import Clock
    from kiosk.context import KioskContext
    from kiosk.services.circulation import Circulation

    stamp = context.clock.db_now()
    Patron.create(kind="student", code="0123456792", name="Hoàng Minh Châu",
                  search_key="hoang minh chau", class_name="7A3", grade=7, updated_at=stamp)
    title = Title.create(title="Truyện cổ tích Việt Nam", search_key="truyen co tich viet nam",
                         updated_at=stamp)
    for n in (1, 2):
        Copy.create(barcode=f"TN.0000{n}", title=title, store="TN", updated_at=stamp)
    past = Clock(now_fn=lambda: context.clock.now() - timedelta(days=28))
    earlier = Circulation(KioskContext(context.config, context.db, past))
    session = earlier.start_session("0123456792")
    for code in ("TN.00001", "TN.00002"):
        earlier.borrow(session, code)
    # A school's worth of classes: picking one is one tap in a list, not thirty.
    for grade in (6, 7, 8, 9):
        for n in range(1, 9):
            name = f"{grade}A{n}"
            if name not in ("6A1", "6A2", "7A3"):
                Patron.create(kind="student", code=f"02{grade}{n:02d}00001",
                              name=f"Học sinh {name}", search_key=f"hoc sinh {name.lower()}",
                              class_name=name, grade=grade, updated_at=stamp)
    # A student who borrowed a book ten days ago: "Gia hạn" renews it.
    Patron.create(kind="student", code="0123456793", name="Vũ Thị Dung",
                  search_key="vu thi dung", class_name="6A1", grade=6, updated_at=stamp)
    novel = Title.create(title="Đất rừng phương Nam", search_key="dat rung phuong nam",
                         author="Đoàn Giỏi", updated_at=stamp)
    Copy.create(barcode="TK.00011", title=novel, store="TK", updated_at=stamp)
    ten_days = Clock(now_fn=lambda: context.clock.now() - timedelta(days=10))
    recent = Circulation(KioskContext(context.config, context.db, ten_days))
    recent.borrow(recent.start_session("0123456793"), "TK.00011")
    # A microscope a teacher took for a lesson five days ago and has not brought back.
    from db.queries import patrons
    from kiosk.services.equipment import EquipmentLending, Lesson
    five_days = Clock(now_fn=lambda: context.clock.now() - timedelta(days=5))
    lending = EquipmentLending(KioskContext(context.config, context.db, five_days))
    basket = lending.start(patrons.by_code("GV0012"),
                           Lesson(five_days.today(), 3, "6A2", "KHTN", "Tế bào"))
    lending.add_scan(basket, "TB.KHTN6.003")
    lending.confirm(basket)


class Driver:
    """Plays a script against the running app, one step per few frames."""

    def __init__(self, app, out_dir: Path, shots: bool):
        self.app = app
        self.out_dir = out_dir
        self.shots = shots
        self.failures: list[str] = []
        self.screens_seen: list[str] = []
        self.shot_files: list[str] = []
        self.latencies: list[float] = []

    # -- actions ------------------------------------------------------------------------------
    def scan(self, code: str) -> None:
        """Type a code the way a keyboard-wedge scanner does: fast keys, then Enter."""
        from kivy.core.window import Window
        for ch in code:
            Window.dispatch("on_key_down", ord(ch.lower()), 0, ch.lower(), [])
            Window.dispatch("on_textinput", ch)
            time.sleep(0.002)
        Window.dispatch("on_key_down", 13, 40, None, [])

    def find(self, text: str):
        """The enabled button showing ``text`` on the current screen."""
        from kivy.uix.button import Button
        screen = self.app.manager.current_screen
        for widget in screen.walk(restrict=True):
            if isinstance(widget, Button) and widget.text == text and not widget.disabled:
                return widget
        return None

    def tap(self, text: str) -> bool:
        """Touch the button showing ``text`` (a real touch event through the window)."""
        widget = self.find(text)
        if widget is None:
            shown = sorted({b.text for b in self._buttons()})[:40]
            self.fail(f"no button {text!r} on {self.app.flow.screen}; shown: {shown}")
            return False
        self._touch(widget)
        return True

    def tab(self, name: str):
        """Show a staff tab: its button in the header, or through "Khác" when it does not
        fit there."""
        from kiosk.i18n import t
        label = t(f"ui.staff.tab_{name}")
        if self.find(label) is None:
            self.tap(t("ui.staff.more_tabs"))
            yield STEP_S
        self.tap(label)
        yield STEP_S

    def check_touch_targets(self, name: str) -> None:
        """Every visible button is at least 48 x 48 px."""
        from kivy.core.window import Window
        for button in self._buttons():
            if button.opacity == 0 or button.height == 0 or button.parent is None:
                continue
            x, y = button.to_window(button.x, button.y)
            if y + button.height <= 0 or y >= Window.height:
                continue  # scrolled out of view
            if button.width < 47.5 or button.height < 47.5:
                self.fail(f"{name}: button {button.text!r} is {button.width:.0f}x"
                          f"{button.height:.0f}")

    def shot(self, name: str) -> None:
        """Check the touch targets and save a screenshot of the window."""
        self.check_touch_targets(name)
        if not self.shots:
            return
        from kivy.core.window import Window
        target = self.out_dir / f"{name}.png"
        made = Window.screenshot(name=str(self.out_dir / f"{name}-tmp.png"))
        if made and Path(made).exists():
            Path(made).replace(target)
            self.shot_files.append(str(target))
        else:
            self.fail(f"screenshot {name} not written")

    def until(self, predicate, timeout: float = 5.0):
        """Yield frames until ``predicate()`` holds (a write or a print result on the Kivy
        clock), at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate() and time.monotonic() < deadline:
            yield 0.02

    def expect(self, screen: str) -> None:
        """The current screen must be ``screen``."""
        self.screens_seen.append(self.app.flow.screen)
        if self.app.flow.screen != screen:
            self.fail(f"expected screen {screen}, on {self.app.flow.screen}")

    def fail(self, what: str) -> None:
        log.error("scenario: %s", what)
        self.failures.append(what)

    # -- the script ---------------------------------------------------------------------------
    def script(self):
        from kiosk.i18n import t
        app, flow = self.app, self.app.flow
        sink = app.ports.printer
        sink.fail = False  # the recording printer: printing works unless told to fail
        yield 0.5
        self.expect("home")
        self.shot("01-home")
        self.scan("XYZ-999")
        yield STEP_S
        self.shot("02-home-refusal")
        # a scan delivered from another thread (serial, evdev, camera readers)
        import threading
        reader = threading.Thread(target=app.deliver_scan, args=("TK.00003",))
        reader.start()
        reader.join()
        yield STEP_S
        self.expect("returns")
        self.tap(t("ui.common.done"))
        yield STEP_S
        # the camera preview slot: a synthetic BGR frame
        import numpy
        frame = numpy.zeros((240, 320, 3), dtype=numpy.uint8)
        frame[:, :, 0] = numpy.linspace(0, 255, 320, dtype=numpy.uint8)  # blue ramp
        frame[60:180, 100:220] = (40, 200, 40)
        app.preview_provider = lambda: frame
        yield 0.3
        self.shot("02b-home-camera-preview")
        app.preview_provider = None
        yield 0.2
        self.scan("0123456789")
        yield STEP_S
        self.expect("borrow")
        self.shot("03-borrow-greeting")
        self.scan("TK.00001")
        yield STEP_S
        self.scan("TK.00009")
        yield STEP_S
        self.scan("GK.00001")
        yield STEP_S
        self.shot("04-borrow-lines")
        self.tap(t("ui.common.done"))
        yield STEP_S
        self.shot("05-borrow-finished-printed")
        self.tap(t("ui.common.home"))
        yield STEP_S
        self.expect("home")
        sink.fail = True
        self.scan("0123456790")
        yield STEP_S
        self.scan("TK.00002")
        yield STEP_S
        self.scan("0123456790")  # the card again ends the session
        yield STEP_S
        self.shot("06-borrow-receipt-failed-qr")
        sink.fail = False
        self.tap(t("ui.common.home"))
        yield STEP_S
        # A student with overdue books: told at the greeting, and her own book offered back.
        self.scan("0123456792")
        yield STEP_S
        self.expect("borrow")
        self.shot("06a-borrow-blocked-overdue")
        self.scan("TN.00001")
        yield from self.until(lambda: flow.presenter.offer is not None)
        self.shot("06b-borrow-offer-return")
        self.tap(t("ui.borrow.return_it"))
        yield from self.until(lambda: flow.presenter.offer is None and flow.presenter.lines)
        yield STEP_S
        self.shot("06c-borrow-returned-here")
        # The last seconds before the idle timeout are counted down; a touch starts again.
        flow.idle.last_activity -= flow.presenter.idle_timeout_s() - 7.5
        yield 1.2
        if flow.countdown is None:
            self.fail("no countdown in the last 10 s")
        self.shot("06d-borrow-countdown")
        self._touch(app.screens["borrow"].hint)
        yield STEP_S
        if flow.countdown is not None:
            self.fail("a touch did not stop the countdown")
        self.tap(t("ui.common.done"))
        yield STEP_S
        # A book borrowed ten days ago: "Gia hạn" renews it.
        self.scan("0123456793")
        yield STEP_S
        self.shot("06e-borrow-renewable")
        self.tap(t("ui.borrow.renew", n=1))
        yield from self.until(lambda: flow.presenter.lines)
        yield STEP_S
        self.shot("06f-borrow-renewed")
        self.tap(t("ui.common.done"))
        yield STEP_S
        self.expect("home")
        self.scan("TK.00001")
        yield STEP_S
        self.expect("returns")
        self.scan("TN.00002")  # overdue: returned late
        yield STEP_S
        self.scan("TK.00003")  # not on loan
        yield STEP_S
        self.tap(t("ui.receipt.ask"))
        yield STEP_S
        self.shot("07-returns")
        self.tap(t("ui.common.done"))
        yield STEP_S
        self.scan("GV0012")
        yield STEP_S
        self.expect("teacher")
        self.shot("08-teacher-menu")
        self.tap(t("ui.teacher.borrow_equipment"))
        yield STEP_S
        self.expect("equipment_borrow")
        self.shot("09-equipment-class")
        self.tap("6A1")
        yield STEP_S
        self.shot("10-equipment-period")
        self.tap(t("ui.equipment.period_n", n=2))
        yield STEP_S
        self.shot("11-equipment-subject")
        self.tap("KHTN")
        yield STEP_S
        for key in "Baif 5 Kinhs hieenr vi":
            self.tap(t("ui.keyboard.space") if key == " " else key.lower())
        yield STEP_S
        self.shot("12-equipment-title-telex")
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        self.scan("TB.KHTN6.001")
        yield STEP_S
        self.tap("+")
        yield STEP_S
        self.tap("+")
        yield STEP_S
        self.shot("13-equipment-items")
        self.tap(t("ui.common.confirm"))
        yield from self.until(lambda: flow.presenter.phase == "finished")
        yield STEP_S
        yield from self.until(lambda: getattr(flow.presenter, "phase", "") == "finished")
        yield STEP_S
        self.shot("14-equipment-confirmed")
        self.tap(t("ui.common.home"))
        yield STEP_S
        self.scan("GV0012")
        yield STEP_S
        self.tap(t("ui.teacher.return_equipment"))
        yield STEP_S
        self.expect("equipment_return")
        self.scan("TB.KHTN6.001")
        yield STEP_S
        self.tap(t("ui.condition.good"))
        yield STEP_S
        self.shot("15-equipment-return")
        # The two test tubes: one back good, one broken, with a note on what broke.
        tubes = next(b for b in self._buttons() if "(KHTN6.OCN)" in b.text)
        self._touch(tubes)
        yield STEP_S
        tubes_entry = next(e for e in flow.presenter.entries if e.loan.code == "KHTN6.OCN")
        flow.presenter.select(tubes_entry.loan.loan_id)
        yield STEP_S
        minus = [b for b in self._buttons() if b.text == "-"]
        plus = [b for b in self._buttons() if b.text == "+"]
        self._touch(minus[0])  # one fewer good
        yield STEP_S
        self._touch(plus[1])  # one more damaged
        yield STEP_S
        self.shot("15b-equipment-return-split")
        self.tap(t("ui.equipment.note"))
        yield STEP_S
        for key in "vowx mieejng":
            self.tap(t("ui.keyboard.space") if key == " " else key)
        yield STEP_S
        self.shot("15c-equipment-return-note")
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        if flow.presenter.typing_note:
            self.fail("the keyboard's OK did not close the note")
        self.tap(t("ui.common.ok"))
        yield STEP_S
        self.tap(t("ui.common.confirm"))
        yield STEP_S
        yield from self.until(lambda: getattr(flow.presenter, "phase", "") == "finished")
        yield STEP_S
        self.shot("15d-equipment-return-done")
        self.tap(t("ui.common.home"))
        yield STEP_S
        self.scan("CB0001")
        yield STEP_S
        self.expect("staff_signin")
        for digit in "1111":
            self.tap(digit)
        self.tap(t("ui.staff.ok"))
        yield STEP_S
        yield from self.until(lambda: flow.presenter.message is not None)
        self.shot("16-staff-pin-wrong")
        for digit in "2468":
            self.tap(digit)
        yield STEP_S
        self.shot("17-staff-pin")
        self.tap(t("ui.staff.ok"))
        yield STEP_S
        yield from self.until(lambda: flow.screen == "staff_review")
        self.expect("staff_review")
        self.shot("18-staff-transactions")
        review = flow.presenter
        row = next((r for r in review.rows if r.code == "GK.00001"), None)
        if row is None:
            self.fail("GK.00001 not in today's transactions")
        else:
            button = next((b for b in self._buttons() if "(GK.00001)" in b.text), None)
            if button is None:
                self.fail("no row button for GK.00001")
            else:
                self.reveal(button)
                yield STEP_S
                self._touch(button)
        yield STEP_S
        self.shot("18b-staff-row-selected")
        self.tap(t("ui.void_reason.scanned_by_mistake"))
        yield STEP_S
        self.shot("18c-staff-void-confirm")
        self.tap(t("ui.staff.confirm_void_button"))
        yield from self.until(lambda: review.selected is not None and review.selected.voided)
        yield STEP_S
        self.shot("19-staff-void")
        button = next((b for b in self._buttons() if "(KHTN6.OCN)" in b.text
                       and t("ui.staff.direction_out") in b.text), None)
        if button is not None:
            self.reveal(button)
            yield STEP_S
            self._touch(button)
            yield STEP_S
            self.tap(t("ui.staff.other_reason"))
            yield STEP_S
            for key in "nhaamf":
                self.tap(key)
            yield STEP_S
            self.shot("19b-staff-void-typed-reason")
            self.tap(t("ui.keyboard.ok"))
            yield STEP_S
            self.tap(t("ui.staff.confirm_void_button"))
            yield from self.until(lambda: review.can_undo)
            yield STEP_S
            self.shot("19c-staff-void-undo-offered")
            self.tap(t("ui.staff.undo_void"))
            yield from self.until(lambda: not review.can_undo)
            yield STEP_S
            self.shot("19d-staff-void-undone")
        else:
            self.fail("no row for KHTN6.OCN")
        self.tap(t("ui.staff.filter_class_name_all") + " ▾")
        yield STEP_S
        self.shot("20-staff-filter-list")
        self.tap(t("ui.common.close"))
        yield STEP_S
        self.tap(t("ui.staff.filter_kind_all") + " ▾")
        yield STEP_S
        self.tap(t("ui.staff.kind_book"))
        yield STEP_S
        self.shot("20b-staff-filter-books")
        self.tap(t("ui.staff.kind_book") + " ▾")
        yield STEP_S
        self.tap(t("ui.staff.filter_kind_all"))
        yield STEP_S
        self.tap(review.day_label)
        yield STEP_S
        self.shot("20c-staff-day-picker")
        from datetime import timedelta
        today = flow.context.clock.today()
        earlier = today - timedelta(days=5)  # the microscope still out
        if earlier.month != today.month:
            self.tap("◀")
            yield STEP_S
        self.tap(str(earlier.day))
        yield STEP_S
        self.shot("20d-staff-another-day")
        if review.day != earlier or not review.rows:
            self.fail(f"the calendar did not show {earlier}'s transactions")
        self.tap(review.day_label)
        yield STEP_S
        self.tap(t("ui.day.today"))
        yield STEP_S
        # Search: a patron typed on the on-screen keyboard, lent and returned on their behalf.
        yield from self.tab("search")
        self.shot("20e-staff-search")
        self.tap(t("ui.search.hint"))
        yield STEP_S
        for key in "nguyeenx":
            self.tap(key)
        yield STEP_S
        self.shot("20f-staff-search-typing")
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        self.shot("20g-staff-search-results")
        button = next((b for b in self._buttons() if b.text.startswith("Nguyễn Văn An")), None)
        if button is None:
            self.fail("no search result for Nguyễn Văn An")
        else:
            self._touch(button)
        yield STEP_S
        self.scan("TK.00003")  # lent to the patron on screen
        yield from self.until(lambda: review.searching.lent_here)
        yield STEP_S
        self.shot("20h-staff-search-patron")
        give_back = [b for b in self._buttons() if b.text == t("ui.search.give_back")]
        if not give_back:
            self.fail("no return button in the patron's loans")
        else:
            self._touch(give_back[0])
        yield STEP_S
        self.tap(t("ui.common.back"))
        yield STEP_S
        self.scan("TK.00002")  # who holds this copy?
        yield STEP_S
        self.shot("20i-staff-search-title-holders")
        if review.searching.title is None:
            self.fail("scanning a copy on the search tab showed no title")
        yield from self.tab("overdue")
        self.shot("21-staff-overdue")
        yield from self.tab("declare")
        self.scan("9786042000017")
        yield STEP_S
        self.tap("+1")
        yield STEP_S
        self.tap(t("ui.staff.store_TN"))
        yield STEP_S
        self.shot("21a-staff-declare-isbn")
        self.tap(flow.presenter.declaring.submit_label)
        yield STEP_S
        yield from self.until(
            lambda: getattr(flow.presenter.message, "code", None) == "copies_declared")
        # An unknown ISBN: the form with the register's fields.
        self.scan("9786041234567")
        yield STEP_S
        for field, keys in (("title", "Kinhs vaj lux"), ("author", "Tran Vawn"),
                            ("year", "2024"), ("price", "65000")):
            self.tap(t(f"ui.declare.book_{field}"))
            yield STEP_S
            for key in keys:
                self.tap(t("ui.keyboard.space") if key == " " else key.lower())
            self.tap(t("ui.keyboard.ok"))
            yield STEP_S
        self.shot("21a2-staff-declare-book-form")
        self.tap(t("ui.staff.kind_equipment"))
        yield STEP_S
        self.tap(t("ui.declare.equipment_name"))
        yield STEP_S
        self.tap("Aa")  # shift: a capital L
        for key in "Lwcj kees":
            self.tap(t("ui.keyboard.space") if key == " " else key)
        yield STEP_S
        self.shot("21b-staff-declare-typing")
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        for field, keys in (("subject", "KHTN"), ("grade", "6"), ("unit", "cais"),
                            ("unit_price", "150000")):
            self.tap(t(f"ui.declare.equipment_{field}"))
            yield STEP_S
            for key in keys:
                if key.isupper():
                    self.tap("Aa")  # shift lasts one letter
                    yield 0.05
                self.tap(key)
            self.tap(t("ui.keyboard.ok"))
            yield STEP_S
        self.tap("+10")
        yield STEP_S
        self.shot("21c-staff-declare-equipment")
        self.tap(flow.presenter.declaring.submit_label)
        yield STEP_S
        yield from self.tab("reports")
        # The term's reports are computed on the reader thread: "Đang tính…" until they come.
        yield from self.until(lambda: flow.presenter.reporting.computing is None)
        yield STEP_S
        self.shot("21r-staff-reports-usage")
        self.tap(t("ui.reports.view_reading"))
        yield STEP_S
        yield from self.until(lambda: flow.presenter.reporting.computing is None)
        yield STEP_S
        self.shot("21s-staff-reports-reading")
        self.tap(t("ui.reports.view_visit"))
        yield STEP_S
        self.tap("7A3")
        yield STEP_S
        self.tap("+5")
        yield STEP_S
        self.shot("21t-staff-reports-visit")
        self.tap(t("ui.reports.visit_record"))
        yield STEP_S
        yield from self.until(lambda: flow.presenter.reporting.visit_class is None)
        self.tap(t("ui.reports.view_quotas"))
        yield STEP_S
        buttons = [b for b in self._buttons() if b.text == "+1"]
        if buttons:
            self._touch(buttons[0])
        yield STEP_S
        self.shot("21u-staff-reports-quotas")
        self.tap(t("ui.reports.quota_save"))
        yield STEP_S
        yield from self.until(
            lambda: getattr(flow.presenter.message, "code", None) == "equipment_declared")
        self.shot("21c2-staff-declared-equipment")
        # More of a kind already declared: its code scanned on the declare tab offers it.
        yield from self.tab("declare")
        self.scan("KHTN6.OCN")
        yield STEP_S
        self.shot("21c3-staff-declare-more-of-a-kind")
        # The Kho tab: what came back damaged, a stock-take, a withdrawal.
        yield from self.tab("stock")
        self.shot("21d-staff-stock-incidents")
        first = next((b for b in self._buttons() if "KHTN6" in b.text), None)
        if first is None:
            self.fail("no incident listed on the Kho tab")
        else:
            self._touch(first)
        yield STEP_S
        self.shot("21e-staff-stock-incident-selected")
        self.tap(t("ui.stock.mode_stocktake"))
        yield STEP_S
        self.shot("21f-staff-stocktake-open")
        self.tap(t("ui.staff.store_TK"))
        yield STEP_S
        yield from self.until(lambda: flow.presenter.stock.take is not None)
        for code in ("TK.00001", "TK.00004", "TK.00005", "TK.00009", "GK.00001", "TK.00004",
                     "ZZ.12345"):
            self.scan(code)
            yield STEP_S
            yield from self.until(lambda: not flow.presenter.writing)
        self.tap(t("ui.stock.damaged_next"))
        yield STEP_S
        self.scan("TK.00003")
        yield STEP_S
        yield from self.until(lambda: not flow.presenter.writing)
        self.shot("21g-staff-stocktake-progress")
        self.tap(t("ui.stock.load_file"))
        yield STEP_S
        self.shot("21g2-staff-stocktake-batch-files")
        self.tap(t("ui.common.back"))
        yield STEP_S
        self.tap(t("ui.stock.finish"))
        yield STEP_S
        self.shot("21h-staff-stocktake-confirm")
        self.tap(t("ui.stock.finish_confirm"))
        yield STEP_S
        yield from self.until(lambda: flow.presenter.stock.minutes_files is not None)
        yield STEP_S
        self.shot("21i-staff-stocktake-finished")
        self.tap(t("ui.stock.mode_withdraw"))
        yield STEP_S
        self.scan("TK.00003")
        yield STEP_S
        self.tap(t("withdraw.reason_worn"))
        yield STEP_S
        self.shot("21j-staff-withdraw")
        self.tap(t("ui.stock.withdraw", n=1))
        yield STEP_S
        yield from self.until(lambda: not flow.presenter.writing)
        self.shot("21k-staff-withdrawn")
        if self.find(t("ui.staff.more_tabs")) is not None:  # the header cannot show them all
            self.tap(t("ui.staff.more_tabs"))
            yield STEP_S
            self.shot("21x-staff-all-tabs")
            self.tap(t("ui.common.close"))
            yield STEP_S
        yield from self.tab("status")
        self.shot("22-staff-status")
        yield from self.tab("summary")
        self.shot("23-staff-summary")
        self.tap(t("ui.staff.sign_out_as", name="Thư"))
        yield STEP_S
        self.expect("home")
        self.tap(t("ui.home.language"))
        yield STEP_S
        self.shot("24-home-english")
        self.scan("0123456789")
        yield STEP_S
        self.shot("25-borrow-english")
        flow.idle.last_activity -= 3600  # an hour without a touch
        yield 1.3
        self.expect("home")
        if flow.language != "vi":
            self.fail(f"the idle timeout left the kiosk in {flow.language}")
        yield STEP_S
        # a burst of scans, timing key-to-line on screen
        self.scan("0123456789")
        yield STEP_S
        for code in ("TK.00004", "TK.00005"):
            started = time.perf_counter()
            self.scan(code)
            yield 0
            self.latencies.append(time.perf_counter() - started)
        self.tap(t("ui.common.done"))
        yield STEP_S
        # an unexpected error in a callback: a calm message, the app keeps running
        from kivy.clock import Clock

        def explode(dt):
            raise RuntimeError("simulated failure")
        Clock.schedule_once(explode, 0)
        yield STEP_S
        self.shot("26-unexpected-error")
        if flow.presenter.message_text != t("ui.error.unexpected"):
            self.fail("no calm message after an unexpected error")
        from tests.factories import reconfigure
        reconfigure(flow.context, "reports", reading_board=True)
        flow.home()
        flow.home_presenter.refresh_board()
        flow.home_presenter.changed()
        yield STEP_S
        self.shot("27-home-reading-board")
        yield from self.teachers_ahead()

    def type_keys(self, text: str):
        """Type on a physical (USB) keyboard: a person's pace, far slower than a scanner."""
        from kivy.core.window import Window
        for ch in text:
            if ch == "\b":
                Window.dispatch("on_key_down", 8, 42, None, [])
            elif ch == "\r":
                Window.dispatch("on_key_down", 13, 40, None, [])
            else:
                Window.dispatch("on_key_down", ord(ch.lower()), 0, ch.lower(), [])
                Window.dispatch("on_textinput", ch)
            yield 0.12

    def teachers_ahead(self):
        """Long-term loans and their renewal, the lesson's day, booking ahead and its
        refusal, a booking collected by the card, the stock filter, a USB keyboard."""
        from kiosk.i18n import t
        flow = self.app.flow
        flow.home()
        yield STEP_S
        # Mr Châu's card collects his booking for today at once; the slip prints.
        self.scan("GV0020")
        yield from self.until(lambda: getattr(flow.presenter, "message", None) is not None)
        yield STEP_S
        self.expect("teacher")
        if flow.presenter.message_text != t("done.booking_collected", period=1,
                                            class_name="6A2", count=1):
            self.fail(f"booking not collected by the card: {flow.presenter.message_text!r}")
        self.shot("40-teacher-booking-collected")
        self.tap(t("ui.teacher.renew"))
        yield from self.until(lambda: not flow.presenter.writing)
        yield STEP_S
        if not flow.presenter.message_ok:
            self.fail(f"long-term renewal refused: {flow.presenter.message_text!r}")
        self.shot("41-teacher-long-term-renewed")
        self.tap(t("ui.teacher.long_term"))
        yield STEP_S
        self.expect("equipment_borrow")
        yield STEP_S
        self.shot("42-equipment-long-term")
        row = next(b for b in self._buttons() if b.text == "+"
                   and any("Bảng tuần hoàn" in getattr(w, "text", "")
                           for w in b.parent.children))
        self._touch(row)
        yield STEP_S
        self.tap(t("ui.common.confirm"))
        yield from self.until(lambda: getattr(flow.presenter, "phase", "") == "finished")
        yield STEP_S
        self.shot("43-equipment-long-term-lent")
        self.tap(t("ui.common.home"))
        yield STEP_S
        # Ms Hà books a microscope for a later lesson.
        self.scan("GV0012")
        yield STEP_S
        self.tap(t("ui.teacher.borrow_equipment"))
        yield STEP_S
        self.tap("6A1")
        yield STEP_S
        self.tap(t("ui.equipment.other_day"))
        yield STEP_S
        self.shot("44-equipment-days")
        later_day, later_label = flow.presenter.quick_days()[1]
        self.tap(later_label)
        yield STEP_S
        self.shot("45-equipment-period-later-day")
        self.tap(t("ui.equipment.period_n", n=3))
        yield STEP_S
        self.tap("KHTN")
        yield STEP_S
        yield from self.type_keys("Thuwcj hanhf x\b")
        yield 0.2
        if flow.presenter.title.text != "Thực hành ":
            self.fail(f"USB keyboard title: {flow.presenter.title.text!r}")
        self.shot("46-equipment-title-usb-keyboard")
        yield from self.type_keys("\r")
        yield 0.2
        if flow.presenter.step != "items":
            self.fail("Enter on the USB keyboard did not finish the title")
        self.shot("47-equipment-booking-list")
        self.tap(t("ui.equipment.filter_subject", subject="KHTN"))
        yield STEP_S
        self.tap(t("ui.equipment.filter_hint"))
        yield STEP_S
        for key in "tuan":  # no marks typed: "tuần" is found
            self.tap(key)
        yield STEP_S
        self.shot("48-equipment-filter-keyboard")
        if [r.name for r in flow.presenter.stock_rows()] != [
                "Bảng tuần hoàn các nguyên tố hóa học"]:
            self.fail(f"filter 'tuan': {[r.name for r in flow.presenter.stock_rows()]}")
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        self.tap(t("ui.equipment.clear"))
        yield STEP_S
        self.tap(t("ui.equipment.filter_all_subjects"))
        yield STEP_S
        flow.presenter.step_quantity("KHTN6.KHV", +1)  # the microscope's + (the list's first)
        yield STEP_S
        self.tap(t("ui.booking.confirm"))
        yield from self.until(lambda: getattr(flow.presenter, "phase", "") == "finished")
        yield STEP_S
        self.shot("49-equipment-booked")
        self.tap(t("ui.common.home"))
        yield STEP_S
        # Mr Châu wants the same microscope for the same lesson: refused, with who holds it.
        self.scan("GV0020")
        yield STEP_S
        self.tap(t("ui.teacher.borrow_equipment"))
        yield STEP_S
        self.tap("6A2")
        yield STEP_S
        self.tap(later_label)
        yield STEP_S
        self.tap(t("ui.equipment.period_n", n=3))
        yield STEP_S
        self.tap("KHTN")
        yield STEP_S
        self.tap(t("ui.keyboard.ok"))
        yield STEP_S
        plus = next(b for b in self._buttons() if b.text == "+")
        self._touch(plus)
        yield STEP_S
        self.shot("50-equipment-booking-refused")
        if "cô Phạm Thu Hà" not in flow.presenter.message_text:
            self.fail(f"refusal without who holds it: {flow.presenter.message_text!r}")
        self.tap(t("ui.common.cancel"))
        yield STEP_S
        self.scan("GV0012")
        yield STEP_S
        self.shot("51-teacher-menu-bookings")
        self.tap(t("ui.common.home"))
        yield STEP_S

    def _buttons(self):
        from kivy.uix.button import Button
        return [w for w in self.app.manager.current_screen.walk(restrict=True)
                if isinstance(w, Button)]

    def reveal(self, widget) -> None:
        """Scroll a list so that ``widget`` is visible (takes effect next frame)."""
        from kivy.uix.scrollview import ScrollView
        parent = widget.parent
        while parent is not None and not isinstance(parent, ScrollView):
            parent = parent.parent
        if parent is not None:
            parent.scroll_to(widget, padding=4, animate=False)

    def _touch(self, widget):
        """Touch a widget's centre."""
        from kivy.tests.common import UnitTestTouch
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()

    def start(self, report: Path) -> None:
        from kivy.clock import Clock
        steps = self.script()

        def step(dt):
            # A write still on its way back (the writer thread, then the next frame) finishes
            # before the script goes on, however slow the machine is.
            if self.app.flow.presenter.writing and time.monotonic() < step.patience:
                Clock.schedule_once(step, 0.02)
                return
            step.patience = time.monotonic() + 10.0
            try:
                wait = next(steps)
            except StopIteration:
                self.finish(report)
                return
            except Exception:  # noqa: BLE001
                self.fail("script error: " + traceback.format_exc())
                self.finish(report)
                return
            Clock.schedule_once(step, wait)
        step.patience = time.monotonic() + 10.0
        Clock.schedule_once(step, 0.3)

    def finish(self, report: Path) -> None:
        report.write_text(json.dumps({"failures": self.failures, "screens": self.screens_seen,
                                      "shots": self.shot_files,
                                      "latencies": self.latencies}, ensure_ascii=False,
                                     indent=1))
        self.app.stop()


def main(argv: list[str]) -> int:
    """``OUT_DIR WIDTH HEIGHT [--no-shots]``."""
    logging.basicConfig(level=logging.DEBUG if os.environ.get("SCENARIO_DEBUG") else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    out_dir, width, height = Path(argv[0]), int(argv[1]), int(argv[2])
    shots = "--no-shots" not in argv
    out_dir.mkdir(parents=True, exist_ok=True)
    context = seed(out_dir / "db", width, height)
    from kiosk.ui.app import KioskApp, configure_window
    configure_window(context.config.ui)
    from kivy.core.window import Window
    Window.size = (width, height)
    from kiosk.ui.sounds import KivySounds
    from kiosk.ui.writes import ClockWrites
    from tests.dummy_ports import make_runtime
    runtime = make_runtime(context, ClockWrites, KivySounds())
    app = KioskApp(runtime)
    driver = Driver(app, out_dir, shots)
    driver.start(out_dir / "report.json")
    try:
        app.run()
    finally:
        runtime.close()
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
