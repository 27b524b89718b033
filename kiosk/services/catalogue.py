"""Declaring new books and equipment at the kiosk: new accession numbers, one action each.

Every new copy, labelled item or counted stock becomes an ``item.declared`` record for the
provincial systems in the same transaction (DOMAIN.md: declare every new item promptly).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.queries import catalogue, equipment, patrons
from db.queries.catalogue import TitleRow
from db.text import nfc, search_key
from db.vocabulary import ITEM_DECLARED, REF_DECLARE, STAFF, TRACK_COUNTED, TRACK_ITEM
from devices.codes import isbn_to_13
from kiosk.services.base import Service, guarded
from kiosk.services.results import Outcome, Refused, done, refuse

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


def next_code_number(top_codes, prefix: str) -> int:
    """The next number after ``prefix``, from ``top_codes(prefix)`` (the highest codes of an
    index range: zero-padded, so the highest in text order is the highest number; a few are
    read in case some do not follow the pattern)."""
    return next_number(top_codes(prefix), prefix)


def shelf_mark(classification: str, author: str, title: str, year: int | None) -> str:
    """Classification + first three letters of the author (or title) + year (DOMAIN.md)."""
    word = search_key(author or title).replace(" ", "")[:3].upper()
    return " ".join(part for part in (classification, word, str(year or "")) if part)


class Catalogue(Service):
    """New copies of a title and new equipment, declared by staff."""

    def find_title_by_isbn(self, raw: str) -> TitleRow | None:
        """The catalogue's title with this ISBN, if any."""
        isbn = isbn_to_13(raw)
        return catalogue.title_by_isbn(isbn) if isbn else None

    def _staff(self, code: str):
        staff = patrons.by_code(code)
        if staff is None or staff.kind != STAFF or not staff.active:
            raise Refused(refuse("not_staff"))
        return staff

    def _record(self, act, data: dict) -> None:
        act.record(ITEM_DECLARED, {"school_code": self.config.school.code, **data})

    @guarded
    def declare_copies(self, staff_code: str, store: str, count: int,
                       title_id: int | None = None, new_title: NewTitle | None = None,
                       price: int | None = None) -> Outcome:
        """Add ``count`` copies (of an existing title, or of a new one) with new accession numbers."""
        if store not in STORES:
            return refuse("bad_store", store=store)
        if not 1 <= count <= MAX_COPIES_AT_ONCE:
            return refuse("bad_count", limit=MAX_COPIES_AT_ONCE)
        with self.action(staff_code, prefix=REF_DECLARE) as act:
            self._staff(staff_code)
            now = act.who.at
            if title_id is not None:
                title = catalogue.title_by_id(title_id)
                if title is None:
                    raise Refused(refuse("no_such_title"))
            elif new_title is not None and nfc(new_title.title):
                isbn = isbn_to_13(new_title.isbn) if new_title.isbn else None
                if new_title.isbn and not isbn:
                    raise Refused(refuse("bad_isbn", isbn=new_title.isbn))
                title = catalogue.insert_title(
                    title=nfc(new_title.title), search_key=search_key(new_title.title),
                    author=nfc(new_title.author), publisher=nfc(new_title.publisher),
                    year=new_title.year, isbn=isbn, classification=nfc(new_title.classification),
                    price=new_title.price, at=now)
            else:
                raise Refused(refuse("title_required"))
            prefix = f"{store}."
            first = next_code_number(catalogue.top_codes, prefix)
            mark = shelf_mark(title.classification, title.author, title.title, title.year)
            barcodes = [f"{prefix}{n:05d}" for n in range(first, first + count)]
            for barcode in barcodes:
                catalogue.insert_copy(barcode=barcode, title_id=title.id, store=store,
                                      price=price if price is not None else title.price,
                                      shelf_mark=mark, added_on=self.clock.today(), at=now)
                self._record(act, catalogue.copy_record(barcode))
            act.journal("declare", entity="copy", entity_key=barcodes[0],
                        after={"title": title.title, "barcodes": barcodes})
        return done("copies_declared", count=count, first=barcodes[0], last=barcodes[-1],
                    title=title.title, codes=barcodes, ref=act.ref)

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
        with self.action(staff_code, prefix=REF_DECLARE) as act:
            self._staff(staff_code)
            now = act.who.at
            kind = equipment.type_by_code(type_code) if type_code else None
            if kind is None:
                if not nfc(name):
                    raise Refused(refuse("name_required"))
                type_code = type_code or f"M{next_code_number(equipment.top_type_codes, 'M'):04d}"
                kind = equipment.insert_type(
                    code=type_code, name=nfc(name), search_key=search_key(name), unit=nfc(unit),
                    subject=nfc(subject), grade=nfc(grade),
                    tracking=TRACK_ITEM if labelled or labelled is None else TRACK_COUNTED,
                    at=now)
            if kind.counted:
                equipment.add_stock(kind.id, quantity, now)
                kind = equipment.type_by_id(kind.id)
                self._record(act, {**equipment.type_record(kind), "quantity_added": quantity})
                codes = [kind.code]
            else:
                prefix = f"TB.{kind.code.split('.')[0]}."
                first = next_code_number(equipment.top_item_codes, prefix)
                codes = [f"{prefix}{n:03d}" for n in range(first, first + quantity)]
                for barcode in codes:
                    equipment.insert_item(barcode=barcode, type_id=kind.id, at=now)
                    self._record(act, equipment.item_record(kind, barcode))
            act.journal("declare", entity="equipment", entity_key=kind.code,
                        after={"quantity": quantity, "items": codes})
        return done("equipment_declared", count=quantity, title=kind.name, codes=codes,
                    first=codes[0], last=codes[-1], ref=act.ref)
