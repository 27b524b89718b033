"""The staff's review of the day: today's transactions (filters; void with a reason; reprint),
overdue loans by class (printable slips), sync and device status, the end-of-day summary."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.clock_trust import clock_message
from kiosk.i18n import current_language, t
from kiosk.presenters.staff_declare import STORES
from kiosk.presenters.staff_review import FILTERS, TABS
from kiosk.sync.present import format_moment
from kiosk.ui import theme
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.staff_stock import draw_stock
from kiosk.ui.widgets import BigButton, Line, Panel, ScrollList, TelexKeyboard, Txt


def age_text(seconds: float) -> str:
    """'3 phút', '5 giờ', '28 ngày'."""
    minutes = int(seconds // 60)
    if minutes < 120:
        return t("ui.staff.age_minutes", n=minutes)
    if minutes < 48 * 60:
        return t("ui.staff.age_hours", n=minutes // 60)
    return t("ui.staff.age_days", n=minutes // 1440)


class StaffReviewScreen(KioskScreen):
    """Tabs on top, the tab's content below."""

    def build(self) -> None:
        self.sign_out = BigButton("", lambda: self.presenter.sign_out(),
                                  colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                  size=theme.FONT_SMALL, size_hint=(None, None), width=dp(130),
                                  height=theme.TOUCH_MIN)
        self.header_extra.width = dp(130)
        self.header_extra.add_widget(self.sign_out)
        self.tabs = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        self.body.add_widget(self.tabs)
        self.content = BoxLayout(orientation="vertical", spacing=dp(6))
        self.body.add_widget(self.content)
        self.message = Txt("", size=theme.FONT_SMALL, size_hint_y=None, height=dp(24))
        self.body.add_widget(self.message)
        self._typing_field = None
        self.tx_list = ScrollList()

    def update(self) -> None:
        p = self.presenter
        self.title.text = p.staff.name
        self.sign_out.text = t("ui.staff.sign_out")
        typing = ((p.tab == "declare" and p.declaring.form.typing)
                  or (p.tab == "transactions" and p.typing_reason)
                  or (p.tab == "stock" and p.stock.typing_decision))
        self.tabs.clear_widgets()
        # The keyboard is modal and needs the room: no tabs while typing (OK / Cancel leave it).
        self.tabs.height = 0 if typing else dp(theme.TOUCH_MIN)
        self.tabs.opacity = 0 if typing else 1
        for tab in () if typing else TABS:
            chosen = tab == p.tab
            self.tabs.add_widget(BigButton(
                p.tab_label(tab), lambda x=tab: p.show_tab(x), size=theme.FONT_SMALL,
                colour=theme.SELECTED if chosen else theme.BUTTON,
                text_colour=theme.TEXT if chosen else (1, 1, 1, 1), size_hint_y=1))
        if typing and self._typing_field is not None:
            text = {"declare": lambda: p.declaring.typed_text,
                    "stock": lambda: p.stock.decision.text}.get(p.tab, lambda: p.reason.text)()
            self._typing_field.text = text or " "  # keep the keyboard (and its shift)
        else:
            self._typing_field = None
            self.content.clear_widgets()
            getattr(self, f"_draw_{p.tab}")(p)
        receipt = p.receipt
        self.message.text = "  ".join(x for x in (p.message_text, receipt.text if receipt else "")
                                      if x)
        self.message.color = theme.REFUSED if (receipt and receipt.qr_payload) or \
            not p.message_ok else theme.OK

    def _draw_transactions(self, p) -> None:
        if p.typing_reason and p.selected is not None:
            self.content.add_widget(Txt(f"{t('ui.staff.reason')} {p.selected.title} "
                                        f"({p.selected.code}) – {p.selected.patron_name}",
                                        size=theme.FONT_SMALL, size_hint_y=None, height=dp(24)))
            field = Panel(bg=theme.CARD, size_hint_y=None, height=dp(theme.TOUCH_MIN),
                          padding=(dp(8), 0))
            self._typing_field = Txt(p.reason.text or " ", size=theme.FONT_BODY)
            field.add_widget(self._typing_field)
            self.content.add_widget(field)
            self.content.add_widget(TelexKeyboard(
                p.reason_key, p.submit_typed_reason,
                extra=[(t("ui.common.cancel"), p.cancel_typed_reason)]))
            return
        filters = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        for name in FILTERS:
            active = p.filters[name] is not None
            filters.add_widget(BigButton(p.filter_label(name), lambda n=name: p.cycle_filter(n),
                                         size=theme.FONT_SMALL, size_hint_y=1,
                                         colour=theme.SELECTED if active else theme.BUTTON_QUIET,
                                         text_colour=theme.TEXT, shorten=True))
        self.content.add_widget(filters)
        lang = current_language()
        items = []
        for row in p.rows:
            chosen = p.selected is not None and (row.loan_id, row.direction) == (
                p.selected.loan_id, p.selected.direction)
            items.append(((lang, row.loan_id, row.direction, row.voided, chosen),
                          lambda row=row, chosen=chosen: self._row_button(p, row, chosen)))
        if not items:
            items = [((lang, "none"), lambda: Txt(t("ui.staff.no_rows"), size=theme.FONT_SMALL,
                                                  colour=theme.MUTED, fit=True))]
        # One list kept across redraws: tapping a row recolours it where it is, the list does
        # not jump back to the top.
        self.content.add_widget(self.tx_list)
        self.tx_list.sync(items)
        # The action row always takes its room, so a tapped row is never covered by it.
        actions = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        self.content.add_widget(actions)
        if p.selected is None:
            actions.add_widget(Txt(t("ui.staff.select_hint"), size=theme.FONT_SMALL,
                                   colour=theme.MUTED))
        else:
            if not p.selected.voided and p.selected.direction == "out":
                actions.add_widget(Txt(t("ui.staff.reason"), size=theme.FONT_SMALL,
                                       size_hint_x=None, width=dp(80)))
                for key, label in p.void_reasons():
                    actions.add_widget(BigButton(label, lambda k=key: p.void_selected(k),
                                                 colour=theme.BUTTON_DANGER,
                                                 size=theme.FONT_SMALL, size_hint_y=1))
                actions.add_widget(BigButton(t("ui.staff.other_reason"), p.start_typed_reason,
                                             colour=theme.BUTTON_DANGER, size=theme.FONT_SMALL,
                                             size_hint_y=1))
            else:
                actions.add_widget(BoxLayout())
            actions.add_widget(BigButton(t("ui.staff.reprint"), lambda: p.reprint(),
                                         size=theme.FONT_SMALL, size_hint_y=1,
                                         size_hint_x=None, width=dp(150)))

    def _row_button(self, p, row, chosen: bool) -> BigButton:
        direction = t(f"ui.staff.direction_{row.direction}")
        text = (f"{row.at:%H:%M}  {direction}  {row.title} ({row.code})"
                + (f" ×{row.quantity}" if row.quantity > 1 else "")
                + f" – {row.patron_name}" + (f", {row.class_name}" if row.class_name else "")
                + (f"  [{t('ui.staff.voided')}]" if row.voided else ""))
        colour = theme.SELECTED if chosen else (theme.REFUSED_BG if row.voided else theme.CARD)
        return BigButton(text, lambda: p.select(row.loan_id, row.direction), colour=colour,
                         text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                         height=theme.TOUCH_MIN, shorten=True)

    def _draw_overdue(self, p) -> None:
        items = []
        for class_name, rows in p.overdue.items():
            head = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
            head.add_widget(Txt(f"{class_name or '—'} ({len(rows)})", size=theme.FONT_BODY,
                                bold=True))
            head.add_widget(BigButton(t("ui.staff.print_slips"),
                                      lambda c=class_name: p.print_overdue(c),
                                      size=theme.FONT_SMALL, size_hint_x=None, width=dp(180),
                                      height=theme.TOUCH_MIN))
            items.append(head)
            for row in rows:
                line = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
                line.add_widget(Line(f"{row.patron_name}: {row.title} ({row.code}) – "
                                     + t("ui.staff.days_late", n=row.days_late), False,
                                     size=theme.FONT_SMALL))
                line.add_widget(BigButton(t("ui.staff.declare_lost"),
                                          lambda i=row.loan_id: p.declare_lost(i),
                                          colour=theme.BUTTON_DANGER, size=theme.FONT_SMALL,
                                          size_hint=(None, 1), width=dp(110)))
                items.append(line)
        if not items:
            items = [Txt(t("ui.staff.no_overdue"), size=theme.FONT_SMALL, colour=theme.MUTED,
                         fit=True)]
        listing = ScrollList()
        listing.set_items(items)
        self.content.add_widget(listing)

    def _draw_declare(self, p) -> None:
        declaring = p.declaring
        form = declaring.form

        def toggle(label, chosen, action, **kw):
            return BigButton(label, action, colour=theme.SELECTED if chosen else theme.BUTTON,
                             text_colour=theme.TEXT if chosen else (1, 1, 1, 1),
                             size=theme.FONT_SMALL, height=theme.TOUCH_MIN, size_hint_y=1, **kw)

        if form.typing:
            self.content.add_widget(Txt(declaring.field_label(form.field).split(":")[0],
                                        size=theme.FONT_SMALL, size_hint_y=None,
                                        height=dp(22)))
            field = Panel(bg=theme.CARD, size_hint_y=None, height=dp(theme.TOUCH_MIN),
                          padding=(dp(8), 0))
            self._typing_field = Txt(declaring.typed_text or " ", size=theme.FONT_BODY)
            field.add_widget(self._typing_field)
            self.content.add_widget(field)
            self.content.add_widget(TelexKeyboard(declaring.key, declaring.finish_field))
            return
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
        row.add_widget(toggle(t("ui.staff.kind_book"), form.kind == "book",
                              lambda: declaring.set(kind="book")))
        row.add_widget(toggle(t("ui.staff.kind_equipment"), form.kind == "equipment",
                              lambda: declaring.set(kind="equipment")))
        if form.kind == "book":
            hint = (t("ui.declare.known_isbn", isbn=form.isbn) if form.known is not None
                    else t("ui.staff.declare_isbn", isbn=form.isbn) if form.isbn
                    else t("ui.staff.declare_scan_isbn"))
        else:
            hint = t("ui.declare.code_scheme")
        row.add_widget(Txt(hint, size=theme.FONT_SMALL, colour=theme.MUTED, size_hint_x=1.4))
        self.content.add_widget(row)
        # Four fields a row (the room of 800x480); equipment's last row also says how it is
        # kept: labelled or counted.
        cells = [BigButton(declaring.field_label(name), lambda n=name: declaring.edit(n),
                           colour=theme.CARD if form.value(name) else theme.BUTTON_QUIET,
                           text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                           height=theme.TOUCH_MIN, shorten=True) for name in form.fields]
        if form.kind == "equipment":
            cells += [toggle(t("ui.staff.labelled"), form.labelled,
                             lambda: declaring.set(labelled=True)),
                      toggle(t("ui.staff.counted"), not form.labelled,
                             lambda: declaring.set(labelled=False))]
        grid = GridLayout(cols=4, spacing=dp(4), size_hint_y=None,
                          row_default_height=dp(theme.TOUCH_MIN), row_force_default=True)
        rows = (len(cells) + 3) // 4
        grid.height = dp(theme.TOUCH_MIN) * rows + dp(4) * (rows - 1)
        for cell in cells:
            grid.add_widget(cell)
        self.content.add_widget(grid)
        if form.kind == "book":
            row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
            for store in STORES:
                row.add_widget(toggle(declaring.store_label(store), form.store == store,
                                      lambda x=store: declaring.set(store=x)))
            self.content.add_widget(row)
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        row.add_widget(Txt(t("ui.staff.count"), size=theme.FONT_BODY, size_hint_x=None,
                           width=dp(86)))
        for label, delta in (("-10", -10), ("-1", -1)):
            row.add_widget(BigButton(label, lambda d=delta: declaring.step_count(d),
                                     size=theme.FONT_BODY, size_hint=(None, 1), width=dp(58)))
        row.add_widget(Txt(str(form.count), size=theme.FONT_TITLE, halign="center",
                           size_hint_x=None, width=dp(54)))
        for label, delta in (("+1", 1), ("+10", 10)):
            row.add_widget(BigButton(label, lambda d=delta: declaring.step_count(d),
                                     size=theme.FONT_BODY, size_hint=(None, 1), width=dp(58)))
        row.add_widget(BigButton(t("ui.staff.declare_submit"), declaring.submit,
                                 colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                 size_hint_y=1))
        self.content.add_widget(row)
        self.content.add_widget(BoxLayout())

    def _draw_stock(self, p) -> None:
        draw_stock(self, p)

    def _draw_status(self, p) -> None:
        s = p.sync
        lines = [Txt(t("ui.staff.database_title"), size=theme.FONT_BODY, bold=True, fit=True),
                 Line(p.database_line(), p.database.reachable, size=theme.FONT_SMALL),
                 Txt(t("ui.staff.sync_title"), size=theme.FONT_BODY, bold=True, fit=True),
                 Line(t("ui.staff.sync_pending", n=s.pending), None, size=theme.FONT_SMALL),
                 Line(t("ui.staff.sync_dead", n=s.dead), not s.dead, size=theme.FONT_SMALL)]
        if s.oldest_pending_age_s is not None:
            lines.append(Line(t("ui.staff.sync_oldest", age=age_text(s.oldest_pending_age_s)),
                              None, size=theme.FONT_SMALL))
        if s.last_success_at:
            at = format_moment(s.last_success_at, p.flow.context.clock)
            lines.append(Line(t("ui.staff.sync_last_success", at=at), True,
                              size=theme.FONT_SMALL))
        if s.failing and s.last_error:
            lines.append(Line(t("ui.staff.sync_last_error", error=s.last_error), False,
                              size=theme.FONT_SMALL))
        for record_id, kind, error in ((d.record_id, d.type, d.reason)
                                       for d in s.dead_letters[:5]):
            lines.append(Line(f"{kind} {record_id[:13]}…: {error}", False, size=theme.FONT_SMALL))
        clock = p.flow.context.clock
        lines.append(Txt(t("clock.title"), size=theme.FONT_BODY, bold=True, fit=True))
        lines.append(Line(clock_message(clock), not clock.suspect, size=theme.FONT_SMALL))
        lines.append(Txt(t("ui.staff.devices_title"), size=theme.FONT_BODY, bold=True, fit=True))
        for device in p.devices:
            state = t("ui.staff.device_ok") if device.ok else t("ui.staff.device_off")
            kind, _, sub = device.name.partition(":")
            name = t(f"ui.device.{kind}", kind=sub)
            lines.append(Line(f"{name}: {state} {device.detail}".strip(), device.ok,
                              size=theme.FONT_SMALL))
        listing = ScrollList()
        listing.set_items(lines)
        self.content.add_widget(listing)
        actions = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(8))
        actions.add_widget(BigButton(t("ui.staff.push_now"), p.push_now,
                                     size=theme.FONT_SMALL))
        retry = BigButton(t("ui.staff.retry_dead", n=s.dead), p.retry_dead_letters,
                          size=theme.FONT_SMALL)
        retry.disabled = not s.dead
        actions.add_widget(retry)
        self.content.add_widget(actions)

    def _draw_summary(self, p) -> None:
        s = p.summary
        box = Panel(bg=theme.CARD, orientation="vertical", padding=dp(10), spacing=dp(2))
        if s is not None:
            for key, value in (("books_out", s.books_borrowed), ("books_back", s.books_returned),
                               ("equipment_out", s.equipment_borrowed),
                               ("equipment_back", s.equipment_returned), ("voided", s.voided),
                               ("overdue", s.overdue)):
                box.add_widget(Txt(t(f"ui.staff.summary_{key}", n=value), size=theme.FONT_BODY))
        self.content.add_widget(box)
        self.content.add_widget(BigButton(t("ui.staff.print_summary"), p.print_summary))
