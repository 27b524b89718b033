"""The biên bản kiểm kê as an A4 PDF to print and sign, drawn with ReportLab.

ReportLab rather than WeasyPrint: it is pure Python on top of Pillow (already here), needs no
Cairo/Pango system libraries on the Pi, and lays out one table-and-signatures page directly.
The bundled DejaVu Sans covers Vietnamese; text is NFC, which the font draws precomposed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk import ASSETS
from kiosk.clock import format_date
from kiosk.i18n import t as default_t
from kiosk.minutes.model import StocktakeMinutes, money
from kiosk.minutes.xlsx import STATUS_ORDER

_FONT, _BOLD = "KioskSans", "KioskSans-Bold"


def _register_fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = ASSETS / "fonts"
    pdfmetrics.registerFont(TTFont(_FONT, str(fonts / "DejaVuSansCondensed.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, str(fonts / "DejaVuSansCondensed-Bold.ttf")))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_BOLD)


def _styles():
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=14)
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "nation": ParagraphStyle("nation", parent=body, fontName=_BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=body, fontName=_BOLD, fontSize=15, leading=20,
                                alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
        "bold": ParagraphStyle("bold", parent=body, fontName=_BOLD),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=_BOLD, fontSize=9.5,
                                    leading=12),
    }


def _grid(rows, widths, header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
        ("ALIGN", (-2, 0), (-1, -1), "RIGHT"),
    ]))
    return table


def write_minutes_pdf(minutes: StocktakeMinutes, path: Path,
                      t: Callable[..., str] = default_t) -> Path:
    """Write the minutes to ``path`` as an A4 PDF (its folder is made)."""
    _register_fonts()
    st = _styles()
    para = lambda text, style="body": Paragraph(escape(text), st[style])  # noqa: E731
    story = [
        Table([[para(minutes.school_name.upper(), "bold"),
                Paragraph(escape(t("minutes.nation")) + "<br/>" + escape(t("minutes.motto")),
                          st["nation"])]],
              colWidths=[70 * mm, 110 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
        Spacer(1, 4 * mm),
        para(t("minutes.title"), "title"),
        para(t("minutes.scope_line", scope=minutes.scope, ref=minutes.ref), "center"),
        para(t("minutes.dates", start=format_date(minutes.opened_on),
               end=format_date(minutes.finished_on)), "center"),
        Spacer(1, 4 * mm),
        para(t("minutes.committee"), "bold"),
    ]
    for member in minutes.committee:
        role = f" – {member['role']}" if member.get("role") else ""
        story.append(para(f"• {member['name']}{role}"))
    story.append(Spacer(1, 3 * mm))
    rows = [[para(t("minutes.col_status"), "cell_bold"), para(t("minutes.col_pieces"),
                                                              "cell_bold"),
             para(t("minutes.col_value"), "cell_bold")]]
    for status in STATUS_ORDER:
        rows.append([para(t(f"minutes.status_{status}"), "cell"),
                     str(minutes.pieces.get(status, 0)), money(minutes.values.get(status, 0))])
    rows.append([para(t("minutes.col_total"), "cell_bold"), str(minutes.total),
                 money(sum(minutes.values.values()))])
    story.append(_grid(rows, [90 * mm, 35 * mm, 45 * mm]))
    story += [
        Spacer(1, 3 * mm),
        para(t("minutes.missing_value", value=money(minutes.missing_value)), "bold"),
        para(t("minutes.good_percent", pct=f"{minutes.good_percent:.1f}".replace(".", ",")),
             "bold"),
    ]
    if minutes.lines:
        story += [Spacer(1, 3 * mm), para(t("minutes.lines_title"), "bold")]
        rows = [[para(t(f"minutes.col_{key}"), "cell_bold")
                 for key in ("no", "code", "title", "status", "pieces", "value")]]
        for number, item in enumerate(minutes.lines, start=1):
            rows.append([str(number), para(item.code, "cell"), para(item.title, "cell"),
                         para(t(f"minutes.status_{item.status}"), "cell"), str(item.quantity),
                         money(item.value)])
        story.append(_grid(rows, [12 * mm, 28 * mm, 65 * mm, 22 * mm, 18 * mm, 25 * mm]))
    for key, codes in (("misplaced", minutes.misplaced), ("unknown", minutes.unknown)):
        if codes:
            story += [Spacer(1, 2 * mm), para(t(f"minutes.{key}", n=len(codes)) + ": "
                                              + ", ".join(codes[:200]), "cell")]
    if minutes.note:
        story += [Spacer(1, 2 * mm), para(f"{t('minutes.note')}: {minutes.note}")]
    place_date = t("minutes.place_date", place=minutes.place or "……",
                   date=format_date(minutes.finished_on))
    story += [Spacer(1, 6 * mm),
              Table([["", para(place_date, "center")]], colWidths=[90 * mm, 90 * mm])]
    signatures = [[para(t(f"minutes.{key}"), "nation") for key in
                   ("sign_maker", "sign_committee", "sign_principal")],
                  [para(t("minutes.sign_hint"), "center")] * 3]
    story.append(Table(signatures, colWidths=[60 * mm] * 3, rowHeights=[None, 28 * mm],
                       style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=t("minutes.title"), author=minutes.school_name)
    doc.build(story)
    return path
