"""Receipts and labels: layout to a 1-bit bitmap, and printer backends over python-escpos.

This room imports neither ``db``, ``kiosk`` nor Kivy: it takes plain data.
"""
