"""Versioned schema migrations: ``mNNNN_<what>.py`` files, each with ``VERSION`` and ``apply(db)``.

A migration is never edited once released: a change to the schema is a new file. The version a
database has reached is kept in the ``schema_version`` table (see :mod:`db.migrate`, which also
runs these SQLite-dialect migrations on PostgreSQL).
"""
