"""A borrow session: a picture and what to do; the latest result in large type (with "Trả cuốn
này" when the patron scanned a book they hold); the books just scanned, newest first (left);
current loans with due dates (right); Gia hạn and Xong; when finished, the receipt's status
and, if it failed, its QR code."""
from __future__ import annotations

from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import current_language, t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Line, Panel, Picture, QRCodeImage, ScrollList, Txt

SHOWN_LINES = 12
TONES = {"ok": (theme.OK_BG, theme.OK), "refused": (theme.REFUSED_BG, theme.REFUSED),
         "info": (theme.INFO_BG, theme.INFO)}


class BorrowScreen(KioskScreen):
    """The student's (or teacher's) book borrowing."""

    def build(self) -> None:
        top = BoxLayout(size_hint_y=None, height=dp(60), spacing=dp(10))
        top.add_widget(Picture("scan_book", size_hint_x=None, width=dp(60)))
        self.hint = Txt("", size=theme.FONT_BODY)
        top.add_widget(self.hint)
        self.body.add_widget(top)
        columns = BoxLayout(spacing=dp(10))
        left = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_x=0.56)
        # The latest result, as tall as its words; "Trả cuốn này" under it when offered.
        self.headline = Panel(bg=theme.BACKGROUND, orientation="vertical", size_hint_y=None,
                              height=0, padding=(dp(10), dp(6)), spacing=dp(6))
        self.headline_text = Txt("", size=theme.FONT_HEADLINE, bold=True, fit=True)
        self.headline_text.bind(height=self._fit_headline)
        self.headline.add_widget(self.headline_text)
        self.offer_row = BoxLayout(size_hint_y=None, height=0, opacity=0)
        self.return_button = BigButton("", self._return_it, colour=theme.BUTTON_DONE,
                                       size=theme.FONT_BODY, size_hint=(None, 1),
                                       width=dp(220))
        self.offer_row.add_widget(self.return_button)
        self.offer_row.add_widget(BoxLayout())
        self.headline.add_widget(self.offer_row)
        left.add_widget(self.headline)
        self.left_title = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED, bold=True,
                              size_hint_y=None, height=dp(24))
        left.add_widget(self.left_title)
        # Before the first book: the picture large, for a child who cannot read yet.
        self.big_picture = Picture("scan_book", size_hint_y=None, height=0, opacity=0)
        left.add_widget(self.big_picture)
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
        self.renew_button = BigButton("", self._renew, size=theme.FONT_BODY,
                                      size_hint_x=None, width=0, opacity=0)
        footer.add_widget(self.renew_button)
        self.done_button = BigButton("", self._done, colour=theme.BUTTON_DONE,
                                     size=theme.FONT_TITLE, size_hint_x=None, width=dp(240))
        footer.add_widget(self.done_button)
        self.body.add_widget(footer)

    def _fit_headline(self, *_) -> None:
        if not self.headline_text.text:
            self.headline.height, self.headline.opacity = 0, 0
            return
        self.headline.opacity = 1
        self.headline.height = (self.headline_text.height + dp(12) + (
            self.offer_row.height + dp(6) if self.offer_row.height else 0))

    def _done(self) -> None:
        self.presenter.done()

    def _renew(self) -> None:
        self.presenter.renew()

    def _return_it(self) -> None:
        self.presenter.return_offered()

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.greeting
        self.hint.text = p.hint
        self.hint.color = theme.REFUSED if p.block else theme.TEXT
        background, colour = TONES[p.headline_tone]
        self.headline.set_bg(background)
        self.headline_text.text = p.headline
        self.headline_text.color = colour
        offer = p.offer is not None
        self.return_button.text = t("ui.borrow.return_it")
        self.offer_row.height = dp(theme.BUTTON_H) if offer else 0
        self.offer_row.opacity = 1 if offer else 0
        self.return_button.disabled = not offer
        self._fit_headline()
        self.left_title.text = t("ui.borrow.this_session")
        lang = current_language()
        newest = p.recent_lines()[:SHOWN_LINES]
        count = len(p.lines)
        self.lines.sync([((id(p), lang, count - n), lambda line=line: Line(line.text, line.ok))
                         for n, line in enumerate(newest)])
        self.lines.scroll_to_top()
        first = not p.lines and not p.headline and p.phase == "active"
        self.big_picture.height = dp(180) if first else 0
        self.big_picture.opacity = 1 if first else 0
        self.lines.opacity = 0 if first else 1
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
        renew = p.phase == "active" and bool(p.renewable)
        self.renew_button.text = p.renew_label
        self.renew_button.width = dp(190) if renew else 0
        self.renew_button.opacity = 1 if renew else 0
        self.renew_button.disabled = not p.can_renew
        finished = p.phase == "finished"
        self.done_button.text = t("ui.common.home") if finished else t("ui.common.done")
        self.done_button.font_size = sp(theme.FONT_BODY if finished else theme.FONT_TITLE)
