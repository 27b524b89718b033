"""Who and what the hub knows: schools, kiosks (with their last heartbeat), kiosk tokens,
people's roles, and the terms of each school year."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class School(models.Model):
    """A school that pushes records; ``code`` is the kiosk's ``school.code``."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, blank=True, help_text="TH, THCS, THPT...")
    commune = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Kiosk(models.Model):
    """One kiosk of a school. The heartbeat fields hold its last report (contract v1.1)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="kiosks")
    kiosk_id = models.CharField(max_length=64, help_text="the kiosk's school.kiosk_id")
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Hub time of the last batch of records received from it.
    last_records_at = models.DateTimeField(null=True, blank=True)
    #: Hub time of the last heartbeat, and what it said.
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    version = models.CharField(max_length=40, blank=True)
    queue_pending = models.IntegerField(null=True, blank=True)
    queue_dead = models.IntegerField(null=True, blank=True)
    oldest_pending_at = models.DateTimeField(null=True, blank=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    clock_offset_s = models.FloatField(null=True, blank=True)
    printer_status = models.CharField(max_length=40, blank=True)
    paper_out = models.BooleanField(default=False)
    scanners = models.JSONField(default=list, blank=True)
    heartbeat = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["school__name", "kiosk_id"]
        constraints = [models.UniqueConstraint(fields=["school", "kiosk_id"],
                                               name="kiosk_unique_per_school")]

    def __str__(self) -> str:
        return f"{self.school.code}/{self.kiosk_id}"


class KioskToken(models.Model):
    """A kiosk's bearer token. Only its SHA-256 is kept: the token is 256 random bits, so a
    fast hash is as safe as a slow one and costs nothing on every push."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8, help_text="the token's first characters")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.kiosk} {self.hint}… ({state})"


class Membership(models.Model):
    """A person's role: district staff, a school's principal, or read-only (district-wide, or
    one school's when ``school`` is set)."""

    DISTRICT, PRINCIPAL, READONLY = "district", "principal", "readonly"
    ROLES = [(DISTRICT, "Cán bộ phòng GD&ĐT / District staff"),
             (PRINCIPAL, "Hiệu trưởng / Principal"),
             (READONLY, "Chỉ xem / Read-only")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="membership")
    role = models.CharField(max_length=20, choices=ROLES)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="members")

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.school.code if self.school else ''}".strip()


class Term(models.Model):
    """A term of a school year (HK1, HK2). Without rows the defaults of :mod:`hub.calendar`."""

    school_year = models.CharField(max_length=9, help_text="2026-2027")
    code = models.CharField(max_length=3, choices=[("HK1", "HK1"), ("HK2", "HK2")])
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.UniqueConstraint(fields=["school_year", "code"],
                                               name="term_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.school_year}"
