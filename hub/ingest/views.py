"""``POST /v1/records`` (contract v1) and ``POST /v1/heartbeat`` (v1.1).

Bearer token per kiosk; the body's ``school_code`` and ``kiosk_id`` must be the token's (else
403, which stops the kiosk until staff fix its token). Every answer is JSON.
"""
from __future__ import annotations

import json
import logging
import random

from django.db import DatabaseError, OperationalError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from hub.ingest.contract import BatchError, read_batch
from hub.ingest.gate import Busy, give_back, take_slot
from hub.ingest.heartbeat import record_heartbeat
from hub.ingest.store import store_records
from hub.ingest.tokens import kiosk_for, mark_used

log = logging.getLogger(__name__)


def _error(status: int, message: str, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _retry_after() -> int:
    from django.conf import settings

    base = settings.HUB.ingest.retry_after_s
    return base + random.randint(0, max(1, base // 2))  # spread the kiosks' returns


def _read(request, max_bytes: int):
    """(kiosk, body) or an error response."""
    if request.method != "POST":
        return None, _error(405, "POST only")
    kiosk = kiosk_for(request.headers.get("Authorization", ""))
    if kiosk is None:
        return None, _error(401, "unknown or revoked token")
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > max_bytes:
        return None, _error(413, f"body larger than {max_bytes} bytes")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, _error(400, f"body is not JSON: {exc}")
    if not isinstance(body, dict) or body.get("school_code") != kiosk.school.code or \
            body.get("kiosk_id") != kiosk.kiosk_id:
        return None, _error(403, "school_code and kiosk_id must be those of the token's kiosk")
    return (kiosk, body), None


@csrf_exempt
def records(request):
    """Store a batch; one result per record (``accepted``, ``duplicate``, ``rejected``)."""
    from django.conf import settings

    config = settings.HUB.ingest
    read, error = _read(request, config.max_body_bytes)
    if error:
        return error
    kiosk, body = read
    try:
        usable, answers = read_batch(body, kiosk.school.code, kiosk.kiosk_id,
                                     config.max_records_per_batch)
    except BatchError as exc:
        return _error(400, str(exc))
    except PermissionError as exc:
        return _error(403, str(exc))
    now = timezone.now()
    slot = None
    try:
        with transaction.atomic():
            slot = take_slot(config.max_concurrent_batches)
            new_ids = store_records(kiosk, usable, now) if usable else set()
    except Busy:
        return _error(503, "busy: send this batch again later", _retry_after())
    except OperationalError as exc:  # lock timeouts, a database restarting, a full disk
        log.warning("batch from %s not stored: %s", kiosk, exc)
        return _error(503, "the database is not available: send again later", _retry_after())
    except DatabaseError:
        log.exception("batch from %s not stored", kiosk)
        return _error(500, "the batch could not be stored")
    finally:
        give_back(slot)
    for answer in answers:
        if not answer["status"]:
            answer["status"] = "accepted" if answer["id"] in new_ids else "duplicate"
    return JsonResponse({"results": answers})


@csrf_exempt
def heartbeat(request):
    """Keep a kiosk's health report; answers the clock offset the hub measured."""
    read, error = _read(request, 256 * 1024)
    if error:
        return error
    kiosk, body = read
    try:
        answer = record_heartbeat(kiosk, body, timezone.now())
    except BatchError as exc:
        return _error(400, str(exc))
    mark_used(request.headers.get("Authorization", ""))
    return JsonResponse(answer)
