"""Small widgets every screen uses: wrapping labels, big buttons, panels, scroll lists, the QR
code of a receipt, the PIN keypad and the on-screen Vietnamese (Telex) keyboard."""
from __future__ import annotations

import io
import logging
from typing import Callable

from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, Rectangle
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView

from kiosk import ASSETS
from kiosk.i18n import t
from kiosk.ui import theme

log = logging.getLogger(__name__)

IMAGES = ASSETS / "images"


class Background:
    """Mixin: a flat background colour (``bg``)."""

    def _init_bg(self, colour):
        with self.canvas.before:
            self._bg_colour = Color(*colour)
            self._bg_rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._update_bg, size=self._update_bg)

    def _update_bg(self, *_):
        self._bg_rect.pos = self.pos
        self._bg_rect.size = self.size

    def set_bg(self, colour) -> None:
        """Change the background colour."""
        self._bg_colour.rgba = colour


class Panel(BoxLayout, Background):
    """A BoxLayout with a background colour."""

    def __init__(self, bg=theme.BACKGROUND, **kwargs):
        kwargs.setdefault("spacing", dp(theme.PAD))
        super().__init__(**kwargs)
        self._init_bg(bg)


class Txt(Label):
    """A label that wraps inside its width; ``fit=True`` makes it as tall as its text."""

    def __init__(self, text="", size=theme.FONT_BODY, colour=theme.TEXT, fit=False,
                 halign="left", valign="middle", bold=False, **kwargs):
        super().__init__(text=text, font_size=sp(size), color=colour, halign=halign,
                         valign=valign, bold=bold, font_name=theme.FONT_NAME_IN_USE, **kwargs)
        self.fit = fit
        if fit:
            self.size_hint_y = None
        self.bind(size=self._wrap, texture_size=self._fit)
        self._wrap()

    def _wrap(self, *_):
        self.text_size = (max(1, self.width - dp(4)), None if self.fit else self.height)

    def _fit(self, *_):
        if self.fit:
            self.height = max(self.texture_size[1] + dp(6), dp(24))


class BigButton(Button):
    """A touch target of at least 64 px; ``on_press`` calls ``action()`` through the guard."""

    def __init__(self, text="", action: Callable | None = None, colour=theme.BUTTON,
                 text_colour=(1, 1, 1, 1), size=theme.FONT_BODY, height=theme.BUTTON_H,
                 halign="center", **kwargs):
        if "size_hint" not in kwargs:
            kwargs.setdefault("size_hint_y", None)
        super().__init__(text=text, font_size=sp(size), background_normal="",
                         background_down="", background_color=colour, color=text_colour,
                         halign=halign, valign="middle", font_name=theme.FONT_NAME_IN_USE,
                         **kwargs)
        self.height = max(dp(height), dp(theme.TOUCH_MIN))
        self._normal = colour
        self.action = action
        self.bind(size=self._wrap)
        self.bind(state=self._press_look)

    def _wrap(self, *_):
        self.text_size = (max(1, self.width - dp(16)), max(1, self.height - dp(4)))

    def _press_look(self, *_):
        r, g, b, a = self._normal
        self.background_color = (r * 0.8, g * 0.8, b * 0.8, a) if self.state == "down" \
            else self._normal

    def on_release(self):
        if self.action:
            guarded_call(self.action)


def guarded_call(action: Callable, *args) -> None:
    """Run a button's action through the app's guard (a calm message instead of a crash)."""
    from kivy.app import App
    app = App.get_running_app()
    flow = getattr(app, "flow", None)
    if flow is not None:
        flow.touch()
        flow.guard(action, *args)
    else:
        action(*args)


class ScrollList(ScrollView):
    """A vertical list of widgets that scrolls when it is too long."""

    def __init__(self, spacing=4, **kwargs):
        kwargs.setdefault("do_scroll_x", False)
        kwargs.setdefault("bar_width", dp(10))
        kwargs.setdefault("scroll_type", ["bars", "content"])
        super().__init__(**kwargs)
        self.box = GridLayout(cols=1, size_hint_y=None, spacing=dp(spacing))
        self.box.bind(minimum_height=self.box.setter("height"))
        self.add_widget(self.box)
        # A list shorter than its room sits at the top, even after it was scrolled.
        self.box.bind(height=self._keep_top)
        self.bind(height=self._keep_top)

    def _keep_top(self, *_):
        if self.box.height <= self.height:
            self.scroll_y = 1

    def set_items(self, widgets: list) -> None:
        """Replace the list's contents."""
        self._keyed = {}
        self.box.clear_widgets()
        for widget in widgets:
            self.box.add_widget(widget)

    def sync(self, items: list[tuple[object, Callable[[], object]]]) -> None:
        """Show ``(key, make_widget)`` items, reusing the widgets of keys already shown (a new
        scan adds one line instead of redrawing every line)."""
        keyed = getattr(self, "_keyed", {})
        keys = [key for key, _ in items]
        if keys == list(keyed):
            return
        fresh = {}
        for key, make in items:
            fresh[key] = keyed.get(key) or make()
        self.box.clear_widgets()
        for widget in fresh.values():
            self.box.add_widget(widget)
        self._keyed = fresh

    def scroll_to_top(self) -> None:
        """Show the first (newest) item once laid out."""
        from kivy.clock import Clock
        Clock.schedule_once(lambda dt: setattr(self, "scroll_y", 1), 0)

    def scroll_to_end(self) -> None:
        """Show the newest (last) item once laid out; a short list stays at the top."""
        from kivy.clock import Clock

        def settle(dt):
            self.scroll_y = 0 if self.box.height > self.height else 1
        Clock.schedule_once(settle, 0)


