"""Finding patrons, titles and actions by what a person types or scans: diacritics and case
ignored, a reference (``GD-7F3A9C21``) shows the action it names."""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.queries import journal, loans, outbox
from db.queries.journal import JournalRow
from db.queries.search import PatronHit, TitleHit, find_patrons, find_titles
from kiosk.services.base import Service
from kiosk.services.results import LoanInfo

#: What a reference looks like: a prefix of letters, a dash, eight hex digits.
REFERENCE = re.compile(r"[A-Z]{2,4}-[0-9A-F]{8}")


@dataclass(frozen=True)
class ActionHit:
    """One action found by its reference: its journal entries, its loans, its records."""

    ref: str
    entries: list[JournalRow]
    loans: list[LoanInfo]
    records: list[tuple[str, str, str]]  # record id, type, state


class Search(Service):
    """Patrons, titles and actions."""

    def patrons(self, text: str, limit: int = 20) -> list[PatronHit]:
        """Patrons whose name holds every typed word, or whose code is the text."""
        return find_patrons(text, limit)

    def titles(self, text: str, limit: int = 20) -> list[TitleHit]:
        """Titles by title, author, ISBN or a copy's accession number."""
        return find_titles(text, limit)

    def action(self, text: str) -> ActionHit | None:
        """The action a reference names, or None when the text is not one that exists."""
        ref = text.strip().upper()
        if not REFERENCE.fullmatch(ref):
            return None
        entries = journal.by_ref(ref)
        if not entries:
            return None
        uids = [entry.entity_key for entry in entries if entry.entity == "loan"]
        return ActionHit(ref=ref, entries=entries,
                         loans=[self.loan_info(row) for row in loans.by_uids(uids)],
                         records=outbox.records_of(ref))
