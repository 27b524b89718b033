"""Finding patrons and titles by what a person types: diacritics and case ignored."""
from __future__ import annotations

from dataclasses import dataclass

import peewee

from db.connection import database
from db.engine import engine_of
from db.models import Copy, Patron, Title
from db.text import search_key, sort_key
from db.vocabulary import AVAILABLE


@dataclass(frozen=True)
class CopyHit:
    """One copy of a found title and whether it is on the shelf."""

    barcode: str
    status: str

    @property
    def on_shelf(self) -> bool:
        """Available to lend now."""
        return self.status == AVAILABLE


@dataclass(frozen=True)
class TitleHit:
    """A found title with its copies."""

    title: str
    author: str
    isbn: str | None
    copies: list[CopyHit]


@dataclass(frozen=True)
class PatronHit:
    """A found patron."""

    code: str
    name: str
    kind: str
    class_name: str
    active: bool


def _words_match(column, text: str, also: str | None = None):
    """Every typed word in ``column`` (a search key), or in the folded ``also`` column
    (``search_key()`` in SQL: registered on SQLite, a function on PostgreSQL)."""
    words = search_key(text).split()
    mark = engine_of(database.obj).param
    condition = None
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        sql = f"{column.column_name} LIKE {mark} ESCAPE '\\'"
        params: tuple = (pattern,)
        if also:
            sql = f"({sql} OR search_key({also}) LIKE {mark} ESCAPE '\\')"
            params = (pattern, pattern)
        clause = peewee.SQL(sql, params)
        condition = clause if condition is None else condition & clause
    return condition


def find_patrons(text: str, limit: int = 20) -> list[PatronHit]:
    """Patrons whose name contains every typed word, or whose code is the text."""
    condition = _words_match(Patron.search_key, text)
    query = Patron.select().where(Patron.code == text.strip())
    if condition is not None:
        query = Patron.select().where((Patron.code == text.strip()) | condition)
    rows = list(query.limit(limit * 5))
    rows.sort(key=lambda p: (sort_key(p.name.split()[-1] if p.name else ""), sort_key(p.name)))
    return [PatronHit(p.code, p.name, p.kind, p.class_name, bool(p.active)) for p in rows[:limit]]


def find_titles(text: str, limit: int = 20) -> list[TitleHit]:
    """Titles whose title or author contains every typed word (or whose ISBN or one of whose
    copies' accession number is the text)."""
    condition = _words_match(Title.search_key, text, also="author")
    if condition is None:
        return []
    by_barcode = Copy.select(Copy.title).where(Copy.barcode == text.strip().upper())
    titles = list(Title.select().where(condition | (Title.isbn == text.strip())
                                       | Title.id.in_(by_barcode)).limit(limit))
    titles.sort(key=lambda row: sort_key(row.title))
    copies: dict[int, list[CopyHit]] = {}
    if titles:
        for copy in (Copy.select(Copy.barcode, Copy.status, Copy.title)
                     .where(Copy.title.in_([row.id for row in titles])).order_by(Copy.barcode)):
            copies.setdefault(copy.title_id, []).append(CopyHit(copy.barcode, copy.status))
    return [TitleHit(row.title, row.author, row.isbn, copies.get(row.id, [])) for row in titles]
