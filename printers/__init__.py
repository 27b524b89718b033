"""Receipts and labels: layout to a 1-bit bitmap, and printer backends over python-escpos.

This room imports neither ``db``, ``kiosk`` nor Kivy: it takes plain data. Its parts, each
imported from its own module (nothing is imported here, so reading the settings does not load
the printer libraries):

- ``printers.receipt``: ``Receipt``, ``ReceiptLine``, ``LessonInfo``, ``DaySummary`` (what to print);
- ``printers.labels``, ``printers.sheets``: labels and A4 label sheets;
- ``printers.render``: the layout; ``printers.document``: the laid-out bitmap, QR codes;
- ``printers.settings``: ``PrinterSettings``; ``printers.backends``: ``build_backend``;
- ``printers.service``: ``PrintService`` (the queue), ``PrintResult``.
"""
