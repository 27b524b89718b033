"""What a biên bản kiểm kê says: the school, the store, the committee, the dates, the count of
items by status (đủ, thiếu, hỏng, mất, chưa kiểm), the value of what is missing, the share in
good condition, the missing items one by one, what belonged elsewhere and unknown codes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.queries import stocktakes
from db.vocabulary import (SCAN_MISPLACED, SCAN_UNKNOWN, ST_DAMAGED, ST_LOST, ST_MISSING,
                           ST_OK, ST_UNCHECKED, STOCKTAKE_STATUSES)

#: Statuses whose value counts as "what is missing".
MISSING_STATUSES = (ST_MISSING, ST_LOST)


@dataclass(frozen=True)
class MinutesLine:
    """One item (or pieces of counted stock) that is missing, lost or damaged."""

    code: str
    title: str
    status: str
    quantity: int
    value: int


@dataclass(frozen=True)
class StocktakeMinutes:
    """Everything the biên bản prints."""

    school_name: str
    place: str
    ref: str
    scope: str
    kind: str
    opened_on: date
    finished_on: date | None
    committee: list
    pieces: dict  # status -> pieces
    values: dict  # status -> đồng
    lines: list[MinutesLine]
    misplaced: list[str]
    unknown: list[str]
    note: str = ""

    @property
    def total(self) -> int:
        """Every piece the stock-take covered."""
        return sum(self.pieces.values())

    @property
    def missing_value(self) -> int:
        """The value of what is missing (thiếu and mất), in đồng."""
        return sum(self.values.get(status, 0) for status in MISSING_STATUSES)

    @property
    def good_percent(self) -> float:
        """The share of checked pieces found in good condition (đủ), in percent."""
        checked = self.total - self.pieces.get(ST_UNCHECKED, 0)
        return 100.0 * self.pieces.get(ST_OK, 0) / checked if checked else 0.0


def build_minutes(service, stocktake_id: int, place: str = "") -> StocktakeMinutes | None:
    """The minutes of a finished stock-take (None when unknown or still open)."""
    take = stocktakes.by_id(stocktake_id)
    if take is None or take.finished_at is None:
        return None
    clock = service.clock
    totals = stocktakes.status_totals(take.id)
    lines = [MinutesLine(row.code, row.title, row.status, row.quantity,
                         (row.unit_value or 0) * row.quantity)
             for row in stocktakes.results(take.id)
             if row.status in (ST_MISSING, ST_LOST, ST_DAMAGED)]
    order = {status: i for i, status in enumerate((ST_MISSING, ST_LOST, ST_DAMAGED))}
    lines.sort(key=lambda line: (order[line.status], line.code))
    scans = stocktakes.scans(take.id)
    return StocktakeMinutes(
        school_name=service.config.school.name, place=place, ref=take.ref,
        scope=service.scope_label(take), kind=take.kind,
        opened_on=clock.to_local(take.opened_at).date(),
        finished_on=clock.to_local(take.finished_at).date(), committee=take.committee,
        pieces={status: totals.get(status, (0, 0))[0] for status in STOCKTAKE_STATUSES},
        values={status: totals.get(status, (0, 0))[1] for status in STOCKTAKE_STATUSES},
        lines=lines, misplaced=sorted({s.code for s in scans if s.result == SCAN_MISPLACED}),
        unknown=sorted({s.code for s in scans if s.result == SCAN_UNKNOWN}), note=take.note)


def money(value: int) -> str:
    """``1234500`` -> ``"1.234.500"`` (đồng, Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")
