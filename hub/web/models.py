"""District requests (e.g. "thống kê số tiết sử dụng thiết bị, HK1, hạn 15/01") and each
school's answer: chưa gửi -> đã gửi -> đã nhận, or từ chối with a reason (then sent again)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from hub.schools.models import School


class DistrictRequest(models.Model):
    """What the district asks every school for, by when."""

    KINDS = [("usage", "usage"), ("usage_subjects", "usage_subjects"), ("reading", "reading"),
             ("declarations", "declarations"), ("overdue", "overdue")]
    TERMS = [("HK1", "HK1"), ("HK2", "HK2"), ("year", "year")]

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=KINDS, default="usage_subjects")
    school_year = models.CharField(max_length=9)
    term = models.CharField(max_length=4, choices=TERMS, default="HK1")
    due_on = models.DateField()
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RequestAnswer(models.Model):
    """One school's answer to a request, with the figures it sent (kept as sent)."""

    PENDING, SENT, RECEIVED, REFUSED = "pending", "sent", "received", "refused"
    STATES = [(PENDING, PENDING), (SENT, SENT), (RECEIVED, RECEIVED), (REFUSED, REFUSED)]

    request = models.ForeignKey(DistrictRequest, on_delete=models.CASCADE, related_name="answers")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="answers")
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    note = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["school__name"]
        constraints = [models.UniqueConstraint(fields=["request", "school"], name="one_answer")]
