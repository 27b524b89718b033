"""The staff's "Khai báo" tab: declaring new copies of a book or new equipment with what the
registers need, and the labels print.

A book: an ISBN scanned finds its title (the store follows its copies: a textbook's go to GK);
an unknown ISBN (or none) opens the form: title, author, publisher, place, year, price,
classification (môn loại / DDC), language; the store (named in full) defaults from the title.
Equipment: name, group (nhóm), type (loại), subject, grade, unit, unit price, country, year,
labelled or counted; its code follows the configured scheme (TB.<môn><lớp>.<nnn>). The quantity
steps by 1 and by 10.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.i18n import t
from kiosk.presenters.telex import TelexComposer
from kiosk.printing import Labels
from kiosk.services import identify as ident
from kiosk.services.catalogue import MAX_COPIES_AT_ONCE, NewEquipment, NewTitle
from kiosk.services.results import Outcome

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.presenters.staff_review import StaffReviewPresenter

STORES = ("GK", "TK", "NV", "TN")
BOOK_FIELDS = ("title", "author", "publisher", "place", "year", "price", "classification",
               "language")
EQUIPMENT_FIELDS = ("name", "group", "type_name", "subject", "grade", "unit", "unit_price",
                    "country", "year")
#: Fields typed as whole numbers (the keyboard's digits).
NUMBER_FIELDS = ("year", "price", "unit_price")


class DeclareForm:
    """What the staff is declaring: a book's fields or equipment's, the store, how many."""

    def __init__(self, modern: bool = False, kind: str = "book", store: str = "TK"):
        self.kind = kind
        self.values: dict[str, str] = {"language": "vi"}
        self.isbn = ""
        #: The catalogue's title when the scanned ISBN is known (its fields are not typed).
        self.known = None
        self.store = store
        #: The store was chosen by hand (a title typed later does not move it).
        self.store_chosen = False
        self.count = 1
        self.labelled = True
        #: Equipment: the kind already declared that this declaration adds to (its code, name,
        #: unit... are the kind's), and the kinds of the same name offered for it.
        self.existing = None
        self.offers: list = []
        #: The field on the keyboard, if any.
        self.field: str | None = None
        self.composer = TelexComposer(modern=modern)

    @property
    def typing(self) -> bool:
        """The keyboard is open."""
        return self.field is not None

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of this kind of declaration, in order."""
        return BOOK_FIELDS if self.kind == "book" else EQUIPMENT_FIELDS

    @property
    def name(self) -> TelexComposer:
        """The title's (or name's) composer, for callers that type the name only."""
        return self.composer

    def value(self, name: str) -> str:
        """A field's value (a known title's own)."""
        if self.known is not None and self.kind == "book":
            known = {"title": self.known.title, "author": self.known.author,
                     "publisher": self.known.publisher, "place": self.known.place,
                     "year": str(self.known.year or ""), "price": str(self.known.price or ""),
                     "classification": self.known.classification,
                     "language": self.known.language}
            return known.get(name, "")
        if self.existing is not None and self.kind == "equipment":
            kind = self.existing
            known = {"name": kind.name, "group": kind.group_name, "type_name": kind.type_name,
                     "subject": kind.subject, "grade": kind.grade, "unit": kind.unit,
                     "unit_price": str(kind.unit_price or ""), "country": kind.country,
                     "year": str(kind.year or "")}
            return known.get(name, "")
        return self.values.get(name, "")

    def number(self, name: str) -> int | None:
        """A number field's value, or None."""
        text = self.values.get(name, "").replace(".", "").strip()
        return int(text) if text.isdigit() else None


