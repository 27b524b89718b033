"""The local database: peewee models, versioned migrations and queries. The one place that knows SQL.

Imports peewee and the standard library only.
"""
from db.connection import open_database, database
from db.migrate import migrate, current_version, LATEST_VERSION

__all__ = ["open_database", "database", "migrate", "current_version", "LATEST_VERSION"]
