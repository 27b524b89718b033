"""``kiosk find TEXT``: patrons and titles, ignoring diacritics and case."""
from __future__ import annotations

from db.text import printable
from kiosk.cli._common import command_context, out, run_command
from kiosk.i18n import t
from kiosk.clock import format_date
from kiosk.services.search import ActionHit, Search


def register(subparsers, common) -> None:
    """Add ``kiosk find``."""
    parser = subparsers.add_parser("find", parents=[common], help=t("find.help"))
    parser.add_argument("text", nargs="+", metavar=t("find.text_metavar"),
                        help=t("find.text_help"))
    parser.add_argument("--limit", type=int, default=20, metavar=t("cli.metavar_n"),
                        help=t("find.limit_help"))
    parser.set_defaults(func=_find)


@run_command
def _find(args) -> int:
    text = " ".join(args.text)
    with command_context(args) as context:
        search = Search(context)
        found = search.action(text)
        if found is not None:
            _show_action(context, found)
            return 0
        patrons = search.patrons(text, args.limit)
        titles = search.titles(text, args.limit)
        if patrons:
            out(t("find.patrons_heading", count=len(patrons)))
            for hit in patrons:
                kind = t(f"find.kind_{hit.kind}")
                inactive = "" if hit.active else " " + t("find.inactive")
                out(f"  {hit.code:<12} {hit.name:<28} {hit.class_name or '-':<6} {kind}{inactive}")
        if titles:
            out(t("find.titles_heading", count=len(titles)))
            for hit in titles:
                out(f"  {hit.title} — {hit.author or '?'}" + (f" (ISBN {hit.isbn})" if hit.isbn
                                                             else ""))
                for copy in hit.copies:
                    state = t("find.on_shelf") if copy.on_shelf else t(f"find.status_{copy.status}")
                    out(f"      {copy.barcode:<12} {state}")
        if not patrons and not titles:
            out(t("find.nothing", text=printable(text)))
            return 1
    return 0


def _show_action(context, found: ActionHit) -> None:
    """An action by its reference: when, where, who, what, and whether the province has it."""
    first = found.entries[0]
    out(t("find.action_heading", ref=found.ref,
          at=context.clock.to_local(first.at).strftime("%H:%M %d/%m/%Y"), kiosk=first.kiosk_id))
    for entry in found.entries:
        reason = f" ({entry.reason})" if entry.reason else ""
        out(f"  {t('find.journal_' + entry.action) if entry.action in _ACTIONS else entry.action}"
            f" · {entry.actor or '-'} · {entry.entity} {entry.entity_key}{reason}")
    for loan in found.loans:
        state = t("find.loan_open") if loan.is_open else (
            t("find.loan_voided") if loan.voided else t("find.loan_returned"))
        out(f"      {loan.code:<14} {loan.title[:40]:<40} x{loan.quantity}  {loan.patron_name}"
            f"  {t('find.due', due=format_date(loan.due_on))}  {state}")
    for record_id, record_type, state in found.records:
        out(f"      {t('find.record', type=record_type, state=t('find.record_' + state))}"
            f"  {record_id}")


_ACTIONS = ("borrow", "return", "renew", "void", "undo_void", "declare", "sign_in",
            "sign_in_failed", "sign_in_locked")
