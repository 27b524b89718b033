"""Peewee models mirroring the schema the migrations build (tests check that they agree).

Times are stored as naive UTC datetimes; dates (due dates, holidays, lessons) as local dates.
"""
from __future__ import annotations

import peewee as pw

from db.connection import database


class BaseModel(pw.Model):
    """Binds every model to the kiosk's database."""

    class Meta:
        database = database
        legacy_table_names = False


class School(BaseModel):
    """The one school this database belongs to."""

    id = pw.IntegerField(primary_key=True, default=1)
    code = pw.TextField()
    name = pw.TextField()
    level = pw.TextField(default="")


class Kiosk(BaseModel):
    """A kiosk that has written to this file."""

    kiosk_id = pw.TextField(primary_key=True)
    name = pw.TextField(default="")
    first_seen_at = pw.DateTimeField()


class SchoolYear(BaseModel):
    """A school year, e.g. ``2026-2027``."""

    name = pw.TextField(unique=True)
    starts_on = pw.DateField()
    ends_on = pw.DateField()


class Term(BaseModel):
    """A term (học kỳ) of a school year."""

    school_year = pw.ForeignKeyField(SchoolYear, backref="terms", on_delete="CASCADE")
    name = pw.TextField()
    starts_on = pw.DateField()
    ends_on = pw.DateField()


class Period(BaseModel):
    """A teaching period (tiết) with its times, per session (morning/afternoon)."""

    number = pw.IntegerField()
    session = pw.TextField(default="morning")
    starts_at = pw.TextField()
    ends_at = pw.TextField()


class Holiday(BaseModel):
    """A day the library is closed; due dates skip it."""

    day = pw.DateField(unique=True)
    name = pw.TextField(default="")


class Patron(BaseModel):
    """A student, teacher or staff member: anyone with a card."""

    kind = pw.TextField()
    code = pw.TextField(unique=True)
    name = pw.TextField()
    search_key = pw.TextField(default="")
    class_name = pw.TextField(default="")
    grade = pw.IntegerField(null=True)
    birth_date = pw.DateField(null=True)
    gender = pw.TextField(default="")
    subject_group = pw.TextField(default="")
    subjects = pw.TextField(default="")
    role = pw.TextField(default="")
    pin_hash = pw.TextField(default="")
    active = pw.BooleanField(default=True)
    updated_at = pw.DateTimeField()
    failed_pin_attempts = pw.IntegerField(default=0)
    pin_locked_until = pw.DateTimeField(null=True)
    #: The grades a teacher teaches ("6;7"): with ``subjects``, what the required periods cover.
    grades = pw.TextField(default="")

    @property
    def subject_list(self) -> list[str]:
        """The subjects a teacher teaches."""
        return [s.strip() for s in self.subjects.split(";") if s.strip()]


class Title(BaseModel):
    """A book title (đầu sách)."""

    title = pw.TextField()
    search_key = pw.TextField(default="")
    author = pw.TextField(default="")
    publisher = pw.TextField(default="")
    year = pw.IntegerField(null=True)
    isbn = pw.TextField(null=True, index=True)
    classification = pw.TextField(default="")
    language = pw.TextField(default="vi")
    price = pw.IntegerField(null=True)
    updated_at = pw.DateTimeField()
    #: Nơi xuất bản (the place of publication, for the sổ đăng ký cá biệt).
    place = pw.TextField(default="")


class Copy(BaseModel):
    """A copy of a title; its barcode is its accession number (số ĐKCB)."""

    barcode = pw.TextField(unique=True)
    title = pw.ForeignKeyField(Title, backref="copies")
    store = pw.TextField(default="")
    status = pw.TextField(default="available")
    condition = pw.TextField(default="good")
    price = pw.IntegerField(null=True)
    shelf_mark = pw.TextField(default="")
    added_on = pw.DateField(null=True)
    updated_at = pw.DateTimeField()


class EquipmentType(BaseModel):
    """A kind of teaching equipment; counted stock (no labels) is kept here."""

    code = pw.TextField(unique=True)
    name = pw.TextField()
    search_key = pw.TextField(default="")
    group_name = pw.TextField(default="")
    type_name = pw.TextField(default="")
    subject = pw.TextField(default="")
    grade = pw.TextField(default="")
    unit = pw.TextField(default="")
    tracking = pw.TextField(default="item")  # item | counted
    stock_total = pw.IntegerField(default=0)
    stock_on_hand = pw.IntegerField(default=0)
    updated_at = pw.DateTimeField()
    #: Pieces of counted stock back damaged, and pieces missing: neither is lendable.
    stock_damaged = pw.IntegerField(default=0)
    stock_missing = pw.IntegerField(default=0)
    unit_price = pw.IntegerField(null=True)
    country = pw.TextField(default="")
    year = pw.IntegerField(null=True)
    #: The room (phòng, kho) where it is kept.
    location = pw.TextField(default="")
    added_on = pw.DateField(null=True)  # the day it was declared


