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
    place: str = ""
    language: str = "vi"


@dataclass(frozen=True)
class NewEquipment:
    """What staff declare about a new kind of equipment (sổ theo dõi tài sản TBDH)."""

    name: str
    group: str = ""  # nhóm thiết bị
    type_name: str = ""  # loại thiết bị
    subject: str = ""
    grade: str = ""
    unit: str = ""
    unit_price: int | None = None
    country: str = ""
    year: int | None = None
    labelled: bool = True
    location: str = ""


#: Words a textbook's title starts with (môn + lớp: "Toán 6", "Ngữ văn 7 tập một").
_TEXTBOOK = re.compile(
    r"^(sgk|sach giao khoa|sach bai tap|vo bai tap|toan|ngu van|tieng viet|tieng anh|"
    r"khoa hoc tu nhien|khoa hoc|lich su va dia li|lich su|dia li|giao duc cong dan|"
    r"giao duc the chat|cong nghe|tin hoc|am nhac|mi thuat|my thuat|hoat dong trai nghiem|"
    r"dao duc|tu nhien va xa hoi|vat li|hoa hoc|sinh hoc)\b.*\b([1-9]|1[0-2])\b")


def looks_like_textbook(title: str) -> bool:
    """True for a title like "Toán 6 tập một" or "Sách giáo khoa Ngữ văn 7"."""
    return bool(_TEXTBOOK.match(search_key(title)))


def subject_code(subject: str) -> str:
    """A subject as the code's môn: "KHTN" stays, "Toán" -> "TOAN", "Khoa học tự nhiên" ->
    "KHTN" (initials of a long name)."""
    key = search_key(subject).upper()
    words = re.findall(r"[A-Z0-9]+", key)
    if not words:
        return ""
    joined = "".join(words)
    return joined if len(words) == 1 and len(joined) <= 6 else "".join(w[0] for w in words)


def initials(name: str) -> str:
    """"Ống nghiệm" -> "ON", "Kính hiển vi quang học" -> "KHVQH" (at most 5 letters)."""
    words = re.findall(r"[A-Z0-9]+", search_key(name).upper())
    return "".join(w[0] for w in words)[:5] or "TB"


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

    def default_store(self, title: TitleRow | None = None, text: str = "") -> str:
        """The store a title's new copies go to: where its copies already are; else GK for
        a textbook, TK otherwise."""
        if title is not None:
            stores = catalogue.stores_of_title(title.id)
            if stores and stores[0][0] in STORES:
                return stores[0][0]
        return "GK" if looks_like_textbook(title.title if title else text) else "TK"

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
                    price=new_title.price, at=now, place=nfc(new_title.place),
                    language=nfc(new_title.language) or "vi")
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

    def equipment_code(self, new: NewEquipment) -> str:
        """The code a new kind of equipment gets under the configured scheme (KHTN6.ON), one
        not taken yet."""
        scheme = self.config.codes.equipment_type_scheme
        base = scheme.format(subject=subject_code(new.subject), grade=nfc(new.grade),
                             abbr=initials(new.name), n=1).strip(".").upper() or initials(
            new.name)
        base = re.sub(r"[^A-Z0-9.]", "", base).strip(".") or "TB"
        code, n = base, 1
        while equipment.type_by_code(code) is not None:
            n += 1
            code = f"{base}{n}"
        return code

    def item_codes(self, kind, quantity: int) -> list[str]:
        """The next ``quantity`` labels of one kind under the scheme (TB.KHTN6.004...)."""
        scheme = self.config.codes.equipment_item_scheme
        subject, grade = subject_code(kind.subject), nfc(kind.grade)
        if not subject:  # no subject: the kind's code stands for môn + lớp
            subject, grade = kind.code.split(".")[0], ""
        values = dict(subject=subject, grade=grade, abbr=initials(kind.name))
        # The labels' common start is the scheme up to its number.
        prefix = scheme[:scheme.index("{n")].format(**values) if "{n" in scheme else ""
        first = next_code_number(equipment.top_item_codes, prefix)
        return [scheme.format(n=n, **values) for n in range(first, first + quantity)]

    @guarded
    def kinds_named(self, name: str, subject: str = "", grade: str = "") -> list:
        """Kinds of equipment already declared under this name (diacritics and case aside),
        of the same subject and grade when those are given: what declaring "more of it" should
        add to instead of making a second kind."""
        key = search_key(nfc(name))
        if not key:
            return []
        # Compared by the name itself: rows imported or seeded may lack a search key.
        found = [k for k in equipment.all_types() if search_key(k.name) == key]
        for value, field in ((subject, "subject"), (grade, "grade")):
            if nfc(value).strip():
                wanted = search_key(value)
                found = [k for k in found if search_key(getattr(k, field)) in ("", wanted)]
        return found

    def declare_equipment(self, staff_code: str, type_code: str, quantity: int,
                          name: str = "", unit: str = "", subject: str = "", grade: str = "",
                          labelled: bool | None = None,
                          new: NewEquipment | None = None) -> Outcome:
        """Add equipment: ``quantity`` new labelled items, or ``quantity`` more counted stock.

        An unknown ``type_code`` creates the type (``name`` or ``new`` required); an empty one
        creates a type coded under the configured scheme (``KHTN6.ON``): staff at the kiosk
        declare a name, group, subject, grade, unit, unit price, country and year
        (``new``), not a code; labelled items get labels ``TB.KHTN6.001``...
        """
        if new is None:
            new = NewEquipment(name=name, unit=unit, subject=subject, grade=grade,
                               labelled=labelled if labelled is not None else True)
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
                if not nfc(new.name):
                    raise Refused(refuse("name_required"))
                type_code = type_code or self.equipment_code(new)
                kind = equipment.insert_type(
                    code=type_code, name=nfc(new.name), search_key=search_key(new.name),
                    unit=nfc(new.unit), subject=nfc(new.subject), grade=nfc(new.grade),
                    group_name=nfc(new.group), type_name=nfc(new.type_name),
                    tracking=TRACK_ITEM if new.labelled else TRACK_COUNTED, at=now,
                    unit_price=new.unit_price, country=nfc(new.country), year=new.year,
                    location=nfc(new.location))
            if kind.counted:
                equipment.add_stock(kind.id, quantity, now)
                kind = equipment.type_by_id(kind.id)
                self._record(act, {**equipment.type_record(kind), "quantity_added": quantity})
                codes = [kind.code]
            else:
                codes = self.item_codes(kind, quantity)
                for barcode in codes:
                    equipment.insert_item(barcode=barcode, type_id=kind.id, at=now,
                                          location=kind.location)
                    self._record(act, equipment.item_record(kind, barcode))
            act.journal("declare", entity="equipment", entity_key=kind.code,
                        after={"quantity": quantity, "items": codes})
        if kind.counted:
            return done("stock_declared", count=quantity, title=kind.name, code=kind.code,
                        on_hand=kind.stock_on_hand, unit=kind.unit, codes=codes,
                        first=codes[0], last=codes[-1], ref=act.ref)
        return done("equipment_declared", count=quantity, title=kind.name, codes=codes,
                    first=codes[0], last=codes[-1], ref=act.ref)
