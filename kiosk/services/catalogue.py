"""Declaring new books and equipment at the kiosk: new accession numbers, one action each.

Every new copy, labelled item or counted stock becomes an ``item.declared`` record for the
provincial systems in the same transaction (DOMAIN.md: declare every new item promptly).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.models import Copy, EquipmentItem, EquipmentType, Patron, Title
from db.records import enqueue_record, write_journal
from db.text import nfc, search_key
from devices.codes import isbn_to_13
from kiosk.services.base import Service, guarded
from kiosk.services.payloads import copy_data, equipment_data
from kiosk.services.results import Outcome, done, refuse

STORES = ("GK", "TK", "NV", "TN")
MAX_COPIES_AT_ONCE = 200


@dataclass(frozen=True)
class NewTitle:
    """What staff type (or an ISBN finds) for a title that is not yet in the catalogue."""

    title: str
    author: str = ""
    publisher: str = ""
    year: int | None = None
    isbn: str | None = None
    classification: str = ""
    price: int | None = None


def next_number(codes: list[str], prefix: str) -> int:
    """One more than the highest number after ``prefix`` among ``codes``."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = [int(m.group(1)) for code in codes if (m := pattern.match(code))]
    return max(numbers, default=0) + 1


def _next_code_number(column, prefix: str) -> int:
    """The next number after ``prefix`` in ``column`` (a unique text column), by an index range.

    Only codes with a digit after the prefix are in the range (":" follows "9"); they are
    zero-padded, so the highest in text order is the highest number. The few codes at the top are
    read in case some do not follow the pattern.
    """
    top = (column.model.select(column).where(column >= prefix + "0", column < prefix + ":")
           .order_by(column.desc()).limit(20))
    return next_number([getattr(row, column.name) for row in top], prefix)


def shelf_mark(classification: str, author: str, title: str, year: int | None) -> str:
    """Classification + first three letters of the author (or title) + year (DOMAIN.md)."""
    word = search_key(author or title).replace(" ", "")[:3].upper()
    return " ".join(part for part in (classification, word, str(year or "")) if part)


