"""Results of user actions: success or a refusal with a reason code, never an exception.

The message is looked up in the catalog (``refusal.<code>`` or ``done.<code>``) when read, so a
language switch on screen re-translates results already shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.queries.lessons import LessonRow
from db.text import printable
from kiosk.i18n import t


@dataclass(frozen=True)
class LoanInfo:
    """What a screen or a receipt needs to know about one loan."""

    loan_id: int
    uid: str
    txn_ref: str
    kind: str  # book | equipment
    code: str  # the copy's or item's barcode, or the equipment type's code for counted stock
    title: str  # book title or equipment name
    patron_code: str
    patron_name: str
    patron_class: str
    quantity: int
    out_at: datetime | None  # aware, local
    due_on: date
    returned_at: datetime | None = None
    return_condition: str | None = None
    late_days: int = 0
    unit: str = ""
    #: The reference of the return that closed it (the return receipt's).
    return_ref: str | None = None
    #: The lesson an equipment loan was for (None for books and long-term loans).
    lesson: LessonRow | None = None
    long_term: bool = False
    voided: bool = False
    #: Pieces accounted for by returns so far, and still out.
    returned_good: int = 0
    returned_damaged: int = 0
    returned_missing: int = 0
    returned_lost: int = 0
    outstanding: int = 0
    return_note: str = ""
    unit_value: int | None = None

    @property
    def is_open(self) -> bool:
        """Neither returned nor voided."""
        return self.returned_at is None and not self.voided

    @property
    def accounted(self) -> int:
        """Pieces returns have accounted for so far."""
        return (self.returned_good + self.returned_damaged + self.returned_missing
                + self.returned_lost)


@dataclass(frozen=True)
class Outcome:
    """The result of one action on one code."""

    ok: bool
    code: str  # what happened (borrowed, returned, ...) or why not (item_on_loan, ...)
    params: dict = field(default_factory=dict)
    loan: LoanInfo | None = None

    @property
    def refused(self) -> bool:
        """True when the action was refused."""
        return not self.ok

    @property
    def message(self) -> str:
        """One short sentence for the person at the kiosk, in the current language."""
        namespace = "done" if self.ok else "refusal"
        params = self.params
        if isinstance(params.get("code"), str):  # a scanned code may be anything at all
            params = {**params, "code": printable(params["code"])}
        return t(f"{namespace}.{self.code}", **params)


class Refused(Exception):
    """Raised inside an action to refuse it: the transaction rolls back, and the service's
    caller receives :attr:`outcome` (see :func:`kiosk.services.base.guarded`)."""

    def __init__(self, outcome: "Outcome"):
        super().__init__(outcome.code)
        self.outcome = outcome


def refuse(reason: str, /, **params) -> Outcome:
    """A refusal with its reason code."""
    return Outcome(ok=False, code=reason, params=params)


def done(what: str, /, loan: LoanInfo | None = None, **params) -> Outcome:
    """A success."""
    return Outcome(ok=True, code=what, params=params, loan=loan)


@dataclass(frozen=True)
class Addressed:
    """A teacher's name as a sentence addresses them: "thầy Nguyễn Văn Nam", "cô Phạm Thu Hà",
    "thầy/cô …" when the gender is not known. Translated when the message is read."""

    name: str
    gender: str = ""

    def __str__(self) -> str:
        return t(f"ui.teacher.addressed_{gender_word(self.gender)}", name=self.name)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def gender_word(gender: str) -> str:
    """``male``, ``female`` or ``unknown`` from a stored gender (``Nam`` / ``Nữ``)."""
    return {"Nam": "male", "Nữ": "female"}.get(gender, "unknown")


@dataclass(frozen=True)
class Listed:
    """Several parts joined when the message is read (each may be an :class:`Addressed`)."""

    parts: tuple

    def __str__(self) -> str:
        return "; ".join(str(part) for part in self.parts)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
