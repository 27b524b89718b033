"""The teacher's menu: borrow equipment (for a lesson, or long term), return it, borrow books;
below, the teacher's bookings (collect, cancel) and long-term loans (renew)."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import current_language, t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Line, ScrollList, Txt

COLOURS = (theme.BUTTON, (0.10, 0.45, 0.55, 1), theme.BUTTON_DONE, (0.45, 0.30, 0.70, 1))


class TeacherScreen(KioskScreen):
    """Four big choices, then what the teacher has booked or holds long term."""

    def build(self) -> None:
        self.question = Txt("", size=theme.FONT_TITLE, size_hint_y=None, height=dp(40),
                            shorten=True)
        self.body.add_widget(self.question)
        self.choices = BoxLayout(spacing=dp(10))
        self.body.add_widget(self.choices)
        self.held = ScrollList(size_hint_y=None, height=0)
        self.body.add_widget(self.held)
        self.message = Txt("", size=theme.FONT_BODY, colour=theme.REFUSED, size_hint_y=None,
                           height=dp(40))
        self.body.add_widget(self.message)
        footer = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H))
        footer.add_widget(BoxLayout())
        self.back = BigButton("", lambda: self.presenter.done(), colour=theme.BUTTON_QUIET,
                              text_colour=theme.TEXT, size_hint_x=None, width=dp(240))
        footer.add_widget(self.back)
        self.body.add_widget(footer)

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.greeting
        self.question.text = p.question
        self.choices.clear_widgets()
        for (choice, label), colour in zip(p.choices(), COLOURS):
            self.choices.add_widget(BigButton(label, lambda c=choice: p.choose(c), colour=colour,
                                              size=theme.FONT_TITLE, size_hint_y=1))
        rows = self._held_rows(p)
        self.held.sync(rows)
        shown = min(len(rows), 2 if self.height < dp(560) else 3)
        self.held.height = shown * dp(theme.TOUCH_MIN + 4)
        self.message.text = p.message_text
        self.message.color = theme.TEXT if p.message_ok else theme.REFUSED
        self.back.text = t("ui.common.home")

    def _held_rows(self, p) -> list:
        lang = current_language()
        rows = []
        for line in p.booking_lines():
            rows.append(((lang, "b", line.booking_id, line.text, line.collectable, p.writing),
                         lambda line=line: self._booking_row(p, line)))
        text = p.long_term_text()
        if text:
            rows.append(((lang, "lt", text, p.writing), lambda: self._long_term_row(p, text)))
        return rows

    def _booking_row(self, p, line) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        row.add_widget(Line(t("ui.teacher.bookings") + ": " + line.text, None,
                            size=theme.FONT_SMALL))
        if line.collectable:
            row.add_widget(BigButton(t("ui.booking.collect"),
                                     lambda: p.collect(line.booking_id),
                                     colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                     height=theme.TOUCH_MIN, size_hint_x=None, width=dp(96)))
        row.add_widget(BigButton(t("ui.booking.cancel"),
                                 lambda: p.cancel_booking(line.booking_id),
                                 colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                 size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                 size_hint_x=None, width=dp(110)))
        return row

    def _long_term_row(self, p, text: str) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        row.add_widget(Line(text, None, size=theme.FONT_SMALL))
        row.add_widget(BigButton(t("ui.teacher.renew"), p.renew_long_term,
                                 colour=theme.BUTTON, size=theme.FONT_SMALL,
                                 height=theme.TOUCH_MIN, size_hint_x=None, width=dp(110)))
        return row
