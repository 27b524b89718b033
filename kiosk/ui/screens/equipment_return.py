"""Returning equipment: the items picked (by scan or touch) with a one-tap condition each,
the teacher's other open loans, confirm; the slip. A picked line opens its pieces (how many
back good, damaged, missing: the rest stays on loan) and its note in the right column."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Panel, QRCodeImage, ScrollList, TelexKeyboard, Txt

CONDITION_COLOURS = {"good": theme.BUTTON_DONE, "damaged": theme.BUTTON_DANGER,
                     "missing": theme.WARNING}


class EquipmentReturnScreen(KioskScreen):
    """Scan, mark the condition, confirm."""

    def build(self) -> None:
        self.hint = Txt("", size=theme.FONT_SMALL, fit=True)
        self.body.add_widget(self.hint)
        # The middle shows the two columns, or the note's keyboard while it is open.
        self.middle = BoxLayout()
        self.body.add_widget(self.middle)
        self.keyboard_box = BoxLayout(orientation="vertical", spacing=dp(4))
        self._note_field = None
        columns = BoxLayout(spacing=dp(10))
        self.columns = columns
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
        self.editor = BoxLayout(orientation="vertical", spacing=dp(4), size_hint_y=None,
                                height=0, opacity=0)
        right.add_widget(self.editor)
        self.qr = QRCodeImage(size_hint_y=None, height=0, opacity=0)
        right.add_widget(self.qr)
        columns.add_widget(right)
        self.middle.add_widget(columns)
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
        self.footer = footer

    def update(self) -> None:
        p = self.presenter
        self.title.text = t("ui.equipment.return_title") + " – " + p.teacher.name
        self.hint.text = t("ui.equipment.return_hint")
        self.left_title.text = t("ui.equipment.returning")
        self._draw_keyboard(p)
        if p.typing_note:
            return
        rows = []
        for entry in p.entries:
            loan = entry.loan
            chosen = p.selected == loan.loan_id
            line = Panel(bg=theme.SELECTED if chosen else theme.BACKGROUND, size_hint_y=None,
                         height=dp(theme.BUTTON_H), spacing=dp(4), padding=(dp(4), 0))
            label = f"{loan.title}\n{loan.code}" + (f" · {entry.note}" if entry.note else "")
            line.add_widget(BigButton(label, lambda i=loan.loan_id: p.select(i),
                                      colour=theme.SELECTED if chosen else theme.CARD,
                                      text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                      halign="left", shorten=True, size_hint_y=1))
            line.add_widget(BigButton(entry.short_summary if entry.counted
                                      else entry.condition_label,
                                      lambda i=loan.loan_id: p.cycle_condition(i),
                                      colour=CONDITION_COLOURS[entry.condition],
                                      size=theme.FONT_SMALL, size_hint=(None, 1),
                                      width=dp(150 if entry.counted else 110)))
            rows.append(line)
        self.entries.set_items(rows)
        self._draw_right(p)
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

    def _draw_keyboard(self, p) -> None:
        """The note's keyboard takes the screen while it is open (built once when it opens,
        so keys pressed in one frame land on laid-out keys)."""
        typing = p.typing_note and p.selected is not None
        # The keyboard needs the room (keys of at least 48 px at 800x480): the hint, the
        # message and the footer leave the screen while it is open (a disabled widget left in
        # place would still catch the touches meant for the keys).
        wanted = [self.middle] if typing else [self.hint, self.middle, self.message,
                                               self.footer]
        if list(reversed(self.body.children)) != wanted:
            self.body.clear_widgets()
            for widget in wanted:
                self.body.add_widget(widget)
        if typing and self._note_field is not None:
            self._note_field.text = p.note.text or " "
            return
        self.keyboard_box.clear_widgets()
        self._note_field = None
        self.middle.clear_widgets()
        self.middle.add_widget(self.keyboard_box if typing else self.columns)
        if not typing:
            return
        entry = p.entry(p.selected)
        self.keyboard_box.add_widget(Txt(t("ui.equipment.note_for", name=entry.loan.title),
                                         size=theme.FONT_SMALL, size_hint_y=None,
                                         height=dp(22)))
        field = Panel(bg=theme.CARD, size_hint_y=None, height=dp(theme.TOUCH_MIN),
                      padding=(dp(8), 0))
        self._note_field = Txt(p.note.text or " ", size=theme.FONT_BODY)
        field.add_widget(self._note_field)
        self.keyboard_box.add_widget(field)
        self.keyboard_box.add_widget(TelexKeyboard(p.note_key, p.finish_note))

    def _draw_right(self, p) -> None:
        """The selected line's pieces and note, else the teacher's other open loans."""
        entry = p.entry(p.selected) if p.selected is not None else None
        self.editor.clear_widgets()
        if entry is None:
            self.right_title.text = t("ui.equipment.open_loans")
            self.editor.height, self.editor.opacity = 0, 0
            self.waiting.size_hint_y, self.waiting.opacity = 1, 1
            waiting = p.waiting()
            if waiting:
                items = [BigButton(f"{loan.title} ({loan.code})"
                                   + (f" × {loan.outstanding}" if loan.outstanding > 1 else ""),
                                   lambda i=loan.loan_id: p.pick(i), colour=theme.CARD,
                                   text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                   halign="left", height=theme.TOUCH_MIN)
                         for loan in waiting]
            else:
                items = [Txt(t("ui.equipment.nothing_open"), size=theme.FONT_SMALL,
                             colour=theme.MUTED, fit=True)] if not p.entries else []
            self.waiting.set_items(items)
            return
        self.right_title.text = entry.loan.title
        self.waiting.set_items([])
        self.waiting.size_hint_y, self.waiting.height, self.waiting.opacity = None, 0, 0
        loan_id = entry.loan.loan_id
        height = 0
        if entry.counted:
            self.editor.add_widget(Txt(entry.summary, size=theme.FONT_SMALL, bold=True,
                                       size_hint_y=None, height=dp(26)))
            height += 26
            for condition in ("good", "damaged", "missing"):
                row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
                row.add_widget(Txt(t(f"ui.condition.{condition}"), size=theme.FONT_SMALL))
                row.add_widget(BigButton("-", lambda c=condition: p.step(loan_id, c, -1),
                                         size_hint=(None, 1), width=dp(theme.TOUCH_MIN),
                                         colour=CONDITION_COLOURS[condition]))
                row.add_widget(Txt(str(getattr(entry, condition)), size=theme.FONT_BODY,
                                   halign="center", size_hint_x=None, width=dp(40)))
                row.add_widget(BigButton("+", lambda c=condition: p.step(loan_id, c, +1),
                                         size_hint=(None, 1), width=dp(theme.TOUCH_MIN),
                                         colour=CONDITION_COLOURS[condition]))
                self.editor.add_widget(row)
                height += theme.TOUCH_MIN + 4
        actions = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        actions.add_widget(BigButton(t("ui.equipment.note"), lambda: p.start_note(loan_id),
                                     colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                     size=theme.FONT_SMALL, size_hint_y=1))
        actions.add_widget(BigButton(t("ui.equipment.remove"), lambda: p.remove(loan_id),
                                     colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                     size=theme.FONT_SMALL, size_hint_y=1))
        actions.add_widget(BigButton(t("ui.common.ok"), lambda: p.select(None),
                                     size=theme.FONT_SMALL, size_hint_y=1))
        self.editor.add_widget(actions)
        height += theme.TOUCH_MIN + 4
        self.editor.height, self.editor.opacity = dp(height), 1
