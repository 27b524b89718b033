"""The staff's "Tìm kiếm" tab, drawn into the staff screen's content area: the search field and
its keyboard, the results, a patron (current loans with "Trả", history), a title (its copies
and who holds each)."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

from kiosk.clock import format_date
from kiosk.i18n import t
from kiosk.ui import theme
from kiosk.ui.widgets import BigButton, Line, Panel, ScrollList, TelexKeyboard, Txt


def draw_search(screen, p) -> None:
    """Fill ``screen.content`` for the search tab of presenter ``p``."""
    s = p.searching
    if s.typing:
        _typing(screen, s)
    elif s.view is not None:
        _patron(screen, p, s)
    elif s.title is not None:
        _title(screen, s)
    else:
        _results(screen, s)


def _field_row(screen, s) -> BoxLayout:
    row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
    row.add_widget(BigButton(s.query.text or t("ui.search.hint"), s.start_typing,
                             colour=theme.CARD, text_colour=theme.TEXT if s.query.text
                             else theme.MUTED, size=theme.FONT_BODY, halign="left",
                             size_hint_y=1, shorten=True))
    clear = BigButton(t("ui.search.clear"), s.clear, colour=theme.BUTTON_QUIET,
                      text_colour=theme.TEXT, size=theme.FONT_SMALL, size_hint=(None, 1),
                      width=dp(110))
    clear.disabled = not s.query.text
    row.add_widget(clear)
    return row


def _typing(screen, s) -> None:
    row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
    field = Panel(bg=theme.CARD, padding=(dp(8), 0))
    screen._typing_field = Txt(s.query.text or " ", size=theme.FONT_BODY)
    field.add_widget(screen._typing_field)
    row.add_widget(field)
    screen._typing_found = Txt(s.found_text, size=theme.FONT_SMALL, colour=theme.MUTED,
                               size_hint_x=None, width=dp(230))
    row.add_widget(screen._typing_found)
    screen.content.add_widget(row)
    screen.content.add_widget(TelexKeyboard(s.key, s.finish_typing,
                                            extra=[(t("ui.search.clear"), s.clear)]))


def _results(screen, s) -> None:
    screen.content.add_widget(_field_row(screen, s))
    items = []
    for hit in s.patrons:
        kind = t(f"find.kind_{hit.kind}")
        text = f"{hit.name} – {kind}" + (f" {hit.class_name}" if hit.class_name else "") + \
            f" ({hit.code})" + ("" if hit.active else f" {t('find.inactive')}")
        items.append(BigButton(text, lambda c=hit.code: s.open_patron(c), colour=theme.CARD,
                               text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                               height=theme.TOUCH_MIN, shorten=True))
    for index, hit in enumerate(s.titles):
        shelf = sum(1 for copy in hit.copies if copy.on_shelf)
        text = f"{hit.title}" + (f" – {hit.author}" if hit.author else "") + "  " + \
            t("ui.search.on_shelf", n=shelf, of=len(hit.copies))
        items.append(BigButton(text, lambda i=index: s.open_title(i), colour=theme.INFO_BG,
                               text_colour=theme.TEXT, size=theme.FONT_SMALL, halign="left",
                               height=theme.TOUCH_MIN, shorten=True))
    if not items:
        items = [Txt(s.found_text or t("ui.search.start"), size=theme.FONT_SMALL,
                     colour=theme.MUTED, fit=True)]
    listing = ScrollList(spacing=2)
    listing.set_items(items)
    screen.content.add_widget(listing)


def _back_row(s, text: str, extra=None) -> BoxLayout:
    row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(6))
    row.add_widget(BigButton(t("ui.common.back"), s.back, colour=theme.BUTTON_QUIET,
                             text_colour=theme.TEXT, size=theme.FONT_SMALL,
                             size_hint=(None, 1), width=dp(120)))
    row.add_widget(Txt(text, size=theme.FONT_BODY, bold=True, shorten=True))
    if extra is not None:
        row.add_widget(extra)
    return row


def _patron(screen, p, s) -> None:
    view = s.view
    patron = view.patron
    head = f"{patron.name}" + (f" – {patron.class_name}" if patron.class_name else "")
    receipt = BigButton(t("ui.search.print_receipt", n=s.lent_here), s.print_receipt,
                        size=theme.FONT_SMALL, size_hint=(None, 1), width=dp(170))
    receipt.disabled = not s.lent_here
    screen.content.add_widget(_back_row(s, head, receipt))
    screen.content.add_widget(Txt(t("ui.search.lend_hint", name=patron.name),
                                  size=theme.FONT_SMALL, colour=theme.MUTED,
                                  size_hint_y=None, height=dp(22)))
    today = p.flow.context.clock.today()
    items = [Txt(t("ui.search.current", n=len(view.current)), size=theme.FONT_SMALL, bold=True,
                 fit=True)]
    for loan in view.current:
        row = BoxLayout(size_hint_y=None, height=dp(theme.TOUCH_MIN), spacing=dp(4))
        late = loan.due_on < today
        quantity = f" ×{loan.quantity}" if loan.quantity > 1 else ""
        line = Panel(bg=theme.REFUSED_BG if late else theme.CARD, padding=(dp(10), 0))
        line.add_widget(Txt(f"{loan.title} ({loan.code}){quantity} – "
                            + t("ui.borrow.due", due=format_date(loan.due_on))
                            + (f" – {t('ui.borrow.overdue')}" if late else ""),
                            size=theme.FONT_SMALL, colour=theme.REFUSED if late else theme.TEXT,
                            shorten=True))
        row.add_widget(line)
        row.add_widget(BigButton(t("ui.search.give_back"), lambda l=loan: s.give_back(l),
                                 colour=theme.BUTTON_DONE, size=theme.FONT_SMALL,
                                 size_hint=(None, 1), width=dp(110)))
        items.append(row)
    if not view.current:
        items.append(Txt(t("ui.search.none_now"), size=theme.FONT_SMALL, colour=theme.MUTED,
                         fit=True))
    items.append(Txt(t("ui.search.history"), size=theme.FONT_SMALL, bold=True, fit=True))
    for loan in view.history:
        end = (t("ui.search.voided") if loan.voided else
               t("ui.search.returned_on", day=format_date(loan.returned_at.date())))
        items.append(Line(f"{format_date(loan.out_at.date())}  {loan.title} ({loan.code}) – "
                          f"{end}", None, size=theme.FONT_SMALL))
    if not view.history:
        items.append(Txt(t("ui.search.no_history"), size=theme.FONT_SMALL, colour=theme.MUTED,
                         fit=True))
    listing = ScrollList(spacing=2)
    listing.set_items(items)
    screen.content.add_widget(listing)


def _title(screen, s) -> None:
    hit = s.title
    screen.content.add_widget(_back_row(s, hit.title + (f" – {hit.author}" if hit.author
                                                         else "")))
    items = []
    for copy in hit.copies:
        loan = s.holders.get(copy.barcode)
        if loan is not None:
            who = loan.patron_name + (f", {loan.patron_class}" if loan.patron_class else "")
            text = t("ui.search.held_by", code=copy.barcode, who=who,
                     due=format_date(loan.due_on))
            items.append(Line(text, False if loan.late_days else None, size=theme.FONT_SMALL))
        else:
            status = t("find.on_shelf") if copy.on_shelf else t(f"find.status_{copy.status}")
            items.append(Line(f"{copy.barcode}: {status}", copy.on_shelf or None,
                              size=theme.FONT_SMALL))
    if not items:
        items = [Txt(t("ui.search.no_copies"), size=theme.FONT_SMALL, colour=theme.MUTED,
                     fit=True)]
    listing = ScrollList(spacing=2)
    listing.set_items(items)
    screen.content.add_widget(listing)
