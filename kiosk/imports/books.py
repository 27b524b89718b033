"""Books: titles and their copies' accession numbers (số ĐKCB), from the library's register.

Columns: Nhan đề (required), Tác giả, Nhà xuất bản, Năm xuất bản, ISBN, Ký hiệu phân loại,
Giá tiền, Kho, Ngôn ngữ, Số ĐKCB (one code, a list separated by , or ;, or a range
``TK.00001-TK.00005``). A title is found by ISBN, else by its title and author (ignoring case
and diacritics); a copy by its barcode. New copies are declared to the provincial system
(``item.declared``); copies whose catalogue data changed are re-sent (``item.updated``).
"""
from __future__ import annotations

import re

from db.queries import catalogue
from db.text import search_key
from db.tx import write_transaction
from db.vocabulary import ITEM_DECLARED, ITEM_UPDATED
from kiosk.imports import values as v
from kiosk.imports.codes import CodeListError, expand_codes
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table

KIND = "books"
COLUMNS = (
    Column("title", ("Nhan đề", "Tên sách", "Tên tài liệu", "Nhan đề chính"), required=True),
    Column("author", ("Tác giả", "Tác giả chính")),
    Column("publisher", ("Nhà xuất bản", "NXB")),
    Column("year", ("Năm xuất bản", "Năm XB", "Năm")),
    Column("isbn", ("ISBN", "Mã ISBN")),
    Column("classification", ("Ký hiệu phân loại", "Kí hiệu phân loại", "KHPL", "Phân loại",
                              "Môn loại")),
    Column("price", ("Giá tiền", "Giá", "Đơn giá", "Giá bìa")),
    Column("store", ("Kho", "Kho sách", "Mã kho")),
    Column("language", ("Ngôn ngữ",)),
    Column("barcodes", ("Số ĐKCB", "ĐKCB", "Số đăng ký cá biệt", "Mã ĐKCB", "Mã vạch"),
           required=True),
)
_TITLE_FIELDS = ("title", "author", "publisher", "year", "isbn", "classification", "price",
                 "language")


def shelf_mark(classification: str, author: str, title: str, year: int | None) -> str:
    """Classification + first three letters of the author (or title) + year: ``895.922 TÔH 2020``."""
    letters = "".join(ch for ch in (author or title) if ch.isalpha())[:3].upper()
    return " ".join(part for part in (classification, letters, str(year) if year else "") if part)


def store_of(barcode: str) -> str:
    """The store an accession number names by its prefix: ``TK.00003`` -> ``TK``."""
    prefix = re.match(r"^([A-Za-z]+)[.\-]", barcode)
    return prefix.group(1).upper() if prefix else ""


def parse_row(values: dict, max_length: int = 64) -> tuple[dict, list[str]]:
    """A row's title fields (only the columns present) and its list of accession numbers."""
    title = v.text(values.get("title"))
    if not title:
        raise v.BadValue("missing_title")
    fields: dict = {"title": title}
    for name in ("author", "publisher", "classification"):
        if name in values:
            fields[name] = v.text(values[name])
    if "language" in values:
        fields["language"] = v.text(values["language"]) or "vi"
    if "year" in values:
        fields["year"] = v.whole_number(values["year"], "bad_year", 1800, 2100)
    if "price" in values:
        fields["price"] = v.whole_number(values["price"], "bad_price", 0, 10 ** 9)
    if "isbn" in values:
        fields["isbn"] = v.isbn(values["isbn"])
    try:
        barcodes = expand_codes(v.text(values.get("barcodes")), max_length)
    except CodeListError as exc:
        raise v.BadValue(exc.reason, exc.detail) from None
    return fields, barcodes


class _Catalog:
    """The titles and copies already known, loaded once, kept current as the import writes."""

    def __init__(self):
        self.by_isbn: dict[str, dict] = {}
        self.by_name: dict[tuple[str, str], dict] = {}
        for title in catalogue.titles_for_import():
            self.remember(title)
        self.copies: dict[str, dict] = catalogue.copies_for_import()

    def remember(self, title: dict) -> None:
        if title.get("isbn"):
            self.by_isbn.setdefault(title["isbn"], title)
        self.by_name.setdefault((title["search_key"], search_key(title.get("author"))), title)

    def find(self, fields: dict) -> dict | None:
        if fields.get("isbn") and fields["isbn"] in self.by_isbn:
            return self.by_isbn[fields["isbn"]]
        return self.by_name.get((search_key(fields["title"]), search_key(fields.get("author"))))


