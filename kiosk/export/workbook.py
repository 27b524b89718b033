"""One register as one Excel sheet: a title block, bold headers, rows, dd/mm/yyyy dates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Column:
    """A column: its header text and its width in characters."""

    header: str
    width: int = 14


def write_register(path: Path, *, sheet_title: str, title: str, subtitle_lines: Sequence[str],
                   columns: Sequence[Column], rows: Sequence[Sequence]) -> Path:
    """Write one register to ``path`` (its folder is made); ``date`` cells show dd/mm/yyyy."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    width = len(columns)
    row = 1
    for text, font in [(title, Font(bold=True, size=14))] + [
            (line, Font(italic=True)) for line in subtitle_lines]:
        sheet.cell(row=row, column=1, value=text).font = font
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    row += 1
    header_row = row
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for values in rows:
        row += 1
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.border = _BOX
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
