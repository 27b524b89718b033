"""Passing records on to the provincial systems: the seam for the day they publish an API.

A :class:`Forwarder` takes a batch of stored records and says, per record, whether the other
side has it. :func:`forward_pending` sends the records not yet forwarded, oldest first, and
marks the delivered ones (``Record.forwarded_at``: the declarations page counts them as sent on
to the province). ``[forward] kind = "none"`` (the default) forwards nothing;
``"contract_v1"`` speaks the kiosks' own contract to another receiver. The province's own API
will be one more class here.
"""
from __future__ import annotations

import abc
import json
import logging
import ssl
import stat
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from django.db import transaction
from django.utils import timezone

from hub.ingest.models import Record

log = logging.getLogger(__name__)


class ForwardError(Exception):
    """The other side could not be reached or refused us; try the batch later."""


@dataclass(frozen=True)
class Delivered:
    """The other side's word on one record."""

    id: str
    ok: bool
    reason: str = ""


class Forwarder(abc.ABC):
    """Sends batches of one school's records to a provincial system."""

    @abc.abstractmethod
    def send(self, school_code: str, kiosk_id: str, records: Sequence[Record]) -> list[Delivered]:
        """Deliver ``records``; raise :class:`ForwardError` to retry the batch later."""


class ContractV1Forwarder(Forwarder):
    """``POST {url}/v1/records`` with a bearer token: the kiosks' contract, one hop further."""

    def __init__(self, url: str, token: str, timeout_s: float):
        self.endpoint = url.rstrip("/") + "/v1/records"
        self.token = token
        self.timeout_s = timeout_s
        handlers = [urllib.request.ProxyHandler({})]
        if self.endpoint.startswith("https:"):
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context()))
        self._opener = urllib.request.build_opener(*handlers)

    def send(self, school_code, kiosk_id, records):
        """One request per batch; ``accepted`` and ``duplicate`` both mean delivered."""
        body = json.dumps({"school_code": school_code, "kiosk_id": kiosk_id, "records": [
            {"id": r.id, "type": r.type, "occurred_at": r.occurred_at.isoformat(),
             "data": r.data} for r in records]}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise ForwardError(f"HTTP {exc.code}") from None
        except (OSError, ValueError) as exc:
            raise ForwardError(f"{type(exc).__name__}: {exc}") from None
        return [Delivered(str(r["id"]), r.get("status") in ("accepted", "duplicate"),
                          str(r.get("reason") or "")) for r in answer.get("results", [])]


def make_forwarder(config) -> Forwarder | None:
    """The configured forwarder (None: ``kind = "none"``)."""
    if config.kind == "none":
        return None
    path = Path(config.token_file)
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ForwardError(f"{path}: the token file is readable by others (chmod 600 it)")
    return ContractV1Forwarder(config.url, path.read_text().strip(), config.timeout_s)


def forward_pending(forwarder: Forwarder, batch_size: int = 500, limit: int | None = None) -> dict:
    """Send records not yet forwarded, school by school and kiosk by kiosk, oldest first."""
    from hub.schools.models import Kiosk

    done = {"delivered": 0, "refused": 0, "batches": 0}
    for kiosk in Kiosk.objects.select_related("school").order_by("id"):
        while limit is None or done["batches"] < limit:
            moved = _forward_batch(forwarder, kiosk, batch_size, done)
            if not moved:
                break
    return done


def _forward_batch(forwarder: Forwarder, kiosk, batch_size: int, done: dict) -> bool:
    """One batch of one kiosk's records (the partial index ``record_unforwarded``)."""
    batch = list(Record.objects.filter(forwarded_at__isnull=True, forward_refused="",
                                       kiosk=kiosk).order_by("received_at", "id")[:batch_size])
    if not batch:
        return False
    answers = {a.id: a for a in forwarder.send(kiosk.school.code, kiosk.kiosk_id, batch)}
    delivered = [r.id for r in batch if answers.get(r.id) and answers[r.id].ok]
    refused = [a for a in answers.values() if not a.ok]
    with transaction.atomic():
        Record.objects.filter(id__in=delivered).update(forwarded_at=timezone.now())
        for answer in refused:
            Record.objects.filter(id=answer.id).update(
                forward_refused=(answer.reason or "refused")[:500])
    if refused:
        log.warning("%d record(s) refused by the provincial system (first: %s)",
                    len(refused), refused[0].reason)
    done["delivered"] += len(delivered)
    done["refused"] += len(refused)
    done["batches"] += 1
    # No answer for any record: stop rather than send the same batch again at once.
    return bool(delivered or refused)
