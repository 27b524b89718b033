"""A teacher's equipment loan for a lesson: a basket of labelled items and counted stock,
checked as it is filled and committed at once on confirm (one action, one transaction)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from db.ids import short_ref, uuid7
from db.models import EquipmentItem, EquipmentType, Loan, Patron
from kiosk.services import identify as ident
from kiosk.services.base import guarded, loan_snapshot
from kiosk.services.calendar import due_date
from kiosk.services.circulation import Circulation
from kiosk.services.results import LoanInfo, Outcome, done, refuse


@dataclass
class Lesson:
    """The lesson a teacher borrows equipment for."""

    date: Date
    period: int | None
    class_name: str
    subject: str
    title: str = ""
    purpose: str = ""
    session: str = "morning"  # periods are numbered per session: tiết 1-5 sáng, 1-4 chiều


@dataclass
class BasketLine:
    """One labelled item, or a quantity of one kind of counted stock."""

    code: str
    name: str
    quantity: int = 1
    unit: str = ""
    item_id: int | None = None
    type_id: int | None = None


@dataclass
class EquipmentBasket:
    """What a teacher has picked so far for one lesson."""

    teacher: Patron
    lesson: Lesson | None = None
    long_term: bool = False
    lines: list[BasketLine] = field(default_factory=list)
    txn_ref: str = field(default_factory=lambda: short_ref("TB"))

    def line_for(self, code: str) -> BasketLine | None:
        """The line already holding ``code``, if any."""
        return next((line for line in self.lines if line.code == code), None)


class EquipmentLending(Circulation):
    """Fill and confirm a teacher's equipment basket."""

    def start(self, teacher: Patron, lesson: Lesson | None = None, long_term: bool = False
              ) -> Outcome | EquipmentBasket:
        """A new basket for a patron allowed to borrow equipment."""
        if not teacher.active:
            return refuse("patron_inactive", name=teacher.name)
        if not self.rules_for(teacher).may_borrow_equipment:
            return refuse("equipment_not_for_patron")
        return EquipmentBasket(teacher=teacher, lesson=lesson, long_term=long_term)

    @guarded
    def add_scan(self, basket: EquipmentBasket, raw_code: str) -> Outcome:
        """Add a scanned labelled item (or one unit of counted stock by its type code)."""
        found = self.identify(raw_code)
        if found.kind == ident.INVALID:
            return refuse("invalid_code")
        if basket.line_for(found.code) and found.kind == ident.ITEM:
            return done("already_in_session", code=found.code)
        if found.kind == ident.STOCK:
            line = basket.line_for(found.code)
            return self.set_quantity(basket, found.code, (line.quantity if line else 0) + 1)
        if found.kind != ident.ITEM:
            return refuse("not_equipment" if found.kind != ident.UNKNOWN else "unknown_code",
                          code=found.code)
        item: EquipmentItem = found.record
        if item.status != "available":
            return refuse(f"item_{item.status}", title=item.type.name)
        basket.lines.append(BasketLine(code=item.barcode, name=item.type.name, unit=item.type.unit,
                                       item_id=item.id))
        return done("added", title=item.type.name)

    @guarded
    def set_quantity(self, basket: EquipmentBasket, type_code: str, quantity: int) -> Outcome:
        """Set how many of one kind of counted stock the basket holds (0 removes the line)."""
        kind = EquipmentType.get_or_none(EquipmentType.code == type_code)
        if kind is None or kind.tracking != "counted":
            return refuse("unknown_code", code=type_code)
        if quantity < 0:
            return refuse("quantity_invalid")
        if quantity > kind.stock_on_hand:
            return refuse("quantity_above_stock", name=kind.name, on_hand=kind.stock_on_hand)
        line = basket.line_for(type_code)
        if quantity == 0:
            if line:
                basket.lines.remove(line)
            return done("removed", title=kind.name)
        if line:
            line.quantity = quantity
        else:
            basket.lines.append(BasketLine(code=kind.code, name=kind.name, quantity=quantity,
                                           unit=kind.unit, type_id=kind.id))
        return done("quantity_set", title=kind.name, quantity=quantity)

    def remove(self, basket: EquipmentBasket, code: str) -> None:
        """Take a line out of the basket."""
        line = basket.line_for(code)
        if line:
            basket.lines.remove(line)

    @guarded
    def confirm(self, basket: EquipmentBasket) -> Outcome:
        """Lend everything in the basket at once; all lines or none."""
        if not basket.lines:
            return refuse("basket_empty")
        lesson = basket.lesson
        if lesson is None and not basket.long_term:
            return refuse("lesson_required")
        today = self.clock.today()
        if basket.long_term:
            due = due_date(today, self.config.loans.long_term_equipment_days,
                           self.config.loans.closed_weekdays)
        else:
            due = max(lesson.date, today)
        loans: list[Loan] = []
        with self.context.db.atomic() as txn:
            teacher = Patron.get_by_id(basket.teacher.id)
            block = self.patron_block(teacher)
            if block:
                return block
            rules = self.rules_for(teacher)
            if self._open_count(teacher, "equipment") + len(basket.lines) > rules.max_equipment_items:
                return refuse("limit_reached", limit=rules.max_equipment_items)
            now = self.clock.db_now()
            for line in basket.lines:
                common = dict(uid=uuid7(), txn_ref=basket.txn_ref, patron=teacher, kind="equipment",
                              out_at=now, due_on=due, kiosk_id=self.context.kiosk_id,
                              long_term=basket.long_term)
                if lesson:
                    common.update(lesson_date=lesson.date, lesson_period=lesson.period,
                                  lesson_session=lesson.session if lesson.period else None,
                                  lesson_class=lesson.class_name, lesson_subject=lesson.subject,
                                  lesson_title=lesson.title or None,
                                  lesson_purpose=lesson.purpose or None)
                if line.item_id:
                    item = EquipmentItem.get_by_id(line.item_id)
                    if item.status != "available":
                        txn.rollback()
                        return refuse(f"item_{item.status}", title=line.name)
                    item.status, item.updated_at = "on_loan", now
                    item.save()
                    loan = Loan.create(item=item, quantity=1, **common)
                else:
                    taken = (EquipmentType.update(
                        stock_on_hand=EquipmentType.stock_on_hand - line.quantity, updated_at=now)
                        .where(EquipmentType.id == line.type_id,
                               EquipmentType.stock_on_hand >= line.quantity).execute())
                    if not taken:
                        txn.rollback()
                        kind = EquipmentType.get_by_id(line.type_id)
                        return refuse("quantity_above_stock", name=kind.name,
                                      on_hand=kind.stock_on_hand)
                    loan = Loan.create(equipment_type=line.type_id, quantity=line.quantity,
                                       **common)
                self.record_loan_event(loan, "loan.borrowed", teacher.code, "borrow", None,
                                       loan_snapshot(loan))
                loans.append(loan)
        infos = [self.loan_info(loan, today) for loan in loans]
        return done("equipment_lent", count=len(infos), loans=infos)

    @guarded
    def return_lines(self, entries: list[tuple[int, str, int | None]],
                     returned_by: Patron | None) -> Outcome:
        """Return several open loans at once: ``(loan_id, condition, quantity_back)`` each."""
        infos: list[LoanInfo] = []
        with self.context.db.atomic() as txn:
            for loan_id, condition, quantity_back in entries:
                loan = Loan.get_or_none(Loan.id == loan_id)
                if loan is None or not loan.is_open:
                    txn.rollback()
                    return refuse("not_on_loan", code=str(loan_id))
                infos.append(self._close_loan(loan, returned_by, condition, quantity_back))
        return done("equipment_returned", count=len(infos), loans=infos)
