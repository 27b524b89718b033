"""The Kivy application: builds the screens over the flow of a started
:class:`~kiosk.runtime.Runtime`, feeds it scans (the keyboard wedge, the threaded scanners'
hub drained on the clock), ticks the idle timeout, delivers print results on the Kivy thread,
and turns unexpected exceptions into a calm message. ``run_app(config)`` is what ``kiosk run``
calls.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path
from typing import Callable

from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.uix.screenmanager import NoTransition, ScreenManager

from devices.settings import ScannerSettings
from kiosk import watchdog
from kiosk.clock_trust import check_at_start
from kiosk.config import Config
from kiosk.private import keep_files_private
from kiosk.runtime import Runtime, build_runtime
from kiosk.scanners import build_wedge
from kiosk.ui import display, theme
from kiosk.ui.scan_input import WedgeInput
from kiosk.ui.sounds import KivySounds
from kiosk.ui.writes import ClockWrites

log = logging.getLogger(__name__)

TICK_S = 1.0
PREVIEW_S = 0.1


def configure_window(ui, env: dict | None = None) -> None:
    """Set Kivy's window options from ``[ui]`` before the window exists."""
    from kivy.config import Config

    Config.set("graphics", "width", str(ui.width))
    Config.set("graphics", "height", str(ui.height))
    # "fake" fullscreen: a borderless window at the top left, of the configured size (the
    # display's). Kivy's "auto" assumes a window manager obeys it; a kiosk started without one
    # (xinit, or a bare X server) then lays out for the display while the window stays small.
    Config.set("graphics", "fullscreen", "fake" if ui.fullscreen else "0")
    if ui.fullscreen:
        Config.set("graphics", "position", "custom")
        Config.set("graphics", "left", "0")
        Config.set("graphics", "top", "0")
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "show_cursor", "0" if ui.fullscreen else "1")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")


class CalmExceptionHandler(ExceptionHandler):
    """Any exception escaping a Kivy callback: log it, show a calm message, keep running."""

    def __init__(self, app: "KioskApp"):
        super().__init__()
        self.app = app

    def handle_exception(self, inst):
        if isinstance(inst, (KeyboardInterrupt, SystemExit)):
            return ExceptionManager.RAISE
        log.error("unexpected error in the UI", exc_info=inst)
        try:
            self.app.flow.show_unexpected_error()
        except Exception:  # noqa: BLE001
            log.exception("could not show the error message")
        return ExceptionManager.PASS


