"""Every record once (``Record``), and what the pages read, kept up to date as records arrive:
loans and lessons (their state), monthly counters (usage, reading), class visits, rosters,
quotas and items. ``python -m hub rebuild_figures`` rebuilds everything but ``Record``."""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from hub.schools.models import Kiosk, School


class Record(models.Model):
    """A record as a kiosk sent it, stored once by its id (receivers are idempotent by id)."""

    id = models.CharField(max_length=64, primary_key=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, db_index=False)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, db_index=False)
    type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    data = models.JSONField()
    #: When the provincial connector delivered it (null: not yet, or no connector).
    forwarded_at = models.DateTimeField(null=True, blank=True)
    #: Why the provincial system refused it ("" while it may still be sent).
    forward_refused = models.CharField(max_length=500, blank=True, db_default="")

    class Meta:
        # Partial indexes only: every index on this table is paid by every record stored.
        indexes = [models.Index(fields=["school", "occurred_at"], name="record_declared",
                                condition=Q(type="item.declared")),
                   models.Index(fields=["kiosk", "received_at", "id"], name="record_unforwarded",
                                condition=Q(forwarded_at__isnull=True, forward_refused=""))]


class Lesson(models.Model):
    """A lesson (teacher, date, buổi, tiết, class) that equipment was borrowed for. It counts
    as one use while ``lines`` (its equipment lines not voided) is above zero."""

    lesson_id = models.CharField(max_length=64, primary_key=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    teacher_code = models.CharField(max_length=64)
    teacher_name = models.CharField(max_length=200, blank=True)
    subject_group = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    grade = models.CharField(max_length=8, blank=True)
    class_name = models.CharField(max_length=32, blank=True)
    date = models.DateField(null=True)
    session = models.CharField(max_length=16, blank=True)
    period = models.IntegerField(null=True)
    title = models.CharField(max_length=300, blank=True)
    ppct = models.IntegerField(null=True)
    purpose = models.CharField(max_length=100, blank=True)
    school_year = models.CharField(max_length=9)
    term = models.CharField(max_length=3, blank=True)
    month = models.DateField(null=True)
    lines = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["school", "school_year", "teacher_code"],
                                name="lesson_school_teacher")]


class Loan(models.Model):
    """A loan's state: out, returned, voided. Open loans past due are the overdue list."""

    loan_id = models.CharField(max_length=64, primary_key=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    kind = models.CharField(max_length=16)  # book | equipment
    item_kind = models.CharField(max_length=20, blank=True)
    patron_code = models.CharField(max_length=64, blank=True)
    patron_kind = models.CharField(max_length=16, blank=True)
    patron_name = models.CharField(max_length=200, blank=True)
    patron_class = models.CharField(max_length=32, blank=True)
    item_barcode = models.CharField(max_length=64, blank=True)
    item_name = models.CharField(max_length=300, blank=True)
    quantity = models.IntegerField(default=1)
    borrowed_at = models.DateTimeField(null=True)
    school_year = models.CharField(max_length=9, blank=True)
    month = models.DateField(null=True)
    due_date = models.DateField(null=True)
    long_term = models.BooleanField(default=False)
    #: When the last piece came back (a partial return leaves it open: ``outstanding`` > 0).
    returned_at = models.DateTimeField(null=True)
    voided_at = models.DateTimeField(null=True)
    #: The moment of the latest void or undone void applied (an older one arriving late is
    #: ignored, so the loan ends as the kiosk left it whatever order the records come in).
    void_changed_at = models.DateTimeField(null=True)
    lesson_id = models.CharField(max_length=64, blank=True)
    #: Pieces still out with the patron ("trả 2/3, còn 1" leaves 1), and those accounted for.
    outstanding = models.IntegerField(db_default=1)
    returned_good = models.IntegerField(db_default=0)
    returned_damaged = models.IntegerField(db_default=0)
    returned_missing = models.IntegerField(db_default=0)
    returned_lost = models.IntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["school", "due_date"], name="loan_open_due",
                                condition=Q(returned_at__isnull=True, voided_at__isnull=True))]


