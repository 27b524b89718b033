"""Returns: one line per item scanned (title, late or not), a receipt on request, Xong."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import current_language, t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Line, QRCodeImage, ScrollList, Txt


class ReturnsScreen(KioskScreen):
    """Several returns in a row."""

    def build(self) -> None:
        self.hint = Txt("", size=theme.FONT_BODY, fit=True)
        self.body.add_widget(self.hint)
        middle = BoxLayout(spacing=dp(10))
        self.lines = ScrollList()
        middle.add_widget(self.lines)
        self.qr = QRCodeImage(size_hint_x=None, width=0, opacity=0)
        middle.add_widget(self.qr)
        self.body.add_widget(middle)
        footer = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H), spacing=dp(8))
        self.summary = Txt("", size=theme.FONT_SMALL)
        footer.add_widget(self.summary)
        self.receipt_button = BigButton("", lambda: self.presenter.request_receipt(),
                                        size_hint_x=None, width=dp(180))
        footer.add_widget(self.receipt_button)
        footer.add_widget(BigButton("", lambda: self.presenter.done(), colour=theme.BUTTON_DONE,
                                    size=theme.FONT_TITLE, size_hint_x=None, width=dp(160)))
        self.done_button = footer.children[0]
        self.body.add_widget(footer)

    def update(self) -> None:
        p = self.presenter
        self.title.text = t("ui.returns.title")
        self.hint.text = p.hint
        lang = current_language()
        start = max(0, len(p.lines) - 12)
        self.lines.sync([((id(p), lang, i), lambda line=line: Line(line.text, line.ok))
                         for i, line in enumerate(p.lines[start:], start)])
        self.lines.scroll_to_end()
        receipt = p.receipt
        self.summary.text = receipt.text if receipt else p.summary
        self.summary.color = theme.REFUSED if receipt and receipt.qr_payload else theme.TEXT
        payload = receipt.qr_payload if receipt else None
        self.qr.show(payload)
        self.qr.width = dp(170) if payload else 0
        self.receipt_button.text = t("ui.receipt.ask")
        self.receipt_button.disabled = not p.returned or receipt is not None
        self.done_button.text = t("ui.common.done")
