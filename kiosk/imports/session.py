"""What one import shares while it writes: the context, the report, 'now' and the record helper."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db.records import enqueue_record
from kiosk.context import KioskContext
from kiosk.imports.report import ImportReport


@dataclass
class ImportSession:
    """Handed to each kind's ``apply``; lives inside the import's one transaction."""

    context: KioskContext
    report: ImportReport
    now: datetime = field(init=False)
    occurred_at: str = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.context.clock.db_now()
        self.occurred_at = self.context.clock.iso_local(self.now)

    @property
    def school_code(self) -> str:
        """The school code the provincial records carry."""
        return self.context.config.school.code

    def record(self, record_type: str, data: dict) -> None:
        """Queue one provincial record (``item.declared`` or ``item.updated``)."""
        enqueue_record(type=record_type, occurred_at=self.occurred_at, data=data)
        self.report.records += 1
