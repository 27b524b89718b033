"""Staff: PINs stored only as keyed slow salted hashes (:mod:`kiosk.pins`), lock-out after
wrong PINs, and voiding loans."""
from __future__ import annotations

import logging
from datetime import timedelta

from db.models import Copy, EquipmentItem, EquipmentType, Loan, Patron
from kiosk.pins import (KEYED, PinKeyMissing, hash_pin, needs_rehash, pin_key, too_short,
                        verify_pin)
from kiosk.services.base import Service, guarded, loan_snapshot
from kiosk.services.results import Outcome, done, refuse

__all__ = ["StaffService", "hash_pin", "verify_pin"]
log = logging.getLogger(__name__)


class StaffService(Service):
    """Staff sign-in and corrections."""

    @guarded
    def authenticate(self, code: str, pin: str) -> Outcome:
        """Check a staff card and PIN; five wrong PINs lock the card for five minutes."""
        with self.context.db.atomic():
            staff = Patron.get_or_none(Patron.code == code.strip())
            if staff is None or staff.kind != "staff" or not staff.active or not staff.pin_hash:
                return refuse("not_staff")
            now = self.clock.db_now()
            if staff.pin_locked_until and staff.pin_locked_until > now:
                minutes = max(1, int((staff.pin_locked_until - now).total_seconds() // 60) + 1)
                return refuse("pin_locked", minutes=minutes)
            keyed_exist = Patron.select().where(Patron.pin_hash.startswith(KEYED + "$")).exists()
            key = pin_key(self.config, create=not keyed_exist)
            try:
                matched = verify_pin(pin, staff.pin_hash, key)
            except PinKeyMissing as exc:
                log.error("staff %s cannot sign in: %s", staff.code, exc)
                return refuse("pin_key_missing")
            if matched:
                staff.failed_pin_attempts = 0
                staff.pin_locked_until = None
                if needs_rehash(staff.pin_hash, key):
                    staff.pin_hash = hash_pin(pin, key)
                staff.save()
                if too_short(pin, self.config.pins.length):
                    return done("signed_in_change_pin", name=staff.name,
                                length=self.config.pins.length)
                return done("signed_in", name=staff.name)
            staff.failed_pin_attempts += 1
            left = self.config.ui.pin_attempts - staff.failed_pin_attempts
            if left <= 0:
                staff.failed_pin_attempts = 0
                staff.pin_locked_until = now + timedelta(minutes=self.config.ui.pin_lock_minutes)
                staff.save()
                return refuse("pin_locked", minutes=self.config.ui.pin_lock_minutes)
            staff.save()
            return refuse("pin_wrong", left=left)

    @guarded
    def void(self, loan_id: int, staff_code: str, reason: str) -> Outcome:
        """Cancel a mistaken loan (staff only, with a reason); the thing goes back on the shelf."""
        reason = " ".join(reason.split())
        if not reason:
            return refuse("reason_required")
        with self.context.db.atomic():
            staff = Patron.get_or_none(Patron.code == staff_code)
            if staff is None or staff.kind != "staff" or not staff.active:
                return refuse("not_staff")
            loan = Loan.get_or_none(Loan.id == loan_id)
            if loan is None:
                return refuse("no_such_loan", loan_id=loan_id)
            if loan.voided_at is not None:
                return refuse("already_voided")
            before = loan_snapshot(loan)
            was_open = loan.returned_at is None
            now = self.clock.db_now()
            loan.voided_at, loan.void_reason = now, reason
            loan.save()
            if was_open:
                if loan.copy_id:
                    Copy.update(status="available", updated_at=now).where(
                        Copy.id == loan.copy_id, Copy.status == "on_loan").execute()
                elif loan.item_id:
                    EquipmentItem.update(status="available", updated_at=now).where(
                        EquipmentItem.id == loan.item_id, EquipmentItem.status == "on_loan").execute()
                else:
                    EquipmentType.update(stock_on_hand=EquipmentType.stock_on_hand + loan.quantity,
                                         updated_at=now).where(
                        EquipmentType.id == loan.equipment_type_id).execute()
            self.record_loan_event(loan, "loan.voided", staff.code, "void", before,
                                   loan_snapshot(loan), reason=reason)
            info = self.loan_info(loan)
        return done("voided", loan=info, title=info.title)
