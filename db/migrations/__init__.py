"""Versioned schema migrations: ``mNNNN_<what>.py`` files, each with ``VERSION`` and ``apply(db)``.

A migration is never edited once released: a change to the schema is a new file. The version a
file has reached is kept in ``PRAGMA user_version``.
"""
