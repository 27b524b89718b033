"""The SVG charts: bars in proportion, labels escaped, numbers the Vietnamese way."""
import re

from hub.web.charts import bar_chart, line_chart


def _widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="130" y="\d+" width="([\d.]+)"', svg)]


def test_bars_are_in_proportion_even_below_one():
    svg = str(bar_chart("Lượt mượn / HS", ["6A1", "6A2"], [0.1, 0.05]))
    wide, narrow = _widths(svg)
    assert abs(wide / narrow - 2) < 0.05 and wide > 300
    assert "0,1" in svg and "0,05" in svg  # Vietnamese decimal comma


def test_labels_and_titles_are_escaped():
    svg = str(bar_chart("<b>x</b>", ['<script>alert("x")</script>'], [3]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_a_target_marker_and_a_line_per_series():
    svg = str(bar_chart("Tỉ lệ", ["Tổ KHTN"], [84.8], marker=100, marker_label="100%", unit="%"))
    assert 'class="marker"' in svg and "84,8%" in svg
    line = str(line_chart("Theo tháng", ["09", "10"], [("Mượn", [3, 5]), ("Đọc", [1, 0])]))
    assert line.count("<polyline") == 2 and line.count("<circle") == 4
