"""What one import shares while it writes: the context, the report, 'now' and the record helper."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db.tx import Action
from kiosk.context import KioskContext
from kiosk.imports.report import ImportReport


@dataclass
class ImportSession:
    """Handed to each kind's ``apply``; lives inside the import's one action (its transaction,
    journal entry and records)."""

    context: KioskContext
    report: ImportReport
    action: Action
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.now = self.action.who.at

    @property
    def school_code(self) -> str:
        """The school code the provincial records carry."""
        return self.context.config.school.code

    def record(self, record_type: str, data: dict) -> None:
        """Queue one provincial record (``item.declared`` or ``item.updated``)."""
        self.action.record(record_type, data)
        self.report.records += 1
