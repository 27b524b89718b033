"""The staff's "Kho" tab drawn into the review screen: incidents to resolve, the stock-take,
withdrawals (the presenter is :class:`kiosk.presenters.staff_stock.StockDesk`)."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.i18n import t
from kiosk.presenters.staff_stock import MODES, STORES
from kiosk.ui import theme
from kiosk.ui.widgets import BigButton, Line, Panel, ScrollList, TelexKeyboard, Txt


def _row(height=theme.TOUCH_MIN) -> BoxLayout:
    return BoxLayout(size_hint_y=None, height=dp(height), spacing=dp(4))


def _toggle(label, chosen, action, **kw) -> BigButton:
    return BigButton(label, action, colour=theme.SELECTED if chosen else theme.BUTTON,
                     text_colour=theme.TEXT if chosen else (1, 1, 1, 1), size=theme.FONT_SMALL,
                     height=theme.TOUCH_MIN, size_hint_y=1, **kw)


def draw_stock(screen, review) -> None:
    """Fill ``screen.content`` for the "Kho" tab."""
    desk = review.stock
    content = screen.content
    if desk.typing_decision:
        field = Panel(bg=theme.CARD, size_hint_y=None, height=dp(theme.TOUCH_MIN),
                      padding=(dp(8), 0))
        screen._typing_field = Txt(desk.decision.text or " ", size=theme.FONT_BODY)
        field.add_widget(screen._typing_field)
        content.add_widget(Txt(t("ui.stock.decision_hint"), size=theme.FONT_SMALL,
                               size_hint_y=None, height=dp(22)))
        content.add_widget(field)
        content.add_widget(TelexKeyboard(desk.decision_key, desk.finish_decision))
        return
    modes = _row()
    for mode in MODES:
        modes.add_widget(_toggle(desk.mode_label(mode), desk.mode == mode,
                                 lambda m=mode: desk.set_mode(m)))
    content.add_widget(modes)
    {"incidents": _incidents, "stocktake": _stocktake, "withdraw": _withdraw}[desk.mode](
        content, desk)


def _incidents(content, desk) -> None:
    items = [BigButton(desk.incident_text(i), lambda x=i.id: desk.select_incident(x),
                       colour=theme.SELECTED if i.id == desk.selected_incident else theme.CARD,
                       text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                       height=theme.TOUCH_MIN, shorten=True) for i in desk.incidents]
    if not items:
        items = [Txt(t("ui.stock.no_incidents"), size=theme.FONT_SMALL, colour=theme.MUTED,
                     fit=True)]
    listing = ScrollList()
    listing.set_items(items)
    content.add_widget(listing)
    actions = _row()
    choices = desk.resolutions()
    if not choices:
        actions.add_widget(Txt(t("ui.stock.select_incident"), size=theme.FONT_SMALL,
                               colour=theme.MUTED))
    for resolution, label in choices:
        actions.add_widget(BigButton(label, lambda r=resolution: desk.resolve(r),
                                     colour=theme.BUTTON_DANGER if resolution == "written_off"
                                     else theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                     size_hint_y=1))
    content.add_widget(actions)


def _stocktake(content, desk) -> None:
    progress = desk.progress
    if desk.take is None or progress is None:
        content.add_widget(Txt(t("ui.stock.open_stocktake"), size=theme.FONT_BODY, bold=True,
                               size_hint_y=None, height=dp(30)))
        row = _row(theme.BUTTON_H)
        for store in STORES:
            row.add_widget(BigButton(t(f"ui.staff.store_{store}"),
                                     lambda s=store: desk.start_stocktake("book", store=s),
                                     size=theme.FONT_SMALL, size_hint_y=1))
        row.add_widget(BigButton(t("ui.stock.all_equipment"),
                                 lambda: desk.start_stocktake("equipment"),
                                 size=theme.FONT_SMALL, size_hint_y=1))
        content.add_widget(row)
        if desk.minutes_files:
            content.add_widget(Txt(t("ui.stock.minutes_written", xlsx=desk.minutes_files[0],
                                     pdf=desk.minutes_files[1]), size=theme.FONT_SMALL,
                                   colour=theme.OK, fit=True))
        content.add_widget(BoxLayout())
        return
    take = desk.take
    scope = desk.flow.services.stocktake.scope_label(take)
    content.add_widget(Txt(t("ui.stock.session", ref=take.ref, scope=scope,
                             found=len(progress.found), expected=progress.expected),
                           size=theme.FONT_BODY, bold=True, size_hint_y=None, height=dp(28)))
    if desk.batch_files is not None:
        _batch_files(content, desk)
        return
    if desk.finishing:
        box = Panel(bg=theme.CARD, orientation="vertical", padding=dp(8), spacing=dp(2))
        for key, n in (("will_missing", len(progress.not_seen)),
                       ("will_found", sum(1 for e in progress.found if e.status == "lost")),
                       ("will_damaged", progress.damaged),
                       ("will_counts", sum(1 for _, c in progress.counted if c))):
            box.add_widget(Txt(t(f"ui.stock.{key}", n=n), size=theme.FONT_SMALL))
        content.add_widget(box)
        row = _row(theme.BUTTON_H)
        row.add_widget(BigButton(t("ui.stock.finish_confirm"), lambda: desk.finish(True),
                                 colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                 size_hint_y=1))
        row.add_widget(BigButton(t("ui.stock.finish_no_corrections"),
                                 lambda: desk.finish(False), colour=theme.BUTTON_DANGER,
                                 size=theme.FONT_SMALL, size_hint_y=1))
        row.add_widget(BigButton(t("ui.common.back"), desk.cancel_finish,
                                 colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                                 size=theme.FONT_SMALL, size_hint_y=1))
        content.add_widget(row)
        return
    figures = [("found", len(progress.found)), ("on_loan", len(progress.on_loan)),
               ("not_seen", len(progress.not_seen)), ("misplaced", len(progress.misplaced)),
               ("unknown", len(progress.unknown)), ("duplicates", progress.duplicates)]
    grid = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(4))
    for key, n in figures:
        cell = Panel(bg=theme.CARD, orientation="vertical", padding=(dp(4), dp(2)), spacing=0)
        cell.add_widget(Txt(str(n), size=theme.FONT_TITLE, bold=True, halign="center"))
        cell.add_widget(Txt(t(f"ui.stock.fig_{key}"), size=theme.FONT_SMALL - 3,
                            colour=theme.MUTED, halign="center"))
        grid.add_widget(cell)
    content.add_widget(grid)
    items = []
    if desk.last_scan is not None:
        items.append(Line(desk.last_scan.message, desk.last_scan.ok, size=theme.FONT_SMALL))
    for kind, counted in desk.counted_rows():
        row = _row()
        good = counted[0] if counted else 0
        row.add_widget(Txt(t("ui.stock.counted", name=kind.name, on_hand=kind.on_hand),
                           size=theme.FONT_SMALL, shorten=True))
        for label, delta in (("-1", -1), ("+1", 1), ("+10", 10)):
            row.add_widget(BigButton(label, lambda c=kind.code, d=delta: desk.step_count(c, d),
                                     size=theme.FONT_SMALL, size_hint=(None, 1),
                                     width=dp(56)))
        row.add_widget(Txt(str(good) if counted else "–", size=theme.FONT_BODY,
                           halign="center", size_hint_x=None, width=dp(48)))
        items.append(row)
    if not items:
        items = [Txt(t("ui.stock.scan_hint"), size=theme.FONT_SMALL, colour=theme.MUTED,
                     fit=True)]
    listing = ScrollList()
    listing.set_items(items)
    content.add_widget(listing)
    row = _row()
    row.add_widget(_toggle(t("ui.stock.damaged_next"), desk.damaged_next, desk.toggle_damaged))
    row.add_widget(BigButton(t("ui.stock.load_file"), desk.pick_batch_file,
                             size=theme.FONT_SMALL, size_hint_y=1))
    row.add_widget(BigButton(t("ui.stock.finish"), desk.ask_finish, colour=theme.BUTTON_DONE,
                             size=theme.FONT_SMALL, size_hint_y=1))
    content.add_widget(row)


def _batch_files(content, desk) -> None:
    """The batch files found on the USB sticks: a tap loads one."""
    content.add_widget(Txt(t("ui.stock.pick_file"), size=theme.FONT_SMALL, colour=theme.MUTED,
                           size_hint_y=None, height=dp(24)))
    items = [BigButton(desk.batch_file_label(found),
                       lambda p=str(found.path): desk.load_batch_file(p),
                       colour=theme.CARD, text_colour=theme.TEXT, size=theme.FONT_SMALL,
                       halign="left", height=theme.TOUCH_MIN, size_hint_y=None, shorten=True)
             for found in desk.batch_files]
    if not items:
        items = [Txt(t("ui.stock.no_files"), size=theme.FONT_SMALL, colour=theme.MUTED,
                     fit=True)]
    listing = ScrollList()
    listing.set_items(items)
    content.add_widget(listing)
    row = _row()
    row.add_widget(BigButton(t("ui.stock.look_again"), desk.pick_batch_file,
                             size=theme.FONT_SMALL, size_hint_y=1))
    row.add_widget(BigButton(t("ui.common.back"), desk.close_batch_files,
                             colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                             size=theme.FONT_SMALL, size_hint_y=1))
    content.add_widget(row)


def _withdraw(content, desk) -> None:
    items = [BigButton(f"{title} ({code})  ✕", lambda c=code: desk.remove_code(c),
                       colour=theme.CARD, text_colour=theme.TEXT, size=theme.FONT_SMALL,
                       halign="left", height=theme.TOUCH_MIN, shorten=True)
             for code, title in desk.withdraw_codes]
    if not items:
        items = [Txt(t("ui.stock.withdraw_hint"), size=theme.FONT_SMALL, colour=theme.MUTED,
                     fit=True)]
    listing = ScrollList()
    listing.set_items(items)
    content.add_widget(listing)
    reasons = _row(theme.BUTTON_H)
    for reason, label in desk.reasons():
        reasons.add_widget(_toggle(label, desk.reason == reason,
                                   lambda r=reason: desk.set_reason(r)))
    content.add_widget(reasons)
    row = _row()
    decision = desk.decision.text
    row.add_widget(BigButton(t("ui.stock.decision", no=decision) if decision
                             else t("ui.stock.decision_none"), desk.start_decision,
                             colour=theme.BUTTON_QUIET, text_colour=theme.TEXT,
                             size=theme.FONT_SMALL, size_hint_y=1))
    row.add_widget(BigButton(t("ui.stock.withdraw", n=len(desk.withdraw_codes)), desk.withdraw,
                             colour=theme.BUTTON_DANGER, size=theme.FONT_SMALL, size_hint_y=1))
    content.add_widget(row)
