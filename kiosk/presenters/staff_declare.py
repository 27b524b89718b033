"""The staff's "Khai báo" tab: declaring new copies of a book (by ISBN or a typed title) or new
equipment (a name, a quantity, labelled or counted); the labels print."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.presenters.telex import TelexComposer
from kiosk.printing import Labels
from kiosk.services import identify as ident
from kiosk.services.catalogue import MAX_COPIES_AT_ONCE, NewTitle
from kiosk.services.results import Outcome

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.presenters.staff_review import StaffReviewPresenter

STORES = ("TK", "GK", "NV", "TN")


class DeclareForm:
    """What the staff is declaring: books (ISBN, title, store, copies) or equipment (name,
    quantity, labelled or counted)."""

    def __init__(self, modern: bool = False, kind: str = "book", store: str = "TK"):
        self.kind = kind
        self.name = TelexComposer(modern=modern)
        self.isbn = ""
        self.store = store
        self.count = 1
        self.labelled = True
        self.typing = False


class Declaring:
    """The declaration tab's state and commands, inside the staff review."""

    def __init__(self, review: "StaffReviewPresenter"):
        self.review = review
        self.form = DeclareForm(review.flow.config.ui.telex_modern)

    def set(self, **values) -> None:
        """Change the form (kind, store, labelled, typing)."""
        for name, value in values.items():
            if not hasattr(self.form, name):
                raise ValueError(name)
            setattr(self.form, name, value)
        self.review.changed()

    def step_count(self, delta: int) -> None:
        """The − / + of the number of copies or items."""
        self.form.count = max(1, min(MAX_COPIES_AT_ONCE, self.form.count + delta))
        self.review.changed()

    def key(self, key: str) -> None:
        """A key of the on-screen keyboard, into the name field."""
        if key == "\b":
            self.form.name.backspace()
        else:
            self.form.name.key(key)
        self.review.changed()

    def scanned(self, found: ident.Identified) -> None:
        """An ISBN (or an unknown code) scanned on this tab: a book, its title if known."""
        form = self.form
        form.isbn = found.code if found.kind == ident.ISBN else ""
        title = self.review.flow.catalogue.find_title_by_isbn(form.isbn)
        if title is not None:
            form.name.set(title.title)
        form.kind = "book"
        self.review.changed()

    def submit(self) -> None:
        """Declare the copies or the equipment; the labels print."""
        review = self.review
        if review.writing:
            return
        form, staff_code = self.form, review.staff.code
        service = review.flow.catalogue
        if form.kind == "book":
            known = service.find_title_by_isbn(form.isbn) if form.isbn else None
            if known is not None:
                write = lambda: service.declare_copies(staff_code, form.store, form.count,  # noqa: E731
                                                       title_id=known.id)
            else:
                new = NewTitle(title=form.name.text, isbn=form.isbn or None)
                write = lambda: service.declare_copies(staff_code, form.store, form.count,  # noqa: E731
                                                       new_title=new)
        else:
            name, count, labelled = form.name.text, form.count, form.labelled
            write = lambda: service.declare_equipment(staff_code, "", count, name=name,  # noqa: E731
                                                      labelled=labelled)
        review.write(write, lambda outcome: self._declared(outcome, form))

    def _declared(self, outcome: Outcome, form: DeclareForm) -> None:
        review = self.review
        review.message = outcome
        review.feedback(outcome)
        if outcome.ok:
            review.print(Labels(tuple(outcome.params["codes"]), kind=form.kind,
                                title=outcome.params["title"]))
            self.form = DeclareForm(review.flow.config.ui.telex_modern, kind=form.kind,
                                    store=form.store)
        review.changed()
