"""What an import did: counts of created, updated and unchanged records, and the bad rows."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    """One row that was not imported: its row number in the file, a reason code, a detail.

    ``reason_key`` names a message ``imports.row.<reason_key>`` in the catalog; ``detail`` is the
    offending value (shown beside the message).
    """

    row_number: int
    reason_key: str
    detail: str = ""


#: Bad rows kept one by one (the CLI lists the first 50); the rest are only counted.
MAX_KEPT_ERRORS = 1000


@dataclass
class ImportReport:
    """The outcome of one import (the same for a dry run, which then changes nothing)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: The first :data:`MAX_KEPT_ERRORS` bad rows; ``bad_rows`` counts them all.
    errors: list[RowError] = field(default_factory=list)
    bad_rows: int = 0
    dry_run: bool = False
    rows: int = 0
    records: int = 0  # provincial item.* records queued
    #: Further counts a kind keeps, e.g. ``titles_created`` for books.
    extra: dict[str, int] = field(default_factory=dict)
    #: The import's reference (its journal entry and records carry it); empty for a dry run.
    ref: str = ""

    def error(self, row_number: int, reason_key: str, detail: object = "") -> None:
        """Note a bad row."""
        self.bad_rows += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(RowError(row_number, reason_key,
                                        "" if detail is None else str(detail)))

    @property
    def ok(self) -> bool:
        """True when every row imported."""
        return not self.bad_rows

    def summary(self) -> dict:
        """The counts, for the journal entry."""
        return {"kind": self.kind, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged,
                "bad_rows": self.bad_rows, "records": self.records, **self.extra}
