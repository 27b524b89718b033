"""The biên bản kiểm kê as an Excel sheet: the national header, the school, the store, the
committee, counts and values by status, the missing items, signature lines.

Text from scans (unknown codes from a batch file) is always stored as text, never as a formula.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from kiosk.clock import format_date
from kiosk.i18n import t as default_t
from kiosk.minutes.model import StocktakeMinutes, money

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
STATUS_ORDER = ("ok", "missing", "damaged", "lost", "unchecked")


def _text(cell, value) -> None:
    """A value that stays what it says (a code starting with '=' is not a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_minutes_xlsx(minutes: StocktakeMinutes, path: Path,
                       t: Callable[..., str] = default_t) -> Path:
    """Write the minutes to ``path`` (its folder is made)."""
    book = Workbook()
    sheet = book.active
    sheet.title = t("minutes.sheet")[:31]
    widths = (6, 16, 40, 12, 10, 16)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    row = 1

    def line(text, bold=False, size=11, center=True):
        nonlocal row
        cell = sheet.cell(row=row, column=1)
        _text(cell, text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = Alignment(horizontal="center" if center else "left", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        row += 1

    line(t("minutes.nation"), bold=True)
    line(t("minutes.motto"), bold=True)
    line(minutes.school_name)
    row += 1
    line(t("minutes.title"), bold=True, size=14)
    line(t("minutes.scope_line", scope=minutes.scope, ref=minutes.ref))
    line(t("minutes.dates", start=format_date(minutes.opened_on),
           end=format_date(minutes.finished_on)))
    row += 1
    line(t("minutes.committee"), bold=True, center=False)
    for member in minutes.committee:
        role = f" – {member['role']}" if member.get("role") else ""
        line(f"• {member['name']}{role}", center=False)
    row += 1
    headers = [t("minutes.col_status"), "", "", t("minutes.col_pieces"), "",
               t("minutes.col_value")]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=index)
        _text(cell, header)
        cell.font = Font(bold=True)
        cell.border = _BOX
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
    row += 1
    for status in STATUS_ORDER:
        for index, value in enumerate([t(f"minutes.status_{status}"), "", "",
                                       minutes.pieces.get(status, 0), "",
                                       minutes.values.get(status, 0)], start=1):
            cell = sheet.cell(row=row, column=index)
            _text(cell, value)
            cell.border = _BOX
            if index == 6:
                cell.number_format = "#,##0"
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
        row += 1
    row += 1
    line(t("minutes.total", n=minutes.total), center=False)
    line(t("minutes.missing_value", value=money(minutes.missing_value)), bold=True,
         center=False)
    line(t("minutes.good_percent", pct=f"{minutes.good_percent:.1f}".replace(".", ",")),
         bold=True, center=False)
    if minutes.lines:
        row += 1
        line(t("minutes.lines_title"), bold=True, center=False)
        for index, header in enumerate([t("minutes.col_no"), t("minutes.col_code"),
                                        t("minutes.col_title"), t("minutes.col_status"),
                                        t("minutes.col_pieces"), t("minutes.col_value")],
                                       start=1):
            cell = sheet.cell(row=row, column=index)
            _text(cell, header)
            cell.font = Font(bold=True)
            cell.border = _BOX
        row += 1
        for number, item in enumerate(minutes.lines, start=1):
            for index, value in enumerate([number, item.code, item.title,
                                           t(f"minutes.status_{item.status}"), item.quantity,
                                           item.value], start=1):
                cell = sheet.cell(row=row, column=index)
                _text(cell, value)
                cell.border = _BOX
            row += 1
    for key, codes in (("misplaced", minutes.misplaced), ("unknown", minutes.unknown)):
        if codes:
            row += 1
            line(t(f"minutes.{key}", n=len(codes)) + ": " + ", ".join(codes[:200]),
                 center=False)
    row += 2
    for index, key in ((1, "sign_maker"), (3, "sign_committee"), (6, "sign_principal")):
        cell = sheet.cell(row=row, column=index)
        _text(cell, t(f"minutes.{key}"))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.page_setup.orientation = "portrait"
    book.save(path)
    return path
