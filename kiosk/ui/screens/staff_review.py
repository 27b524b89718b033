"""The staff's review: the tabs along the header ("Khác" lists them all when some do not fit),
each tab's content below, each tab's own message line at the bottom. A day's transactions (the
day from a calendar, filters from a list), void with a confirmation and an undo, reprint;
search; overdue books by class (printable slips) and overdue equipment; declaring; sync, clock
and device status; the day's summary by class."""
from __future__ import annotations

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.clock_trust import clock_message
from kiosk.i18n import current_language, t
from kiosk.presenters.staff_declare import STORES
from kiosk.presenters.staff_review import FILTERS, TABS, device_text
from kiosk.sync.present import format_moment
from kiosk.ui import theme
from kiosk.ui.pickers import month_grid, option_grid
from kiosk.ui.screens.base import KioskScreen
from kiosk.presenters.staff_reports import QUOTA_STEPS, TERMS, VIEWS, VISIT_STEPS
from kiosk.ui.charts import BarChart, LineChart
from kiosk.ui.screens.staff_search import draw_search
from kiosk.ui.screens.staff_stock import draw_stock
from kiosk.ui.widgets import BigButton, Line, Panel, ScrollList, TelexKeyboard, Txt

#: Room around a tab's label.
TAB_PAD = 20
GAP = 4


