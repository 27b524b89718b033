"""Schools, their kiosks, the kiosks' tokens, people's roles and the school calendar."""
from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    """The ``schools`` app."""

    name = "hub.schools"
    label = "schools"
    default_auto_field = "django.db.models.BigAutoField"
