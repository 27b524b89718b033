"""Receiving the kiosks' records (contract v1) and heartbeats (v1.1), and the figures kept up
to date as they arrive."""
from django.apps import AppConfig


class IngestConfig(AppConfig):
    """The ``ingest`` app."""

    name = "hub.ingest"
    label = "ingest"
    default_auto_field = "django.db.models.BigAutoField"