class Declaring:
    """The declaration tab's state and commands, inside the staff review."""

    def __init__(self, review: "StaffReviewPresenter"):
        self.review = review
        self.form = DeclareForm(review.flow.config.ui.telex_modern)

    @property
    def typed_text(self) -> str:
        """What the open field holds so far."""
        return self.form.composer.text

    def set(self, **values) -> None:
        """Change the form (kind, store, labelled; ``typing=True`` opens the title's field)."""
        form = self.form
        for name, value in values.items():
            if name == "typing":
                if value:
                    self.edit(form.fields[0])
                else:
                    self.finish_field()
                continue
            if not hasattr(form, name):
                raise ValueError(name)
            setattr(form, name, value)
            if name == "store":
                form.store_chosen = True
        self.review.changed()

    @property
    def submit_label(self) -> str:
        """The submit button's words: books and labelled equipment get their labels printed,
        counted stock is declared without any."""
        form = self.form
        if form.kind != "book" and not form.labelled:
            return t("ui.staff.declare_submit_counted")
        return t("ui.staff.declare_submit")

    def field_label(self, name: str) -> str:
        """"Tác giả: Tô Hoài", or "Tác giả" when empty."""
        value = self.form.value(name)
        label = t(f"ui.declare.{self.form.kind}_{name}")
        if name in NUMBER_FIELDS and value.isdigit() and name != "year":
            value = f"{int(value):,}".replace(",", ".") + " đ"
        return f"{label}: {value}" if value else label

    def edit(self, name: str) -> None:
        """Open the keyboard on one field (a known title's fields stay as they are)."""
        form = self.form
        if name not in form.fields or (form.known is not None and form.kind == "book") or (
                form.existing is not None and form.kind == "equipment"):
            return
        form.field = name
        form.composer.set(form.values.get(name, ""))
        self.review.changed()

    def key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the open field."""
        form = self.form
        if key == "\b":
            form.composer.backspace()
        elif form.field in NUMBER_FIELDS and not key.isdigit():
            return
        else:
            form.composer.key(key)
        self.review.changed()

    def finish_field(self) -> None:
        """Keep the typed value; a typed title moves the store (textbooks to GK) unless it was
        chosen by hand."""
        form = self.form
        if form.field is not None:
            form.values[form.field] = form.composer.text
            if form.field == "title" and not form.store_chosen:
                form.store = self.review.flow.catalogue.default_store(text=form.composer.text)
            if form.kind == "equipment" and form.field in ("name", "subject", "grade"):
                self._offer_existing()
        form.field = None
        self.review.changed()

    # -- more of an existing kind ---------------------------------------------------------------
    def _offer_existing(self) -> None:
        form = self.form
        form.offers = self.review.flow.catalogue.kinds_named(
            form.values.get("name", ""), form.values.get("subject", ""),
            form.values.get("grade", ""))

    def use_existing(self, code: str) -> None:
        """Add to a kind already declared (one of the offers): the quantity goes to it."""
        form = self.form
        kind = next((k for k in form.offers if k.code == code), None)
        if kind is None:
            return
        form.existing = kind
        form.labelled = not kind.counted
        self.review.changed()

    def new_kind(self) -> None:
        """Declare a kind of its own after all (the offer set aside)."""
        form = self.form
        form.existing = None
        form.offers = []
        self.review.changed()

    def existing_text(self) -> str:
        """"Đã có: Ống nghiệm (KHTN6.OCN), 30 cái" for the offer; "Thêm vào ..." once chosen."""
        form = self.form
        kind = form.existing or (form.offers[0] if form.offers else None)
        if kind is None or form.kind != "equipment":
            return ""
        held = kind.stock_total if kind.counted else None
        key = "ui.declare.adding_to" if form.existing else "ui.declare.existing_offer"
        return t(key, name=kind.name, code=kind.code,
                 held=t("ui.declare.held", n=held, unit=kind.unit) if held is not None
                 else t("ui.declare.labelled_kind"))

    def step_count(self, delta: int) -> None:
        """The −10 / −1 / +1 / +10 of the number of copies or items."""
        self.form.count = max(1, min(MAX_COPIES_AT_ONCE, self.form.count + delta))
        self.review.changed()

    def store_label(self, store: str) -> str:
        """A store's button: its name in full ("GK – Sách giáo khoa")."""
        return t(f"ui.staff.store_{store}")

    def scanned(self, found: ident.Identified) -> None:
        """An ISBN (or an unknown code) scanned on this tab: a book; its title if known, and
        the store its copies are in. A kind's code or an item's label: more of that kind."""
        form = self.form
        if found.kind in (ident.STOCK, ident.ITEM) and found.record is not None:
            # An item's label or a kind's code: more of that kind.
            kind = found.record if found.kind == ident.STOCK else found.record.type
            form.kind = "equipment"
            form.offers = [kind]
            self.use_existing(kind.code)
            return
        form.kind = "book"
        form.isbn = found.code if found.kind == ident.ISBN else ""
        catalogue = self.review.flow.catalogue
        form.known = catalogue.find_title_by_isbn(form.isbn) if form.isbn else None
        if form.known is not None:
            form.store = catalogue.default_store(form.known)
            form.store_chosen = False
        self.review.changed()

    def _new_title(self) -> NewTitle:
        form = self.form
        return NewTitle(title=form.values.get("title", ""), author=form.values.get("author", ""),
                        publisher=form.values.get("publisher", ""),
                        place=form.values.get("place", ""), year=form.number("year"),
                        isbn=form.isbn or None,
                        classification=form.values.get("classification", ""),
                        price=form.number("price"),
                        language=form.values.get("language", "") or "vi")

    def _new_equipment(self) -> NewEquipment:
        form = self.form
        return NewEquipment(name=form.values.get("name", ""), group=form.values.get("group", ""),
                            type_name=form.values.get("type_name", ""),
                            subject=form.values.get("subject", ""),
                            grade=form.values.get("grade", ""), unit=form.values.get("unit", ""),
                            unit_price=form.number("unit_price"),
                            country=form.values.get("country", ""), year=form.number("year"),
                            labelled=form.labelled)

    def submit(self) -> None:
        """Declare the copies or the equipment; the labels print."""
        review = self.review
        if review.writing:
            return
        if self.form.typing:
            self.finish_field()
        form, staff_code = self.form, review.staff.code
        service = review.flow.catalogue
        if form.kind == "book":
            if form.known is not None:
                title_id = form.known.id
                write = lambda: service.declare_copies(staff_code, form.store, form.count,  # noqa: E731
                                                       title_id=title_id)
            else:
                new = self._new_title()
                write = lambda: service.declare_copies(staff_code, form.store, form.count,  # noqa: E731
                                                       new_title=new)
        elif form.existing is not None:
            code, count = form.existing.code, form.count
            write = lambda: service.declare_equipment(staff_code, code, count)  # noqa: E731
        else:
            new_kind, count = self._new_equipment(), form.count
            write = lambda: service.declare_equipment(staff_code, "", count, new=new_kind)  # noqa: E731
        review.write(write, lambda outcome: self._declared(outcome, form))

    def _declared(self, outcome: Outcome, form: DeclareForm) -> None:
        review = self.review
        review.message = outcome
        review.feedback(outcome)
        if outcome.ok:
            if outcome.code != "stock_declared":  # counted stock has no labels
                review.print(Labels(tuple(outcome.params["codes"]), kind=form.kind,
                                    title=outcome.params["title"]))
            self.form = DeclareForm(review.flow.config.ui.telex_modern, kind=form.kind,
                                    store=form.store)
        review.changed()
