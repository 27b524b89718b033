"""The kiosk's flow: which presenter is on screen, where scans go, the idle timeout back home,
the language, sounds, and receipts' print results coming back."""
from __future__ import annotations

import logging
import time
from typing import Callable

from kiosk.context import KioskContext
from kiosk.i18n import current_language, set_language
from kiosk.presenters.base import Presenter
from kiosk.presenters.idle import IdleTimer
from kiosk.presenters.ports import (ConfiguredDevices, MemoryReceiptSink, MemorySounds,
                                    OutboxSyncStatus, Ports)
from kiosk.services.circulation import Circulation
from kiosk.services.catalogue import Catalogue
from kiosk.services.equipment import EquipmentLending
from kiosk.services.reports import Reports
from kiosk.services.results import LoanInfo
from kiosk.services.staff import StaffService

log = logging.getLogger(__name__)

#: Every screen name a presenter may ask for.
SCREENS = ("home", "borrow", "returns", "teacher", "equipment_borrow", "equipment_return",
           "staff_signin", "staff_review")


def default_ports(context: KioskContext) -> Ports:
    """In-memory ports: receipts recorded (not printed), sync read from the outbox."""
    return Ports(receipts=MemoryReceiptSink(), sync=OutboxSyncStatus(context),
                 devices=ConfiguredDevices(context.config), sounds=MemorySounds())


class KioskFlow:
    """The root presenter: navigation, idle timeout, language, sounds, print results."""

    def __init__(self, context: KioskContext, ports: Ports | None = None,
                 monotonic: Callable[[], float] = time.monotonic):
        from kiosk.presenters.home import HomePresenter

        self.context = context
        self.config = context.config
        self.ports = ports or default_ports(context)
        self.circulation = Circulation(context)
        self.equipment = EquipmentLending(context)
        self.staff = StaffService(context)
        self.reports = Reports(context)
        self.catalogue = Catalogue(context)
        self.idle = IdleTimer(monotonic)
        self._navigate_listeners: list[Callable[[Presenter], None]] = []
        self._language_listeners: list[Callable[[str], None]] = []
        self._receipt_owners: dict[str, Presenter] = {}
        self.home_presenter = HomePresenter(self)
        self.presenter: Presenter = self.home_presenter
        set_language(self.config.locale.lang)

    # -- navigation ---------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        """The name of the screen on display."""
        return self.presenter.screen

    def on_navigate(self, listener: Callable[[Presenter], None]) -> None:
        """Call ``listener(presenter)`` after each change of screen."""
        self._navigate_listeners.append(listener)

    def go(self, presenter: Presenter) -> Presenter:
        """Show ``presenter``'s screen."""
        log.debug("screen %s -> %s", self.presenter.screen, presenter.screen)
        self.presenter = presenter
        self.idle.touch()
        for listener in list(self._navigate_listeners):
            listener(presenter)
        return presenter

    def home(self) -> Presenter:
        """Back to the home screen (its message cleared unless set after this call)."""
        self.home_presenter.refresh()
        return self.go(self.home_presenter)

    # -- input --------------------------------------------------------------------------------
    def scan(self, code: str) -> None:
        """A scanned code, from any source, on the UI thread."""
        self.idle.touch()
        log.info("scan %r on %s", code, self.screen)
        self.guard(self.presenter.on_scan, code)

    def touch(self) -> None:
        """Someone touched the screen."""
        self.idle.touch()

    def tick(self) -> None:
        """Called about once a second: the idle timeout, the home clock."""
        presenter = self.presenter
        if presenter is self.home_presenter:
            self.guard(self.home_presenter.tick)
            return
        if self.idle.expired(presenter.idle_timeout_s()):
            log.info("idle timeout on %s", presenter.screen)
            self.guard(presenter.on_timeout)
            if self.presenter is presenter:
                self.home()

    def guard(self, action: Callable, *args):
        """Run an action; an unexpected error becomes a calm message and a log entry."""
        try:
            return action(*args)
        except Exception:  # noqa: BLE001 - the last line of defence: never a traceback on screen
            log.exception("unexpected error in %s", getattr(action, "__qualname__", action))
            self.show_unexpected_error()
            return None

    def show_unexpected_error(self) -> None:
        """Tell the person calmly that something went wrong, on the current screen."""
        self.presenter.message = "ui.error.unexpected"
        self.play("refusal")
        try:
            self.presenter.changed()
        except Exception:  # noqa: BLE001
            log.exception("screen failed to redraw after an error")

    # -- language -----------------------------------------------------------------------------
    @property
    def language(self) -> str:
        """The language in use."""
        return current_language()

    def on_language(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(lang)`` after each language switch."""
        self._language_listeners.append(listener)

    def set_language(self, lang: str) -> None:
        """Switch the language everywhere; results already shown are re-translated."""
        set_language(lang)
        self.idle.touch()
        for listener in list(self._language_listeners):
            listener(current_language())
        self.presenter.changed()

    def toggle_language(self) -> None:
        """Vietnamese <-> English."""
        self.set_language("en" if current_language() == "vi" else "vi")

    # -- sounds and receipts ------------------------------------------------------------------
    def play(self, name: str) -> None:
        """Play a sound if sounds are on; a failing player is logged, never fatal."""
        if not self.config.ui.sounds:
            return
        try:
            self.ports.sounds.play(name)
        except Exception:  # noqa: BLE001
            log.exception("sound %s failed", name)

    def submit_receipt(self, kind: str, txn_ref: str, loans: list[LoanInfo], patron,
                       extra: dict) -> None:
        """Hand a receipt to the print service for the current presenter."""
        self._receipt_owners[txn_ref] = self.presenter
        try:
            self.ports.receipts.print_receipt(kind, txn_ref, loans, patron, extra)
        except Exception as exc:  # noqa: BLE001 - a broken print service must not stop a borrow
            log.exception("print service refused receipt %s", txn_ref)
            self.handle_print_result(False, txn_ref, str(exc))

    def handle_print_result(self, ok: bool, txn_ref: str, message: str) -> None:
        """A print result (on the UI thread): the owning presenter shows it; when it failed and
        the owner's screen has gone, home shows the receipt's QR code."""
        owner = self._receipt_owners.pop(txn_ref, None)
        if owner is None:
            log.info("print result for unknown receipt %s: ok=%s", txn_ref, ok)
            return
        owner.on_print_result(ok, txn_ref, message)
        if not ok and owner is not self.presenter:
            self.home_presenter.show_failed_receipt(txn_ref)
