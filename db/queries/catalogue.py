"""Books: titles and their copies (a copy's barcode is its accession number, số ĐKCB)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.models import Copy, Title
from db.queries import execute, fetch_all, fetch_one
from db.vocabulary import AVAILABLE, ON_LOAN


@dataclass(frozen=True)
class CopyRow:
    """A copy with what a scan needs of its title."""

    id: int
    barcode: str
    status: str
    store: str
    shelf_mark: str
    title_id: int
    title: str
    author: str
    isbn: str | None
    #: The copy's price, else its title's (giá tiền, đồng), for loss and withdrawal values.
    price: int | None = None


@dataclass(frozen=True)
class TitleRow:
    """A title (đầu sách)."""

    id: int
    title: str
    author: str
    publisher: str
    year: int | None
    isbn: str | None
    classification: str
    language: str
    price: int | None
    place: str = ""


_COPY = """
    SELECT copy.id, copy.barcode, copy.status, copy.store, copy.shelf_mark, title.id, title.title,
           title.author, title.isbn, COALESCE(copy.price, title.price)
    FROM copy JOIN title ON title.id = copy.title_id WHERE copy.barcode = ?
"""
_TITLE_COLUMNS = "id, title, author, publisher, year, isbn, classification, language, price, place"


def copy_by_barcode(barcode: str) -> CopyRow | None:
    """The copy with this accession number (a unique index lookup, its title joined)."""
    row = fetch_one(_COPY, (barcode,))
    return CopyRow(*row) if row else None


def copy_by_id(copy_id: int) -> CopyRow | None:
    """The copy with this row id."""
    row = fetch_one(_COPY.replace("copy.barcode = ?", "copy.id = ?"), (copy_id,))
    return CopyRow(*row) if row else None


def set_copy_status(copy_id: int, status: str, at: datetime, *, expected: str | None = None,
                    condition: str | None = None) -> bool:
    """A copy's new status (and condition), only from ``expected`` when given; False when
    nothing changed."""
    sets, params = "status = ?, updated_at = ?", [status, at]
    if condition is not None:
        sets += ", condition = ?"
        params.append(condition)
    where, params2 = "id = ?", [copy_id]
    if expected is not None:
        where += " AND status = ?"
        params2.append(expected)
    cursor = execute(f"UPDATE copy SET {sets} WHERE {where}", (*params, *params2))
    return cursor.rowcount == 1


def stores_of_title(title_id: int) -> list[tuple[str, int]]:
    """(store, copies) of one title, most copies first."""
    return [(store, n) for store, n in fetch_all(
        "SELECT store, count(*) FROM copy WHERE title_id = ? GROUP BY store "
        "ORDER BY count(*) DESC, store", (title_id,))]


def title_by_isbn(isbn: str) -> TitleRow | None:
    """The first title with this ISBN-13."""
    row = fetch_one(f"SELECT {_TITLE_COLUMNS} FROM title WHERE isbn = ? ORDER BY id LIMIT 1",
                    (isbn,))
    return TitleRow(*row) if row else None


def title_by_id(title_id: int) -> TitleRow | None:
    """The title with this row id."""
    row = fetch_one(f"SELECT {_TITLE_COLUMNS} FROM title WHERE id = ?", (title_id,))
    return TitleRow(*row) if row else None


def take_copy(copy_id: int, at: datetime) -> bool:
    """Mark an available copy as lent; False (nothing changed) when it is not available, so
    two kiosks scanning one copy at once give one loan."""
    cursor = execute("UPDATE copy SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                     (ON_LOAN, at, copy_id, AVAILABLE))
    return cursor.rowcount == 1


def put_back_copy(copy_id: int, status: str, at: datetime, condition: str | None = None) -> None:
    """A lent copy comes back (or its loan is voided): its new status (and condition)."""
    if condition is None:
        execute("UPDATE copy SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                (status, at, copy_id, ON_LOAN))
    else:
        execute("UPDATE copy SET status = ?, condition = ?, updated_at = ? WHERE id = ?",
                (status, condition, at, copy_id))


def insert_title(*, title: str, search_key: str, author: str, publisher: str, year: int | None,
                 isbn: str | None, classification: str, price: int | None,
                 at: datetime, place: str = "", language: str = "vi") -> TitleRow:
    """A new title."""
    row = Title.create(title=title, search_key=search_key, author=author, publisher=publisher,
                       year=year, isbn=isbn, classification=classification, price=price,
                       updated_at=at, place=place, language=language)
    return title_by_id(row.id)


def top_codes(prefix: str, limit: int = 20) -> list[str]:
    """The highest accession numbers after ``prefix`` (an index range: digits follow it)."""
    query = (Copy.select(Copy.barcode).where(Copy.barcode >= prefix + "0",
                                             Copy.barcode < prefix + ":")
             .order_by(Copy.barcode.desc()).limit(limit).tuples())
    return [code for (code,) in query]


def insert_copy(*, barcode: str, title_id: int, store: str, price: int | None, shelf_mark: str,
                added_on: date, at: datetime) -> None:
    """A new copy, available."""
    Copy.create(barcode=barcode, title=title_id, store=store, price=price, shelf_mark=shelf_mark,
                added_on=added_on, updated_at=at)


def copy_record(barcode: str) -> dict | None:
    """Catalogue fields of a copy, for ``item.*`` provincial records."""
    copy = (Copy.select(Copy.barcode, Copy.store, Copy.price, Copy.shelf_mark, Copy.status,
                        Copy.condition, Copy.title.alias("title_id"))
            .where(Copy.barcode == barcode).dicts().first())
    if copy is None:
        return None
    title = Title.select(*[getattr(Title, f) for f in TITLE_FIELDS]).where(
        Title.id == copy["title_id"]).dicts().first()
    return record_of(copy, title)


def shelf_marks(barcodes: list[str]) -> dict[str, str]:
    """The shelf mark of each copy (for labels)."""
    if not barcodes:
        return {}
    query = Copy.select(Copy.barcode, Copy.shelf_mark).where(Copy.barcode.in_(barcodes)).tuples()
    return dict(query)


# -- bulk import ----------------------------------------------------------------------------
TITLE_FIELDS = ("title", "search_key", "author", "publisher", "year", "isbn", "classification",
                "price", "language", "place")
COPY_FIELDS = ("title_id", "store", "price", "shelf_mark")


def titles_for_import() -> list[dict]:
    """Every title's fields (and id): one query."""
    return list(Title.select(Title.id, *[getattr(Title, f) for f in TITLE_FIELDS]).dicts())