def apply(table: Table, session: ImportSession) -> None:
    """Import every good row: its title (created or updated) and its copies."""
    report = session.report
    catalog = _Catalog()
    max_length = session.context.config.codes.max_length
    store_given = "store" in table.fields
    claimed: dict[str, int] = {}
    extra = report.extra
    for row_number, values in table.rows:
        try:
            fields, barcodes = parse_row(values, max_length)
        except v.BadValue as exc:
            report.error(row_number, exc.reason, exc.detail)
            continue
        twice = next((code for code in barcodes if code in claimed), None)
        if twice:
            report.error(row_number, "duplicate_in_file", f"{twice} ({claimed[twice]})")
            continue
        claimed.update({code: row_number for code in barcodes})
        store = v.text(values.get("store")).upper() if store_given else None
        with write_transaction(session.context.db):
            title, title_state = _upsert_title(session, catalog, fields)
            extra[f"titles_{title_state}"] = extra.get(f"titles_{title_state}", 0) + 1
            sent: set[int] = set()
            for code in barcodes:
                _upsert_copy(session, catalog, title, code, store, fields, sent)
            if title_state == "updated":
                for copy in catalogue.copies_of_title(title["id"]):
                    if copy["id"] not in sent:
                        copy["shelf_mark"] = _mark(title)
                        catalogue.update_copy_fields(copy["id"], copy, session.now)
                        session.record(ITEM_UPDATED, _data(session, copy, title))


def _data(session: ImportSession, copy: dict, title: dict) -> dict:
    return {"school_code": session.school_code, **catalogue.record_of(copy, title)}


def _mark(title: dict) -> str:
    return shelf_mark(title.get("classification", ""), title.get("author", ""), title["title"],
                      title.get("year"))


def _upsert_title(session: ImportSession, catalog: _Catalog, fields: dict) -> tuple[dict, str]:
    title = catalog.find(fields)
    if title is None:
        title = {"author": "", "publisher": "", "year": None, "isbn": None,
                 "classification": "", "price": None, "language": "vi", **fields,
                 "search_key": search_key(fields["title"])}
        title["id"] = catalogue.insert_title_fields(title, session.now)
        catalog.remember(title)
        return title, "created"
    changes = {k: val for k, val in fields.items() if k in _TITLE_FIELDS
               and title.get(k) != val and not (k == "isbn" and val is None)}
    if not changes:
        return title, "unchanged"
    title.update(changes)
    title["search_key"] = search_key(title["title"])
    catalogue.update_title_fields(title["id"], {**changes, "search_key": title["search_key"]},
                                  session.now)
    catalog.remember(title)
    return title, "updated"


def _upsert_copy(session: ImportSession, catalog: _Catalog, title: dict, code: str,
                 store: str | None, fields: dict, sent: set[int]) -> None:
    report = session.report
    copy = catalog.copies.get(code)
    price = fields.get("price", copy["price"] if copy else None)
    if copy is None:
        copy = {"barcode": code, "title_id": title["id"], "store": store or store_of(code),
                "price": price, "shelf_mark": _mark(title), "status": "available",
                "condition": "good"}
        copy["id"] = catalogue.insert_copy_fields(barcode=code, fields=copy,
                                                  added_on=session.context.clock.today(),
                                                  at=session.now)
        catalog.copies[code] = copy
        report.created += 1
        session.record(ITEM_DECLARED, _data(session, copy, title))
        sent.add(copy["id"])
        return
    wanted = {"title_id": title["id"], "price": price, "shelf_mark": _mark(title)}
    if store:
        wanted["store"] = store
    changes = {k: val for k, val in wanted.items() if copy.get(k) != val}
    if not changes:
        report.unchanged += 1
        return
    copy.update(changes)
    catalogue.update_copy_fields(copy["id"], changes, session.now)
    report.updated += 1
    session.record(ITEM_UPDATED, _data(session, copy, title))
    sent.add(copy["id"])
