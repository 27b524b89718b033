"""The teacher's menu: borrow equipment, return equipment, borrow books."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Txt


class TeacherScreen(KioskScreen):
    """Three big choices."""

    def build(self) -> None:
        self.question = Txt("", size=theme.FONT_TITLE, size_hint_y=None, height=dp(44))
        self.body.add_widget(self.question)
        self.choices = BoxLayout(spacing=dp(12))
        self.body.add_widget(self.choices)
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
        self.question.text = t("ui.teacher.choose")
        self.choices.clear_widgets()
        colours = (theme.BUTTON, theme.BUTTON_DONE, (0.45, 0.30, 0.70, 1))
        for (choice, label), colour in zip(p.choices(), colours):
            self.choices.add_widget(BigButton(label, lambda c=choice: p.choose(c), colour=colour,
                                              size=theme.FONT_TITLE, size_hint_y=1))
        self.message.text = p.message_text
        self.back.text = t("ui.common.home")