class EquipmentItem(BaseModel):
    """A labelled piece of equipment."""

    barcode = pw.TextField(unique=True)
    type = pw.ForeignKeyField(EquipmentType, backref="items")
    status = pw.TextField(default="available")
    condition = pw.TextField(default="good")
    updated_at = pw.DateTimeField()
    location = pw.TextField(default="")
    added_on = pw.DateField(null=True)  # the day it was declared


class Lesson(BaseModel):
    """A lesson a teacher borrowed equipment for: the unit the equipment-use evaluation counts.

    The subject group (tổ) is the teacher's at the time of the lesson, so history does not move
    when a teacher changes group. Long-term loans have no lesson.
    """

    uid = pw.TextField(unique=True)
    txn_ref = pw.TextField(default="")
    teacher = pw.ForeignKeyField(Patron, backref="lessons")
    lesson_date = pw.DateField()
    session = pw.TextField(null=True)  # morning | afternoon | evening (periods count per session)
    period = pw.IntegerField(null=True)
    class_name = pw.TextField(default="")
    subject = pw.TextField(default="")
    subject_group = pw.TextField(default="")
    title = pw.TextField(default="")
    ppct = pw.IntegerField(null=True)  # the lesson's number in the PPCT (phân phối chương trình)
    purpose = pw.TextField(default="")
    kiosk_id = pw.TextField()
    created_at = pw.DateTimeField()
    #: Self-made equipment (thiết bị tự làm) the teacher declared: the lesson counts without lines.
    self_made = pw.TextField(default="")


class Loan(BaseModel):
    """One thing lent to one patron: a copy, a labelled item or a quantity of counted stock."""

    uid = pw.TextField(unique=True)
    txn_ref = pw.TextField()
    patron = pw.ForeignKeyField(Patron, backref="loans")
    kind = pw.TextField()  # book | equipment
    copy = pw.ForeignKeyField(Copy, null=True, backref="loans")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="loans")
    equipment_type = pw.ForeignKeyField(EquipmentType, null=True, backref="counted_loans")
    quantity = pw.IntegerField(default=1)
    out_at = pw.DateTimeField()
    due_on = pw.DateField()
    returned_at = pw.DateTimeField(null=True)
    returned_by = pw.ForeignKeyField(Patron, null=True, backref="returns")
    return_condition = pw.TextField(null=True)
    voided_at = pw.DateTimeField(null=True)
    void_reason = pw.TextField(null=True)
    renewals = pw.IntegerField(default=0)
    kiosk_id = pw.TextField()
    return_kiosk_id = pw.TextField(null=True)
    long_term = pw.BooleanField(default=False)
    lesson = pw.ForeignKeyField(Lesson, null=True, backref="loans")
    #: The reference of the return that closed this loan (printed on the return receipt).
    return_ref = pw.TextField(null=True)
    #: Pieces accounted for so far by returns (a loan stays open until all are).
    returned_good = pw.IntegerField(default=0)
    returned_damaged = pw.IntegerField(default=0)
    returned_missing = pw.IntegerField(default=0)
    returned_lost = pw.IntegerField(default=0)
    return_note = pw.TextField(default="")

    @property
    def is_open(self) -> bool:
        """Still out: neither returned nor voided."""
        return self.returned_at is None and self.voided_at is None


class Journal(BaseModel):
    """An append-only entry for every action (triggers refuse updates and deletes)."""

    at = pw.DateTimeField()
    kiosk_id = pw.TextField()
    actor = pw.TextField(default="")
    action = pw.TextField()
    entity = pw.TextField(default="")
    entity_key = pw.TextField(default="")
    txn_ref = pw.TextField(default="")
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)
    reason = pw.TextField(default="")


class Outbox(BaseModel):
    """A record the provincial systems must receive; retried until acknowledged."""

    record_id = pw.TextField(unique=True)
    type = pw.TextField()
    occurred_at = pw.TextField()
    data = pw.TextField()
    state = pw.TextField(default="pending")  # pending | sent | dead
    attempts = pw.IntegerField(default=0)
    last_error = pw.TextField(default="")
    sent_at = pw.DateTimeField(null=True)
    #: The reference of the action that queued it (GD-7F3A9C21).
    action_ref = pw.TextField(default="")


