"""Taking a loan back so that every piece is accounted for.

A return says how many pieces came back good, how many damaged, how many are missing, with a
note; the rest stays on loan ("trả 2/3, còn 1"). Good pieces go back to lending; damaged and
missing ones are kept apart (a copy or labelled item waits for staff as ``damaged``; counted
stock goes to its damaged or missing count) and each becomes an incident with the patron who
had it, until staff resolve it. All of it happens inside the caller's action.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from db.ids import uuid7
from db.queries import catalogue, equipment, incidents, loans, returns
from db.queries.loans import LoanRow
from db.queries.patrons import PatronRow
from db.vocabulary import (AVAILABLE, CONDITIONS, DAMAGED, DAMAGED_CONDITION, GOOD,
                           INCIDENT_DAMAGED, INCIDENT_MISSING, ITEM_UPDATED, LOAN_RETURNED, MISSING)
from kiosk.services.base import loan_snapshot
from kiosk.services.payloads import loan_data
from kiosk.services.results import Refused, refuse


@dataclass(frozen=True)
class ReturnSplit:
    """How the pieces of one return came back."""

    good: int = 0
    damaged: int = 0
    missing: int = 0
    note: str = ""

    @classmethod
    def of(cls, condition: str, quantity: int = 1, note: str = "") -> "ReturnSplit":
        """``quantity`` pieces, all in one ``condition``."""
        if condition not in CONDITIONS:
            raise ValueError(condition)
        return cls(**{{GOOD: "good", DAMAGED_CONDITION: "damaged", MISSING: "missing"}[condition]:
                      quantity}, note=note)

    @property
    def pieces(self) -> int:
        """Pieces this return accounts for."""
        return self.good + self.damaged + self.missing

    @property
    def condition(self) -> str:
        """One word for the return: the worst condition among its pieces."""
        if self.missing:
            return MISSING
        return DAMAGED_CONDITION if self.damaged else GOOD


def check_split(loan: LoanRow, split: ReturnSplit) -> None:
    """Refuse a split that does not fit the loan (raised inside the action)."""
    if min(split.good, split.damaged, split.missing) < 0 or split.pieces < 1:
        raise Refused(refuse("quantity_invalid"))
    if split.pieces > loan.outstanding:
        raise Refused(refuse("return_above_outstanding", title=loan.title,
                             outstanding=loan.outstanding))
    if not loan.equipment_type_id and split.pieces != 1:
        raise Refused(refuse("quantity_invalid"))


def take_back(service, act, loan: LoanRow, returned_by: PatronRow | None,
              split: ReturnSplit, actor: str | None = None) -> LoanRow:
    """Account for ``split`` of an open loan (inside ``act``); returns the loan as it is now.

    Journal: one ``return`` entry, its actor ``actor`` (a staff member taking it back on the
    borrower's behalf) or else who brought it back. Records: ``loan.returned`` (with this
    return's pieces and what is still out), and ``item.updated`` when something came back
    damaged or missing."""
    if not loan.is_open:
        raise Refused(refuse("not_on_loan", code=loan.code))
    check_split(loan, split)
    now = act.who.at
    note = " ".join(split.note.split())
    condition = split.condition
    if not loans.account(loan, good=split.good, damaged=split.damaged, missing=split.missing,
                         lost=0, note=note, at=now,
                         returned_by_id=returned_by.id if returned_by else None,
                         condition=condition, kiosk_id=service.context.kiosk_id,
                         return_ref=act.ref):
        raise Refused(refuse("not_on_loan", code=loan.code))
    outstanding = loan.outstanding - split.pieces
    returns.insert(loan_id=loan.id, return_ref=act.ref, at=now,
                   returned_by_id=returned_by.id if returned_by else None,
                   kiosk_id=service.context.kiosk_id, good=split.good, damaged=split.damaged,
                   missing=split.missing, lost=0, outstanding=outstanding, note=note)
    after = dataclasses.replace(
        loan, returned_good=loan.returned_good + split.good,
        returned_damaged=loan.returned_damaged + split.damaged,
        returned_missing=loan.returned_missing + split.missing, return_note=note)
    if outstanding == 0:
        after = dataclasses.replace(
            after, returned_at=now, return_condition=condition, return_ref=act.ref,
            returned_by_code=returned_by.code if returned_by else None,
            return_kiosk_id=service.context.kiosk_id)
    _put_back(loan, split, now)
    _incidents(act, loan, returned_by, split, note)
    if actor is None:
        actor = returned_by.code if returned_by else ""
    act.journal("return", entity="loan", entity_key=loan.uid, before=loan_snapshot(loan),
                after=loan_snapshot(after), actor=actor, reason=note)
    data = loan_data(after, service.config.school.code, service.context.kiosk_id)
    data["this_return"] = {"good": split.good, "damaged": split.damaged,
                           "missing": split.missing, "lost": 0, "outstanding": outstanding,
                           "note": note}
    act.record(LOAN_RETURNED, data)
    if condition != GOOD:
        act.record(ITEM_UPDATED, item_state(service, loan))
    return after


def _put_back(loan: LoanRow, split: ReturnSplit, at) -> None:
    if loan.copy_id:
        catalogue.put_back_copy(loan.copy_id, AVAILABLE if split.good else DAMAGED, at,
                                split.condition)
    elif loan.item_id:
        equipment.put_back_item(loan.item_id, AVAILABLE if split.good else DAMAGED, at,
                                split.condition)
    else:
        equipment.return_stock(loan.equipment_type_id, good=split.good, damaged=split.damaged,
                               missing=split.missing, at=at)


def _incidents(act, loan: LoanRow, returned_by: PatronRow | None, split: ReturnSplit,
               note: str) -> None:
    """One incident per kind of trouble, with the patron who had the loan."""
    for kind, pieces in ((INCIDENT_DAMAGED, split.damaged), (INCIDENT_MISSING, split.missing)):
        if pieces:
            incidents.insert(uid=uuid7(), kind=kind, quantity=pieces, ref=act.ref,
                             at=act.who.at, note=note, copy_id=loan.copy_id,
                             item_id=loan.item_id, equipment_type_id=loan.equipment_type_id,
                             patron_id=loan.patron_id, loan_id=loan.id,
                             unit_value=loan.unit_value)


def item_state(service, loan_or_ids) -> dict:
    """The ``item.updated`` data of the thing a loan lent (or of ``(copy_id, item_id,
    type_id)``), as it is now inside the transaction."""
    if isinstance(loan_or_ids, LoanRow):
        copy_id, item_id, type_id = (loan_or_ids.copy_id, loan_or_ids.item_id,
                                     loan_or_ids.equipment_type_id)
    else:
        copy_id, item_id, type_id = loan_or_ids
    school = {"school_code": service.config.school.code}
    if copy_id:
        copy = catalogue.copy_by_id(copy_id)
        return {**school, **catalogue.copy_record(copy.barcode)}
    if item_id:
        item = equipment.item_by_id(item_id)
        record = equipment.item_record(item.type, item.barcode, status=item.status,
                                       condition=equipment.item_condition(item.id))
        return {**school, **record}
    return {**school, **equipment.type_record(equipment.type_by_id(type_id))}
