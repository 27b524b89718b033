"""Staff sign-in: the card, then the PIN on a keypad (the lock-out is the service's)."""
from __future__ import annotations

from kiosk.i18n import t
from kiosk.presenters.base import Presenter
from kiosk.services import identify as ident
from kiosk.services.results import Outcome

PIN_MAX = 8


class StaffSignInPresenter(Presenter):
    """The PIN keypad after a staff card."""

    screen = "staff_signin"

    @classmethod
    def open(cls, flow, card: ident.Identified) -> "StaffSignInPresenter":
        """The keypad for a staff card."""
        return cls(flow, card.record)

    def __init__(self, flow, staff):
        super().__init__(flow)
        self.staff = staff
        self.pin = ""

    @property
    def greeting(self) -> str:
        """Whose card it is."""
        return t("ui.staff.enter_pin", name=self.staff.name)

    @property
    def masked(self) -> str:
        """The PIN as dots."""
        return "•" * len(self.pin)

    def press(self, digit: str) -> None:
        """A digit key."""
        if digit.isdigit() and len(digit) == 1 and len(self.pin) < PIN_MAX:
            self.pin += digit
            self.changed()

    def backspace(self) -> None:
        """Delete the last digit."""
        self.pin = self.pin[:-1]
        self.changed()

    def submit(self) -> None:
        """Check the PIN (a write: attempts are counted); the review opens, or the reason
        (wrong, locked) shows."""
        if self.writing:
            return
        pin, self.pin = self.pin, ""
        self.write(lambda: self.flow.staff.authenticate(self.staff.code, pin), self._checked)

    def _checked(self, outcome: Outcome) -> None:
        self.feedback(outcome)
        if outcome.ok:
            self.flow.follow("staff:signed_in", staff=self.staff, greeting=outcome)
            return
        self.message = outcome
        self.changed()

    def on_scan(self, code: str) -> None:
        """Another code leaves the keypad and is handled as on the home screen."""
        if code.strip() == self.staff.code:
            return
        self.flow.leave_and_rescan(code)

    def cancel(self) -> None:
        """Home."""
        self.flow.home()
