"""Reading a spreadsheet (.xlsx) or a .csv file into a header and numbered rows.

The header row need not be the first: the national database's exports put a title or two above
it, so the first row (of the first 30) that holds every required column is the header. Headers
match ignoring case, diacritics, punctuation and a trailing ``(...)``, and may arrive in
decomposed Unicode (NFD): ``"Mã học sinh"``, ``"MA HOC SINH"`` and ``"Mã HS"`` (an alias) all match.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterable, Sequence

from db.text import nfc, search_key
from kiosk.imports.errors import ImportFileError

log = logging.getLogger(__name__)

#: How many rows from the top may hold the header.
HEADER_SCAN_ROWS = 30
#: The largest file read (a school's list is a few hundred kilobytes).
MAX_FILE_BYTES = 50 * 1024 * 1024

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_CSV_SUFFIXES = {".csv", ".txt"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class Column:
    """A field of an import and the headers it may appear under."""

    field: str
    aliases: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        """The header people know it by (the first alias)."""
        return self.aliases[0]


@dataclass
class Table:
    """The rows of a file under a recognised header.

    ``rows`` holds ``(row_number, {field: value})`` for every non-empty row below the header;
    the row number is the one a spreadsheet shows (the line number in a .csv file). Values are
    NFC text, or numbers and dates as Excel stored them.
    """

    header_row: int
    fields: dict[str, int]
    rows: list[tuple[int, dict[str, object]]]


def header_key(text: object) -> str:
    """A header reduced for matching: no diacritics, no case, no punctuation, no ``(...)``."""
    plain = re.sub(r"\(.*?\)", " ", nfc(cell_text(text)))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", search_key(plain)).split())


def cell_text(value: object) -> str:
    """A cell as NFC text: whole numbers without ``.0``, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return nfc(str(value))


def read_table(path: str | Path, columns: Sequence[Column]) -> Table:
    """Read ``path`` and find its header; :class:`ImportFileError` when it cannot be used."""
    path = Path(path)
    raw_rows = list(read_rows(path))
    if not any(_filled(row) for _, row in raw_rows):
        raise ImportFileError("empty", file=path.name)
    return _find_header(raw_rows, columns, path.name)


def read_rows(path: Path) -> Iterable[tuple[int, list[object]]]:
    """Every row of the file (the first sheet holding data, for a workbook), numbered from 1."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError("not_found", file=str(path)) from None
    except OSError as exc:
        raise ImportFileError("unreadable", file=str(path), error=exc.strerror) from None
    if not path.is_file():
        raise ImportFileError("not_found", file=str(path))
    if size == 0:
        raise ImportFileError("empty", file=path.name)
    if size > MAX_FILE_BYTES:
        raise ImportFileError("too_large", file=path.name)
    with path.open("rb") as handle:
        magic = handle.read(4)
    suffix = path.suffix.lower()
    if magic == _OLE_MAGIC or suffix == ".xls":
        raise ImportFileError("old_excel", file=path.name)
    if suffix in _XLSX_SUFFIXES or (suffix not in _CSV_SUFFIXES and magic == _ZIP_MAGIC):
        return _xlsx_rows(path)
    if suffix in _CSV_SUFFIXES:
        return _csv_rows(path)
    raise ImportFileError("unsupported_type", file=path.name)


def _xlsx_rows(path: Path) -> list[tuple[int, list[object]]]:
    import openpyxl  # imported here: reading a CSV must not pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        log.info("%s is not a readable workbook: %s", path, exc)
        raise ImportFileError("not_excel", file=path.name) from None
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        log.info("%s is not a readable workbook: %r", path, exc)
        raise ImportFileError("not_excel", file=path.name) from None
    try:
        for sheet in workbook.worksheets:
            try:
                # Some exporters write a wrong used range ("A1"); read every row regardless.
                sheet.reset_dimensions()
                rows = [(number, list(values)) for number, values in
                        enumerate(sheet.iter_rows(values_only=True), start=1)]
            except Exception as exc:  # a damaged sheet inside a valid zip
                log.info("%s: sheet %r unreadable: %r", path, sheet.title, exc)
                raise ImportFileError("not_excel", file=path.name) from None
            if any(_filled(row) for _, row in rows):
                return rows
        return []
    finally:
        workbook.close()


def _csv_rows(path: Path) -> list[tuple[int, list[object]]]:
    text = decode_text(path.read_bytes())
    if "\x00" in text:
        raise ImportFileError("not_text", file=path.name)
    sample = text[:8192]
    delimiter = max((";", ",", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, list(row)) for row in reader]
    except csv.Error as exc:
        log.info("%s: not a readable csv file: %s", path, exc)
        raise ImportFileError("not_text", file=path.name) from None


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text: UTF-16 with a BOM, UTF-8 (with or without BOM), else cp1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.info("not UTF-8; reading as Windows-1258 (Vietnamese)")
        return data.decode("cp1258", errors="replace")


def _filled(row: list[object]) -> bool:
    return any(cell_text(cell) for cell in row)


def _match_header(row: list[object], columns: Sequence[Column]) -> dict[str, int]:
    """Field -> column index; when two columns fit one field, the earlier alias wins
    (``Mã học sinh`` over ``Mã định danh``), then the leftmost column."""
    wanted: dict[str, tuple[str, int]] = {}
    for column in columns:
        for rank, alias in enumerate(column.aliases):
            wanted.setdefault(header_key(alias), (column.field, rank))
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(row):
        match = wanted.get(header_key(cell))
        if match:
            field, rank = match
            if field not in best or rank < best[field][0]:
                best[field] = (rank, index)
    return {field: index for field, (_, index) in best.items()}


def _find_header(raw_rows: list[tuple[int, list[object]]], columns: Sequence[Column],
                 file_name: str) -> Table:
    required = [c for c in columns if c.required]
    best: tuple[int, dict[str, int]] | None = None
    for number, row in raw_rows[:HEADER_SCAN_ROWS]:
        found = _match_header(row, columns)
        if all(c.field in found for c in required):
            return Table(header_row=number, fields=found,
                         rows=_body(raw_rows, number, found))
        if found and (best is None or len(found) > len(best[1])):
            best = (number, found)
    present = best[1] if best else {}
    missing = [c.label for c in required if c.field not in present]
    raise ImportFileError("missing_columns", file=file_name, columns=", ".join(missing))


def _body(raw_rows, header_number: int, found: dict[str, int]):
    rows = []
    for number, row in raw_rows:
        if number <= header_number:
            continue
        values = {field: (row[index] if index < len(row) else None)
                  for field, index in found.items()}
        if not _filled(list(values.values())):  # e.g. a numbered but otherwise blank line
            continue
        values = {k: (nfc(v) if isinstance(v, str) else v) for k, v in values.items()}
        rows.append((number, values))
    return rows
