"""A teacher borrows equipment for a lesson: class, period, subject, lesson title, then items
scanned or stock counted, then confirm and the slip."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.services.bookings import Slot
from db.text import search_key, sort_key
from db.vocabulary import MORNING, SESSIONS
from kiosk.i18n import Translator, t
from kiosk.presenters.base import ResultLine
from kiosk.presenters.slip import ACTIVE, FINISHED, SlipPresenter
from kiosk.presenters.addressing import teacher_greeting
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import EquipmentSlip
from kiosk.services import identify as ident
from kiosk.services.equipment import EquipmentBasket, Lesson
from kiosk.clock import format_date
from kiosk.services.results import LoanInfo, Outcome, done, refuse

log = logging.getLogger(__name__)

#: Words stored in the lesson are Vietnamese, whatever the screen's language.
STORED = Translator("vi")
STEPS = ("class", "period", "subject", "plan", "title", "items")
#: Steps off the main line: another day for the lesson (reached from the period step).
SIDE_STEPS = {"date": "period"}
#: How long a long-term loan runs (a term, or to the school year's end).
LONG_TERMS = ("term", "year")
#: How many days the "another day" step offers at most.
DAYS_SHOWN = 21
#: Purposes of a loan seen in Vietnamese school software (the catalog words them).
PURPOSES = ("class", "subject_room", "practice", "ict", "multi_room", "other")


@dataclass
class PlanChoice:
    """A lesson of the plan (sổ phân định) offered as a button."""

    plan_id: int
    ppct: int
    week: int | None
    title: str
    equipment: str
@dataclass
class StockRow:
    """A kind of equipment the teacher may pick with the quantity stepper: counted stock (and,
    when booking ahead, labelled items too, by how many)."""

    code: str
    name: str
    unit: str
    #: How many may still be lent now (or booked for the lesson).
    on_hand: int
    quantity: int
    #: How many other teachers' bookings hold for the lesson (today's, when lending now).
    reserved: int = 0
    labelled: bool = False

    @property
    def detail(self) -> str:
        """'còn 10 · đã đặt 20' under the name."""
        text = t("ui.equipment.on_hand", n=self.on_hand)
        if self.reserved:
            text += " · " + t("ui.booking.reserved", n=self.reserved)
        return text


class EquipmentBorrowPresenter(SlipPresenter):
    """Borrow equipment for one lesson."""

    screen = "equipment_borrow"

    @classmethod
    def open(cls, flow, card: ident.Identified, long_term: bool = False
             ) -> "EquipmentBorrowPresenter | Outcome":
        """The presenter (for a lesson, or ``long_term``), or a refusal when this patron may
        not borrow equipment."""
        basket = flow.equipment.start(card.record, long_term=long_term)
        if isinstance(basket, Outcome):
            return basket
        return cls(flow, card.record, basket)

    def __init__(self, flow, teacher, basket: EquipmentBasket):
        super().__init__(flow)
        self.teacher = teacher
        self.basket = basket
        self.phase = ACTIVE
        self.long_term = basket.long_term
        self.step = "items" if self.long_term else "class"
        self.class_name: str | None = None
        self.period: int | None = None
        self.session = MORNING
        self.today = flow.context.clock.today()
        self.lesson_date = self.today
        subjects = teacher.subject_list
        self.subject: str | None = subjects[0] if subjects else None
        self.title = TelexComposer(modern=flow.config.ui.telex_modern)
        #: The stock list's filter: typed text (diacritics ignored) and the lesson's subject.
        self.filter = TelexComposer(modern=flow.config.ui.telex_modern)
        self.filter_open = False
        self.filter_subject = bool(self.subject) and not self.long_term
        #: Booking ahead: how many of each kind (by code) the teacher wants.
        self.wanted: dict[str, int] = {}
        #: A later lesson: the teacher takes the equipment now instead of booking it.
        self.take_now = False
        self._availability = None
        self._lendable = None
        self.lines: list[ResultLine] = []
        self.classes = flow.reports.class_list()
        self.recent_titles = flow.reports.recent_lesson_titles(teacher)
        self.plan: list[PlanChoice] = []
        self.ppct: int | None = None
        self.suggested: list[tuple[str, int]] = []  # (name, quantity) still to scan
        self.purpose = PURPOSES[0]
        self.self_made = False

    # -- what the screen shows ----------------------------------------------------------------
    @property
    def greeting(self) -> str:
        """'Xin chào cô Phạm Thu Hà'."""
        return teacher_greeting(self.teacher)

    @property
    def booking(self) -> bool:
        """True when the lesson is on a later day and the teacher books the equipment for it
        (the default) rather than taking it now."""
        return not self.long_term and self.lesson_date > self.today and not self.take_now

    @property
    def later_day(self) -> bool:
        """The lesson is on a later day: the teacher books ahead, or takes it now."""
        return not self.long_term and self.lesson_date > self.today

    @property
    def _due_until(self):
        """The day a loan made now is due back (None: long term)."""
        return None if self.long_term else max(self.lesson_date, self.today)

    def take_now_label(self) -> str:
        """'Nhận: đặt trước' (the equipment waits for the lesson) or 'Nhận: mượn ngay'."""
        return t("ui.booking.mode_take_now" if self.take_now else "ui.booking.mode_book")

    def toggle_take_now(self) -> None:
        """A later lesson: book the equipment (it waits for the lesson), or take it now."""
        self.take_now = not self.take_now
        self._lendable = None
        self._availability = None
        self.changed()

    @property
    def step_title(self) -> str:
        """The question of the current step."""
        if self.step == "items" and self.long_term:
            return t("ui.equipment.step_items_long_term")
        if self.step == "items" and self.booking:
            return t("ui.equipment.step_items_booking")
        return t(f"ui.equipment.step_{self.step}")

    # -- the day ------------------------------------------------------------------------------
    def day_label(self, day: date) -> str:
        """'Hôm nay', 'Ngày mai', else 'T6 04/12'."""
        if day == self.today:
            return t("ui.equipment.today")
        if day == self.today + timedelta(days=1):
            return t("ui.equipment.tomorrow")
        return t("ui.equipment.day", weekday=t(f"ui.day.weekday_{day.weekday()}"),
                 date=day.strftime("%d/%m"))

    def quick_days(self) -> list[tuple[date, str]]:
        """Today and tomorrow (or the next school day), as the period step offers them."""
        days = self.days()
        return [(day, self.day_label(day)) for day in days[:2]]

    def days(self) -> list[date]:
        """The days a lesson may be picked for: today and the next school days (the
        library's closed weekdays left out), up to the booking horizon."""
        closed = set(self.flow.config.loans.closed_weekdays)
        ahead = self.flow.config.loans.booking_days_ahead
        found = [self.today]
        for n in range(1, ahead + 1):
            day = self.today + timedelta(days=n)
            if day.weekday() not in closed:
                found.append(day)
            if len(found) >= DAYS_SHOWN:
                break
        return found

    def choose_day(self, day: date) -> None:
        """The lesson's day (today: lend now; a later day: book ahead); back to the periods."""
        if day not in self.days():
            raise ValueError(day)
        if day != self.lesson_date:
            self.lesson_date = day
            self.wanted.clear()
            self._availability = None
            self._lendable = None
        self.step = "period"
        self.changed()

    def other_day(self) -> None:
        """Pick another day from the list."""
        self.step = "date"
        self.changed()

    def periods(self) -> list[tuple[str, int, str]]:
        """The period buttons as (session, number, label): the school's periods, morning first
        (labelled with their session when the school teaches in both), else 1..ui.periods."""
        rows = sorted(self.flow.reports.periods(),
                      key=lambda row: (SESSIONS.index(row[0]) if row[0] in SESSIONS else 9, row[1]))
        if not rows:
            rows = [("morning", n) for n in range(1, self.flow.config.ui.periods + 1)]
        both = len({session for session, _ in rows}) > 1
        return [(session, number, self._period_label(session, number, both))
                for session, number in rows]

    @staticmethod
    def _period_label(session: str, number: int, with_session: bool) -> str:
        if not with_session:
            return t("ui.equipment.period_n", n=number)
        return t("ui.equipment.period_session", n=number,
                 session=t(f"ui.equipment.session_{session}"))

    @property
    def period_label(self) -> str:
        """The chosen period as its button shows it ('' before one is chosen)."""
        if not self.period:
            return ""
        return next((label for session, number, label in self.periods()
                     if (session, number) == (self.session, self.period)),
                    t("ui.equipment.period_n", n=self.period))

    def subjects(self) -> list[str]:
        """The teacher's subjects first, then every subject equipment is filed under."""
        own = sorted(self.teacher.subject_list, key=sort_key)
        return own + [s for s in self.flow.reports.equipment_subjects() if s not in own]

    def lesson_summary(self) -> str:
        """'6A1 · tiết 2 · KHTN · Bài 5' for the header."""
        if self.long_term:
            return t("ui.equipment.long_term_until", due=format_date(
                self.flow.equipment.long_term_due(self.basket.long_term_until)))
        day = self.day_label(self.lesson_date) if self.lesson_date != self.today else ""
        parts = [self.class_name or "", day, self.period_label, self.subject or "",
                 self.title.text]
        return " · ".join(p for p in parts if p)

    @property
    def slot(self) -> Slot | None:
        """The lesson's day, session and period, once the period is chosen."""
        return Slot(self.lesson_date, self.session, self.period) if self.period else None

    def _offers(self):
        """Booking ahead: each kind's availability for the lesson (read once per change)."""
        if self._availability is None:
            self._availability = self.flow.bookings.availability(self.slot, self.teacher)
        return self._availability

    def _held_now(self):
        """Lending now: what others' bookings hold (pieces by kind, labelled items)."""
        if self._lendable is None:
            self._lendable = self.flow.equipment.lendable(self.teacher, self._due_until)
        return self._lendable

    def stock_rows(self) -> list[StockRow]:
        """The stock list, filtered by the typed text and the lesson's subject, the
        lesson's subject first, Vietnamese order: counted stock when lending now (how many
        may be lent, and how many today's bookings hold); every kind when booking ahead
        (how many are free for the lesson, and how many others booked)."""
        rows = []
        if self.booking and self.slot:
            offers = sorted(self._offers().values(), key=lambda o: self._order(o.kind))
            for offer in offers:
                kind = offer.kind
                if self._shown(kind):
                    rows.append(StockRow(kind.code, kind.name, kind.unit, offer.free,
                                         self.wanted.get(kind.code, 0), offer.reserved,
                                         not kind.counted))
            return rows
        pieces, _ = self._held_now()
        for kind in self.flow.reports.stock_types(self.subject):
            if not self._shown(kind):
                continue
            line = self.basket.line_for(kind.code)
            held = pieces.get(kind.id, 0)
            rows.append(StockRow(kind.code, kind.name, kind.unit,
                                 max(0, kind.stock_on_hand - held),
                                 line.quantity if line else 0, held))
        return rows

    def _order(self, kind) -> tuple:
        wanted = search_key(self.subject) if self.subject else ""
        return (search_key(kind.subject) != wanted, sort_key(kind.name))

    def _shown(self, kind) -> bool:
        if self.filter_subject and self.subject and not self.long_term:
            if search_key(kind.subject) != search_key(self.subject):
                return False
        words = search_key(self.filter.text).split()
        haystack = search_key(f"{kind.name} {kind.code}")
        return all(word in haystack for word in words)

    @property
    def filter_text(self) -> str:
        """What the filter field shows: the typed text, or its hint."""
        return self.filter.text

    def subject_filter_label(self) -> str:
        """'Môn: KHTN' while the list shows the lesson's subject only, else 'Mọi môn'."""
        if self.filter_subject and self.subject:
            return t("ui.equipment.filter_subject", subject=self.subject)
        return t("ui.equipment.filter_all_subjects")

    def toggle_subject_filter(self) -> None:
        """Only the lesson's subject, or every subject."""
        self.filter_subject = not self.filter_subject and bool(self.subject)
        self.changed()

    def open_filter(self) -> None:
        """Show the keyboard for the filter."""
        self.filter_open = True
        self.changed()

    def close_filter(self) -> None:
        """Hide the keyboard (the typed filter stays)."""
        self.filter_open = False
        self.changed()

    def filter_key(self, key: str) -> None:
        """A key typed into the filter (Telex)."""
        if key == "\b":
            self.filter.backspace()
        else:
            self.filter.key(key)
        self.changed()

    def clear_filter(self) -> None:
        """Empty the typed filter."""
        self.filter.clear()
        self.changed()

    def basket_rows(self) -> list[tuple[str, str, int, str]]:
        """(code, name, quantity, unit) of each basket line (what is booked, when booking)."""
        if self.booking:
            offers = {offer.kind.code: offer.kind for offer in self._offers().values()} \
                if self.slot else {}
            return [(code, offers[code].name if code in offers else code, n,
                     offers[code].unit if code in offers else "")
                    for code, n in self.wanted.items() if n]
        return [(line.code, line.name, line.quantity, line.unit) for line in self.basket.lines]

    @property
    def can_confirm(self) -> bool:
        """A lesson and at least one line (or self-made equipment); long-term: a line."""
        if self.long_term:
            return bool(self.basket.lines)
        if self.booking:
            return bool(any(self.wanted.values()) and self.class_name and self.period)
        return bool((self.basket.lines or self.self_made) and self.class_name and self.period
                    and self.subject)

    @property
    def confirm_label(self) -> str:
        """'Xác nhận', or 'Đặt trước' when booking ahead."""
        return t("ui.booking.confirm") if self.booking else t("ui.common.confirm")

    # -- long-term ------------------------------------------------------------------------------
    def long_term_label(self) -> str:
        """'Thời hạn: một học kỳ' / 'cả năm học'."""
        return t("ui.equipment.long_term_for",
                 term=t(f"ui.equipment.long_term_{self.basket.long_term_until}"))

    def cycle_long_term(self) -> None:
        """A term, or the school year."""
        index = LONG_TERMS.index(self.basket.long_term_until)
        self.basket.long_term_until = LONG_TERMS[(index + 1) % len(LONG_TERMS)]
        self.changed()

    def purpose_label(self) -> str:
        """'Mục đích: Dạy trên lớp'."""
        return t("ui.equipment.purpose", purpose=t(f"ui.equipment.purpose_{self.purpose}"))

    def cycle_purpose(self) -> None:
        """The next purpose."""
        self.purpose = PURPOSES[(PURPOSES.index(self.purpose) + 1) % len(PURPOSES)]
        self.changed()

    def toggle_self_made(self) -> None:
        """The teacher uses self-made equipment (thiết bị tự làm) too, or instead."""
        self.self_made = not self.self_made
        self.changed()

    def suggestion_text(self) -> str:
        """What the plan suggests that is not in the basket yet."""
        if not self.suggested:
            return ""
        return t("ui.equipment.suggested", items=", ".join(
            f"{name} ×{qty}" if qty > 1 else name for name, qty in self.suggested))

    # -- the lesson ---------------------------------------------------------------------------
    def choose_class(self, class_name: str) -> None:
        """The class button."""
        self.class_name = class_name
        self.step = "period"
        self.changed()

    def choose_period(self, period: int, session: str = MORNING) -> None:
        """The period button."""
        self.period = int(period)
        self.session = session
        self._availability = None
        self.step = "subject"
        self.changed()

    def choose_subject(self, subject: str) -> None:
        """The subject button (the teacher's own is preselected); the plan's lessons of that
        subject and grade are offered next, when the school has a plan."""
        self.subject = subject
        self.filter_subject = True
        self.plan = self._plan_choices()
        self.step = "plan" if self.plan else "title"
        self.changed()

    def _plan_choices(self) -> list[PlanChoice]:
        """This grade's planned lessons of the subject, those of this PPCT week first."""
        if not (self.class_name and self.subject):
            return []
        lessons = self.flow.planning.plan_for(self.subject, self.class_name)
        week = self.flow.planning.current_week()
        ordered = sorted(lessons, key=lambda p: (abs(p.week - week) if p.week and week
                                                 else 0, p.ppct))
        return [PlanChoice(p.id, p.ppct, p.week, p.title, p.equipment) for p in ordered]

    def choose_plan(self, plan_id: int) -> None:
        """A lesson of the plan: its title and PPCT number, its equipment suggested (counted
        stock put in the basket, labelled items listed to scan); everything stays editable."""
        choice = next((c for c in self.plan if c.plan_id == plan_id), None)
        if choice is None:
            return
        self.title.set(choice.title)
        self.ppct = choice.ppct
        self.suggested = []
        for item in self.flow.planning.plan_items(plan_id):
            if item.counted and item.type_code:
                outcome = self.flow.equipment.set_quantity(self.basket, item.type_code,
                                                           item.quantity)
                if outcome.ok:
                    continue
            self.suggested.append((item.name, item.quantity))
        self.step = "items"
        self.changed()

    def other_title(self) -> None:
        """Not a lesson of the plan: type the title."""
        self.ppct = None
        self.suggested = []
        self.step = "title"
        self.changed()

    def choose_recent_title(self, title: str) -> None:
        """One of the teacher's recent lesson titles."""
        self.title.set(title)
        self.step = "items"
        self.changed()

    def type_key(self, key: str) -> None:
        """A key of the on-screen keyboard (Telex)."""
        if key == "\b":
            self.title.backspace()
        else:
            self.title.key(key)
        self.changed()

    def finish_title(self) -> None:
        """The title is typed (or skipped: it is optional)."""
        self.step = "items"
        self.changed()

    def go_to(self, step: str) -> None:
        """Jump back to a step (tapping the lesson summary)."""
        if step not in STEPS:
            raise ValueError(step)
        self.step = step
        self.changed()

    def back(self) -> None:
        """The previous step (the plan's only when it has lessons); from the first, home."""
        if self.filter_open:
            self.close_filter()
            return
        if self.step in SIDE_STEPS:
            self.step = SIDE_STEPS[self.step]
            self.changed()
            return
        index = STEPS.index(self.step)
        if index == 0 or self.long_term:
            self.flow.home()
            return
        self.step = STEPS[index - 1]
        if self.step == "plan" and not self.plan:
            self.step = "subject"
        self.changed()

    # -- the items ----------------------------------------------------------------------------
    def on_scan(self, code: str) -> None:
        """A labelled item (or a stock code) goes into the basket; the card again cancels."""
        if self.phase == FINISHED:
            self.flow.leave_and_rescan(code)
            return
        if code.strip() == self.teacher.code:
            self.cancel()
            return
        if self.booking and self.slot:
            self._book_scan(code)
            return
        outcome = self.flow.equipment.add_scan(self.basket, code)
        if outcome.ok and outcome.code == "added":
            outcome = self._warn_if_held(code, outcome)
        if outcome.ok:
            name = outcome.params.get("title")
            for i, (wanted, qty) in enumerate(self.suggested):
                if wanted == name:
                    if qty > 1:
                        self.suggested[i] = (wanted, qty - 1)
                    else:
                        del self.suggested[i]
                    break
        self._show(outcome)

    def _warn_if_held(self, code: str, outcome: Outcome) -> Outcome:
        """A labelled item another teacher booked for today stays out of the basket."""
        line = self.basket.line_for(code)
        _, items = self._held_now()
        hold = items.get(line.item.id) if line and line.item else None
        if hold is None:
            return outcome
        self.flow.equipment.remove(self.basket, code)
        from kiosk.services.availability import HoldNote
        return refuse("item_booked", title=line.name, holder=HoldNote(hold))

    def _book_scan(self, code: str) -> None:
        """Booking ahead: a scanned item or stock code books one more of its kind."""
        found = self.flow.circulation.identify(code)
        if found.kind == ident.ITEM:
            self.step_quantity(found.record.type.code, +1)
        elif found.kind == ident.STOCK:
            self.step_quantity(found.record.code, +1)
        else:
            self._show(refuse("not_equipment", code=found.code))

    def step_quantity(self, type_code: str, delta: int) -> None:
        """The − / + buttons of a stock row (how many to book, when booking ahead)."""
        if self.booking and self.slot:
            self._step_booking(type_code, delta)
            return
        line = self.basket.line_for(type_code)
        current = line.quantity if line else 0
        wanted = max(0, current + delta)
        row = next((r for r in self.stock_rows() if r.code == type_code), None)
        if delta > 0 and row is not None and row.reserved and wanted > row.on_hand:
            self._show(self.flow.equipment.stock_refusal(self.teacher, type_code,
                                                         self._due_until))
            return
        self._show(self.flow.equipment.set_quantity(self.basket, type_code, wanted))

    def _step_booking(self, type_code: str, delta: int) -> None:
        offer = next((o for o in self._offers().values() if o.kind.code == type_code), None)
        if offer is None:
            self._show(refuse("unknown_code", code=type_code))
            return
        wanted = max(0, self.wanted.get(type_code, 0) + delta)
        if wanted > offer.free:
            self._show(self.flow.bookings.short(offer.kind, wanted, offer))
            return
        self.wanted[type_code] = wanted
        if not wanted:
            del self.wanted[type_code]
        self._show(done("booking_quantity", title=offer.kind.name, quantity=wanted))

    def remove(self, code: str) -> None:
        """Take a line out of the basket."""
        self.wanted.pop(code, None)
        self.flow.equipment.remove(self.basket, code)
        self.changed()

    def _show(self, outcome: Outcome) -> None:
        self.message = outcome
        if outcome.code not in ("already_in_session",):
            self.lines.append(ResultLine(outcome))
        self.feedback(outcome)
        self.changed()

    def confirm(self) -> None:
        """Lend the basket for the lesson (the slip prints), or book it for a later day."""
        if self.phase == FINISHED or self.writing:
            return
        if self.long_term:
            self.write(lambda: self.flow.equipment.confirm(self.basket), self._confirmed)
            return
        if not (self.class_name and self.period and self.subject):
            self._show(refuse("lesson_required"))
            self.step = next(s for s, v in (("class", self.class_name), ("period", self.period),
                                            ("subject", self.subject)) if not v)
            self.changed()
            return
        if self.writing:
            return  # the checkout is already being written
        lesson = Lesson(date=self.lesson_date, period=self.period,
                                    session=self.session,
                                    class_name=self.class_name, subject=self.subject,
                                    title=self.title.text.strip(), ppct=self.ppct,
                                    purpose=STORED(f"ui.equipment.purpose_{self.purpose}"),
                                    self_made=STORED("ui.equipment.self_made_name")
                                    if self.self_made else "")
        if self.booking:
            wanted = dict(self.wanted)
            self.write(lambda: self.flow.bookings.book(self.teacher, lesson, wanted),
                       self._booked)
            return
        self.basket.lesson = lesson
        self.write(lambda: self.flow.equipment.confirm(self.basket), self._confirmed)

    def _confirmed(self, outcome: Outcome) -> None:
        self._lendable = None
        self._show(outcome)
        if outcome.ok:
            self.phase = FINISHED
            self.print(EquipmentSlip(outcome.params["ref"]))
            self.changed()

    def _booked(self, outcome: Outcome) -> None:
        self._availability = None
        self._show(outcome)
        if outcome.ok:
            self.phase = FINISHED
            self.changed()

    # -- a physical keyboard --------------------------------------------------------------------
    def on_typed(self, text: str) -> None:
        """Keys typed on a USB keyboard (not a scan): into the lesson title on its step, into
        the stock filter on the items step; Enter finishes, Backspace deletes."""
        if self.phase == FINISHED:
            return
        for key in text:
            if key in "\r\n":
                if self.step == "title":
                    self.finish_title()
                elif self.filter_open:
                    self.close_filter()
                continue
            if key == "\t":
                continue
            if self.step == "title":
                self.type_key(key)
            elif self.step == "items":
                self.filter_open = True
                self.filter_key(key)

    def cancel(self) -> None:
        """Drop the basket (nothing was recorded) and go home."""
        self.flow.home()

    def done(self) -> None:
        """Home (once the slip is out)."""
        self.flow.home()