class SyncState(BaseModel):
    """Key/value status of the provincial sync (last success, last error...)."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField()
    updated_at = pw.DateTimeField()


class Quota(BaseModel):
    """A required number of periods using equipment: per subject x grade, or per teacher."""

    school_year = pw.TextField()
    term = pw.TextField()  # HK1 | HK2 | year
    subject = pw.TextField(default="")
    grade = pw.TextField(default="")
    teacher_code = pw.TextField(default="")
    periods = pw.IntegerField()
    set_by = pw.TextField(default="")
    set_at = pw.DateTimeField()


class LessonPlan(BaseModel):
    """A lesson of the sổ phân định TBDH: subject, grade, PPCT number, week, equipment needed."""

    school_year = pw.TextField()
    subject = pw.TextField()
    grade = pw.TextField()
    ppct = pw.IntegerField()
    week = pw.IntegerField(null=True)
    title = pw.TextField(default="")
    equipment = pw.TextField(default="")
    updated_at = pw.DateTimeField()


class LessonPlanItem(BaseModel):
    """One piece of equipment a planned lesson needs (a known type, or only its name)."""

    plan = pw.ForeignKeyField(LessonPlan, backref="items", on_delete="CASCADE")
    equipment_type = pw.ForeignKeyField(EquipmentType, null=True, backref="planned")
    name = pw.TextField(default="")
    quantity = pw.IntegerField(default=1)


class ClassVisit(BaseModel):
    """A class's visit to the library for in-library reading (đọc tại chỗ)."""

    uid = pw.TextField(unique=True)
    txn_ref = pw.TextField(default="")
    class_name = pw.TextField()
    visit_date = pw.DateField()
    students = pw.IntegerField()
    titles = pw.TextField(default="")  # one title a line
    recorded_by = pw.TextField(default="")
    kiosk_id = pw.TextField()
    created_at = pw.DateTimeField()
    voided_at = pw.DateTimeField(null=True)


class Booking(BaseModel):
    """A teacher's booking (đặt trước) of equipment for a later lesson; while ``booked`` (and
    before ``lapses_at``) it holds its lines for that date and period."""

    uid = pw.TextField(unique=True)
    txn_ref = pw.TextField()
    teacher = pw.ForeignKeyField(Patron, backref="bookings")
    lesson_date = pw.DateField()
    session = pw.TextField(default="morning")
    period = pw.IntegerField()
    class_name = pw.TextField(default="")
    subject = pw.TextField(default="")
    title = pw.TextField(default="")
    ppct = pw.IntegerField(null=True)
    purpose = pw.TextField(default="")
    status = pw.TextField(default="booked")  # booked | collected | cancelled | lapsed
    kiosk_id = pw.TextField()
    created_at = pw.DateTimeField()
    collect_from = pw.DateTimeField(null=True)
    lapses_at = pw.DateTimeField()
    closed_at = pw.DateTimeField(null=True)
    closed_ref = pw.TextField(default="")
    lesson = pw.ForeignKeyField(Lesson, null=True, backref="bookings")


class BookingLine(BaseModel):
    """One labelled item, or a quantity of one kind of equipment, of a booking."""

    booking = pw.ForeignKeyField(Booking, backref="lines", on_delete="CASCADE")
    equipment_type = pw.ForeignKeyField(EquipmentType, backref="booking_lines")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="booking_lines")
    quantity = pw.IntegerField(default=1)


class LoanReturn(BaseModel):
    """One return of a loan: how many pieces came back good, damaged, missing (or were declared
    lost), and how many are still out after it."""

    loan = pw.ForeignKeyField(Loan, backref="return_rows")
    return_ref = pw.TextField()
    returned_at = pw.DateTimeField()
    returned_by = pw.ForeignKeyField(Patron, null=True, backref="+")
    kiosk_id = pw.TextField()
    good = pw.IntegerField(default=0)
    damaged = pw.IntegerField(default=0)
    missing = pw.IntegerField(default=0)
    lost = pw.IntegerField(default=0)
    outstanding = pw.IntegerField(default=0)
    note = pw.TextField(default="")


