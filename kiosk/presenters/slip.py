"""What a teacher's equipment screens share: they end with a printed slip, then linger briefly."""
from __future__ import annotations

from kiosk.presenters.base import Presenter

ACTIVE, FINISHED = "active", "finished"
#: How long the screen stays up after the slip printed.
LINGER_AFTER_PRINT_S = 6.0


class SlipPresenter(Presenter):
    """A teacher's screen that ends with a printed slip: it lingers briefly once printed."""

    phase = ACTIVE

    def counts_down(self) -> bool:
        """A finished slip lingers on its own: no countdown then."""
        return self.phase == ACTIVE

    def idle_timeout_s(self) -> float:
        """Short once the slip printed."""
        if self.phase == FINISHED and self.receipt and self.receipt.state == "printed":
            return LINGER_AFTER_PRINT_S
        return super().idle_timeout_s()
