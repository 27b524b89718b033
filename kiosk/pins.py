"""Staff PIN hashes that a copied database does not give away.

A PIN has few possible values (10,000 for four digits), so a salted hash alone falls to a search
in minutes once someone has the database file or a backup. Here the PIN is first keyed with
HMAC-SHA256 under a secret kept outside the database (a key file in ``/etc/school-kiosk``, 0600,
made at install), then stretched with scrypt:

    hmac-scrypt$n$r$p$salt$hash        hash = scrypt(HMAC(key, pin), salt, n, r, p)

Without the key file, no guess can be tested offline. Older unkeyed hashes (``scrypt$...``) still
verify, and :func:`needs_rehash` tells the sign-in to store a keyed hash with the current
parameters once the PIN has been typed correctly.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

KEYED = "hmac-scrypt"
UNKEYED = "scrypt"
KEY_BYTES = 32


@dataclass(frozen=True)
class HashParams:
    """scrypt's cost: n=2**14, r=8 is about 50 ms and 16 MiB a guess on a Raspberry Pi 5."""

    n: int = 2 ** 14
    r: int = 8
    p: int = 1


CURRENT = HashParams()


class PinKeyMissing(Exception):
    """A keyed hash cannot be checked: the key file is missing or unreadable."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def read_key(path: Path) -> bytes | None:
    """The key in ``path`` (hex text), or None when the file does not exist."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PinKeyMissing(f"{path}: {exc.strerror}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise PinKeyMissing(f"{path}: not a key (hex)") from None
    if len(key) < 16:
        raise PinKeyMissing(f"{path}: key too short")
    return key


def make_key(path: Path) -> bytes:
    """Write a new random key to ``path`` (0600, never over an existing file) and return it."""
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
    log.warning("made a new PIN key at %s", path)
    return key


def load_key(path: Path, create: bool = False) -> bytes | None:
    """The key at ``path``; made there when missing and ``create`` (None when it cannot be)."""
    key = read_key(path)
    if key is None and create:
        try:
            key = make_key(path)
        except FileExistsError:
            key = read_key(path)
        except OSError as exc:
            log.error("cannot make the PIN key %s: %s", path, exc.strerror)
    return key


def key_path(config) -> Path:
    """Where ``[pins] key_file`` points: beside the config file (``/etc/school-kiosk``), or
    beside the database for a config built in code."""
    path = Path(config.pins.key_file).expanduser()
    if path.is_absolute() or config.source:
        return config.resolve(str(path))
    return config.resolve(config.database.path).parent / path


def pin_key(config, create: bool = True) -> bytes | None:
    """This kiosk's PIN key; made when missing, ``create`` and its folder writable (the
    install makes it; a new key would orphan hashes made with a lost one, so callers pass
    ``create=False`` once keyed hashes exist)."""
    return load_key(key_path(config), create=create)


def is_keyed(stored: str) -> bool:
    """True for a hash made with the key."""
    return stored.startswith(KEYED + "$")


def hash_pin(pin: str, key: bytes | None = None, params: HashParams = CURRENT) -> str:
    """A salted scrypt hash of ``pin``, keyed when ``key`` is given."""
    salt = os.urandom(16)
    digest = _stretch(pin, key, salt, params, 32)
    scheme = KEYED if key else UNKEYED
    return f"{scheme}${params.n}${params.r}${params.p}${_b64(salt)}${_b64(digest)}"


def _stretch(pin: str, key: bytes | None, salt: bytes, params: HashParams, length: int) -> bytes:
    secret = hmac.new(key, pin.encode(), hashlib.sha256).digest() if key else pin.encode()
    return hashlib.scrypt(secret, salt=salt, n=params.n, r=params.r, p=params.p, dklen=length,
                          maxmem=256 * params.n * params.r + 2 ** 20)


def _parse(stored: str) -> tuple[str, HashParams, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme not in (KEYED, UNKEYED):
            return None
        return scheme, HashParams(int(n), int(r), int(p)), base64.b64decode(salt), \
            base64.b64decode(digest)
    except (ValueError, TypeError):
        return None


def verify_pin(pin: str, stored: str, key: bytes | None = None) -> bool:
    """True when ``pin`` matches ``stored``. A keyed hash without ``key`` raises
    :class:`PinKeyMissing` (the PIN may be right: the kiosk cannot tell)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    scheme, params, salt, expected = parsed
    if scheme == KEYED and not key:
        raise PinKeyMissing("a keyed PIN hash needs the key file")
    try:
        actual = _stretch(pin, key if scheme == KEYED else None, salt, params, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str, key: bytes | None, params: HashParams = CURRENT) -> bool:
    """True when ``stored`` should be replaced after a correct PIN: unkeyed while a key exists,
    or made with other scrypt parameters."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    scheme, stored_params, _, _ = parsed
    return (bool(key) and scheme == UNKEYED) or stored_params != params


def too_short(pin: str, length: int) -> bool:
    """True when ``pin`` is shorter than the configured length (still valid: ask to change)."""
    return len(pin) < length


def valid_new_pin(pin: str, length: int) -> bool:
    """A new PIN: digits only, at least ``length`` of them, not one digit repeated."""
    return pin.isdigit() and length <= len(pin) <= 12 and len(set(pin)) > 1
