"""The Kivy touchscreen: the only Kivy code. Screens are thin over ``kiosk.presenters``.

Start it with :func:`kiosk.ui.app.run_app` (``kiosk run``) or build
:class:`kiosk.ui.app.KioskApp` around an open context.
"""
