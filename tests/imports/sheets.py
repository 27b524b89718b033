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
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
