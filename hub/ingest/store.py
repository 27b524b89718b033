"""Storing one batch: the records once each, their effects on the figures, in one transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from django.db import transaction

from hub.ingest import models as m
from hub.ingest.contract import Incoming
from hub.ingest.effects import Effects
from hub.ingest.sql import copy_insert, fast_cursor
from hub.schools.models import Kiosk

T_RECORD = m.Record._meta.db_table
RECORD_COLUMNS = ("id", "school_id", "kiosk_id", "type", "occurred_at", "received_at", "data")


def store_records(kiosk: Kiosk, records: Sequence[Incoming], now: datetime) -> set[str]:
    """Store the records not seen before and apply their effects; returns the new ids.

    Call inside a transaction (the view's); ids already stored are left alone (``duplicate``).
    """
    rows = [(r.id, kiosk.school_id, kiosk.id, r.type, r.occurred_at, now, r.data_json)
            for r in records]
    with fast_cursor() as cursor:
        new_ids = {row[0] for row in copy_insert(cursor, T_RECORD, RECORD_COLUMNS, rows,
                                                 "(id) DO NOTHING", "id")}
        if new_ids:
            Effects(cursor, kiosk.school_id, now).apply([r for r in records if r.id in new_ids])
    Kiosk.objects.filter(pk=kiosk.pk).update(last_records_at=now)
    return new_ids


def rebuild_figures(school_id: int | None = None, batch: int = 5000) -> int:
    """Recompute every derived table from the stored records (after editing the terms, or to
    check the figures): the same effects, replayed in the order records arrived. Returns how
    many records were replayed."""
    derived = [m.UsageCount, m.ReadingCount, m.Lesson, m.Loan, m.ClassVisit, m.ClassRoster,
               m.TeacherRoster, m.Quota, m.Item, m.PlanLesson]
    replayed = 0
    with transaction.atomic():
        for model in derived:
            query = model.objects.all()
            if school_id is not None:
                query = query.filter(school_id=school_id)
            query.delete()
        # As they arrived: batch after batch, and within a batch oldest first (as kiosks send).
        records = m.Record.objects.order_by("received_at", "occurred_at", "id")
        if school_id is not None:
            records = records.filter(school_id=school_id)
        # One sorted pass (a server-side cursor on PostgreSQL), applied a chunk at a time.
        chunk: list[tuple] = []
        rows = records.values_list("id", "school_id", "type", "occurred_at", "data",
                                   "received_at").iterator(chunk_size=batch)
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                replayed += _replay(chunk)
                chunk = []
        if chunk:
            replayed += _replay(chunk)
    return replayed


def _replay(rows: list[tuple]) -> int:
    by_school: dict[int, list[Incoming]] = {}
    for rid, sid, rtype, occurred, data, _ in rows:
        by_school.setdefault(sid, []).append(Incoming(rid, rtype, occurred, data, ""))
    with fast_cursor() as cursor:
        for sid, items in by_school.items():
            Effects(cursor, sid, rows[-1][5]).apply(items)
    return len(rows)
