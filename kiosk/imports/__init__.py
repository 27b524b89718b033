"""Importing the files schools already have: students, teachers, books and equipment.

``run_import(context, kind, path, dry_run=False)`` (in :mod:`kiosk.imports.runner`) reads one
.xlsx or .csv file, validates it row by row and writes the good rows in one transaction, with one
journal entry and the provincial ``item.*`` records. Each kind lives in its own module.
"""
