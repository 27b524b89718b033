"""Kiosk tokens: issued once (shown once), kept as SHA-256, looked up on every push."""
from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from hub.schools.models import Kiosk, KioskToken


def digest(token: str) -> str:
    """How a token is kept."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(kiosk: Kiosk, by=None) -> str:
    """A new token for ``kiosk`` (its earlier ones stay valid until revoked); returns the token,
    which is not kept anywhere: give it to the kiosk's ``sync.token_file`` now."""
    token = secrets.token_urlsafe(32)
    KioskToken.objects.create(kiosk=kiosk, digest=digest(token), hint=token[:6], created_by=by)
    return token


def revoke_tokens(kiosk: Kiosk) -> int:
    """Revoke every active token of a kiosk; returns how many."""
    return kiosk.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def mark_used(authorization: str) -> None:
    """Note when a token was last used (the heartbeat calls it, every few minutes a kiosk)."""
    _, _, token = (authorization or "").partition(" ")
    KioskToken.objects.filter(digest=digest(token.strip())).update(last_used_at=timezone.now())


def kiosk_for(authorization: str) -> Kiosk | None:
    """The kiosk an ``Authorization: Bearer ...`` header belongs to (None: unknown, revoked)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = (KioskToken.objects.select_related("kiosk__school")
             .filter(digest=digest(token.strip()), revoked_at__isnull=True).first())
    return found.kiosk if found else None
