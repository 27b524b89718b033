"""The school's registers as Excel files (``kiosk export registers``).

- :mod:`kiosk.export.queries`: read-only queries over loans, patrons, copies and equipment.
- :mod:`kiosk.export.workbook`: one register sheet: title, school, period, headers, rows.
- :mod:`kiosk.export.registers`: which registers, which files: :func:`export_registers`.
"""
