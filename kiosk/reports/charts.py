"""Charts for the printed reports, drawn with ReportLab's own graphics (no plotting stack on the
Pi) in the bundled DejaVu font: bars per class or teacher, a line per month."""
from __future__ import annotations

from typing import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from kiosk.export.pdf import FONT, FONT_BOLD, register_fonts

BAR = colors.HexColor("#2E6DB4")
SECOND = colors.HexColor("#E07B39")


def _drawing(width: float, height: float, title: str) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height - 14, title, fontName=FONT_BOLD, fontSize=10,
                       textAnchor="middle"))
    return drawing


def _axis_max(values: Sequence[float]) -> float:
    top = max([v for v in values if v is not None] + [1])
    step = 10 ** max(0, len(str(int(top))) - 1)
    return (int(top / step) + 1) * step


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Sequence[float]],
              names: Sequence[str] = (), width: float = 760, height: float = 210) -> Drawing:
    """Vertical bars: one group per label, one bar per series."""
    drawing = _drawing(width, height, title)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 40
    chart.width, chart.height = width - 60, height - 75
    chart.data = [[v or 0 for v in s] for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7 if len(labels) > 20 else 8
    chart.categoryAxis.labels.angle = 45 if len(labels) > 14 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 14 else "n"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _axis_max([v for s in chart.data for v in s])
    chart.bars[0].fillColor = BAR
    if len(series) > 1:
        chart.bars[1].fillColor = SECOND
    chart.barLabelFormat = "%d" if len(labels) <= 24 else None
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    _legend(drawing, names, width)
    return drawing


def line_chart(title: str, labels: Sequence[str], series: Sequence[Sequence[float]],
               names: Sequence[str] = (), width: float = 760, height: float = 190) -> Drawing:
    """One line per series over the labels (months)."""
    drawing = _drawing(width, height, title)
    chart = HorizontalLineChart()
    chart.x, chart.y = 40, 30
    chart.width, chart.height = width - 60, height - 65
    chart.data = [[v or 0 for v in s] for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _axis_max([v for s in chart.data for v in s])
    chart.lines[0].strokeColor = BAR
    chart.lines[0].strokeWidth = 2
    if len(series) > 1:
        chart.lines[1].strokeColor = SECOND
        chart.lines[1].strokeWidth = 1.5
        chart.lines[1].strokeDashArray = (4, 2)
    drawing.add(chart)
    _legend(drawing, names, width)
    return drawing


def _legend(drawing: Drawing, names: Sequence[str], width: float) -> None:
    from reportlab.graphics.shapes import Rect
    x = width - 20
    for name, colour in reversed(list(zip(names, (BAR, SECOND)))):
        text_width = len(name) * 4.6
        x -= text_width + 16
        drawing.add(Rect(x, drawing.height - 30, 9, 9, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 12, drawing.height - 29, name, fontName=FONT, fontSize=8))
