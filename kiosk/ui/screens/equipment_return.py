"""Returning equipment: the items picked (by scan or touch) with a one-tap condition each,
the teacher's other open loans, confirm; the slip."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, QRCodeImage, ScrollList, Txt

CONDITION_COLOURS = {"good": theme.BUTTON_DONE, "damaged": theme.BUTTON_DANGER,
                     "missing": theme.WARNING}


class EquipmentReturnScreen(KioskScreen):
    """Scan, mark the condition, confirm."""

    def build(self) -> None:
        self.hint = Txt("", size=theme.FONT_SMALL, fit=True)
        self.body.add_widget(self.hint)
        columns = BoxLayout(spacing=dp(10))
        left = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_x=0.6)
        self.left_title = Txt("", size=theme.FONT_SMALL, bold=True, colour=theme.MUTED,
                              size_hint_y=None, height=dp(22))
        left.add_widget(self.left_title)
        self.entries = ScrollList()
        left.add_widget(self.entries)
        columns.add_widget(left)
        right = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_x=0.4)
        self.right_title = Txt("", size=theme.FONT_SMALL, bold=True, colour=theme.MUTED,
                               size_hint_y=None, height=dp(22))
        right.add_widget(self.right_title)
        self.waiting = ScrollList()
        right.add_widget(self.waiting)
        self.qr = QRCodeImage(size_hint_y=None, height=0, opacity=0)
        right.add_widget(self.qr)
        columns.add_widget(right)
        self.body.add_widget(columns)
        self.message = Txt("", size=theme.FONT_SMALL, size_hint_y=None, height=dp(28))
        self.body.add_widget(self.message)
        footer = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H), spacing=dp(8))
        self.home_button = BigButton("", lambda: self.presenter.done(),
                                     colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                     size_hint_x=None, width=dp(220))
        footer.add_widget(self.home_button)
        footer.add_widget(BoxLayout())
        self.confirm_button = BigButton("", lambda: self.presenter.confirm(),
                                        colour=theme.BUTTON_DONE, size_hint_x=None,
                                        width=dp(200))
        footer.add_widget(self.confirm_button)
        self.body.add_widget(footer)

    def update(self) -> None:
        p = self.presenter
        self.title.text = t("ui.equipment.return_title") + " – " + p.teacher.name
        self.hint.text = t("ui.equipment.return_hint")
        self.left_title.text = t("ui.equipment.returning")
        self.right_title.text = t("ui.equipment.open_loans")
        rows = []
        for entry in p.entries:
            loan = entry.loan
            line = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H), spacing=dp(4))
            label = f"{loan.title}\n{loan.code}"
            line.add_widget(Txt(label, size=theme.FONT_SMALL))
            if loan.quantity > 1:
                back = loan.quantity if entry.quantity_back is None else entry.quantity_back
                line.add_widget(BigButton("-", lambda i=loan.loan_id: p.step_quantity(i, -1),
                                          size_hint_x=None, width=dp(theme.TOUCH_MIN)))
                line.add_widget(Txt(t("ui.equipment.quantity_back", n=back, of=loan.quantity),
                                    size=theme.FONT_SMALL, halign="center", size_hint_x=None,
                                    width=dp(70)))
            line.add_widget(BigButton(entry.condition_label,
                                      lambda i=loan.loan_id: p.cycle_condition(i),
                                      colour=CONDITION_COLOURS[entry.condition],
                                      size_hint_x=None, width=dp(110)))
            rows.append(line)
        self.entries.set_items(rows)
        waiting = p.waiting()
        if waiting:
            items = [BigButton(f"{loan.title} ({loan.code})"
                               + (f" × {loan.quantity}" if loan.quantity > 1 else ""),
                               lambda i=loan.loan_id: p.pick(i), colour=theme.CARD,
                               text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                               height=theme.TOUCH_MIN) for loan in waiting]
        else:
            items = [Txt(t("ui.equipment.nothing_open"), size=theme.FONT_SMALL,
                         colour=theme.MUTED, fit=True)] if not p.entries else []
        self.waiting.set_items(items)
        receipt = p.receipt
        self.message.text = receipt.text if receipt else p.message_text
        self.message.color = theme.REFUSED if (receipt and receipt.qr_payload) or \
            not p.message_ok else theme.TEXT
        payload = receipt.qr_payload if receipt else None
        self.qr.show(payload)
        self.qr.height = dp(120) if payload else 0
        self.home_button.text = t("ui.common.home")
        self.confirm_button.text = t("ui.common.confirm")
        self.confirm_button.disabled = p.phase == "finished" or not p.entries