class Incident(BaseModel):
    """A damage, missing pieces or a loss, with the patron who had it, until resolved."""

    uid = pw.TextField(unique=True)
    kind = pw.TextField()  # damaged | missing | lost
    copy = pw.ForeignKeyField(Copy, null=True, backref="+")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="+")
    equipment_type = pw.ForeignKeyField(EquipmentType, null=True, backref="+")
    quantity = pw.IntegerField()
    open_quantity = pw.IntegerField()
    patron = pw.ForeignKeyField(Patron, null=True, backref="+")
    loan = pw.ForeignKeyField(Loan, null=True, backref="+")
    ref = pw.TextField()
    at = pw.DateTimeField()
    note = pw.TextField(default="")
    unit_value = pw.IntegerField(null=True)
    resolution = pw.TextField(null=True)
    resolved_at = pw.DateTimeField(null=True)
    resolved_ref = pw.TextField(null=True)


class Stocktake(BaseModel):
    """A stock-take (kiểm kê) of one store, room or shelf."""

    uid = pw.TextField(unique=True)
    ref = pw.TextField()
    kind = pw.TextField()  # book | equipment
    store = pw.TextField(default="")
    room = pw.TextField(default="")
    shelf = pw.TextField(default="")
    committee = pw.TextField(default="[]")
    note = pw.TextField(default="")
    state = pw.TextField(default="open")
    opened_at = pw.DateTimeField()
    opened_by = pw.TextField(default="")
    finished_at = pw.DateTimeField(null=True)
    finished_ref = pw.TextField(null=True)


class StocktakeLoad(BaseModel):
    """A file of scanned codes loaded into a stock-take (loaded once: its digest)."""

    stocktake = pw.ForeignKeyField(Stocktake, backref="loads")
    name = pw.TextField()
    digest = pw.TextField()
    codes = pw.IntegerField()
    loaded_at = pw.DateTimeField()


class StocktakeScan(BaseModel):
    """A code seen during a stock-take, and what it turned out to be."""

    stocktake = pw.ForeignKeyField(Stocktake, backref="scans")
    code = pw.TextField()
    at = pw.DateTimeField()
    load = pw.ForeignKeyField(StocktakeLoad, null=True, backref="scans")
    result = pw.TextField()  # found | misplaced | unknown | duplicate
    copy = pw.ForeignKeyField(Copy, null=True, backref="+")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="+")
    damaged = pw.IntegerField(default=0)


class StocktakeCount(BaseModel):
    """Counted stock counted during a stock-take: pieces found good and damaged."""

    stocktake = pw.ForeignKeyField(Stocktake, backref="counts")
    equipment_type = pw.ForeignKeyField(EquipmentType, backref="+")
    good = pw.IntegerField()
    damaged = pw.IntegerField(default=0)
    at = pw.DateTimeField()


class StocktakeResult(BaseModel):
    """The status an item (or pieces of counted stock) ended a stock-take with."""

    stocktake = pw.ForeignKeyField(Stocktake, backref="results")
    copy = pw.ForeignKeyField(Copy, null=True, backref="+")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="+")
    equipment_type = pw.ForeignKeyField(EquipmentType, null=True, backref="+")
    status = pw.TextField()  # ok | missing | damaged | lost | unchecked
    quantity = pw.IntegerField(default=1)
    unit_value = pw.IntegerField(null=True)


class Withdrawal(BaseModel):
    """A withdrawal (thanh lý, xuất kho): a reason and the decision behind it."""

    uid = pw.TextField(unique=True)
    ref = pw.TextField()
    reason = pw.TextField()
    decision_no = pw.TextField(default="")
    decision_date = pw.DateField(null=True)
    note = pw.TextField(default="")
    at = pw.DateTimeField()
    staff_code = pw.TextField(default="")


class WithdrawalLine(BaseModel):
    """One copy, labelled item or quantity of counted stock withdrawn."""

    withdrawal = pw.ForeignKeyField(Withdrawal, backref="lines")
    copy = pw.ForeignKeyField(Copy, null=True, backref="+")
    item = pw.ForeignKeyField(EquipmentItem, null=True, backref="+")
    equipment_type = pw.ForeignKeyField(EquipmentType, null=True, backref="+")
    quantity = pw.IntegerField(default=1)
    unit_value = pw.IntegerField(null=True)
    store = pw.TextField(default="")


ALL_MODELS = [School, Kiosk, SchoolYear, Term, Period, Holiday, Patron, Title, Copy,
              EquipmentType, EquipmentItem, Lesson, Loan, Journal, Outbox, SyncState,
              LoanReturn, Incident, Stocktake, StocktakeLoad, StocktakeScan, StocktakeCount,
              StocktakeResult, Withdrawal, WithdrawalLine, Quota, LessonPlan, LessonPlanItem,
              ClassVisit, Booking, BookingLine]
