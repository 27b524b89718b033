"""Staff keep the stock true: a lost loan is recorded as lost (with its patron), damaged and
missing things are repaired, found or written off, and items are withdrawn (thanh lý, xuất kho)
with a reason and a decision. Each is one action: its state change, journal entry and records.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from db.ids import uuid7
from db.queries import catalogue, equipment, incidents, loans, patrons, returns, withdrawals
from db.queries.incidents import IncidentRow
from db.text import nfc
from db.vocabulary import (AVAILABLE, DAMAGED, FOUND, INCIDENT_DAMAGED, INCIDENT_LOST,
                           ITEM_UPDATED, ITEM_WITHDRAWN, LOAN_RETURNED, LOST, LOST_CONDITION,
                           ON_LOAN, REF_RESOLVE, REF_WITHDRAW, REPAIRED, STAFF, WITHDRAW_REASONS,
                           WITHDRAWN, WRITTEN_OFF)
from kiosk.services import identify as ident
from kiosk.services.base import Service, guarded, loan_snapshot
from kiosk.services.payloads import loan_data
from kiosk.services.results import Outcome, Refused, done, refuse
from kiosk.services.takeback import item_state

#: Which bucket of counted stock an incident's pieces sit in.
_BUCKET = {"damaged": "damaged", "missing": "missing", "lost": "missing"}


@dataclass(frozen=True)
class WithdrawItem:
    """One thing to withdraw: a copy's or labelled item's code, or counted stock by its type
    code with a quantity and the bucket it comes from (``on_hand``, ``damaged``, ``missing``)."""

    code: str
    quantity: int = 1
    source: str = "on_hand"


def require_staff(code: str):
    """The active staff member with this card, or a refusal (raised inside an action)."""
    staff = patrons.by_code(code)
    if staff is None or staff.kind != STAFF or not staff.active:
        raise Refused(refuse("not_staff"))
    return staff


class StockService(Service):
    """Losses, repairs, write-offs and withdrawals."""

    # -- what waits for staff ---------------------------------------------------------------
    def open_incidents(self, kind: str | None = None) -> list[IncidentRow]:
        """Damaged, missing and lost things not yet resolved, oldest first."""
        return incidents.open_incidents(kind)

    # -- a loss ------------------------------------------------------------------------------
    @guarded
    def declare_lost(self, loan_id: int, staff_code: str, note: str = "") -> Outcome:
        """The patron lost what is still out on this loan: the loan closes as lost, the thing
        is recorded lost with the patron (for the overdue and loss reports)."""
        note = " ".join(nfc(note).split())
        with self.action(staff_code, prefix=REF_RESOLVE) as act:
            require_staff(staff_code)
            loan = loans.by_id(loan_id)
            if loan is None or not loan.is_open:
                raise Refused(refuse("not_on_loan", code=loan.code if loan else str(loan_id)))
            pieces = loan.outstanding
            now = act.who.at
            if not loans.account(loan, good=0, damaged=0, missing=0, lost=pieces, note=note,
                                 at=now, returned_by_id=None, condition=LOST_CONDITION,
                                 kiosk_id=self.context.kiosk_id, return_ref=act.ref):
                raise Refused(refuse("not_on_loan", code=loan.code))
            returns.insert(loan_id=loan.id, return_ref=act.ref, at=now, returned_by_id=None,
                           kiosk_id=self.context.kiosk_id, good=0, damaged=0, missing=0,
                           lost=pieces, outstanding=0, note=note)
            if loan.copy_id:
                catalogue.set_copy_status(loan.copy_id, LOST, now, expected=ON_LOAN)
            elif loan.item_id:
                equipment.set_item_status(loan.item_id, LOST, now, expected=ON_LOAN)
            else:
                equipment.return_stock(loan.equipment_type_id, good=0, damaged=0,
                                       missing=pieces, at=now)
            incidents.insert(uid=uuid7(), kind=INCIDENT_LOST, quantity=pieces, ref=act.ref,
                             at=now, note=note, copy_id=loan.copy_id, item_id=loan.item_id,
                             equipment_type_id=loan.equipment_type_id, patron_id=loan.patron_id,
                             loan_id=loan.id, unit_value=loan.unit_value)
            lost = dataclasses.replace(
                loan, returned_lost=loan.returned_lost + pieces, returned_at=now,
                return_condition=LOST_CONDITION, return_ref=act.ref, return_note=note)
            act.journal("declare_lost", entity="loan", entity_key=loan.uid,
                        before=loan_snapshot(loan), after=loan_snapshot(lost), reason=note)
            data = loan_data(lost, self.config.school.code, self.context.kiosk_id)
            data["this_return"] = {"good": 0, "damaged": 0, "missing": 0, "lost": pieces,
                                   "outstanding": 0, "note": note}
            act.record(LOAN_RETURNED, data)
            act.record(ITEM_UPDATED, item_state(self, loan))
        return done("declared_lost", title=loan.title, patron=loan.patron_name,
                    quantity=pieces, ref=act.ref)

    def declare_lost_code(self, code: str, staff_code: str, by: str | None = None,
                          note: str = "") -> Outcome:
        """:meth:`declare_lost` for the open loan of a scanned copy or labelled item (or of
        counted stock lent to patron ``by``)."""
        found = ident.identify(code, self.config.codes)
        loan = None
        if found.kind == ident.COPY:
            loan = loans.open_loan_of_copy(found.record.id)
        elif found.kind == ident.ITEM:
            loan = loans.open_loan_of_item(found.record.id)
        elif found.kind == ident.STOCK and by:
            patron = patrons.by_code(by)
            loan = next((row for row in (loans.open_loans_of_patron(patron.id) if patron else [])
                         if row.equipment_type_id == found.record.id), None)
        elif found.kind == ident.STOCK:
            return refuse("stock_needs_quantity", code=found.code)
        elif found.kind == ident.INVALID:
            return refuse("invalid_code")
        else:
            return refuse("unknown_code", code=found.code)
        if loan is None:
            return refuse("not_on_loan", code=found.code)
        return self.declare_lost(loan.id, staff_code, note)

    # -- resolving an incident ---------------------------------------------------------------
    @guarded
    def resolve(self, incident_id: int, staff_code: str, resolution: str,
                quantity: int | None = None, reason: str | None = None,
                decision_no: str = "", decision_date: date | None = None) -> Outcome:
        """Repaired (a damage), found (missing or lost) or written off (withdrawn, with
        ``reason``): ``quantity`` pieces of the incident (default all still open)."""
        if resolution not in (REPAIRED, FOUND, WRITTEN_OFF):
            return refuse("bad_resolution", resolution=resolution)
        with self.action(staff_code, prefix=REF_RESOLVE if resolution != WRITTEN_OFF
                         else REF_WITHDRAW) as act:
            require_staff(staff_code)
            incident = incidents.by_id(incident_id)
            if incident is None or incident.open_quantity == 0:
                raise Refused(refuse("incident_resolved"))
            pieces = incident.open_quantity if quantity is None else quantity
            if not 1 <= pieces <= incident.open_quantity:
                raise Refused(refuse("quantity_invalid"))
            if resolution == REPAIRED and incident.kind == INCIDENT_LOST:
                raise Refused(refuse("bad_resolution", resolution=resolution))
            if not incidents.resolve(incident.id, pieces, resolution=resolution, at=act.who.at,
                                     ref=act.ref):
                raise Refused(refuse("incident_resolved"))
            if resolution == WRITTEN_OFF:
                why = reason or ("beyond_repair" if incident.kind == INCIDENT_DAMAGED
                                 else "lost")
                self._withdraw(act, staff_code, why, decision_no, decision_date,
                               incident.note, [self._incident_target(incident, pieces)])
            else:
                self._restore(act, incident, pieces)
            act.journal(f"resolve_{resolution}", entity="incident", entity_key=incident.uid,
                        before={"open": incident.open_quantity},
                        after={"open": incident.open_quantity - pieces}, reason=reason or "")
        return done(f"resolved_{resolution}", title=incident.title, quantity=pieces,
                    ref=act.ref)

    def _incident_target(self, incident: IncidentRow, pieces: int):
        if incident.copy_id:
            return ("copy", catalogue.copy_by_id(incident.copy_id), 1, None)
        if incident.item_id:
            return ("item", equipment.item_by_id(incident.item_id), 1, None)
        return ("stock", equipment.type_by_id(incident.equipment_type_id), pieces,
                _BUCKET[incident.kind])

    def _restore(self, act, incident: IncidentRow, pieces: int) -> None:
        """Repaired or found: back to lending."""
        now = act.who.at
        if incident.counted:
            if not equipment.move_stock(incident.equipment_type_id, _BUCKET[incident.kind],
                                        "on_hand", pieces, now):
                raise Refused(refuse("quantity_invalid"))
        elif incident.copy_id:
            copy = catalogue.copy_by_id(incident.copy_id)
            if copy.status not in (DAMAGED, LOST):
                raise Refused(refuse(f"item_{copy.status}", title=copy.title))
            catalogue.set_copy_status(copy.id, AVAILABLE, now, condition="good")
        else:
            item = equipment.item_by_id(incident.item_id)
            if item.status not in (DAMAGED, LOST):
                raise Refused(refuse(f"item_{item.status}", title=item.type.name))
            equipment.set_item_status(item.id, AVAILABLE, now, condition="good")
        act.record(ITEM_UPDATED, item_state(self, (incident.copy_id, incident.item_id,
                                                   incident.equipment_type_id)))

    # -- withdrawal --------------------------------------------------------------------------
    @guarded
    def withdraw(self, staff_code: str, things: list[WithdrawItem | str], reason: str,
                 decision_no: str = "", decision_date: date | None = None,
                 note: str = "") -> Outcome:
        """Withdraw copies, labelled items or counted stock (thanh lý): they leave lending and
        the stock counts, stay in the history, and feed the xuất kho register."""
        if reason not in WITHDRAW_REASONS:
            return refuse("bad_withdraw_reason", reason=reason)
        things = [WithdrawItem(t) if isinstance(t, str) else t for t in things]
        if not things:
            return refuse("basket_empty")
        with self.action(staff_code, prefix=REF_WITHDRAW) as act:
            require_staff(staff_code)
            targets, seen = [], set()
            for thing in things:
                target = self._target(thing)
                key = (target[0], target[1].id)
                if key in seen:
                    raise Refused(refuse("withdraw_twice", code=thing.code))
                seen.add(key)
                targets.append(target)
            made = self._withdraw(act, staff_code, reason, nfc(decision_no).strip(),
                                  decision_date, " ".join(nfc(note).split()), targets)
            # Whatever was waiting for staff about these things is settled by the withdrawal.
            for kind, row, _, _ in targets:
                if kind in ("copy", "item"):
                    for open_one in incidents.open_of(**{f"{kind}_id": row.id}):
                        incidents.resolve(open_one.id, open_one.open_quantity,
                                          resolution=WRITTEN_OFF, at=act.who.at, ref=act.ref)
        return done("withdrawn", count=made, reason=reason, ref=act.ref)

    def _target(self, thing: WithdrawItem):
        found = ident.identify(thing.code, self.config.codes)
        if found.kind == ident.COPY:
            return ("copy", found.record, 1, None)
        if found.kind == ident.ITEM:
            return ("item", found.record, 1, None)
        if found.kind == ident.STOCK:
            if thing.source not in ("on_hand", "damaged", "missing") or thing.quantity < 1:
                raise Refused(refuse("quantity_invalid"))
            return ("stock", found.record, thing.quantity, thing.source)
        if found.kind == ident.INVALID:
            raise Refused(refuse("invalid_code"))
        raise Refused(refuse("unknown_code", code=found.code))

    def _withdraw(self, act, staff_code: str, reason: str, decision_no: str,
                  decision_date: date | None, note: str, targets: list) -> int:
        """The withdrawal row, its lines, the state changes and an ``item.withdrawn`` record
        per line (inside ``act``); returns the pieces withdrawn."""
        now = act.who.at
        withdrawal_id = withdrawals.insert(uid=uuid7(), ref=act.ref, reason=reason,
                                           decision_no=decision_no, decision_date=decision_date,
                                           note=note, at=now, staff_code=staff_code)
        pieces, codes = 0, []
        for kind, row, quantity, source in targets:
            if kind == "copy":
                fresh = catalogue.copy_by_id(row.id)
                self._check_withdrawable(fresh.status, fresh.barcode, fresh.title)
                catalogue.set_copy_status(row.id, WITHDRAWN, now, expected=fresh.status)
                withdrawals.insert_line(withdrawal_id, copy_id=row.id, unit_value=fresh.price,
                                        store=fresh.store)
                record = catalogue.copy_record(fresh.barcode)
                codes.append(fresh.barcode)
            elif kind == "item":
                fresh = equipment.item_by_id(row.id)
                self._check_withdrawable(fresh.status, fresh.barcode, fresh.type.name)
                equipment.set_item_status(row.id, WITHDRAWN, now, expected=fresh.status)
                withdrawals.insert_line(withdrawal_id, item_id=row.id,
                                        unit_value=fresh.type.unit_price)
                record = equipment.item_record(fresh.type, fresh.barcode, status=WITHDRAWN)
                codes.append(fresh.barcode)
            else:
                if not equipment.remove_stock(row.id, source, quantity, now):
                    kind_now = equipment.type_by_id(row.id)
                    raise Refused(refuse("withdraw_above_stock", name=kind_now.name,
                                         source=source, have={
                                             "on_hand": kind_now.stock_on_hand,
                                             "damaged": kind_now.stock_damaged,
                                             "missing": kind_now.stock_missing}[source]))
                withdrawals.insert_line(withdrawal_id, equipment_type_id=row.id,
                                        quantity=quantity, unit_value=row.unit_price)
                record = {**equipment.type_record(equipment.type_by_id(row.id)),
                          "quantity_withdrawn": quantity, "from": source}
                codes.append(row.code)
            pieces += quantity
            act.record(ITEM_WITHDRAWN, {"school_code": self.config.school.code, **record,
                                        "reason": reason, "decision_no": decision_no,
                                        "decision_date": decision_date.isoformat()
                                        if decision_date else None})
        act.journal("withdraw", entity="withdrawal", entity_key=act.ref,
                    after={"reason": reason, "decision_no": decision_no, "codes": codes,
                           "pieces": pieces}, reason=note)
        return pieces

    def _check_withdrawable(self, status: str, code: str, title: str) -> None:
        if status == ON_LOAN:
            raise Refused(refuse("withdraw_on_loan", code=code, title=title))
        if status == WITHDRAWN:
            raise Refused(refuse("already_withdrawn", code=code, title=title))
