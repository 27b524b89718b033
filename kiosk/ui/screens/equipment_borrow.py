"""Borrowing equipment for a lesson: class, period, subject, lesson title (recent ones or the
Telex keyboard), then items scanned and stock counted with steppers; confirm; the slip."""
from __future__ import annotations

from kivy.metrics import dp, sp
from kivy.utils import escape_markup
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
        # One line each: a long step question or lesson is cut with "…", never wrapped up
        # into the header.
        self.step_label = Txt("", size=theme.FONT_BODY, bold=True, shorten=True,
                              shorten_from="right", size_hint_x=0.55)
        self.lesson_label = Txt("", size=theme.FONT_SMALL, colour=theme.MUTED, halign="right",
                                shorten=True, shorten_from="left", size_hint_x=0.45)
        top.add_widget(self.step_label)
        top.add_widget(self.lesson_label)
        self.body.add_widget(top)
        self.content = BoxLayout(orientation="vertical", spacing=dp(6))
        self.body.add_widget(self.content)
        # A refusal that names who holds the equipment takes two lines: the box grows with
        # its text (and has no height while a keyboard needs the room).
        self.message_box = BoxLayout(size_hint_y=None, height=dp(28))
        self.message = Txt("", size=theme.FONT_SMALL, fit=True)
        self.message.bind(height=lambda *_: self._fit_message())
        self.message_box.add_widget(self.message)
        self._compact = False
        self.body.add_widget(self.message_box)
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
            self.title_field.text = _with_cursor(p.title.text)
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
        days = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
        quick = p.quick_days()
        for day, label in quick:
            chosen = day == p.lesson_date
            days.add_widget(BigButton(label, lambda d=day: p.choose_day(d),
                                      colour=theme.SELECTED if chosen else theme.BUTTON_QUIET,
                                      text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                      height=theme.TOUCH_MIN))
        other = p.lesson_date not in [day for day, _ in quick]
        days.add_widget(BigButton(p.day_label(p.lesson_date) if other
                                  else t("ui.equipment.other_day"), p.other_day,
                                  colour=theme.SELECTED if other else theme.BUTTON_QUIET,
                                  text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                  height=theme.TOUCH_MIN))
        self.content.add_widget(days)
        self.content.add_widget(self._grid(
            [(label, lambda n=n, s=s: p.choose_period(n, s)) for s, n, label in p.periods()],
            5, p.period_label or None))

    def _draw_date(self, p) -> None:
        self.content.clear_widgets()
        cols = 6 if self.width > dp(900) else 5
        self.content.add_widget(self._grid(
            [(p.day_label(d), lambda d=d: p.choose_day(d)) for d in p.days()], cols,
            p.day_label(p.lesson_date), size=theme.FONT_SMALL))

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
        self.title_field = Txt(_with_cursor(p.title.text), size=theme.FONT_BODY,
                               shorten=True, shorten_from="left")
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
        self.long_term_button = BigButton("", lambda: self.presenter.cycle_long_term(),
                                          colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                          size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                          shorten=True)
        self.take_now_button = BigButton("", lambda: self.presenter.toggle_take_now(),
                                         colour=theme.INFO_BG, text_colour=theme.INFO,
                                         size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                         shorten=True)
        self.options = options
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
        self.stock_column = BoxLayout(orientation="vertical", spacing=dp(4))
        self.stock_title = Txt("", size=theme.FONT_SMALL, bold=True, colour=theme.MUTED,
                               size_hint_y=None, height=dp(22), shorten=True)
        self.stock_column.add_widget(self.stock_title)
        self.filter_row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        self.filter_button = BigButton("", lambda: self.presenter.open_filter(),
                                       colour=theme.CARD, text_colour=theme.TEXT,
                                       size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                       halign="left", shorten=True, shorten_from="left")
        self.filter_row.add_widget(self.filter_button)
        self.clear_button = BigButton(t("ui.equipment.clear"),
                                      lambda: self.presenter.clear_filter(),
                                      colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                      size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                      size_hint_x=None, width=dp(64))
        self.filter_row.add_widget(self.clear_button)
        self.subject_button = BigButton("", lambda: self.presenter.toggle_subject_filter(),
                                        colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                        size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                        size_hint_x=0.55, shorten=True)
        self.filter_row.add_widget(self.subject_button)
        self.stock_column.add_widget(self.filter_row)
        self.stock_list = ScrollList()
        self.stock_column.add_widget(self.stock_list)
        self.items_view.add_widget(self.stock_column)
        # The filter's keyboard: the stock list above it, the whole width.
        self.filter_view = BoxLayout(orientation="vertical", spacing=dp(4))
        self.filter_keyboard = None

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
        """A kind's whole name (wrapped, the row grows: never clipped), what is left (and
        booked by others), and the − n + stepper."""
        line = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        label = Txt(f"{row.name}\n[size={int(sp(theme.FONT_SMALL) * 0.9)}]"
                    f"{escape_markup(row.detail)}[/size]", size=theme.FONT_SMALL, fit=True,
                    markup=True, colour=theme.WARNING if row.reserved else theme.TEXT)
        label.bind(height=lambda *_: setattr(line, "height",
                                              max(dp(theme.TOUCH_MIN), label.height)))
        line.add_widget(label)
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
        if p.filter_open:
            self._draw_filter(p)
            return
        if self.items_view.parent is not self.content:
            self.content.clear_widgets()
            self.content.add_widget(self.items_view)
        if self.stock_list.parent is not self.stock_column:
            if self.stock_list.parent is not None:
                self.stock_list.parent.remove_widget(self.stock_list)
            self.stock_column.add_widget(self.stock_list)
        lang = current_language()
        finished = p.phase == "finished"
        self.options.clear_widgets()
        if p.long_term:
            self.options.add_widget(self.long_term_button)
            self.long_term_button.text = p.long_term_label()
            self.long_term_button.disabled = finished
        else:
            if p.later_day:
                self.options.add_widget(self.take_now_button)
                self.take_now_button.text = p.take_now_label()
                self.take_now_button.disabled = finished
            self.options.add_widget(self.purpose_button)
            if not p.later_day:
                self.options.add_widget(self.self_made_button)
        self.filter_button.text = p.filter_text or t("ui.equipment.filter_hint")
        self.filter_button.color = theme.TEXT if p.filter_text else theme.MUTED
        self.subject_button.text = p.subject_filter_label()
        self.subject_button.opacity = 0 if p.long_term or not p.subject else 1
        self.subject_button.disabled = p.long_term or not p.subject
        self.purpose_button.text = p.purpose_label()
        self.self_made_button.text = t("ui.equipment.self_made")
        chosen = theme.SELECTED if p.self_made else theme.BUTTON_QUIET
        self.self_made_button._normal = self.self_made_button.background_color = chosen
        self.purpose_button.disabled = self.self_made_button.disabled = finished
        self.suggestion.text = p.suggestion_text()
        self.suggestion.height = dp(22) if self.suggestion.text else 0
        self.basket_title.text = t("ui.equipment.basket")
        basket = [((lang, id(p), p.phase, code, quantity),
                   lambda code=code, name=name, quantity=quantity:
                   self._basket_line(p, code, name, quantity))
                  for code, name, quantity, unit in p.basket_rows()]
        if not basket:
            basket = [((lang, "empty"), lambda: Txt(t("ui.equipment.empty_basket"),
                                                    size=theme.FONT_SMALL, colour=theme.MUTED,
                                                    fit=True))]
        self.basket_list.sync(basket)
        self._sync_stock(p, lang)
        self.keyboard = None
        receipt = p.receipt
        payload = receipt.qr_payload if receipt else None
        self.qr.show(payload)
        self.qr.height = dp(120) if payload else 0
        if receipt:
            self.message.text = receipt.text

    def _sync_stock(self, p, lang) -> None:
        rows = p.stock_rows()
        self.stock_title.text = t("ui.equipment.stock_shown", n=len(rows)) if (
            p.filter_text or p.filter_subject) else t("ui.equipment.stock")
        items = [((lang, id(p), row.code, row.on_hand, row.quantity, row.reserved),
                  lambda row=row: self._stock_line(p, row)) for row in rows]
        if not items:
            items = [((lang, "none"), lambda: Txt(t("ui.equipment.stock_none"),
                                                  size=theme.FONT_SMALL, colour=theme.MUTED,
                                                  fit=True))]
        self.stock_list.sync(items)

    def _draw_filter(self, p) -> None:
        """The filter typed on the on-screen keyboard, the list narrowing above it."""
        if self.filter_view.parent is not self.content:
            self.content.clear_widgets()
            self.filter_view.clear_widgets()
            if self.stock_list.parent is not None:
                self.stock_list.parent.remove_widget(self.stock_list)
            row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
            field = Panel(bg=theme.CARD, padding=(dp(8), 0))
            self.filter_field = Txt("", size=theme.FONT_BODY, shorten=True, shorten_from="left")
            field.add_widget(self.filter_field)
            row.add_widget(field)
            row.add_widget(BigButton(t("ui.equipment.clear"), p.clear_filter,
                                     colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                     size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                     size_hint_x=None, width=dp(80)))
            self.filter_subject_button = BigButton("", p.toggle_subject_filter,
                                                   colour=theme.BUTTON_QUIET,
                                                   text_colour=theme.TEXT,
                                                   size=theme.FONT_SMALL,
                                                   height=theme.TOUCH_MIN, size_hint_x=0.4,
                                                   shorten=True)
            row.add_widget(self.filter_subject_button)
            self.filter_view.add_widget(row)
            self.filter_view.add_widget(self.stock_list)
            self.filter_keyboard = TelexKeyboard(p.filter_key, p.close_filter, digits=False,
                                                 size_hint_y=None, height=dp(4 * 52))
            self.filter_view.add_widget(self.filter_keyboard)
            self.content.add_widget(self.filter_view)
        self.filter_field.text = _with_cursor(p.filter_text)
        self.filter_subject_button.text = p.subject_filter_label()
        self.filter_subject_button.disabled = p.long_term or not p.subject
        self._sync_stock(p, current_language())
        self.keyboard = None

    def _fit_message(self) -> None:
        self.message_box.height = 0 if self._compact else max(dp(28), self.message.height)

    def _draw_footer(self, p) -> None:
        self.footer.clear_widgets()
        # The keyboards need the room: the title's last row has Back, the filter's has Xong.
        compact = p.step == "title" or (p.step == "items" and p.filter_open)
        self.footer.height = 0 if compact else dp(theme.BUTTON_H)
        self.footer.opacity = 0 if compact else 1
        self._compact = compact
        self._fit_message()
        self.message_box.opacity = 0 if compact else 1
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
            self.footer.add_widget(BigButton(p.confirm_label, p.confirm,
                                             colour=theme.BUTTON_DONE, size_hint_x=None,
                                             width=dp(200), disabled=not p.can_confirm))


def _with_cursor(text: str) -> str:
    """A field's text with the cursor after it (where the next key goes)."""
    return f"{text}|"
