"""What every screen shares: a header (title, language switch), a body, and binding to a
presenter (redraw when it changes)."""
from __future__ import annotations

import logging

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.widgets import BigButton, Panel, Txt

log = logging.getLogger(__name__)


class KioskScreen(Screen):
    """A screen with a header and a body; subclasses fill :meth:`build` and :meth:`update`."""

    def __init__(self, app, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.flow = app.flow
        self.presenter = None
        root = Panel(orientation="vertical", bg=theme.BACKGROUND, spacing=0)
        self.header = Panel(bg=theme.HEADER, size_hint_y=None, height=dp(theme.HEADER_H),
                            padding=(dp(10), dp(4)), spacing=dp(8))
        self.title = Txt("", size=theme.FONT_TITLE, colour=theme.HEADER_TEXT, bold=True,
                         shorten=True, shorten_from="right")
        self.header.add_widget(self.title)
        self.header_extra = BoxLayout(size_hint_x=None, width=0, spacing=dp(8))
        self.header.add_widget(self.header_extra)
        self.lang_button = BigButton("", self.flow.toggle_language, colour=theme.BUTTON,
                                     size=theme.FONT_SMALL, size_hint=(None, None),
                                     width=dp(112), height=theme.TOUCH_MIN)
        self.header.add_widget(self.lang_button)
        root.add_widget(self.header)
        self.banner = Panel(bg=theme.REFUSED_BG, size_hint_y=None, height=0, opacity=0,
                            padding=(dp(12), 0))
        self.banner_text = Txt("", size=theme.FONT_BODY, colour=theme.REFUSED)
        self.banner.add_widget(self.banner_text)
        root.add_widget(self.banner)
        # The last seconds before the idle timeout (any touch or scan starts the wait again).
        self.countdown = Panel(bg=theme.WARNING_BG, size_hint_y=None, height=0, opacity=0,
                               padding=(dp(12), 0), spacing=dp(12))
        self.countdown_number = Txt("", size=theme.FONT_BIG, colour=theme.WARNING, bold=True,
                                    halign="center", size_hint_x=None, width=dp(64))
        self.countdown.add_widget(self.countdown_number)
        self.countdown_text = Txt("", size=theme.FONT_BODY, colour=theme.TEXT)
        self.countdown.add_widget(self.countdown_text)
        root.add_widget(self.countdown)
        self.body = BoxLayout(orientation="vertical", padding=dp(theme.PAD),
                              spacing=dp(theme.PAD))
        root.add_widget(self.body)
        self.add_widget(root)
        self.build()

    def build(self) -> None:
        """Create the screen's widgets once."""

    def update(self) -> None:
        """Redraw from the presenter's state."""

    def show(self, presenter) -> None:
        """Bind to a presenter and draw it."""
        if self.presenter is not None:
            self.presenter.unbind(self.refresh)
        self.presenter = presenter
        presenter.bind(self.refresh)
        self.refresh()

    def show_countdown(self, seconds: int | None) -> None:
        """Show the seconds left before the idle timeout, or hide the countdown (None)."""
        shown = seconds is not None
        self.countdown.height = dp(56) if shown else 0
        self.countdown.opacity = 1 if shown else 0
        self.countdown_number.text = str(seconds) if shown else ""
        self.countdown_text.text = t("ui.countdown.text", n=seconds) if shown else ""

    def refresh(self, *_) -> None:
        """Redraw (the presenter changed or the language switched)."""
        if self.presenter is None:
            return
        self.lang_button.text = t("ui.home.language")
        self.show_countdown(self.flow.countdown)
        # A plain-key message (the calm "something went wrong") shows on every screen's banner.
        calm = self.presenter.message if isinstance(self.presenter.message, str) else ""
        self.banner_text.text = t(calm) if calm else ""
        self.banner.height = dp(48) if calm else 0
        self.banner.opacity = 1 if calm else 0
        try:
            self.update()
        except Exception:  # noqa: BLE001 - a drawing bug shows a calm message, not a crash
            log.exception("screen %s failed to draw", self.name)
            self.flow.presenter.message = "ui.error.unexpected"
