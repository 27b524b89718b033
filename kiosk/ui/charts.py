"""Small charts drawn on the Kivy canvas: bars (with an optional target beside each) and a line
over months. They take plain (label, value, target) rows from the presenter."""
from __future__ import annotations

from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp
from kivy.uix.widget import Widget

from kiosk.ui import theme

TARGET = (0.88, 0.48, 0.22, 1)
GRID = (0.80, 0.83, 0.87, 1)


def _text(text: str, size: float, colour=theme.TEXT, bold: bool = False):
    label = CoreLabel(text=str(text), font_size=size, font_name=theme.FONT_NAME_IN_USE,
                      bold=bold, color=colour)
    label.refresh()
    return label.texture


class _Chart(Widget):
    """Redraws when resized or given new rows."""

    def __init__(self, title: str = "", **kwargs):
        super().__init__(**kwargs)
        self.title = title
        self.rows: list = []
        self.bind(pos=lambda *_: self.redraw(), size=lambda *_: self.redraw())

    def set_rows(self, rows, title: str | None = None) -> None:
        """New figures."""
        self.rows = list(rows)
        if title is not None:
            self.title = title
        self.redraw()

    def _blit(self, texture, x, y) -> None:
        Rectangle(texture=texture, pos=(x, y), size=texture.size)

    def _frame(self):
        """(left, bottom, width, height) of the plotting area, after the title is drawn."""
        title = _text(self.title, dp(14), bold=True)
        Color(1, 1, 1, 1)
        self._blit(title, self.x + dp(4), self.top - title.height - dp(2))
        left = self.x + dp(30)
        bottom = self.y + dp(22)
        return left, bottom, self.width - dp(36), self.height - title.height - dp(30)

    def _scale(self, top: float, left: float, bottom: float, width: float, height: float):
        steps = 4
        for i in range(steps + 1):
            value = top * i / steps
            y = bottom + height * i / steps
            Color(*GRID)
            Line(points=[left, y, left + width, y], width=1)
            Color(1, 1, 1, 1)
            label = _text(f"{value:g}" if value != int(value) else str(int(value)), dp(11),
                          theme.MUTED)
            self._blit(label, left - label.width - dp(4), y - label.height / 2)


def _top(values) -> float:
    highest = max([v for v in values if v is not None] + [1])
    step = 10 ** max(0, len(str(int(highest))) - 1)
    return (int(highest / step) + 1) * step


class BarChart(_Chart):
    """One bar per row (``label``, ``value``), the ``target`` as an orange bar beside it."""

    def redraw(self) -> None:
        self.canvas.clear()
        with self.canvas:
            Color(*theme.CARD)
            Rectangle(pos=self.pos, size=self.size)
            left, bottom, width, height = self._frame()
            if not self.rows or width <= 0 or height <= 0:
                return
            top = _top([r.value for r in self.rows] + [r.target for r in self.rows])
            self._scale(top, left, bottom, width, height)
            slot = width / len(self.rows)
            paired = any(r.target is not None for r in self.rows)
            bar = slot * (0.38 if paired else 0.6)
            for i, row in enumerate(self.rows):
                x = left + slot * i + slot * (0.1 if paired else 0.2)
                Color(*theme.BUTTON)
                h = height * (row.value or 0) / top
                Rectangle(pos=(x, bottom), size=(bar, h))
                Color(1, 1, 1, 1)
                number = _text(f"{row.value:g}", dp(11))
                self._blit(number, x + bar / 2 - number.width / 2, bottom + h + dp(1))
                if row.target is not None:
                    Color(*TARGET)
                    th = height * row.target / top
                    Rectangle(pos=(x + bar + dp(2), bottom), size=(bar, th))
                Color(1, 1, 1, 1)
                label = _text(row.label, dp(11))
                if label.width > slot:
                    label = _text(row.label[:max(2, int(len(row.label) * slot / label.width))],
                                  dp(11))
                self._blit(label, left + slot * i + slot / 2 - label.width / 2,
                           bottom - label.height - dp(2))


class LineChart(_Chart):
    """A line through the rows' values (one point a month); ``target`` as a dashed line
    (last year's)."""

    def redraw(self) -> None:
        self.canvas.clear()
        with self.canvas:
            Color(*theme.CARD)
            Rectangle(pos=self.pos, size=self.size)
            left, bottom, width, height = self._frame()
            if not self.rows or width <= 0 or height <= 0:
                return
            top = _top([r.value for r in self.rows] + [r.target for r in self.rows])
            self._scale(top, left, bottom, width, height)
            step = width / max(1, len(self.rows))
            xs = [left + step * (i + 0.5) for i in range(len(self.rows))]
            for values, colour, dash in (([r.target for r in self.rows], TARGET, True),
                                         ([r.value for r in self.rows], theme.BUTTON, False)):
                if all(v is None for v in values):
                    continue
                points = []
                for x, v in zip(xs, values):
                    points += [x, bottom + height * (v or 0) / top]
                Color(*colour)
                if dash:
                    Line(points=points, width=1, dash_length=6, dash_offset=4)
                else:
                    Line(points=points, width=dp(1.6))
                    for i in range(0, len(points), 2):
                        Rectangle(pos=(points[i] - dp(3), points[i + 1] - dp(3)),
                                  size=(dp(6), dp(6)))
            Color(1, 1, 1, 1)
            for x, row in zip(xs, self.rows):
                label = _text(row.label, dp(11))
                self._blit(label, x - label.width / 2, bottom - label.height - dp(2))
