"""The words the database stores, defined once: patron kinds, loan kinds, item statuses, return
conditions, lesson sessions, record types. Every room uses these names (the catalog translates
them for people: ``ui.condition.<word>``, ``find.status_<word>``...)."""
from __future__ import annotations

# Patrons (bạn đọc).
STUDENT, TEACHER, STAFF = "student", "teacher", "staff"
PATRON_KINDS = (STUDENT, TEACHER, STAFF)

# What a loan lends.
BOOK, EQUIPMENT = "book", "equipment"
LOAN_KINDS = (BOOK, EQUIPMENT)

# A copy's or a labelled item's status. Only an available thing can be lent.
AVAILABLE, ON_LOAN, REFERENCE, LOST, WITHDRAWN, DAMAGED = (
    "available", "on_loan", "reference", "lost", "withdrawn", "damaged")
ITEM_STATUSES = (AVAILABLE, ON_LOAN, REFERENCE, LOST, WITHDRAWN, DAMAGED)

# The condition a thing comes back in (tình trạng: tốt, hỏng, thiếu). printers/receipt.py keeps
# the same three words for its layout (a leaf room cannot import this one).
GOOD, DAMAGED_CONDITION, MISSING = "good", "damaged", "missing"
CONDITIONS = (GOOD, DAMAGED_CONDITION, MISSING)
#: A loan closed by staff because the thing was lost (mất), with its patron.
LOST_CONDITION = "lost"

# Incidents: what staff must resolve (hỏng, thiếu, mất), and how they were resolved.
INCIDENT_DAMAGED, INCIDENT_MISSING, INCIDENT_LOST = "damaged", "missing", "lost"
INCIDENT_KINDS = (INCIDENT_DAMAGED, INCIDENT_MISSING, INCIDENT_LOST)
REPAIRED, FOUND, WRITTEN_OFF = "repaired", "found", "written_off"
RESOLUTIONS = (REPAIRED, FOUND, WRITTEN_OFF)

# Stock-take: what a scanned code turned out to be, and the status each item ends with
# (đủ, thiếu, hỏng, mất, chưa kiểm).
SCAN_FOUND, SCAN_MISPLACED, SCAN_UNKNOWN, SCAN_DUPLICATE = (
    "found", "misplaced", "unknown", "duplicate")
ST_OK, ST_MISSING, ST_DAMAGED, ST_LOST, ST_UNCHECKED = (
    "ok", "missing", "damaged", "lost", "unchecked")
STOCKTAKE_STATUSES = (ST_OK, ST_MISSING, ST_DAMAGED, ST_LOST, ST_UNCHECKED)
STOCKTAKE_OPEN, STOCKTAKE_FINISHED, STOCKTAKE_CANCELLED = "open", "finished", "cancelled"

# Withdrawal reasons (lý do thanh lý) seen in school software.
WITHDRAW_REASONS = ("lost", "worn", "outdated", "termites", "old_programme", "beyond_repair")

# How equipment is kept: labelled one by one, or counted stock without labels.
TRACK_ITEM, TRACK_COUNTED = "item", "counted"

# A lesson's session (buổi); periods are numbered within it.
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
SESSIONS = (MORNING, AFTERNOON, EVENING)

# A booking (đặt trước): it holds its equipment while booked; collected (it became a loan),
# cancelled by its teacher, or lapsed (not collected before its lesson ended).
BOOKED, COLLECTED, CANCELLED, LAPSED = "booked", "collected", "cancelled", "lapsed"
BOOKING_STATUSES = (BOOKED, COLLECTED, CANCELLED, LAPSED)

# Records for the provincial systems (docs/provincial-sync.md).
LOAN_BORROWED, LOAN_RETURNED, LOAN_RENEWED, LOAN_VOIDED = (
    "loan.borrowed", "loan.returned", "loan.renewed", "loan.voided")
#: A void undone by staff in the same session: the loan stands again as it was.
LOAN_UNVOIDED = "loan.unvoided"
ITEM_DECLARED, ITEM_UPDATED, ITEM_WITHDRAWN = "item.declared", "item.updated", "item.withdrawn"
BOOKING_MADE, BOOKING_COLLECTED, BOOKING_CANCELLED, BOOKING_LAPSED = (
    "booking.made", "booking.collected", "booking.cancelled", "booking.lapsed")
# Contract v1.1: the principal's quotas, the school's roster, class visits to the library.
QUOTA_SET, ROSTER_UPDATED = "quota.set", "roster.updated"
CLASS_VISIT, CLASS_VISIT_VOIDED = "class.visit", "class.visit.voided"
#: The lesson plan (sổ phân định TBDH) of one subject and grade, after it was imported.
PLAN_UPDATED = "plan.updated"
#: A lesson taught with self-made equipment only (đồ dùng tự làm): a use that lends nothing.
LESSON_RECORDED = "lesson.recorded"
#: Every record type the kiosk sends (a test checks that the kiosk sends no other, and that the
#: district hub counts each one).
RECORD_TYPES = (LOAN_BORROWED, LOAN_RETURNED, LOAN_RENEWED, LOAN_VOIDED, LOAN_UNVOIDED,
                ITEM_DECLARED, ITEM_UPDATED, ITEM_WITHDRAWN, QUOTA_SET, ROSTER_UPDATED,
                CLASS_VISIT, CLASS_VISIT_VOIDED, PLAN_UPDATED, LESSON_RECORDED,
                BOOKING_MADE, BOOKING_COLLECTED, BOOKING_CANCELLED, BOOKING_LAPSED)

# Reference prefixes printed on receipts (GD-7F3A9C21): one per kind of action.
REF_BORROW, REF_RETURN, REF_EQUIPMENT_OUT, REF_EQUIPMENT_BACK = "GD", "TR", "TB", "TT"
REF_RENEW, REF_VOID, REF_DECLARE, REF_IMPORT, REF_SIGN_IN = "GH", "HUY", "NH", "NK", "DN"
REF_UNDO, REF_RETRY = "HT", "GL"
# Resolving damage and loss (XL-), stock-takes (KK-), withdrawals (TL-).
REF_RESOLVE, REF_STOCKTAKE, REF_WITHDRAW = "XL", "KK", "TL"
# Bookings: made (DT-, đặt trước), cancelled (HD-, hủy đặt), lapsed (QD-, quá hạn đặt);
# collecting one is an equipment checkout (TB-).
REF_BOOK, REF_UNBOOK, REF_LAPSE = "DT", "HD", "QD"


def back_status(condition: str) -> str:
    """The status a copy or labelled item takes when it comes back in ``condition``: anything not
    back in good condition waits for staff before it is lent again."""
    return AVAILABLE if condition == GOOD else DAMAGED
