"""Borrowing equipment for a lesson: class, period, subject, lesson title (recent ones or the
Telex keyboard), then items scanned and stock counted with steppers; confirm; the slip."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.i18n import current_language, t
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import BigButton, Line, Panel, QRCodeImage, ScrollList, TelexKeyboard, Txt


class EquipmentBorrowScreen(KioskScreen):
    """One step at a time, the lesson summary always on top."""

    def build(self) -> None:
        top = BoxLayout(size_hint_y=None, height=dp(40), spacing=dp(8))
        self.step_label = Txt("", size=theme.FONT_BODY, bold=True)
        self.lesson_label = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED, halign="right")
        top.add_widget(self.step_label)
        top.add_widget(self.lesson_label)
        self.body.add_widget(top)
        self.content = BoxLayout(orientation="vertical", spacing=dp(6))
        self.body.add_widget(self.content)
        self.message = Txt("", size=theme.FONT_SMALL, size_hint_y=None, height=dp(28))
        self.body.add_widget(self.message)
        self.footer = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H), spacing=dp(8))
        self.body.add_widget(self.footer)
        self.keyboard = None
        self._drawn_step = None

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.greeting
        self.step_label.text = p.step_title
        self.lesson_label.text = p.lesson_summary()
        self.message.text = p.message_text
        self.message.color = theme.TEXT if p.message_ok else theme.REFUSED
        if p.step == "title" and self._drawn_step == "title" and self.keyboard is not None:
            self.title_field.text = p.title.text or " "
        else:
            getattr(self, f"_draw_{p.step}")(p)
            self._drawn_step = p.step
        self._draw_footer(p)

    # -- steps --------------------------------------------------------------------------------
    def _grid(self, labels_actions, cols, selected=None, size=theme.FONT_BODY):
        scroll = ScrollList()
        grid = GridLayout(cols=cols, spacing=dp(6), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for label, action in labels_actions:
            colour = theme.SELECTED if label == selected else theme.BUTTON
            text_colour = theme.TEXT if label == selected else (1, 1, 1, 1)
            grid.add_widget(BigButton(str(label), action, colour=colour, text_colour=text_colour,
                                      size=size))
        scroll.set_items([grid])
        return scroll

    def _draw_class(self, p) -> None:
        self.content.clear_widgets()
        cols = 6 if self.width > dp(900) else 5
        self.content.add_widget(self._grid(
            [(c, lambda c=c: p.choose_class(c)) for c in p.classes], cols, p.class_name))

    def _draw_period(self, p) -> None:
        self.content.clear_widgets()
        self.content.add_widget(self._grid(
            [(label, lambda n=n, s=s: p.choose_period(n, s)) for s, n, label in p.periods()],
            5, p.period_label or None))

    def _draw_subject(self, p) -> None:
        self.content.clear_widgets()
        self.content.add_widget(self._grid(
            [(s, lambda s=s: p.choose_subject(s)) for s in p.subjects()], 3, p.subject))

    def _draw_plan(self, p) -> None:
        self.content.clear_widgets()
        scroll = ScrollList()
        grid = GridLayout(cols=2, spacing=dp(6), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        grid.add_widget(BigButton(t("ui.equipment.plan_other"), p.other_title,
                                  colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                  size=theme.FONT_SMALL, height=theme.BUTTON_H))
        for choice in p.plan:
            label = t("ui.equipment.plan_lesson", ppct=choice.ppct, title=choice.title)
            grid.add_widget(BigButton(label, lambda c=choice.plan_id: p.choose_plan(c),
                                      size=theme.FONT_SMALL, height=theme.BUTTON_H,
                                      shorten=True, halign="left"))
        scroll.set_items([grid])
        self.content.add_widget(scroll)

    def _draw_title(self, p) -> None:
        self.content.clear_widgets()
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
        field = Panel(bg=theme.CARD, padding=(dp(8), 0))
        self.title_field = Txt(p.title.text or " ", size=theme.FONT_BODY)
        field.add_widget(self.title_field)
        row.add_widget(field)
        for title in p.recent_titles[:2]:
            row.add_widget(BigButton(title, lambda x=title: p.choose_recent_title(x),
                                     colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                     size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                     shorten=True))
        self.content.add_widget(row)
        self.keyboard = TelexKeyboard(p.type_key, p.finish_title,
                                      extra=[(t("ui.common.back"), p.back)])
        self.content.add_widget(self.keyboard)

    def _build_items(self) -> None:
        """The items step's widgets, made once and kept: a + tapped far down the stock list
        changes that row's number, the list does not jump back to the top."""
        self.items_view = BoxLayout(spacing=dp(10))
        left = BoxLayout(orientation="vertical", spacing=dp(4))
        options = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        self.purpose_button = BigButton("", lambda: self.presenter.cycle_purpose(),
                                        colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                        size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                        shorten=True)
        self.self_made_button = BigButton("", lambda: self.presenter.toggle_self_made(),
                                          colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                          size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                          size_hint_x=0.7, shorten=True)
        options.add_widget(self.purpose_button)
        options.add_widget(self.self_made_button)
        left.add_widget(options)
        self.suggestion = Txt("", size=theme.FONT_SMALL, colour=theme.WARNING, size_hint_y=None,
                              height=0)
        left.add_widget(self.suggestion)
        self.basket_title = Txt("", size=theme.FONT_SMALL, bold=True, colour=theme.MUTED,
                                size_hint_y=None, height=dp(22))
        left.add_widget(self.basket_title)
        self.basket_list = ScrollList()
        left.add_widget(self.basket_list)
        self.qr = QRCodeImage(size_hint_y=None, height=0, opacity=0)
        left.add_widget(self.qr)
        self.items_view.add_widget(left)
        right = BoxLayout(orientation="vertical", spacing=dp(4))
        self.stock_title = Txt("", size=theme.FONT_SMALL, bold=True, colour=theme.MUTED,
                               size_hint_y=None, height=dp(22))
        right.add_widget(self.stock_title)
        self.stock_list = ScrollList()
        right.add_widget(self.stock_list)
        self.items_view.add_widget(right)

    def _basket_line(self, p, code, name, quantity) -> BoxLayout:
        line = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        line.add_widget(Line(f"{name} ({code}) × {quantity}", True, size=theme.FONT_SMALL))
        if p.phase == "finished":
            return line  # lent: nothing left to take out
        line.add_widget(BigButton("x", lambda: p.remove(code), colour=theme.BUTTON_QUIET,
                                  text_colour=theme.TEXT, size_hint_x=None,
                                  width=dp(theme.TOUCH_MIN), height=theme.TOUCH_MIN))
        return line

    def _stock_line(self, p, row) -> BoxLayout:
        line = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        line.add_widget(Txt(f"{row.name}\n{t('ui.equipment.on_hand', n=row.on_hand)}",
                            size=theme.FONT_SMALL))
        line.add_widget(BigButton("-", lambda: p.step_quantity(row.code, -1),
                                  size_hint_x=None, width=dp(theme.TOUCH_MIN),
                                  height=theme.TOUCH_MIN, size=theme.FONT_TITLE))
        line.add_widget(Txt(str(row.quantity), size=theme.FONT_TITLE, halign="center",
                            size_hint_x=None, width=dp(44)))
        line.add_widget(BigButton("+", lambda: p.step_quantity(row.code, +1),
                                  size_hint_x=None, width=dp(theme.TOUCH_MIN),
                                  height=theme.TOUCH_MIN, size=theme.FONT_TITLE))
        return line

    def _draw_items(self, p) -> None:
        if not hasattr(self, "items_view"):
            self._build_items()
        if self.items_view.parent is not self.content:
            self.content.clear_widgets()
            self.content.add_widget(self.items_view)
        lang = current_language()
        finished = p.phase == "finished"
        self.purpose_button.text = p.purpose_label()
        self.self_made_button.text = t("ui.equipment.self_made")
        chosen = theme.SELECTED if p.self_made else theme.BUTTON_QUIET
        self.self_made_button._normal = self.self_made_button.background_color = chosen
        self.purpose_button.disabled = self.self_made_button.disabled = finished
        self.suggestion.text = p.suggestion_text()
        self.suggestion.height = dp(22) if self.suggestion.text else 0
        self.basket_title.text = t("ui.equipment.basket")
        self.stock_title.text = t("ui.equipment.stock")
        basket = [((lang, id(p), p.phase, code, quantity),
                   lambda code=code, name=name, quantity=quantity:
                   self._basket_line(p, code, name, quantity))
                  for code, name, quantity, unit in p.basket_rows()]
        if not basket:
            basket = [((lang, "empty"), lambda: Txt(t("ui.equipment.empty_basket"),
                                                    size=theme.FONT_SMALL, colour=theme.MUTED,
                                                    fit=True))]
        self.basket_list.sync(basket)
        self.stock_list.sync([((lang, id(p), row.code, row.on_hand, row.quantity),
                               lambda row=row: self._stock_line(p, row))
                              for row in p.stock_rows()])
        self.keyboard = None
        receipt = p.receipt
        payload = receipt.qr_payload if receipt else None
        self.qr.show(payload)
        self.qr.height = dp(120) if payload else 0
        if receipt:
            self.message.text = receipt.text

    def _draw_footer(self, p) -> None:
        self.footer.clear_widgets()
        compact = p.step == "title"  # the keyboard needs the room: its last row has Back
        self.footer.height = 0 if compact else dp(theme.BUTTON_H)
        self.footer.opacity = 0 if compact else 1
        self.message.height = 0 if compact else dp(28)
        self.message.opacity = 0 if compact else 1
        if compact:
            return
        quiet = dict(colour=theme.BUTTON_QUIET, text_colour=theme.TEXT)
        if p.phase == "finished":
            self.footer.add_widget(BoxLayout())
            self.footer.add_widget(BigButton(t("ui.common.home"), self.flow.home,
                                             colour=theme.BUTTON_DONE, size_hint_x=None,
                                             width=dp(240)))
            return
        self.footer.add_widget(BigButton(t("ui.common.back"), p.back, size_hint_x=None,
                                         width=dp(150), **quiet))
        self.footer.add_widget(BigButton(t("ui.common.cancel"), p.cancel, size_hint_x=None,
                                         width=dp(130), **quiet))
        self.footer.add_widget(BoxLayout())
        if p.step == "subject" and p.subject:
            self.footer.add_widget(BigButton(t("ui.common.next"),
                                             lambda: p.choose_subject(p.subject),
                                             size_hint_x=None, width=dp(150)))
        if p.step == "items":
            self.footer.add_widget(BigButton(t("ui.common.confirm"), p.confirm,
                                             colour=theme.BUTTON_DONE, size_hint_x=None,
                                             width=dp(200), disabled=not p.can_confirm))
