"""The kiosk's flow: which presenter is on screen and what leads where, where scans go, the idle
timeout back home, the language, sounds, writes and print results coming back.

Navigation is data: :data:`NAVIGATION` says which screen each event opens, :data:`OPENERS`
how to open it. Presenters never construct each other; they tell the flow what happened
(:meth:`KioskFlow.follow`) or hand it a code to treat as scanned on the home screen
(:meth:`KioskFlow.leave_and_rescan`).
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Callable

from kiosk.context import KioskContext
from kiosk.i18n import current_language, set_language
from kiosk.presenters.base import Presenter
from kiosk.presenters.borrow import BorrowPresenter
from kiosk.presenters.equipment_borrow import EquipmentBorrowPresenter
from kiosk.presenters.equipment_return import EquipmentReturnPresenter
from kiosk.presenters.home import HomePresenter
from kiosk.presenters.idle import IdleTimer
from kiosk.presenters.ports import Ports
from kiosk.presenters.returns import ReturnPresenter
from kiosk.presenters.staff_review import StaffReviewPresenter
from kiosk.presenters.staff_signin import StaffSignInPresenter
from kiosk.presenters.teacher import TeacherMenuPresenter
from kiosk.printing import PrintRequest
from kiosk.services.bookings import Bookings
from kiosk.services.catalogue import Catalogue
from kiosk.services.circulation import Circulation
from kiosk.services.equipment import EquipmentLending
from kiosk.services.planning import Planning
from kiosk.services.reports import Reports
from kiosk.services.results import Outcome, refuse
from kiosk.services.search import Search
from kiosk.services.staff import StaffService
from kiosk.services.stock import StockService
from kiosk.services.stocktake import StocktakeService

log = logging.getLogger(__name__)

#: The last seconds before the idle timeout that a screen counts down (any touch or scan
#: starts the wait again).
COUNTDOWN_S = 10

#: Every screen name a presenter may show on.
SCREENS = ("home", "borrow", "returns", "teacher", "equipment_borrow", "equipment_return",
           "staff_signin", "staff_review")

#: What an event leads to: (event) -> the screen it opens. Events are what a presenter saw
#: happen: a kind of card scanned at home, an item scanned at home, a teacher's choice, a
#: staff sign-in.
NAVIGATION: dict[str, str] = {
    "card:student": "borrow",
    "card:teacher": "teacher",
    "card:staff": "staff_signin",
    "scan:copy": "returns",
    "scan:item": "returns",
    "teacher:borrow_books": "borrow",
    "teacher:borrow_equipment": "equipment_borrow",
    "teacher:long_term": "equipment_borrow",
    "teacher:return_equipment": "equipment_return",
    "staff:signed_in": "staff_review",
}

#: How each screen's presenter is opened: ``open(flow, **what_the_event_carried)`` returns the
#: presenter, or an :class:`Outcome` refusal that the current screen shows instead.
OPENERS: dict[str, Callable[..., Presenter | Outcome]] = {
    "borrow": BorrowPresenter.open,
    "returns": ReturnPresenter.open,
    "teacher": TeacherMenuPresenter.open,
    "equipment_borrow": EquipmentBorrowPresenter.open,
    "equipment_return": EquipmentReturnPresenter.open,
    "staff_signin": StaffSignInPresenter.open,
    "staff_review": StaffReviewPresenter.open,
}


@dataclass
class Services:
    """The domain services the screens use (built once by the composition root)."""

    circulation: Circulation
    equipment: EquipmentLending
    staff: StaffService
    reports: Reports
    catalogue: Catalogue
    search: Search
    stock: StockService
    stocktake: StocktakeService
    planning: Planning
    bookings: Bookings

    @classmethod
    def for_context(cls, context: KioskContext) -> "Services":
        """Every service on one context."""
        return cls(circulation=Circulation(context), equipment=EquipmentLending(context),
                   staff=StaffService(context), reports=Reports(context),
                   catalogue=Catalogue(context), search=Search(context),
                   stock=StockService(context), stocktake=StocktakeService(context),
                   planning=Planning(context), bookings=Bookings(context))


class KioskFlow:
    """The root presenter: navigation, idle timeout, language, sounds, writes, print results."""

    def __init__(self, context: KioskContext, services: Services, ports: Ports,
                 monotonic: Callable[[], float] = time.monotonic):
        self.context = context
        self.services = services
        self.ports = ports
        self.idle = IdleTimer(monotonic)
        self._navigate_listeners: list[Callable[[Presenter], None]] = []
        self._language_listeners: list[Callable[[str], None]] = []
        self._countdown_listeners: list[Callable[[int | None], None]] = []
        #: The seconds left before the idle timeout while they are counted down, else None.
        self.countdown: int | None = None
        self._receipt_owners: dict[str, Presenter] = {}
        set_language(self.config.locale.lang)
        self.home_presenter = HomePresenter(self)
        self.presenter: Presenter = self.home_presenter

    @property
    def config(self):
        """The kiosk's (frozen) config."""
        return self.context.config

    # -- the services, by name ------------------------------------------------------------------
    @property
    def circulation(self) -> Circulation:
        """Borrow, return, renew."""
        return self.services.circulation

    @property
    def equipment(self) -> EquipmentLending:
        """Teachers' equipment."""
        return self.services.equipment

    @property
    def bookings(self) -> Bookings:
        """Teachers' bookings (đặt trước) for later lessons."""
        return self.services.bookings

    @property
    def staff(self) -> StaffService:
        """Sign-in and corrections."""
        return self.services.staff

    @property
    def reports(self) -> Reports:
        """The review screens' queries."""
        return self.services.reports

    @property
    def planning(self) -> Planning:
        """Class visits, quotas, the lesson plan."""
        return self.services.planning

    @property
    def catalogue(self) -> Catalogue:
        """Declaring new items."""
        return self.services.catalogue

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
        self._count_down()
        for listener in list(self._navigate_listeners):
            listener(presenter)
        return presenter

    def follow(self, event: str, **carried) -> Presenter | None:
        """Open the screen ``event`` leads to (see :data:`NAVIGATION`); a refusal from its
        opener is shown on the current screen instead. Returns the new presenter, if any."""
        screen = NAVIGATION[event]
        opened = OPENERS[screen](self, **carried)
        if isinstance(opened, Outcome):
            self.presenter.show(opened)
            return None
        return self.go(opened)

    def home(self) -> Presenter:
        """Back to the home screen (its message cleared unless set after this call), in the
        kiosk's own language: the next person starts in Vietnamese whatever the last chose."""
        self.reset_language()
        self.home_presenter.refresh()
        return self.go(self.home_presenter)

    def leave_and_rescan(self, code: str) -> None:
        """Leave the current screen and treat ``code`` as if it was scanned on the home screen
        (another card, a book on the borrow screen once finished, ...)."""
        self.home()
        self.home_presenter.on_scan(code)

    # -- input --------------------------------------------------------------------------------
    def scan(self, code: str) -> None:
        """A scanned code, from any source, on the UI thread: the idle wait starts again. While
        the database server is gone, every scan is refused at once (no wait for a timeout on the
        screen's thread)."""
        self.idle.touch()
        self._count_down()
        log.info("scan %r on %s", code, self.screen)
        if not self.ports.database.status().reachable:
            self._refuse_here("db_unreachable")
            return
        self.guard(self.presenter.on_scan, code)

    def typed(self, text: str) -> None:
        """Keys typed on a physical keyboard (told from scans by the wedge decoder), on the UI
        thread: to the current screen's text field, if it has one."""
        self.idle.touch()
        self._count_down()
        self.guard(self.presenter.on_typed, text)

    def touch(self) -> None:
        """Someone touched the screen: the idle wait starts again."""
        self.idle.touch()
        self._count_down()

    def tick(self) -> None:
        """Called about once a second: the idle timeout and its countdown, the home clock."""
        presenter = self.presenter
        if presenter is self.home_presenter:
            if self.idle.expired(presenter.idle_timeout_s()):
                self.reset_language()  # someone chose English on home and walked away
            self.guard(self.home_presenter.tick)
            return
        if self.idle.expired(presenter.idle_timeout_s()):
            log.info("idle timeout on %s", presenter.screen)
            self.guard(presenter.on_timeout)
            if self.presenter is presenter:
                self.home()
            return
        self._count_down()

    # -- the idle countdown ---------------------------------------------------------------------
    def on_countdown(self, listener: Callable[[int | None], None]) -> None:
        """Call ``listener(seconds_left or None)`` whenever the countdown changes."""
        self._countdown_listeners.append(listener)

    def _count_down(self) -> None:
        """Work out the countdown now; tell listeners (and the presenter, once, when it starts)."""
        presenter = self.presenter
        left = presenter.idle_timeout_s() - self.idle.idle_for()
        counting = (presenter is not self.home_presenter and presenter.counts_down()
                    and 0 < left <= COUNTDOWN_S)
        seconds = math.ceil(left) if counting else None
        if seconds == self.countdown:
            return
        started = self.countdown is None and seconds is not None
        self.countdown = seconds
        if started:
            self.guard(presenter.on_countdown)
        for listener in list(self._countdown_listeners):
            listener(seconds)

    def guard(self, action: Callable, *args):
        """Run an action; a database failure (a lost server, a busy file) becomes its clear
        refusal, any other error a calm message and a log entry."""
        try:
            return action(*args)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
            reason = self.ports.database.explain(exc)
            if reason is not None:
                log.warning("%s refused: %s (%s)", getattr(action, "__qualname__", action),
                            reason, exc)
                self._refuse_here(reason)
                return None
            log.exception("unexpected error in %s", getattr(action, "__qualname__", action))
            self.show_unexpected_error()
            return None

    def _refuse_here(self, reason: str) -> None:
        """Show a refusal on the current screen, with its sound."""
        try:
            self.presenter.show(refuse(reason))
        except Exception:  # noqa: BLE001
            log.exception("screen failed to show refusal %s", reason)

    def show_unexpected_error(self) -> None:
        """Tell the person calmly that something went wrong, on the current screen."""
        self.presenter.message = "ui.error.unexpected"
        self.play("refusal")
        try:
            self.presenter.changed()
        except Exception:  # noqa: BLE001
            log.exception("screen failed to redraw after an error")

    # -- writes ---------------------------------------------------------------------------------
    def after_write(self, result) -> None:
        """A write came back: when it recorded something, the sync pushes it soon."""
        if isinstance(result, Outcome) and result.ok:
            try:
                self.ports.sync_control.wake()
            except Exception:  # noqa: BLE001 - the push is retried on its own schedule anyway
                log.exception("could not wake the sync")

    def write_failed(self, error: BaseException) -> None:
        """A write raised instead of answering: its clear refusal when the database failed,
        else logged and a calm message on screen."""
        reason = self.ports.database.explain(error)
        if reason is not None:
            log.warning("database write refused: %s (%s)", reason, error)
            self._refuse_here(reason)
            return
        log.error("database write failed", exc_info=error)
        self.show_unexpected_error()

    def read_failed(self, error: BaseException) -> None:
        """A long read raised: logged, and a calm message on screen."""
        log.error("database read failed", exc_info=error)
        self.show_unexpected_error()

    # -- language -----------------------------------------------------------------------------
    @property
    def language(self) -> str:
        """The language in use."""
        return current_language()

    def on_language(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(lang)`` after each language switch."""
        self._language_listeners.append(listener)

    def set_language(self, lang: str) -> None:
        """Switch the language everywhere (someone chose it: the idle wait starts again);
        results already shown are re-translated."""
        self.idle.touch()
        self._switch_language(lang)

    def _switch_language(self, lang: str) -> None:
        set_language(lang)
        for listener in list(self._language_listeners):
            listener(current_language())
        self.presenter.changed()

    def toggle_language(self) -> None:
        """Vietnamese <-> English."""
        self.set_language("en" if current_language() == "vi" else "vi")

    def reset_language(self) -> None:
        """Back to the kiosk's configured language (at the end of each session, and when home
        was left alone), if another was chosen."""
        if current_language() != self.config.locale.lang:
            log.info("language back to %s", self.config.locale.lang)
            self._switch_language(self.config.locale.lang)

    # -- sounds and receipts ------------------------------------------------------------------
    def play(self, name: str) -> None:
        """Play a sound if sounds are on; a failing player is logged, never fatal."""
        if not self.config.ui.sounds:
            return
        try:
            self.ports.sounds.play(name)
        except Exception:  # noqa: BLE001
            log.exception("sound %s failed", name)

    def say(self, prompt: str) -> None:
        """Speak a prompt (``speech.<prompt>`` of the catalog, recorded in
        ``assets/sounds/speech/<lang>/``) in the current language, if speech is on."""
        if self.config.ui.speech:
            self.play(f"speech/{current_language()}/{prompt}")

    def print(self, request: PrintRequest, owner: Presenter) -> None:
        """Hand a print request to the printer on behalf of ``owner``."""
        self._receipt_owners[request.ref] = owner
        try:
            self.ports.printer.submit(request)
        except Exception as exc:  # noqa: BLE001 - a broken printer must not stop a borrow
            log.exception("printer refused %s", request.ref)
            self.handle_print_result(False, request.ref, str(exc))

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
