"""A borrow session: greeting, block, the books just scanned (left), current loans with due
dates (right), Xong; when finished, the receipt's status and, if it failed, its QR code."""
from __future__ import annotations

from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import current_language, t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Line, QRCodeImage, ScrollList, Txt

SHOWN_LINES = 12


class BorrowScreen(KioskScreen):
    """The student's (or teacher's) book borrowing."""

    def build(self) -> None:
        self.hint = Txt("", size=theme.FONT_BODY, fit=True)
        self.body.add_widget(self.hint)
        columns = BoxLayout(spacing=dp(10))
        left = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_x=0.56)
        self.left_title = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED, bold=True,
                              size_hint_y=None, height=dp(24))
        left.add_widget(self.left_title)
        self.lines = ScrollList()
        left.add_widget(self.lines)
        columns.add_widget(left)
        right = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_x=0.44)
        self.right_title = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED, bold=True,
                               size_hint_y=None, height=dp(24))
        right.add_widget(self.right_title)
        self.loans = ScrollList()
        right.add_widget(self.loans)
        self.qr = QRCodeImage(size_hint_y=None, height=0, opacity=0)
        right.add_widget(self.qr)
        columns.add_widget(right)
        self.body.add_widget(columns)
        footer = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H), spacing=dp(8))
        self.receipt_label = Txt("", size=theme.FONT_SMALL)
        footer.add_widget(self.receipt_label)
        self.done_button = BigButton("", self._done, colour=theme.BUTTON_DONE,
                                     size=theme.FONT_TITLE, size_hint_x=None, width=dp(240))
        footer.add_widget(self.done_button)
        self.body.add_widget(footer)

    def _done(self) -> None:
        self.presenter.done()

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.greeting
        self.hint.text = p.hint if not p.block else p.block_text + " " + p.hint
        self.hint.color = theme.REFUSED if p.block else theme.TEXT
        self.left_title.text = t("ui.borrow.this_session")
        lang = current_language()
        start = max(0, len(p.lines) - SHOWN_LINES)
        self.lines.sync([((id(p), lang, i), lambda line=line: Line(line.text, line.ok))
                         for i, line in enumerate(p.lines[start:], start)])
        self.lines.scroll_to_end()
        self.right_title.text = t("ui.borrow.current_loans")
        rows = p.loan_rows()
        if rows:
            self.loans.sync([
                ((lang, title, due, late, i),
                 lambda title=title, due=due, late=late: Line(
                     f"{title}\n{due}" + (f" – {t('ui.borrow.overdue')}" if late else ""),
                     False if late else None, size=theme.FONT_SMALL))
                for i, (title, due, late) in enumerate(rows)])
        else:
            self.loans.sync([((lang, "none"), lambda: Txt(
                t("ui.borrow.no_loans"), size=theme.FONT_SMALL, colour=theme.MUTED, fit=True))])
        receipt = p.receipt
        self.receipt_label.text = receipt.text if receipt else ""
        self.receipt_label.color = theme.REFUSED if receipt and receipt.qr_payload else theme.TEXT
        payload = receipt.qr_payload if receipt else None
        self.qr.show(payload)
        self.qr.height = dp(150) if payload else 0
        finished = p.phase == "finished"
        self.done_button.text = t("ui.common.home") if finished else t("ui.common.done")
        self.done_button.font_size = sp(theme.FONT_BODY if finished else theme.FONT_TITLE)
