"""District requests in the admin (the pages are the usual way)."""
from django.contrib import admin

from hub.schools.admin import DistrictOnly
from hub.web.models import DistrictRequest, RequestAnswer


@admin.register(DistrictRequest)
class DistrictRequestAdmin(DistrictOnly, admin.ModelAdmin):
    """Requests."""

    list_display = ("title", "kind", "school_year", "term", "due_on", "created_at")


@admin.register(RequestAnswer)
class RequestAnswerAdmin(DistrictOnly, admin.ModelAdmin):
    """Answers."""

    list_display = ("request", "school", "state", "sent_at", "reviewed_at")
    list_filter = ("state", "request")
