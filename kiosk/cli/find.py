"""``kiosk find TEXT``: patrons and titles, ignoring diacritics and case."""
from __future__ import annotations

from kiosk.cli._common import command_context, out, run_command
from kiosk.i18n import t
from kiosk.services.search import find_patrons, find_titles


def register(subparsers, common) -> None:
    """Add ``kiosk find``."""
    parser = subparsers.add_parser("find", parents=[common], help=t("find.help"))
    parser.add_argument("text", nargs="+", metavar=t("find.text_metavar"))
    parser.add_argument("--limit", type=int, default=20)
    parser.set_defaults(func=_find)


@run_command
def _find(args) -> int:
    text = " ".join(args.text)
    with command_context(args):
        patrons = find_patrons(text, args.limit)
        titles = find_titles(text, args.limit)
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
            out(t("find.nothing", text=text))
            return 1
    return 0
