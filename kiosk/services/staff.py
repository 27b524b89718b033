"""Staff: PINs stored only as keyed slow salted hashes (:mod:`kiosk.pins`), lock-out after
wrong PINs, voiding loans and undoing a void."""
from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from db.queries import catalogue, equipment, journal, loans, outbox, patrons
from db.queries.loans import LoanRow
from db.vocabulary import (AVAILABLE, LOAN_UNVOIDED, LOAN_VOIDED, REF_RETRY, REF_SIGN_IN,
                           REF_UNDO, REF_VOID, STAFF)
from kiosk.pins import (PinKeyMissing, hash_pin, is_keyed, needs_rehash, pin_key, too_short,
                        verify_pin)
from kiosk.services.base import Service, guarded, loan_snapshot
from kiosk.services.circulation import put_back
from kiosk.services.payloads import loan_data
from kiosk.services.results import Outcome, Refused, done, refuse

__all__ = ["StaffService", "hash_pin", "verify_pin"]
log = logging.getLogger(__name__)


class StaffService(Service):
    """Staff sign-in and corrections."""

    @guarded
    def authenticate(self, code: str, pin: str) -> Outcome:
        """Check a staff card and PIN; five wrong PINs lock the card for five minutes. Every
        attempt on a staff card is journaled (without the PIN)."""
        with self.action(code.strip(), prefix=REF_SIGN_IN, records=False) as act:
            found = patrons.pin_state(code.strip())
            staff = found.patron if found else None
            if staff is None or staff.kind != STAFF or not staff.active or not found.pin_hash:
                raise Refused(refuse("not_staff"))
            now = act.who.at
            if found.locked_until and found.locked_until > now:
                minutes = max(1, int((found.locked_until - now).total_seconds() // 60) + 1)
                act.journal("sign_in_locked", entity="patron", entity_key=staff.code)
                outcome = refuse("pin_locked", minutes=minutes)
            elif self._pin_matches(pin, found.pin_hash):
                key = self._key
                patrons.set_pin_state(staff.id, 0, None, pin_hash=hash_pin(pin, key)
                                      if needs_rehash(found.pin_hash, key) else None)
                act.journal("sign_in", entity="patron", entity_key=staff.code)
                length = self.config.pins.length
                outcome = (done("signed_in_change_pin", name=staff.name, length=length)
                           if too_short(pin, length) else done("signed_in", name=staff.name))
            else:
                failed = found.failed_attempts + 1
                left = self.config.ui.pin_attempts - failed
                if left <= 0:
                    until = now + timedelta(minutes=self.config.ui.pin_lock_minutes)
                    patrons.set_pin_state(staff.id, 0, until)
                    outcome = refuse("pin_locked", minutes=self.config.ui.pin_lock_minutes)
                else:
                    patrons.set_pin_state(staff.id, failed, None)
                    outcome = refuse("pin_wrong", left=left)
                act.journal("sign_in_failed", entity="patron", entity_key=staff.code)
        return outcome

    def _pin_matches(self, pin: str, stored: str) -> bool:
        """Check a PIN against its hash; a key is made only for an unkeyed hash (a new key
        would not open keyed ones), and a keyed hash without its key refuses the sign-in."""
        self._key = pin_key(self.config, create=not is_keyed(stored))
        try:
            return verify_pin(pin, stored, self._key)
        except PinKeyMissing as exc:
            log.error("a staff card cannot sign in: %s", exc)
            raise Refused(refuse("pin_key_missing")) from None

    @guarded
    def retry_dead_letters(self, staff_code: str) -> Outcome:
        """Put every record the province rejected back in the queue (after staff fixed what
        it said was wrong); journaled with who did it."""
        with self.action(staff_code, prefix=REF_RETRY, records=False) as act:
            self._staff(staff_code)
            count = outbox.requeue_dead()
            act.journal("retry_dead_letters", entity="outbox", after={"count": count})
        return done("dead_letters_requeued", count=count, ref=act.ref)

    def _staff(self, staff_code: str) -> patrons.PatronRow:
        """The active staff member with this code (inside an action), or the refusal."""
        staff = patrons.by_code(staff_code)
        if staff is None or staff.kind != STAFF or not staff.active:
            raise Refused(refuse("not_staff"))
        return staff

    @guarded
    def void(self, loan_id: int, staff_code: str, reason: str) -> Outcome:
        """Cancel a mistaken loan (staff only, with a reason); the thing goes back on the shelf."""
        reason = " ".join(reason.split())
        if not reason:
            return refuse("reason_required")
        with self.action(staff_code, prefix=REF_VOID) as act:
            self._staff(staff_code)
            loan = loans.by_id(loan_id)
            if loan is None:
                raise Refused(refuse("no_such_loan", loan_id=loan_id))
            if not loans.void(loan.id, at=act.who.at, reason=reason):
                raise Refused(refuse("already_voided"))
            voided = dataclasses.replace(loan, voided_at=act.who.at, void_reason=reason)
            if loan.is_open:
                put_back(loan, AVAILABLE, act.who.at)
            act.journal("void", entity="loan", entity_key=loan.uid, before=loan_snapshot(loan),
                        after=loan_snapshot(voided), reason=reason)
            act.record(LOAN_VOIDED, loan_data(voided, self.config.school.code,
                                              self.context.kiosk_id))
        info = self.loan_info(voided)
        return done("voided", loan=info, title=info.title, ref=act.ref)

    @guarded
    def undo_void(self, void_ref: str, staff_code: str) -> Outcome:
        """Undo the void ``void_ref``: the loan stands again as it was, its thing taken back
        out if the loan was still open (refused when it was lent again or put away since).
        An action of its own (``HT-`` reference): journaled, and sent as ``loan.unvoided``."""
        with self.action(staff_code, prefix=REF_UNDO) as act:
            self._staff(staff_code)
            entry = next((e for e in journal.by_ref(void_ref) if e.action == "void"), None)
            voided = loans.by_uids([entry.entity_key]) if entry else []
            if not voided or voided[0].voided_at is None:
                raise Refused(refuse("nothing_to_undo", ref=void_ref))
            loan = voided[0]
            if loan.returned_at is None and not _take_again(loan, act.who.at):
                raise Refused(refuse("undo_item_taken", title=loan.title))
            if not loans.unvoid(loan.id):  # pragma: no cover - checked above, inside the lock
                raise Refused(refuse("nothing_to_undo", ref=void_ref))
            restored = dataclasses.replace(loan, voided_at=None, void_reason=None)
            act.journal("undo_void", entity="loan", entity_key=loan.uid,
                        before=loan_snapshot(loan), after=loan_snapshot(restored),
                        reason=void_ref)
            act.record(LOAN_UNVOIDED, {**loan_data(restored, self.config.school.code,
                                                   self.context.kiosk_id),
                                       "undoes_ref": void_ref})
        info = self.loan_info(restored)
        return done("void_undone", loan=info, title=info.title, ref=act.ref)


def _take_again(loan: LoanRow, at) -> bool:
    """Take a voided loan's thing out again (an open loan's void had put it back: for counted
    stock, the pieces still out)."""
    if loan.copy_id:
        return catalogue.take_copy(loan.copy_id, at)
    if loan.item_id:
        return equipment.take_item(loan.item_id, at)
    return equipment.take_stock(loan.equipment_type_id, max(0, loan.quantity - loan.accounted),
                                at)
