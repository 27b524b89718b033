"""Home: scan your card to borrow, or scan a book to return (in words and in pictures); school,
date and time, sync indicator, camera preview when a camera is configured; refusals and a
failed receipt's QR."""
from __future__ import annotations

import logging

from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Panel, Picture, QRCodeImage, Txt

log = logging.getLogger(__name__)

SYNC_COLOURS = {"ok": theme.OK, "waiting": theme.WARNING, "error": theme.REFUSED}


class HomeScreen(KioskScreen):
    """The screen the kiosk rests on."""

    def build(self) -> None:
        self.clock_label = Txt("", size=theme.FONT_TITLE, colour=theme.HEADER_TEXT, bold=True,
                               halign="right")
        self.header_extra.width = dp(96)
        self.header_extra.add_widget(self.clock_label)

        info = BoxLayout(size_hint_y=None, height=dp(32), spacing=dp(8))
        self.date_label = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED)
        self.sync_label = Txt("", size=theme.FONT_SMALL, colour=theme.OK, halign="right")
        info.add_widget(self.date_label)
        info.add_widget(self.sync_label)
        self.body.add_widget(info)

        middle = BoxLayout(spacing=dp(12))
        texts = BoxLayout(orientation="vertical", spacing=dp(4))
        self.prompt = Txt("", size=theme.FONT_BIG, bold=True, halign="center",
                          size_hint_y=0.34)
        texts.add_widget(self.prompt)
        # While the database server is gone: which one, since when, what to do (else empty).
        self.server_detail = Txt("", size=theme.FONT_BODY, colour=theme.MUTED, halign="center",
                                 size_hint_y=None, height=0)
        texts.add_widget(self.server_detail)
        # Pictures for a child who cannot read yet: the card to borrow, the book to return.
        pictures = BoxLayout(spacing=dp(24), padding=(dp(24), 0))
        self.pictures = pictures
        self.captions = []
        for picture in ("scan_card", "scan_book"):
            choice = BoxLayout(orientation="vertical", spacing=dp(2))
            choice.add_widget(Picture(picture))
            caption = Txt("", size=theme.FONT_BODY, colour=theme.MUTED, halign="center",
                          size_hint_y=None, height=dp(30))
            choice.add_widget(caption)
            self.captions.append(caption)
            pictures.add_widget(choice)
        texts.add_widget(pictures)
        self.board = Txt("", size=theme.FONT_SMALL, colour=theme.HEADER, halign="center",
                         valign="top", size_hint_y=None, height=0)
        texts.add_widget(self.board)
        middle.add_widget(texts)
        self.qr = QRCodeImage(size_hint_x=None, width=0, opacity=0)
        middle.add_widget(self.qr)
        self.preview = Image(size_hint_x=None, width=0, opacity=0, fit_mode="contain")
        middle.add_widget(self.preview)
        self.body.add_widget(middle)

        self.message_panel = Panel(bg=theme.BACKGROUND, size_hint_y=None, height=dp(72),
                                   padding=(dp(12), dp(4)))
        self.message = Txt("", size=theme.FONT_BODY, halign="center")
        self.message_panel.add_widget(self.message)
        self.body.add_widget(self.message_panel)
        self._preview_texture = None

    def update(self) -> None:
        home = self.presenter
        self.title.text = home.school_name
        self.clock_label.text = home.time_text()
        warning = home.clock_warning
        self.date_label.text = home.date_text() + (f"  ·  {warning}" if warning else "")
        self.date_label.color = theme.WARNING if warning else theme.MUTED
        self.sync_label.text = home.sync_text
        self.sync_label.color = SYNC_COLOURS.get(home.sync_level, theme.MUTED)
        self.prompt.text = home.prompt
        self.captions[0].text = t("ui.home.card_caption")
        self.captions[1].text = t("ui.home.book_caption")
        gone = home.server_gone
        self.prompt.color = theme.REFUSED if gone else theme.TEXT
        self.server_detail.text = home.server_gone_detail
        self.server_detail.height = dp(84) if gone else 0
        self.pictures.opacity = 0 if gone else 1
        self.board.text = "" if gone else "\n".join(home.board)
        self.board.height = 0 if gone else dp(22) * len(home.board)
        text = home.message_text
        qr_payload = home.receipt.qr_payload if home.receipt else None
        if home.receipt:
            text = home.receipt.text
        self.message.text = text
        if text:
            self.message_panel.set_bg(theme.REFUSED_BG if (not home.message_ok or qr_payload)
                                      else theme.OK_BG)
            self.message.color = theme.REFUSED if not home.message_ok or qr_payload else theme.OK
        else:
            self.message_panel.set_bg(theme.BACKGROUND)
        self.qr.show(qr_payload)
        self.qr.width = dp(180) if qr_payload else 0

    def show_frame(self, frame) -> None:
        """Draw a camera frame (numpy BGR, height x width x 3), or hide the preview (None)."""
        if frame is None:
            if self.preview.opacity:
                self.preview.opacity = 0
                self.preview.width = 0
            return
        height, width = frame.shape[:2]
        texture = self._preview_texture
        if texture is None or texture.size != (width, height):
            texture = Texture.create(size=(width, height), colorfmt="bgr")
            texture.flip_vertical()
            self._preview_texture = texture
        texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.preview.texture = texture
        self.preview.canvas.ask_update()
        self.preview.opacity = 1
        self.preview.width = dp(240)