class Line(BoxLayout, Background):
    """One result line: coloured by success or refusal."""

    def __init__(self, text: str, ok: bool | None = None, size=theme.FONT_BODY, **kwargs):
        super().__init__(size_hint_y=None, padding=(dp(10), dp(4)), **kwargs)
        bg = theme.CARD if ok is None else (theme.OK_BG if ok else theme.REFUSED_BG)
        colour = theme.TEXT if ok is None else (theme.OK if ok else theme.REFUSED)
        self._init_bg(bg)
        self.label = Txt(text, size=size, colour=colour, fit=True)
        self.add_widget(self.label)
        self.label.bind(height=lambda *_: setattr(self, "height", self.label.height + dp(8)))
        self.height = dp(40)


class Picture(Image):
    """One of the kiosk's pictures (``assets/images/<name>.png``, drawn by
    ``scripts/make-pictures``), scaled to fit its box."""

    def __init__(self, name: str, **kwargs):
        kwargs.setdefault("fit_mode", "contain")
        super().__init__(source=str(IMAGES / f"{name}.png"), **kwargs)


class QRCodeImage(Image):
    """Shows a QR code of a short text (a receipt's transaction reference)."""

    def show(self, text: str | None) -> None:
        """Draw the QR code of ``text``, or hide the widget when None."""
        if not text:
            self.opacity = 0
            self.texture = None
            return
        try:
            import qrcode
            image = qrcode.make(text, box_size=8, border=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            buffer.seek(0)
            texture = CoreImage(buffer, ext="png").texture
            texture.mag_filter = "nearest"
            texture.min_filter = "nearest"
            self.texture = texture
            self.opacity = 1
        except Exception:  # noqa: BLE001 - without a QR code the reference text still shows
            log.exception("QR code for %s failed", text)
            self.opacity = 0


class Keypad(GridLayout):
    """A numeric keypad: digits, delete, and an OK key."""

    def __init__(self, on_digit: Callable[[str], None], on_delete: Callable[[], None],
                 on_ok: Callable[[], None], **kwargs):
        super().__init__(cols=3, spacing=dp(6), **kwargs)
        for key in "123456789":
            self.add_widget(BigButton(key, lambda k=key: on_digit(k), size=theme.FONT_BIG,
                                      size_hint_y=1))
        self.add_widget(BigButton("<", on_delete, colour=theme.BUTTON_QUIET,
                                  text_colour=theme.TEXT, size=theme.FONT_BIG, size_hint_y=1))
        self.add_widget(BigButton("0", lambda: on_digit("0"), size=theme.FONT_BIG, size_hint_y=1))
        self.add_widget(BigButton(t("ui.staff.ok"), on_ok, colour=theme.BUTTON_DONE,
                                  size=theme.FONT_BODY, size_hint_y=1))


KEY_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl:", "zxcvbnm,.-")


class TelexKeyboard(BoxLayout):
    """An on-screen keyboard; the presenter composes Vietnamese with Telex."""

    def __init__(self, on_key: Callable[[str], None], on_done: Callable[[], None],
                 extra: list[tuple[str, Callable[[], None]]] = (), digits: bool = True,
                 **kwargs):
        super().__init__(orientation="vertical", spacing=dp(4), **kwargs)
        self.shift = False
        self._letter_buttons: list[BigButton] = []
        self.on_key = on_key
        for row in (KEY_ROWS if digits else KEY_ROWS[1:]):
            line = BoxLayout(spacing=dp(4))
            for key in row:
                button = BigButton(key, lambda k=key: self._press(k), colour=theme.CARD,
                                   text_colour=theme.TEXT, size=theme.FONT_BODY, size_hint_y=1,
                                   height=theme.TOUCH_MIN)
                if key.isalpha():
                    self._letter_buttons.append(button)
                line.add_widget(button)
            self.add_widget(line)
        bottom = BoxLayout(spacing=dp(4))
        for label, action in extra:
            bottom.add_widget(BigButton(label, action, colour=theme.BUTTON_QUIET,
                                        text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                        size_hint=(0.18, 1), height=theme.TOUCH_MIN))
        self.shift_button = BigButton("Aa", self._toggle_shift, colour=theme.BUTTON_QUIET,
                                      text_colour=theme.TEXT, size_hint=(0.15, 1),
                                      height=theme.TOUCH_MIN)
        bottom.add_widget(self.shift_button)
        bottom.add_widget(BigButton(t("ui.keyboard.space"), lambda: on_key(" "),
                                    colour=theme.CARD, text_colour=theme.TEXT, size_hint=(0.4, 1),
                                    height=theme.TOUCH_MIN))
        bottom.add_widget(BigButton("<", lambda: on_key("\b"), colour=theme.BUTTON_QUIET,
                                    text_colour=theme.TEXT, size_hint=(0.15, 1),
                                    height=theme.TOUCH_MIN))
        bottom.add_widget(BigButton(t("ui.keyboard.ok"), on_done, colour=theme.BUTTON_DONE,
                                    size_hint=(0.2, 1), height=theme.TOUCH_MIN))
        self.add_widget(bottom)

    def _press(self, key: str) -> None:
        if self.shift and key.isalpha():
            key = key.upper()
            self._toggle_shift()
        self.on_key(key)

    def _toggle_shift(self) -> None:
        self.shift = not self.shift
        for button in self._letter_buttons:
            button.text = button.text.upper() if self.shift else button.text.lower()
