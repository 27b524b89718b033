"""Staff sign-in: the PIN on a numeric keypad (five wrong PINs lock the card for five minutes)."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Keypad, Panel, Txt


class StaffSignInScreen(KioskScreen):
    """PIN entry."""

    def build(self) -> None:
        columns = BoxLayout(spacing=dp(16))
        left = BoxLayout(orientation="vertical", spacing=dp(8), size_hint_x=0.45)
        box = Panel(bg=theme.CARD, size_hint_y=None, height=dp(72), padding=dp(8))
        self.dots = Txt("", size=40, halign="center")
        box.add_widget(self.dots)
        left.add_widget(box)
        self.message = Txt("", size=theme.FONT_BODY, colour=theme.REFUSED)
        left.add_widget(self.message)
        self.cancel = BigButton("", lambda: self.presenter.cancel(), colour=theme.BUTTON_QUIET,
                                text_colour=theme.TEXT)
        left.add_widget(self.cancel)
        columns.add_widget(left)
        self.keypad = Keypad(lambda d: self.presenter.press(d),
                             lambda: self.presenter.backspace(),
                             lambda: self.presenter.submit(), size_hint_x=0.55)
        columns.add_widget(self.keypad)
        self.body.add_widget(columns)

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.greeting
        self.dots.text = p.masked or " "
        self.message.text = p.message_text
        self.cancel.text = t("ui.common.cancel")