def age_text(seconds: float) -> str:
    """'3 phút', '5 giờ', '28 ngày'."""
    minutes = int(seconds // 60)
    if minutes < 120:
        return t("ui.staff.age_minutes", n=minutes)
    if minutes < 48 * 60:
        return t("ui.staff.age_hours", n=minutes // 60)
    return t("ui.staff.age_days", n=minutes // 1440)


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is drawn in the kiosk's font at ``size`` sp."""
    label = CoreLabel(text=text, font_size=sp(size), font_name=theme.FONT_NAME_IN_USE)
    label.refresh()
    return label.texture.size[0] if label.texture else len(text) * sp(size) * 0.6


class StaffReviewScreen(KioskScreen):
    """Tabs in the header, the tab's content below, its message at the bottom."""

    def build(self) -> None:
        # The header holds the tabs (the staff member's name is on the sign-out button).
        self.title.size_hint_x = None
        self.title.width = 0
        self.header_extra.size_hint_x = 1
        # The tabs that fit, then "Khác ▾" with every tab when some do not (more are coming).
        self.tabs = BoxLayout(spacing=dp(GAP))
        self.header_extra.add_widget(self.tabs)
        self.sign_out = BigButton("", lambda: self.presenter.sign_out(),
                                  colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                  size=theme.FONT_SMALL, size_hint=(None, None), width=dp(136),
                                  height=theme.TOUCH_MIN, shorten=True)
        self.header_extra.add_widget(self.sign_out)
        self.content = BoxLayout(orientation="vertical", spacing=dp(4))
        self.body.add_widget(self.content)
        self.message = Txt("", size=theme.FONT_SMALL, size_hint_y=None, height=dp(24),
                           shorten=True, shorten_from="right")
        self.body.add_widget(self.message)
        self.body.spacing = dp(4)
        self._typing_field = None
        self._typing_found = None
        self.tx_list = ScrollList(spacing=2)

    def update(self) -> None:
        p = self.presenter
        self.title.text = ""
        self.sign_out.text = t("ui.staff.sign_out_as", name=p.staff.name.split()[-1])
        typing = p.typing
        self._draw_tabs(p, typing)
        if typing and self._typing_field is not None:
            text = {"declare": lambda: p.declaring.typed_text,
                    "stock": lambda: p.stock.decision.text,
                    "search": lambda: p.searching.query.text}.get(p.tab, lambda: p.reason.text)()
            self._typing_field.text = text or " "  # keep the keyboard (and its shift)
            if p.tab == "search" and self._typing_found is not None:
                self._typing_found.text = p.searching.found_text
        else:
            self._typing_field = None
            self._typing_found = None
            self.content.clear_widgets()
            if p.tab_menu:
                self.content.add_widget(option_grid(
                    t("ui.staff.all_tabs"), [(tab, p.tab_label(tab)) for tab in TABS], p.tab,
                    p.show_tab, p.close_tab_menu, self._content_width()))
            else:
                getattr(self, f"_draw_{p.tab}")(p)
        receipt = p.receipt
        self.message.text = "  ".join(x for x in (p.message_text, receipt.text if receipt else "")
                                      if x)
        self.message.color = theme.REFUSED if (receipt and receipt.qr_payload) or \
            not p.message_ok else theme.OK

    def _content_width(self) -> float:
        return (self.width if self.width > 100 else Window.width) - dp(2 * theme.PAD)

    def _tabs_room(self) -> float:
        """The header's width left for the tabs."""
        header = self.width if self.width > 100 else Window.width
        return (header - dp(20) - self.lang_button.width - self.sign_out.width
                - dp(3 * 8))

    def _draw_tabs(self, p, typing: bool) -> None:
        # The keyboard is modal: no tabs while typing (OK / Cancel leave it).
        self.tabs.opacity = 0 if typing else 1
        self.tabs.disabled = typing
        more = t("ui.staff.more_tabs")
        widths = {tab: max(dp(64), text_width(p.tab_label(tab), theme.FONT_SMALL) + dp(TAB_PAD))
                  for tab in TABS}
        room = self._tabs_room()
        shown = list(TABS)
        if sum(widths.values()) + dp(GAP) * len(TABS) > room:
            room -= text_width(more, theme.FONT_SMALL) + dp(TAB_PAD + GAP)
            shown, used = [], 0.0
            for tab in TABS:
                if used + widths[tab] + dp(GAP) <= room:
                    shown.append(tab)
                    used += widths[tab] + dp(GAP)
            if p.tab not in shown and shown:
                shown[-1] = p.tab  # the chosen tab is always in sight
        key = (tuple(shown), p.tab, p.tab_menu, current_language(), typing, room)
        if getattr(self, "_tabs_shown", None) == key:
            return
        self._tabs_shown = key
        self.tabs.clear_widgets()
        for tab in shown:
            chosen = tab == p.tab and not p.tab_menu
            self.tabs.add_widget(BigButton(
                p.tab_label(tab), lambda x=tab: p.show_tab(x), size=theme.FONT_SMALL,
                colour=theme.SELECTED if chosen else theme.BUTTON,
                text_colour=theme.TEXT if chosen else (1, 1, 1, 1), size_hint=(None, 1),
                width=widths[tab]))
        if len(shown) < len(TABS):
            self.tabs.add_widget(BigButton(
                more, p.open_tab_menu, size=theme.FONT_SMALL,
                colour=theme.SELECTED if p.tab_menu else theme.BUTTON_QUIET,
                text_colour=theme.TEXT, size_hint=(None, 1),
                width=text_width(more, theme.FONT_SMALL) + dp(TAB_PAD)))
        self.tabs.add_widget(BoxLayout())

    # -- the day and the filters ------------------------------------------------------------
    def _day_row(self, p, with_filters: bool) -> BoxLayout:
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        row.add_widget(BigButton("◀", lambda: p.step_day(-1), size=theme.FONT_BODY,
                                 size_hint=(None, 1), width=dp(52)))
        row.add_widget(BigButton(p.day_label, p.open_day_picker, colour=theme.CARD,
                                 text_colour=theme.TEXT, size=theme.FONT_SMALL,
                                 size_hint=(None, 1), width=dp(140), shorten=True))
        forward = BigButton("▶", lambda: p.step_day(+1), size=theme.FONT_BODY,
                            size_hint=(None, 1), width=dp(52))
        forward.disabled = not p.can_step_forward
        row.add_widget(forward)
        if with_filters:
            for name in FILTERS:
                active = p.filters[name] is not None
                row.add_widget(BigButton(p.filter_label(name) + " ▾",
                                         lambda n=name: p.open_picker(n),
                                         size=theme.FONT_SMALL, size_hint_y=1,
                                         colour=theme.SELECTED if active
                                         else theme.BUTTON_QUIET,
                                         text_colour=theme.TEXT, shorten=True))
        else:
            row.add_widget(BoxLayout())
        return row

    def _draw_pickers(self, p) -> bool:
        """The open calendar or filter list, if any (True when one was drawn)."""
        if p.day_picker is not None:
            self.content.add_widget(month_grid(p.day_picker, p.day, p.show_day, p.step_month,
                                               p.close_day_picker))
            return True
        if p.picking is not None:
            self.content.add_widget(option_grid(
                t(f"ui.staff.pick_{p.picking}"), p.picker_options(), p.filters[p.picking],
                p.pick, p.close_picker, self._content_width()))
            return True
        return False

    # -- transactions -----------------------------------------------------------------------
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
        if self._draw_pickers(p):
            return
        self.content.add_widget(self._day_row(p, with_filters=True))
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
        self.content.add_widget(self._actions(p))

    def _actions(self, p) -> BoxLayout:
        """Under the list, always its room (a tapped row is never covered): a hint, the
        void reasons, the confirmation, or the undo; and the reprint."""
        selected = p.selected
        tall = p.confirming is not None
        actions = BoxLayout(size_hint_y=None, height=dp(theme.BUTTON_H if tall
                                                       else theme.TOUCH_MIN), spacing=dp(4))
        small = dict(size=theme.FONT_SMALL, size_hint_y=1)
        if selected is None:
            actions.add_widget(Txt(t("ui.staff.select_hint"), size=theme.FONT_SMALL,
                                   colour=theme.MUTED))
            return actions
        if p.confirming is not None:
            actions.add_widget(Txt(t("ui.staff.confirm_void", title=selected.title,
                                     code=selected.code, who=selected.patron_name,
                                     reason=p.confirming), size=theme.FONT_SMALL,
                                   colour=theme.REFUSED, bold=True))
            actions.add_widget(BigButton(t("ui.staff.confirm_void_button"), p.confirm_void,
                                         colour=theme.BUTTON_DANGER, size_hint_x=None,
                                         width=dp(170), **small))
            actions.add_widget(BigButton(t("ui.staff.keep"), p.cancel_void,
                                         colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                         size_hint_x=None, width=dp(120), **small))
            return actions
        if not selected.voided and selected.direction == "out":
            actions.add_widget(Txt(t("ui.staff.reason"), size=theme.FONT_SMALL,
                                   size_hint_x=None, width=dp(80)))
            for key, label in p.void_reasons():
                actions.add_widget(BigButton(label, lambda k=key: p.void_selected(k),
                                             colour=theme.BUTTON_DANGER, **small))
            actions.add_widget(BigButton(t("ui.staff.other_reason"), p.start_typed_reason,
                                         colour=theme.BUTTON_DANGER, **small))
        elif p.can_undo:
            actions.add_widget(Txt(t("ui.staff.voided_here"), size=theme.FONT_SMALL,
                                   colour=theme.MUTED))
            actions.add_widget(BigButton(t("ui.staff.undo_void"), p.undo_void,
                                         colour=theme.BUTTON, size_hint_x=None, width=dp(190),
                                         **small))
        else:
            actions.add_widget(BoxLayout())
        actions.add_widget(BigButton(t("ui.staff.reprint"), lambda: p.reprint(),
                                     size_hint_x=None, width=dp(140), **small))
        return actions

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

    # -- search -------------------------------------------------------------------------------
    def _draw_search(self, p) -> None:
        draw_search(self, p)

    # -- overdue ------------------------------------------------------------------------------
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
        if p.overdue_equipment:
            items.append(Txt(t("ui.staff.overdue_equipment", n=len(p.overdue_equipment)),
                             size=theme.FONT_BODY, bold=True, fit=True))
            for row in p.overdue_equipment:
                quantity = f" ×{row.quantity}" if row.quantity > 1 else ""
                lesson = f", {t('ui.staff.class_of', name=row.class_name)}" \
                    if row.class_name else ""
                items.append(Line(f"{row.patron_name}: {row.title} ({row.code}){quantity}"
                                  f"{lesson} – " + t("ui.staff.days_late", n=row.days_late),
                                  False, size=theme.FONT_SMALL))
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
            hint = declaring.existing_text() or t("ui.declare.code_scheme")
        offered = form.kind == "equipment" and (form.existing or form.offers)
        row.add_widget(Txt(hint, size=theme.FONT_SMALL, colour=theme.TEXT if offered
                           else theme.MUTED, size_hint_x=1.4))
        if offered:
            # More of a kind already declared: added to it, not a second kind of the same name.
            row.add_widget(toggle(t("ui.declare.add_to_existing"), form.existing is not None,
                                  (lambda: declaring.new_kind()) if form.existing else
                                  (lambda c=form.offers[0].code: declaring.use_existing(c)),
                                  shorten=True))
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
        row.add_widget(BigButton(declaring.submit_label, declaring.submit,
                                 colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                 size_hint_y=1))
        self.content.add_widget(row)
        self.content.add_widget(BoxLayout())

    # -- reports ------------------------------------------------------------------------------
    def _toggle(self, label, chosen, action, **kw):
        kw.setdefault("size_hint_y", 1)
        return BigButton(label, action, colour=theme.SELECTED if chosen else theme.BUTTON_QUIET,
                         text_colour=theme.TEXT, size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                         **kw)

    def _draw_reports(self, p) -> None:
        r = p.reporting
        views = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        for view in VIEWS:
            views.add_widget(self._toggle(r.view_label(view), r.view == view,
                                          lambda v=view: r.show(v), shorten=True))
        if r.view in ("usage", "reading"):
            views.add_widget(BigButton(r.term_label, r.cycle_term, size=theme.FONT_SMALL,
                                       size_hint_y=1, size_hint_x=None, width=dp(150),
                                       shorten=True))
        self.content.add_widget(views)
        if r.computing == r.view:
            # A year's report takes seconds: it runs on the reader thread; the screen stays live.
            self.content.add_widget(Txt(t("ui.reports.computing"), size=theme.FONT_TITLE,
                                        halign="center", colour=theme.MUTED))
            return
        getattr(self, f"_draw_reports_{r.view}")(r)

    def _draw_reports_usage(self, r) -> None:
        row = BoxLayout(spacing=dp(8))
        groups = ScrollList(size_hint_x=0.42)
        items = []
        for name, required, recorded, percent in r.usage_groups():
            share = "—" if percent is None else f"{percent:g}%".replace(".", ",")
            items.append(Line(t("ui.reports.group_line", group=name, recorded=recorded,
                                required=required, share=share),
                              None if percent is None else percent >= 100,
                              size=theme.FONT_SMALL))
        if r.usage is not None and not r.usage.has_quotas:
            items.append(Txt(t("report.no_quotas"), size=theme.FONT_SMALL, colour=theme.MUTED,
                             fit=True))
        groups.set_items(items)
        row.add_widget(groups)
        chart = BarChart(t("ui.reports.chart_usage"))
        chart.set_rows(r.usage_bars()[:12])
        row.add_widget(chart)
        self.content.add_widget(row)

    def _draw_reports_reading(self, r) -> None:
        row = BoxLayout(spacing=dp(8))
        bars = BarChart(t("report.chart_classes"))
        bars.set_rows(r.reading_bars()[:16])
        row.add_widget(bars)
        line = LineChart(t("ui.reports.chart_months"), size_hint_x=0.8)
        line.set_rows(r.reading_months())
        row.add_widget(line)
        self.content.add_widget(row)
        self.content.add_widget(Txt(r.reading_summary(), size=theme.FONT_SMALL,
                                    size_hint_y=None, height=dp(26)))

    def _draw_reports_visit(self, r) -> None:
        row = BoxLayout(spacing=dp(8))
        classes = ScrollList(size_hint_x=0.55)
        from kivy.uix.gridlayout import GridLayout
        grid = GridLayout(cols=4, spacing=dp(4), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for name in r.classes:
            grid.add_widget(self._toggle(name, name == r.visit_class,
                                         lambda n=name: r.choose_visit_class(n),
                                         size_hint_y=None))
        classes.set_items([grid])
        row.add_widget(classes)
        right = BoxLayout(orientation="vertical", spacing=dp(4))
        right.add_widget(Txt(t("ui.reports.visit_class", name=r.visit_class)
                             if r.visit_class else t("ui.reports.visit_pick"),
                             size=theme.FONT_BODY, bold=True, size_hint_y=None, height=dp(30)))
        steps = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        for delta in VISIT_STEPS[:2]:
            steps.add_widget(BigButton(f"{delta}", lambda d=delta: r.step_visitors(d),
                                       size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                       disabled=not r.visit_class))
        steps.add_widget(Txt(str(r.visit_students if r.visit_class else "–"),
                             size=theme.FONT_TITLE, halign="center"))
        for delta in VISIT_STEPS[2:]:
            steps.add_widget(BigButton(f"+{delta}", lambda d=delta: r.step_visitors(d),
                                       size=theme.FONT_SMALL, height=theme.TOUCH_MIN,
                                       disabled=not r.visit_class))
        right.add_widget(steps)
        right.add_widget(BigButton(t("ui.reports.visit_record"), r.record_visit,
                                   colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                   height=theme.TOUCH_MIN, disabled=not r.visit_class))
        recent = ScrollList()
        lines = []
        for visit in r.visits[:8]:
            line = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
            text = t("ui.reports.visit_line", day=visit.date.strftime("%d/%m"),
                     name=visit.class_name, n=visit.students)
            line.add_widget(Line(text + (f"  [{t('ui.staff.voided')}]" if visit.voided else ""),
                                 None if visit.voided else True, size=theme.FONT_SMALL))
            if not visit.voided:
                line.add_widget(BigButton(t("ui.reports.visit_void"),
                                          lambda v=visit.id: r.void_visit(v),
                                          colour=theme.BUTTON_DANGER, size=theme.FONT_SMALL,
                                          size_hint_x=None, width=dp(80),
                                          height=theme.TOUCH_MIN))
            lines.append(line)
        recent.set_items(lines or [Txt(t("ui.reports.visit_none"), size=theme.FONT_SMALL,
                                       colour=theme.MUTED, fit=True)])
        right.add_widget(recent)
        row.add_widget(right)
        self.content.add_widget(row)

    def _draw_reports_quotas(self, r) -> None:
        terms = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        for term in TERMS:
            terms.add_widget(self._toggle(t(f"report.term_{term}"), r.quota_term == term,
                                          lambda x=term: r.set_quota_term(x)))
        terms.add_widget(BigButton(t("ui.reports.quota_save"), r.save_quotas,
                                   colour=theme.BUTTON_DONE, size=theme.FONT_SMALL, size_hint_y=1,
                                   disabled=not r.quota_dirty))
        self.content.add_widget(terms)
        listing = ScrollList()
        lines = []
        for index, line in enumerate(r.quota_lines):
            row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
            row.add_widget(Txt(line.label, size=theme.FONT_SMALL))
            row.add_widget(BigButton("-", lambda i=index: r.step_quota(i, -1), size_hint_x=None,
                                     width=dp(theme.TOUCH_MIN), height=theme.TOUCH_MIN,
                                     size=theme.FONT_TITLE))
            row.add_widget(Txt("—" if line.periods is None else str(line.periods),
                               size=theme.FONT_TITLE, halign="center", size_hint_x=None,
                               width=dp(56)))
            for delta in QUOTA_STEPS[1:]:
                row.add_widget(BigButton(f"+{delta}", lambda i=index, d=delta: r.step_quota(i, d),
                                         size_hint_x=None, width=dp(64), height=theme.TOUCH_MIN,
                                         size=theme.FONT_SMALL))
            lines.append(row)
        listing.set_items(lines or [Txt(t("ui.reports.quota_none"), size=theme.FONT_SMALL,
                                        colour=theme.MUTED, fit=True)])
        self.content.add_widget(listing)
    def _draw_stock(self, p) -> None:
        draw_stock(self, p)

    def _draw_status(self, p) -> None:
        s = p.sync
        lines = [Txt(t("ui.staff.database_title"), size=theme.FONT_BODY, bold=True, fit=True),
                 Line(p.database_line(), p.database.reachable, size=theme.FONT_SMALL),
                 Txt(t("ui.staff.sync_title"), size=theme.FONT_BODY, bold=True, fit=True),
                 Line(t("ui.staff.sync_last_success",
                        at=format_moment(s.last_success_at, p.flow.context.clock)),
                      True if s.last_success_at else None, size=theme.FONT_SMALL),
                 Line(t("ui.staff.sync_pending", n=s.pending), None, size=theme.FONT_SMALL),
                 Line(t("ui.staff.sync_dead", n=s.dead), not s.dead, size=theme.FONT_SMALL)]
        if s.oldest_pending_age_s is not None:
            lines.append(Line(t("ui.staff.sync_oldest", age=age_text(s.oldest_pending_age_s)),
                              None, size=theme.FONT_SMALL))
        if s.failing and s.last_error:
            lines.append(Line(t("ui.staff.sync_last_error", error=s.last_error), False,
                              size=theme.FONT_SMALL))
        for dead in s.dead_letters[:5]:
            kind = t(f"ui.record.{dead.type.replace('.', '_')}")
            lines.append(Line(f"{kind} {dead.record_id[:13]}…: {dead.reason}", False,
                              size=theme.FONT_SMALL))
        if p.declarations_line:
            lines.append(Line(p.declarations_line, None, size=theme.FONT_SMALL))
        clock = p.flow.context.clock
        lines.append(Txt(t("clock.title"), size=theme.FONT_BODY, bold=True, fit=True))
        lines.append(Line(clock_message(clock), not clock.suspect, size=theme.FONT_SMALL))
        lines.append(Txt(t("ui.staff.devices_title"), size=theme.FONT_BODY, bold=True, fit=True))
        for device in p.devices:
            lines.append(Line(device_text(device), device.ok, size=theme.FONT_SMALL))
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

    # -- the day's summary --------------------------------------------------------------------
    def _draw_summary(self, p) -> None:
        if self._draw_pickers(p):
            return
        self.content.add_widget(self._day_row(p, with_filters=False))
        s = p.summary
        figures = Panel(bg=theme.CARD, orientation="vertical", padding=(dp(10), dp(6)),
                        spacing=dp(2), size_hint_y=None, height=dp(96))
        if s is not None:
            for pair in ((("books_out", s.books_borrowed), ("books_back", s.books_returned),
                          ("patrons", s.patrons)),
                         (("equipment_out", s.equipment_borrowed),
                          ("equipment_back", s.equipment_returned), ("voided", s.voided)),
                         (("overdue", s.overdue),)):
                row = BoxLayout(spacing=dp(8))
                for key, value in pair:
                    row.add_widget(Txt(t(f"ui.staff.summary_{key}", n=value),
                                       size=theme.FONT_SMALL))
                for _ in range(3 - len(pair)):
                    row.add_widget(BoxLayout())
                figures.add_widget(row)
        self.content.add_widget(figures)
        rows = [Txt(t("ui.staff.summary_by_class"), size=theme.FONT_SMALL, bold=True, fit=True)]
        for counts in (s.by_class if s else ()):
            rows.append(Line(t("ui.staff.summary_class_line",
                               name=counts.class_name or t("ui.staff.no_class"),
                               books_out=counts.books_borrowed, books_back=counts.books_returned,
                               equipment_out=counts.equipment_borrowed,
                               equipment_back=counts.equipment_returned), None,
                             size=theme.FONT_SMALL))
        if s is None or not s.by_class:
            rows.append(Txt(t("ui.staff.no_rows"), size=theme.FONT_SMALL, colour=theme.MUTED,
                            fit=True))
        listing = ScrollList(spacing=2)
        listing.set_items(rows)
        self.content.add_widget(listing)
        self.content.add_widget(BigButton(t("ui.staff.print_summary"), p.print_summary,
                                          size=theme.FONT_SMALL, height=theme.TOUCH_MIN))
