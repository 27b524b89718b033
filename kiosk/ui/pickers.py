"""Choosing from a list on a touchscreen: a grid of values (a filter's 30 classes at once) and a
month calendar (another day's transactions). Every button stays at least 48 px."""
from __future__ import annotations

from typing import Callable

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.scrollview import ScrollView

from kiosk.i18n import t
from kiosk.presenters.day_picker import DayPicker, weekday_initials
from kiosk.ui import theme
from kiosk.ui.widgets import BigButton, Txt

GAP = 4


def option_grid(title: str, options: list[tuple[object, str]], chosen: object,
                on_pick: Callable[[object], None], on_close: Callable[[], None],
                width: float) -> BoxLayout:
    """A title, every option as a button in as many columns as fit, and "Thôi"."""
    box = BoxLayout(orientation="vertical", spacing=dp(GAP))
    head = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(GAP))
    head.add_widget(Txt(title, size=theme.FONT_BODY, bold=True))
    head.add_widget(BigButton(t("ui.common.close"), on_close, colour=theme.BUTTON_QUIET,
                              text_colour=theme.TEXT, size=theme.FONT_SMALL,
                              size_hint=(None, 1), width=dp(140)))
    box.add_widget(head)
    longest = max((len(label) for _, label in options), default=4)
    cell = dp(120) if longest <= 8 else dp(180)
    columns = max(2, int((width + dp(GAP)) // (cell + dp(GAP))))
    grid = GridLayout(cols=columns, spacing=dp(GAP), size_hint_y=None,
                      row_default_height=dp(theme.TOUCH_MIN), row_force_default=True)
    grid.bind(minimum_height=grid.setter("height"))
    for value, label in options:
        selected = value == chosen
        grid.add_widget(BigButton(label, lambda v=value: on_pick(v), size=theme.FONT_SMALL,
                                  colour=theme.SELECTED if selected else theme.CARD,
                                  text_colour=theme.TEXT, size_hint_y=None,
                                  height=theme.TOUCH_MIN, shorten=True))
    scroll = ScrollView(do_scroll_x=False, bar_width=dp(10), scroll_type=["bars", "content"])
    scroll.add_widget(grid)
    box.add_widget(scroll)
    return box


def month_grid(picker: DayPicker, chosen, on_pick: Callable[[object], None],
               on_step: Callable[[int], None], on_close: Callable[[], None]) -> BoxLayout:
    """◀ Tháng 11/2026 ▶, the weekday heads, the days (after today greyed out), Hôm nay, Thôi."""
    box = BoxLayout(orientation="vertical", spacing=dp(2))
    head = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(GAP))
    head.add_widget(BigButton("◀", lambda: on_step(-1), size=theme.FONT_BODY,
                              size_hint=(None, 1), width=dp(64)))
    head.add_widget(Txt(picker.title, size=theme.FONT_BODY, bold=True, halign="center"))
    forward = BigButton("▶", lambda: on_step(+1), size=theme.FONT_BODY, size_hint=(None, 1),
                        width=dp(64))
    forward.disabled = not picker.can_go_forward
    head.add_widget(forward)
    head.add_widget(BigButton(t("ui.day.today"), lambda: on_pick(picker.today),
                              size=theme.FONT_SMALL, size_hint=(None, 1), width=dp(120)))
    head.add_widget(BigButton(t("ui.common.close"), on_close, colour=theme.BUTTON_QUIET,
                              text_colour=theme.TEXT, size=theme.FONT_SMALL,
                              size_hint=(None, 1), width=dp(110)))
    box.add_widget(head)
    days = GridLayout(cols=7, spacing=dp(2))
    for initial in weekday_initials():
        days.add_widget(Txt(initial, size=theme.FONT_SMALL, colour=theme.MUTED, bold=True,
                            halign="center", size_hint_y=None, height=dp(20)))
    for week in picker.weeks():
        for day in week:
            if day is None:
                days.add_widget(BoxLayout())
                continue
            selected = day == chosen
            button = BigButton(str(day.day), lambda d=day: on_pick(d), size=theme.FONT_BODY,
                               colour=theme.SELECTED if selected else theme.CARD,
                               text_colour=theme.TEXT, size_hint_y=1, height=theme.TOUCH_MIN)
            button.disabled = not picker.selectable(day)
            days.add_widget(button)
    rows = len(picker.weeks())
    days.size_hint_y = None
    days.height = dp(20) + rows * dp(theme.TOUCH_MIN) + rows * dp(2)
    box.add_widget(days)
    box.add_widget(BoxLayout())
    return box