class KioskApp(App):
    """The touchscreen kiosk."""

    title = "Kiosk"

    def __init__(self, runtime: Runtime, on_ready: Callable[[], None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.runtime = runtime
        self.context = runtime.context
        context = self.context
        self.ports = runtime.ports
        self.flow = runtime.flow
        self.preview_provider = runtime.preview if runtime.camera is not None else None
        self.on_ready = on_ready
        #: Codes from the threaded scanners (serial, evdev, camera), drained on the clock.
        self.scan_feed = runtime.drain_scans
        scanner = next((s for s in context.config.scanner if s.kind == "keyboard"),
                       ScannerSettings())
        self.wedge = WedgeInput(self.flow.scan, self._typed,
                                decoder=build_wedge(scanner, context.config.codes.max_length))
        self.screens: dict[str, object] = {}
        self._ready_sent = False

    # -- building -----------------------------------------------------------------------------
    def build(self):
        from kivy.core.window import Window

        from kiosk.ui.screens.borrow import BorrowScreen
        from kiosk.ui.screens.equipment_borrow import EquipmentBorrowScreen
        from kiosk.ui.screens.equipment_return import EquipmentReturnScreen
        from kiosk.ui.screens.home import HomeScreen
        from kiosk.ui.screens.returns import ReturnsScreen
        from kiosk.ui.screens.staff_review import StaffReviewScreen
        from kiosk.ui.screens.staff_signin import StaffSignInScreen
        from kiosk.ui.screens.teacher import TeacherScreen

        theme.register_font()
        Window.clearcolor = theme.BACKGROUND
        ExceptionManager.add_handler(CalmExceptionHandler(self))
        self.title = self.context.config.school.name
        manager = ScreenManager(transition=NoTransition())
        for name, cls in (("home", HomeScreen), ("borrow", BorrowScreen),
                          ("returns", ReturnsScreen), ("teacher", TeacherScreen),
                          ("equipment_borrow", EquipmentBorrowScreen),
                          ("equipment_return", EquipmentReturnScreen),
                          ("staff_signin", StaffSignInScreen),
                          ("staff_review", StaffReviewScreen)):
            screen = cls(self, name=name)
            self.screens[name] = screen
            manager.add_widget(screen)
        self.manager = manager
        self.flow.on_navigate(self._navigate)
        self.flow.on_language(lambda lang: self.screens[self.flow.screen].refresh())
        self.flow.on_countdown(lambda n: self.screens[self.flow.screen].show_countdown(n))
        self.ports.printer.on_print_result = self.print_result
        self.wedge.bind_window(Window, Clock)
        Window.bind(on_touch_down=self._touched, on_draw=self._first_draw)
        self._navigate(self.flow.presenter)
        Clock.schedule_interval(self._tick, TICK_S)
        Clock.schedule_interval(self._poll_wedge, 0.03)
        Clock.schedule_interval(self._preview, PREVIEW_S)
        self.notifier = watchdog.attach(Clock)  # systemd's watchdog, pinged from this loop
        log.info("kiosk UI built at %sx%s", *Window.size)
        return manager

    def _navigate(self, presenter) -> None:
        screen = self.screens[presenter.screen]
        screen.show(presenter)
        self.manager.current = presenter.screen

    def _first_draw(self, *_):
        if not self._ready_sent:
            self._ready_sent = True
            log.info("home screen drawn")
            self.notifier.ready()
            if self.on_ready:
                Clock.schedule_once(lambda dt: self.on_ready(), 0)

    # -- input --------------------------------------------------------------------------------
    def deliver_scan(self, code: str) -> None:
        """Hand a scanned code to the UI from any thread (serial, evdev, camera readers)."""
        Clock.schedule_once(lambda dt: self.flow.scan(code), 0)

    def print_result(self, ok: bool, txn_ref: str, message: str) -> None:
        """The print service's callback (any thread)."""
        Clock.schedule_once(
            lambda dt: self.flow.guard(self.flow.handle_print_result, ok, txn_ref, message), 0)

    def _typed(self, text: str) -> None:
        log.debug("typed %d key(s) (not a scan)", len(text))
        self.flow.typed(text)

    def _touched(self, window, touch):
        self.flow.touch()
        return False

    def _tick(self, dt) -> None:
        self.flow.tick()

    def _poll_wedge(self, dt) -> None:
        self.wedge.poll()
        if self.scan_feed is not None:
            for code in self.scan_feed():
                self.flow.scan(code)

    def _preview(self, dt) -> None:
        if self.flow.screen != "home" or self.preview_provider is None:
            if self.preview_provider is None:
                self.screens["home"].show_frame(None)
            return
        try:
            frame = self.preview_provider()
        except Exception:  # noqa: BLE001 - a camera glitch hides the preview, nothing more
            log.exception("camera preview failed")
            frame = None
        self.screens["home"].show_frame(frame)


def run_app(config: Config, ready_file: str | None = None, lang: str | None = None,
            context=None) -> int:
    """Open the database of ``config`` (or use the open ``context``, e.g. the demo school's),
    start the runtime and show the kiosk; ``lang`` overrides ``[locale] lang``;
    ``ready_file`` receives the time the home screen was first drawn."""
    from kiosk.context import open_context

    started = time.monotonic()
    keep_files_private()
    if lang:
        config = dataclasses.replace(config, locale=dataclasses.replace(config.locale,
                                                                        lang=lang))
    if context is None:
        context = open_context(config, create=False)  # never a new, empty school
        check_at_start(context.clock)
    elif lang:
        context.config = config
    configure_window(context.config.ui)
    display.apply(context.config.display)

    def ready():
        log.info("ready in %.2f s", time.monotonic() - started)
        if ready_file:
            Path(ready_file).write_text(f"{time.time():.6f}\n")

    runtime = build_runtime(context, writes_for=ClockWrites, sounds=KivySounds())
    try:
        KioskApp(runtime, on_ready=ready).run()
    finally:
        runtime.close()
        context.close()
    return 0
