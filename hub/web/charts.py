"""Charts as inline SVG, drawn on the server: no script, no fonts to fetch, sharp on a phone,
readable when printed. Each chart carries a <title> and the numbers as labels."""
from __future__ import annotations

from html import escape
from typing import Sequence

from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f6f8b", "#e07a1f", "#3c9d5d", "#b23a48", "#6b5ca5")


def _fmt(value: float) -> str:
    """Numbers the Vietnamese way, as in the tables: 1.234 and 84,8."""
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:g}".replace(".", ",")


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float],
              marker: float | None = None, marker_label: str = "",
              unit: str = "") -> SafeString:
    """Horizontal bars, one per label (sorted as given), values written at the bar's end;
    ``marker`` draws a dashed line (a target such as 100 %)."""
    rows = max(1, len(labels))
    height, bar, left, width = 28 * rows + 30, 18, 130, 520
    top = max([*values, marker or 0]) or 1
    scale = (width - left - 70) / top
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
             f'<title>{escape(title)}</title>']
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 10 + i * 28
        w = max(1.0, value * scale) if value else 0
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" class="lbl">'
                     f'{escape(str(label)[:20])}</text>'
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" rx="3" '
                     f'fill="{COLOURS[0]}"><title>{escape(str(label))}: {_fmt(value)}{unit}'
                     f'</title></rect>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 14}" class="val">'
                     f'{_fmt(value)}{escape(unit)}</text>')
    if marker is not None:
        x = left + marker * scale
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 22}" '
                     f'class="marker"/><text x="{x:.1f}" y="{height - 8}" text-anchor="middle" '
                     f'class="lbl">{escape(marker_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
               ) -> SafeString:
    """One line per series over the labels (months), with a dot and a value at each point."""
    width, height, left, bottom = 640, 240, 40, 30
    top_pad = 34 if len(series) > 1 else 16
    count = max(1, len(labels))
    top = max([0, *(v for _, values in series for v in values)]) or 1
    step = (width - left - 20) / max(1, count - 1)

    def xy(i, v):
        return left + i * step, top_pad + (height - bottom - top_pad) * (1 - v / top)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
             f'<title>{escape(title)}</title>'
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
             f'y2="{height - bottom}" class="axis"/>']
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" class="lbl">'
                     f'{escape(str(label))}</text>')
    for n, (name, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="3"><title>{escape(name)}</title></polyline>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                         f'<title>{escape(str(labels[i]))}: {_fmt(v)}</title></circle>'
                         f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" class="val">'
                         f'{_fmt(v)}</text>')
    if len(series) > 1:
        for n, (name, _) in enumerate(series):
            parts.append(f'<rect x="{left + n * 160}" y="0" width="12" height="12" '
                         f'fill="{COLOURS[n % len(COLOURS)]}"/><text x="{left + 16 + n * 160}" '
                         f'y="11" class="lbl">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
