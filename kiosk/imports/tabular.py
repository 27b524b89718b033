"""Reading a spreadsheet (.xlsx) or a .csv file into a header and numbered rows.

The header row need not be the first: the national database's exports put a title or two above
it, so the first row (of the first 30) that holds every required column is the header. Headers
match ignoring case, diacritics, punctuation and a trailing ``(...)``, and may arrive in
decomposed Unicode (NFD): ``"Mã học sinh"``, ``"MA HOC SINH"`` and ``"Mã HS"`` (an alias) all match.
"""
from __future__ import annotations

import codecs
import csv
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from db.text import nfc, search_key
from kiosk.config import ImportLimits
from kiosk.imports.errors import ImportFileError

log = logging.getLogger(__name__)

MB = 1024 * 1024

#: How many rows from the top (the first filled one) may hold the header.
HEADER_SCAN_ROWS = 30
#: How much of a text file is looked at to choose its delimiter.
_SAMPLE_CHARS = 8192

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
    """The rows of a file under a recognised header, read as the import goes (never the whole
    file at once).

    Iterating ``rows`` once gives ``(row_number, {field: value})`` for every non-empty row below
    the header; the row number is the one a spreadsheet shows (the line number in a .csv file).
    Values are NFC text, or numbers and dates as Excel stored them. ``count`` is how many rows
    were given so far; past ``limits.max_rows`` the next one raises :class:`ImportFileError`.
    """

    header_row: int
    fields: dict[str, int]
    rows: Iterator[tuple[int, dict[str, object]]] = field(default_factory=lambda: iter(()))
    count: int = 0


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


def read_table(path: str | Path, columns: Sequence[Column], limits: ImportLimits | None = None
               ) -> Table:
    """Open ``path`` and find its header; :class:`ImportFileError` when it cannot be used. The
    rows below are read as the returned table's ``rows`` are iterated."""
    path = Path(path)
    limits = limits or ImportLimits()
    raw = iter(read_rows(path, limits))
    head = list(itertools.islice(raw, HEADER_SCAN_ROWS))
    if not any(_filled(row) for _, row in head) and not any(_filled(row) for _, row in raw):
        raise ImportFileError("empty", file=path.name)
    table = _find_header(head, columns, path.name)
    below = itertools.chain((item for item in head if item[0] > table.header_row), raw)
    table.rows = _body(table, below, limits.max_rows, path.name)
    return table


def read_rows(path: Path, limits: ImportLimits | None = None
              ) -> Iterator[tuple[int, list[object]]]:
    """Every row of the file (the first sheet holding data, for a workbook, from its first
    filled row), numbered from 1, read as they are asked for. The file's size (and a
    workbook's unpacked size) is checked first."""
    limits = limits or ImportLimits()
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
    if size > limits.max_file_mb * MB:
        raise ImportFileError("too_large", file=path.name, limit=limits.max_file_mb)
    with path.open("rb") as handle:
        magic = handle.read(4)
    suffix = path.suffix.lower()
    if magic == _OLE_MAGIC or suffix == ".xls":
        raise ImportFileError("old_excel", file=path.name)
    if suffix in _XLSX_SUFFIXES or (suffix not in _CSV_SUFFIXES and magic == _ZIP_MAGIC):
        _check_unpacked_size(path, limits.max_unpacked_mb)
        return _xlsx_rows(path)
    if suffix in _CSV_SUFFIXES:
        return _csv_rows(path)
    raise ImportFileError("unsupported_type", file=path.name)


def _check_unpacked_size(path: Path, limit_mb: int) -> None:
    """Refuse a workbook whose parts unpack to more than ``limit_mb`` (a zip bomb: a few MB
    that unpack to gigabytes). The sizes the zip declares bound what can be read: Python's
    zipfile stops at them (and fails the CRC check after)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        log.info("%s is not a readable workbook: %s", path, exc)
        raise ImportFileError("not_excel", file=path.name) from None
    if unpacked > limit_mb * MB:
        log.warning("%s unpacks to %d MB (limit %d MB): refused", path, unpacked // MB, limit_mb)
        raise ImportFileError("unpacked_too_large", file=path.name, limit=limit_mb)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
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
            started = False
            try:
                # Some exporters write a wrong used range ("A1"); read every row regardless.
                sheet.reset_dimensions()
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if not started and not _filled(values):
                        continue
                    started = True
                    yield number, list(values)
            except ImportFileError:
                raise
            except Exception as exc:  # a damaged sheet inside a valid zip
                log.info("%s: sheet %r unreadable: %r", path, sheet.title, exc)
                raise ImportFileError("not_excel", file=path.name) from None
            if started:
                return
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    encoding = text_encoding(path)
    errors = "replace" if encoding == "cp1258" else "strict"
    try:
        with path.open(encoding=encoding, errors=errors, newline="") as handle:
            sample = handle.read(_SAMPLE_CHARS)
        delimiter = max((";", ",", "\t"), key=sample.count)
        with path.open(encoding=encoding, errors=errors, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            for row in reader:
                if any("\x00" in cell for cell in row):
                    raise ImportFileError("not_text", file=path.name)
                yield reader.line_num, list(row)
    except (csv.Error, UnicodeError) as exc:
        log.info("%s: not a readable csv file: %s", path, exc)
        raise ImportFileError("not_text", file=path.name) from None


def text_encoding(path: Path) -> str:
    """How a text file is encoded: UTF-16 with a BOM, UTF-8 (with or without BOM), else
    Windows-1258 (Vietnamese Windows). Read in chunks: a big file is never held whole."""
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: handle.read(MB), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            log.info("%s is not UTF-8; reading it as Windows-1258 (Vietnamese)", path)
            return "cp1258"
    return "utf-8-sig"


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


def _find_header(head: list[tuple[int, list[object]]], columns: Sequence[Column],
                 file_name: str) -> Table:
    required = [c for c in columns if c.required]
    best: tuple[int, dict[str, int]] | None = None
    for number, row in head:
        found = _match_header(row, columns)
        if all(c.field in found for c in required):
            return Table(header_row=number, fields=found)
        if found and (best is None or len(found) > len(best[1])):
            best = (number, found)
    present = best[1] if best else {}
    missing = [c.label for c in required if c.field not in present]
    raise ImportFileError("missing_columns", file=file_name, columns=", ".join(missing))


def _body(table: Table, rows: Iterable[tuple[int, list[object]]], max_rows: int,
          file_name: str) -> Iterator[tuple[int, dict[str, object]]]:
    found = table.fields
    for number, row in rows:
        values = {field: (row[index] if index < len(row) else None)
                  for field, index in found.items()}
        if not _filled(list(values.values())):  # e.g. a numbered but otherwise blank line
            continue
        table.count += 1
        if table.count > max_rows:
            raise ImportFileError("too_many_rows", file=file_name, limit=max_rows)
        yield number, {k: (nfc(v) if isinstance(v, str) else v) for k, v in values.items()}
