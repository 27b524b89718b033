"""The local database: peewee models, versioned migrations and queries. The one place that knows SQL.

Imports peewee and the standard library only.
"""
from peewee import Database

from db.connection import open_database, database
from db.migrate import migrate, current_version, LATEST_VERSION

__all__ = ["Database", "open_database", "database", "migrate", "current_version",
           "LATEST_VERSION"]
