"""Declaring new items at the kiosk: copies of a book (new accession numbers in a store) and new
equipment (labelled items or counted stock). One declaration is one transaction: the rows, a
journal entry and an ``item.declared`` outbox record per copy or item."""
from __future__ import annotations

import logging

from db.models import Copy, EquipmentItem, EquipmentType, Title
from db.records import enqueue_record, write_journal
from db.text import nfc, search_key
from kiosk.services.base import Service, guarded
from kiosk.services.payloads import copy_data, equipment_data
from kiosk.services.results import Outcome, done, refuse

log = logging.getLogger(__name__)

MAX_AT_ONCE = 500
ACCESSION_DIGITS = 5


class Declarations(Service):
    """New copies and new equipment, with the codes their labels carry."""

    def next_accessions(self, store: str, count: int) -> list[str]:
        """The next ``count`` accession numbers of a store (``TK.00042``...), by an index range."""
        prefix = f"{store}."
        last = (Copy.select(Copy.barcode)
                .where(Copy.barcode >= prefix, Copy.barcode < f"{store}/")
                .order_by(Copy.barcode.desc()).first())
        start = 0
        if last is not None:
            tail = last.barcode[len(prefix):]
            start = int(tail) if tail.isdigit() else 0
        return [f"{prefix}{n:0{ACCESSION_DIGITS}d}" for n in range(start + 1, start + count + 1)]

    def title_for_isbn(self, isbn: str) -> Title | None:
        """The catalogue title with this ISBN, if any."""
        return Title.select().where(Title.isbn == isbn).first() if isbn else None

    @guarded
    def declare_books(self, title: str, count: int, store: str, actor: str, isbn: str = "",
                      author: str = "") -> Outcome:
        """Add ``count`` copies (a new title unless the ISBN is known); ``codes`` in params."""
        title = nfc(title)
        if count < 1 or count > MAX_AT_ONCE:
            return refuse("count_invalid", most=MAX_AT_ONCE)
        existing = self.title_for_isbn(isbn)
        if existing is None and not title:
            return refuse("title_required")
        now = self.clock.db_now()
        with self.context.db.atomic():
            record = existing or Title.create(title=title, search_key=search_key(title),
                                              author=nfc(author), isbn=isbn or None,
                                              updated_at=now)
            codes = self.next_accessions(store, count)
            for code in codes:
                copy = Copy.create(barcode=code, title=record, store=store,
                                   added_on=self.clock.today(), updated_at=now)
                self._record("copy", code, actor, copy_data(copy, self.config.school.code))
        log.info("declared %d copies of %r: %s..%s", count, record.title, codes[0], codes[-1])
        return done("declared_books", count=count, title=record.title, first=codes[0],
                    last=codes[-1], codes=codes)

    @guarded
    def declare_equipment(self, name: str, quantity: int, labelled: bool, actor: str,
                          unit: str = "", subject: str = "") -> Outcome:
        """A new kind of equipment: ``quantity`` labelled items, or that much counted stock."""
        name = nfc(name)
        if not name:
            return refuse("title_required")
        if quantity < 1 or quantity > MAX_AT_ONCE:
            return refuse("count_invalid", most=MAX_AT_ONCE)
        now = self.clock.db_now()
        with self.context.db.atomic():
            kind = EquipmentType.create(
                code=f"tmp-{now.timestamp()}", name=name, search_key=search_key(name),
                unit=nfc(unit), subject=nfc(subject),
                tracking="item" if labelled else "counted",
                stock_total=0 if labelled else quantity,
                stock_on_hand=0 if labelled else quantity, updated_at=now)
            kind.code = f"M{kind.id:04d}"
            kind.save()
            codes = []
            if labelled:
                for n in range(1, quantity + 1):
                    item = EquipmentItem.create(barcode=f"TB.{kind.code}.{n:03d}", type=kind,
                                                updated_at=now)
                    codes.append(item.barcode)
                    self._record("equipment_item", item.barcode, actor,
                                 equipment_data(kind, self.config.school.code, item))
            else:
                codes.append(kind.code)
                self._record("equipment_type", kind.code, actor,
                             equipment_data(kind, self.config.school.code))
        return done("declared_equipment", count=quantity, title=name, first=codes[0],
                    last=codes[-1], codes=codes)

    def _record(self, entity: str, key: str, actor: str, data: dict) -> None:
        now = self.clock.db_now()
        write_journal(at=now, kiosk_id=self.context.kiosk_id, actor=actor, action="declare",
                      entity=entity, entity_key=key, after=data)
        enqueue_record(type="item.declared", occurred_at=self.clock.iso_local(now), data=data)
