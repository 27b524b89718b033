"""Screen logic without Kivy: each screen's state and commands, tested headless.

A Kivy screen binds to one presenter, forwards touches and scans to it, and redraws when the
presenter says it changed. :class:`~kiosk.presenters.flow.KioskFlow` owns navigation, the idle
timeout, the language and the results of printing. Nothing in this package imports Kivy.
"""
