"""Declarations (kê khai): the items declared in a period by store or equipment group, where the
provincial system has them (acknowledged, waiting, refused with why), and the items whose record
misses what the registers need."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from db.queries import reports as q
from db.text import sort_key

SENT, PENDING, DEAD = "sent", "pending", "dead"


@dataclass
class DeclaredGroup:
    """Items declared in one store (books) or equipment group."""

    kind: str  # book | equipment
    name: str
    declared: int = 0
    sent: int = 0
    pending: int = 0
    dead: int = 0


@dataclass(frozen=True)
class Refused:
    """A declaration the provincial system refused, and why."""

    code: str
    name: str
    reason: str


@dataclass
class DeclarationsReport:
    """The whole report."""

    start: date
    end: date
    groups: list[DeclaredGroup]
    refused: list[Refused]
    incomplete_books: int
    incomplete_equipment: int
    incomplete: list[q.IncompleteItem] = field(default_factory=list)

    def total(self, what: str) -> int:
        """``declared``, ``sent``, ``pending`` or ``dead`` over every group."""
        return sum(getattr(g, what) for g in self.groups)


def _bound(day: date) -> str:
    """The local ISO moment a day starts at, as records' ``occurred_at`` are written."""
    return f"{day.isoformat()}T00:00:00"


def declarations_report(start: date, end: date, listed: int = 200) -> DeclarationsReport:
    """Build the report for ``start``..``end`` (local days, inclusive)."""
    groups: dict[tuple[str, str], DeclaredGroup] = {}
    refused = []
    for record in q.declared_records(_bound(start), _bound(end + timedelta(days=1))):
        try:
            data = json.loads(record.data)
        except ValueError:
            data = {}
        book = data.get("item_kind") == "book"
        name = (data.get("store") if book else data.get("group")) or ""
        kind = "book" if book else "equipment"
        group = groups.setdefault((kind, name), DeclaredGroup(kind, name))
        # A counted-stock declaration records how many pieces it added.
        count = int(data.get("quantity_added") or 1) if not book else 1
        group.declared += count
        state = record.state if record.state in (SENT, PENDING, DEAD) else PENDING
        setattr(group, state, getattr(group, state) + count)
        if state == DEAD:
            refused.append(Refused(
                data.get("item_barcode") or data.get("equipment_code") or "",
                data.get("title") or data.get("equipment_name") or "", record.last_error))
    books, book_items = q.incomplete_books(listed)
    equipment, equipment_items = q.incomplete_equipment(listed)
    ordered = sorted(groups.values(), key=lambda g: (g.kind != "book", sort_key(g.name)))
    return DeclarationsReport(start=start, end=end, groups=ordered, refused=refused,
                              incomplete_books=books, incomplete_equipment=equipment,
                              incomplete=book_items + equipment_items)
