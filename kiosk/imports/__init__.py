"""Importing the files schools already have: students, teachers, books and equipment.

Public API:

- :func:`kiosk.imports.runner.run_import` ``(context, kind, path, *, dry_run=False, actor="")``
  reads one .xlsx or .csv file, validates it row by row and writes the good rows in one
  transaction with one journal entry and the provincial ``item.*`` records; returns an
  :class:`~kiosk.imports.report.ImportReport`. A file that cannot be used raises
  :class:`~kiosk.imports.errors.ImportFileError` and changes nothing.
- :func:`kiosk.imports.tabular.read_table` finds the header and numbers the rows.
- One module per kind (``students``, ``teachers``, ``books``, ``equipment``), each with
  ``KIND``, ``COLUMNS`` (the accepted headers) and ``apply(table, session)``.
"""