class UsageCount(models.Model):
    """Lessons with equipment, per teacher, tổ (the lesson's), subject, grade and month."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    term = models.CharField(max_length=3, blank=True)
    month = models.DateField()
    teacher_code = models.CharField(max_length=64)
    teacher_name = models.CharField(max_length=200, blank=True)
    subject_group = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    grade = models.CharField(max_length=8, blank=True)
    lessons = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["school", "school_year", "term", "month", "teacher_code", "subject_group",
                    "subject", "grade"], name="usage_key")]


class ReadingCount(models.Model):
    """Book loans to take home, per class and month (``patron_kind`` student, teacher...)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    month = models.DateField()
    class_name = models.CharField(max_length=32, blank=True)
    grade = models.CharField(max_length=8, blank=True)
    patron_kind = models.CharField(max_length=16, blank=True)
    loans = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["school", "school_year", "month", "class_name", "patron_kind"],
            name="reading_key")]


class ClassVisit(models.Model):
    """A class's visit to the library for in-library reading (đọc tại chỗ)."""

    record_id = models.CharField(max_length=64, primary_key=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    month = models.DateField()
    date = models.DateField()
    class_name = models.CharField(max_length=32)
    grade = models.CharField(max_length=8, blank=True)
    students = models.IntegerField(default=0)
    titles = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["school", "school_year", "month"], name="visit_month")]


class ClassRoster(models.Model):
    """How many students a class has in a school year (for loans per student)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    class_name = models.CharField(max_length=32)
    grade = models.CharField(max_length=8, blank=True)
    students = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "class_name"],
                                               name="roster_key")]


class TeacherRoster(models.Model):
    """A teacher of the school in a school year, with the subjects and grades they teach (so a
    teacher who recorded nothing still appears against the quota)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200, blank=True)
    subject_group = models.CharField(max_length=100, blank=True)
    teaches = models.JSONField(default=list)  # [{"subject": ..., "grade": ...}]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "code"],
                                               name="teacher_roster_key")]


class Quota(models.Model):
    """The required periods using equipment, set by the principal: per subject x grade, or per
    teacher (``teacher_code``), for ``HK1``, ``HK2`` or the ``year``."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    term = models.CharField(max_length=4)
    subject = models.CharField(max_length=100, blank=True)
    grade = models.CharField(max_length=8, blank=True)
    teacher_code = models.CharField(max_length=64, blank=True)
    periods = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["school", "school_year", "term"], name="quota_term")]


class Item(models.Model):
    """A declared book copy, labelled equipment item or counted stock (one row per equipment
    type), with what its record lacks for the registers. ``pieces`` is what the school holds
    now (0 once a copy or item is withdrawn; counted stock: its ``stock_total``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    key = models.CharField(max_length=100)
    item_kind = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=300, blank=True)
    group = models.CharField(max_length=100, blank=True)
    declared_at = models.DateTimeField(null=True)
    declared_record = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(null=True)
    #: When nothing of it is left (a copy or item withdrawn; counted stock withdrawn to 0).
    withdrawn_at = models.DateTimeField(null=True)
    missing = models.JSONField(default=list)
    #: Pieces declared (counted stock: the sum of ``quantity_added``), held now, withdrawn.
    declared_pieces = models.IntegerField(db_default=0)
    pieces = models.IntegerField(db_default=0)
    withdrawn_pieces = models.IntegerField(db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "key"], name="item_key")]


class PlanLesson(models.Model):
    """A lesson of the school's plan (sổ phân định TBDH: per subject, grade and PPCT number,
    its week and the equipment it needs), as the kiosk last sent it (``plan.updated``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, db_index=False)
    school_year = models.CharField(max_length=9)
    subject = models.CharField(max_length=100)
    grade = models.CharField(max_length=8)
    ppct = models.IntegerField()
    week = models.IntegerField(null=True)
    week_starts = models.DateField(null=True)
    title = models.CharField(max_length=300, blank=True)
    equipment = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["school", "school_year", "subject", "grade", "ppct"], name="plan_key")]
