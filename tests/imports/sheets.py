"""Writing real .xlsx and .csv files for import tests."""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl


def nfd(text: str) -> str:
    """Decomposed Unicode, the way some exports write Vietnamese."""
    return unicodedata.normalize("NFD", text)


def write_xlsx(path: Path, header: list, rows: list[list], above: list[list] | None = None
               ) -> Path:
    """A workbook whose first sheet has ``above`` rows, the header, then ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (above or []):
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, header: list, rows: list[list], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    """A .csv file in the given encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)
    return path


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows writes it: base letters, then tone marks apart."""
    out = bytearray()
    for ch in text:
        out += _cp1258_char(ch)
    return bytes(out)


def _cp1258_char(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) == 1:
            raise
        base = unicodedata.normalize("NFC", decomposed[:-1])
        return b"".join(_cp1258_char(c) for c in base) + decomposed[-1].encode("cp1258")
