"""Finding patrons, titles and actions by what a person types or scans: diacritics and case
ignored, a reference (``GD-7F3A9C21``) shows the action it names; a patron's loans now and
before, who holds each copy of a title."""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.queries import journal, loans, outbox, patrons
from db.queries.journal import JournalRow
from db.queries.patrons import PatronRow
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


@dataclass(frozen=True)
class PatronView:
    """A patron as staff look them up: what they hold now and what they borrowed before."""

    patron: PatronRow
    current: list[LoanInfo]
    history: list[LoanInfo]


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

    def patron_view(self, code: str, history: int = 30) -> PatronView | None:
        """A patron's current loans (oldest due first) and their last ``history`` closed
        loans (newest first), or None for an unknown code."""
        patron = patrons.by_code(code)
        if patron is None:
            return None
        today = self.clock.today()
        return PatronView(
            patron=patron,
            current=[self.loan_info(row, today) for row in loans.open_loans_of_patron(patron.id)],
            history=[self.loan_info(row, today) for row in loans.history_of_patron(patron.id,
                                                                                   history)])

    def holders(self, title: TitleHit) -> dict[str, LoanInfo]:
        """Who holds each lent copy of a title: accession number -> the open loan."""
        today = self.clock.today()
        return {row.code: self.loan_info(row, today)
                for row in loans.open_of_copies([copy.barcode for copy in title.copies])}