def copies_for_import() -> dict[str, dict]:
    """Every copy's fields (and id, barcode, status, condition) by barcode: one query."""
    columns = [Copy.id, Copy.barcode, Copy.status, Copy.condition, Copy.title.alias("title_id"),
               Copy.store, Copy.price, Copy.shelf_mark]
    return {row["barcode"]: row for row in Copy.select(*columns).dicts()}


def insert_title_fields(fields: dict, at: datetime) -> int:
    """A new title from import fields; returns its id."""
    return Title.insert(**{k: fields[k] for k in fields if k in TITLE_FIELDS},
                        updated_at=at).execute()


def update_title_fields(title_id: int, changes: dict, at: datetime) -> None:
    """Some fields of one title."""
    Title.update(**{k: changes[k] for k in changes if k in TITLE_FIELDS}, updated_at=at
                 ).where(Title.id == title_id).execute()


def insert_copy_fields(*, barcode: str, fields: dict, added_on: date, at: datetime) -> int:
    """A new copy from import fields; returns its id."""
    return Copy.insert(barcode=barcode, added_on=added_on, updated_at=at,
                       **{k: fields[k] for k in fields if k in COPY_FIELDS}).execute()


def update_copy_fields(copy_id: int, changes: dict, at: datetime) -> None:
    """Some fields of one copy."""
    Copy.update(**{k: changes[k] for k in changes if k in COPY_FIELDS}, updated_at=at
                ).where(Copy.id == copy_id).execute()


def copies_of_title(title_id: int) -> list[dict]:
    """The copies of one title (id, barcode, store, price, shelf mark, status, condition)."""
    return list(Copy.select(Copy.id, Copy.barcode, Copy.store, Copy.price, Copy.shelf_mark,
                            Copy.status, Copy.condition).where(Copy.title == title_id).dicts())


def record_of(copy: dict, title: dict) -> dict:
    """Catalogue fields of a copy for ``item.*`` records, from rows already in hand."""
    price = copy.get("price")
    return {
        "item_kind": "book", "item_barcode": copy["barcode"], "title": title["title"],
        "author": title.get("author", ""), "publisher": title.get("publisher", ""),
        "place": title.get("place", ""),
        "year": title.get("year"), "isbn": title.get("isbn"),
        "classification": title.get("classification", ""),
        "language": title.get("language", "vi"), "store": copy.get("store", ""),
        "status": copy.get("status", "available"), "condition": copy.get("condition", "good"),
        "price": price if price is not None else title.get("price"),
        "shelf_mark": copy.get("shelf_mark", ""),
    }


def barcodes_in_store(store: str) -> list[str]:
    """The accession numbers of one store, in order."""
    return [code for (code,) in Copy.select(Copy.barcode).where(Copy.store == store)
            .order_by(Copy.barcode).tuples()]
