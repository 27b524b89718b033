"""The district's and principals' pages, exports and district requests."""
from django.apps import AppConfig


class WebConfig(AppConfig):
    """The ``web`` app."""

    name = "hub.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