class Catalogue(Service):
    """New copies of a title and new equipment, declared by staff."""

    def find_title_by_isbn(self, raw: str) -> Title | None:
        """The catalogue's title with this ISBN, if any."""
        isbn = isbn_to_13(raw)
        return Title.get_or_none(Title.isbn == isbn) if isbn else None

    def _staff(self, code: str) -> Patron | None:
        staff = Patron.get_or_none(Patron.code == code)
        return staff if staff and staff.kind == "staff" and staff.active else None

    @guarded
    def declare_copies(self, staff_code: str, store: str, count: int,
                       title_id: int | None = None, new_title: NewTitle | None = None,
                       price: int | None = None) -> Outcome:
        """Add ``count`` copies (of an existing title, or of a new one) with new accession numbers."""
        if store not in STORES:
            return refuse("bad_store", store=store)
        if not 1 <= count <= MAX_COPIES_AT_ONCE:
            return refuse("bad_count", limit=MAX_COPIES_AT_ONCE)
        with self.context.db.atomic():
            staff = self._staff(staff_code)
            if staff is None:
                return refuse("not_staff")
            now = self.clock.db_now()
            if title_id is not None:
                title = Title.get_or_none(Title.id == title_id)
                if title is None:
                    return refuse("no_such_title")
            elif new_title is not None and nfc(new_title.title):
                isbn = isbn_to_13(new_title.isbn) if new_title.isbn else None
                if new_title.isbn and not isbn:
                    return refuse("bad_isbn", isbn=new_title.isbn)
                title = Title.create(title=nfc(new_title.title),
                                     search_key=search_key(new_title.title),
                                     author=nfc(new_title.author), publisher=nfc(new_title.publisher),
                                     year=new_title.year, isbn=isbn,
                                     classification=nfc(new_title.classification),
                                     price=new_title.price, updated_at=now)
            else:
                return refuse("title_required")
            prefix = f"{store}."
            first = _next_code_number(Copy.barcode, prefix)
            mark = shelf_mark(title.classification, title.author, title.title, title.year)
            barcodes = []
            for n in range(first, first + count):
                copy = Copy.create(barcode=f"{prefix}{n:05d}", title=title, store=store,
                                   price=price if price is not None else title.price,
                                   shelf_mark=mark, added_on=self.clock.today(), updated_at=now)
                enqueue_record(type="item.declared", occurred_at=self.clock.iso_local(now),
                               data=copy_data(copy, self.config.school.code))
                barcodes.append(copy.barcode)
            write_journal(at=now, kiosk_id=self.context.kiosk_id, actor=staff.code,
                          action="declare", entity="copy", entity_key=barcodes[0],
                          after={"title": title.title, "barcodes": barcodes})
        return done("copies_declared", count=count, first=barcodes[0], last=barcodes[-1],
                    title=title.title, codes=barcodes)

    @guarded
    def declare_equipment(self, staff_code: str, type_code: str, quantity: int,
                          name: str = "", unit: str = "", subject: str = "", grade: str = "",
                          labelled: bool | None = None) -> Outcome:
        """Add equipment: ``quantity`` new labelled items, or ``quantity`` more counted stock.

        An unknown ``type_code`` creates the type (``name`` required); an empty one creates a
        type coded ``M0001``, ``M0002``... (staff at the kiosk type a name, not a code);
        ``labelled`` says how a new type is tracked.
        """
        if not 1 <= quantity <= MAX_COPIES_AT_ONCE:
            return refuse("bad_count", limit=MAX_COPIES_AT_ONCE)
        type_code = nfc(type_code).upper()
        if type_code and not re.fullmatch(r"[A-Z0-9]+(\.[A-Z0-9]+)*", type_code):
            return refuse("bad_equipment_code", code=type_code)
        with self.context.db.atomic():
            staff = self._staff(staff_code)
            if staff is None:
                return refuse("not_staff")
            now = self.clock.db_now()
            occurred = self.clock.iso_local(now)
            kind = EquipmentType.get_or_none(EquipmentType.code == type_code) if type_code \
                else None
            if kind is None:
                if not nfc(name):
                    return refuse("name_required")
                type_code = type_code or f"M{_next_code_number(EquipmentType.code, 'M'):04d}"
                kind = EquipmentType.create(
                    code=type_code, name=nfc(name), search_key=search_key(name), unit=nfc(unit),
                    subject=nfc(subject), grade=nfc(grade),
                    tracking="item" if labelled or labelled is None else "counted",
                    updated_at=now)
            if kind.tracking == "counted":
                EquipmentType.update(stock_total=EquipmentType.stock_total + quantity,
                                     stock_on_hand=EquipmentType.stock_on_hand + quantity,
                                     updated_at=now).where(EquipmentType.id == kind.id).execute()
                kind = EquipmentType.get_by_id(kind.id)
                enqueue_record(type="item.declared", occurred_at=occurred,
                               data={**equipment_data(kind, self.config.school.code),
                                     "quantity_added": quantity})
                codes = [kind.code]
            else:
                prefix = f"TB.{kind.code.split('.')[0]}."
                first = _next_code_number(EquipmentItem.barcode, prefix)
                codes = []
                for n in range(first, first + quantity):
                    item = EquipmentItem.create(barcode=f"{prefix}{n:03d}", type=kind,
                                                updated_at=now)
                    enqueue_record(type="item.declared", occurred_at=occurred,
                                   data=equipment_data(kind, self.config.school.code, item))
                    codes.append(item.barcode)
            write_journal(at=now, kiosk_id=self.context.kiosk_id, actor=staff.code,
                          action="declare", entity="equipment", entity_key=kind.code,
                          after={"quantity": quantity, "items": codes})
        return done("equipment_declared", count=quantity, title=kind.name, codes=codes,
                    first=codes[0], last=codes[-1])
