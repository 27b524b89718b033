"""A teacher borrows equipment for a lesson: class, period, subject, lesson title, then items
scanned or stock counted, then confirm and the slip."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from db.vocabulary import MORNING, SESSIONS
from kiosk.i18n import Translator, t
from kiosk.presenters.base import ResultLine
from kiosk.presenters.slip import ACTIVE, FINISHED, SlipPresenter
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import EquipmentSlip
from kiosk.services import identify as ident
from kiosk.services.equipment import EquipmentBasket, Lesson
from kiosk.services.results import LoanInfo, Outcome, refuse

log = logging.getLogger(__name__)

#: Words stored in the lesson are Vietnamese, whatever the screen's language.
STORED = Translator("vi")
STEPS = ("class", "period", "subject", "plan", "title", "items")
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
    """A kind of counted stock the teacher may pick with the quantity stepper."""

    code: str
    name: str
    unit: str
    on_hand: int
    quantity: int


class EquipmentBorrowPresenter(SlipPresenter):
    """Borrow equipment for one lesson."""

    screen = "equipment_borrow"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "EquipmentBorrowPresenter | Outcome":
        """The presenter, or a refusal when this patron may not borrow equipment."""
        basket = flow.equipment.start(card.record)
        if isinstance(basket, Outcome):
            return basket
        return cls(flow, card.record, basket)

    def __init__(self, flow, teacher, basket: EquipmentBasket):
        super().__init__(flow)
        self.teacher = teacher
        self.basket = basket
        self.phase = ACTIVE
        self.step = "class"
        self.class_name: str | None = None
        self.period: int | None = None
        self.session = MORNING
        subjects = teacher.subject_list
        self.subject: str | None = subjects[0] if subjects else None
        self.title = TelexComposer(modern=flow.config.ui.telex_modern)
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
        """The teacher's name."""
        return t("ui.teacher.greeting", name=self.teacher.name)

    @property
    def step_title(self) -> str:
        """The question of the current step."""
        return t(f"ui.equipment.step_{self.step}")

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
        own = self.teacher.subject_list
        return own + [s for s in self.flow.reports.equipment_subjects() if s not in own]

    def lesson_summary(self) -> str:
        """'6A1 · tiết 2 · KHTN · Bài 5' for the header."""
        parts = [self.class_name or "", self.period_label, self.subject or "", self.title.text]
        return " · ".join(p for p in parts if p)

    def stock_rows(self) -> list[StockRow]:
        """Counted stock, the lesson's subject first, with the quantity in the basket."""
        rows = []
        for kind in self.flow.reports.stock_types(self.subject):
            line = self.basket.line_for(kind.code)
            rows.append(StockRow(kind.code, kind.name, kind.unit, kind.stock_on_hand,
                                 line.quantity if line else 0))
        return rows

    def basket_rows(self) -> list[tuple[str, str, int, str]]:
        """(code, name, quantity, unit) of each basket line."""
        return [(line.code, line.name, line.quantity, line.unit) for line in self.basket.lines]

    @property
    def can_confirm(self) -> bool:
        """A lesson and at least one line (or self-made equipment)."""
        return bool((self.basket.lines or self.self_made) and self.class_name and self.period
                    and self.subject)

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
        self.step = "subject"
        self.changed()

    def choose_subject(self, subject: str) -> None:
        """The subject button (the teacher's own is preselected); the plan's lessons of that
        subject and grade are offered next, when the school has a plan."""
        self.subject = subject
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
        index = STEPS.index(self.step)
        if index == 0:
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
        outcome = self.flow.equipment.add_scan(self.basket, code)
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

    def step_quantity(self, type_code: str, delta: int) -> None:
        """The − / + buttons of a stock row."""
        line = self.basket.line_for(type_code)
        current = line.quantity if line else 0
        self._show(self.flow.equipment.set_quantity(self.basket, type_code,
                                                    max(0, current + delta)))

    def remove(self, code: str) -> None:
        """Take a line out of the basket."""
        self.flow.equipment.remove(self.basket, code)
        self.changed()

    def _show(self, outcome: Outcome) -> None:
        self.message = outcome
        if outcome.code not in ("already_in_session",):
            self.lines.append(ResultLine(outcome))
        self.feedback(outcome)
        self.changed()

    def confirm(self) -> None:
        """Lend the basket for the lesson; the slip prints."""
        if self.phase == FINISHED:
            return
        if not (self.class_name and self.period and self.subject):
            self._show(refuse("lesson_required"))
            self.step = next(s for s, v in (("class", self.class_name), ("period", self.period),
                                            ("subject", self.subject)) if not v)
            self.changed()
            return
        if self.writing:
            return  # the checkout is already being written
        self.basket.lesson = Lesson(date=self.flow.context.clock.today(), period=self.period,
                                    session=self.session,
                                    class_name=self.class_name, subject=self.subject,
                                    title=self.title.text.strip(), ppct=self.ppct,
                                    purpose=STORED(f"ui.equipment.purpose_{self.purpose}"),
                                    self_made=STORED("ui.equipment.self_made_name")
                                    if self.self_made else "")
        self.write(lambda: self.flow.equipment.confirm(self.basket), self._confirmed)

    def _confirmed(self, outcome: Outcome) -> None:
        self._show(outcome)
        if outcome.ok:
            self.phase = FINISHED
            self.print(EquipmentSlip(outcome.params["ref"]))
            self.changed()

    def cancel(self) -> None:
        """Drop the basket (nothing was recorded) and go home."""
        self.flow.home()

    def done(self) -> None:
        """Home (once the slip is out)."""
        self.flow.home()
