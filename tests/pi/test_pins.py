"""Staff PINs: keyed hashes (a copied database is not enough), rehash on sign-in, PIN length."""
import os
import stat

import pytest

from db.models import Patron
from kiosk.pins import (HashParams, PinKeyMissing, hash_pin, is_keyed, key_path, make_key,
                        needs_rehash, verify_pin)
from kiosk.services.staff import StaffService
from tests.pi.helpers import cli_school, kiosk

CANDIDATES = ["0000", "1234", "2468", "1111", "9999"]


def _stored(code="CB0001") -> str:
    return Patron.get(Patron.code == code).pin_hash


def test_a_keyed_hash_cannot_be_tested_without_the_key(tmp_path):
    key = make_key(tmp_path / "pin.key")
    stored = hash_pin("2468", key)
    assert verify_pin("2468", stored, key) and not verify_pin("2469", stored, key)
    # Someone with the database (or a backup) but not the key file: no candidate matches,
    # the right one included.
    with pytest.raises(PinKeyMissing):
        verify_pin("2468", stored, None)
    other_key = os.urandom(32)
    assert not any(verify_pin(pin, stored, other_key) for pin in CANDIDATES)
    assert stat.S_IMODE((tmp_path / "pin.key").stat().st_mode) == 0o600


def test_an_old_four_digit_pin_still_signs_in_is_asked_to_change_and_is_rehashed(context):
    assert not is_keyed(_stored())  # the seed's hash: unkeyed, as before this change
    outcome = StaffService(context).authenticate("CB0001", "2468")
    assert outcome.ok and outcome.code == "signed_in_change_pin"
    assert "6 số" in outcome.message
    stored = _stored()
    assert is_keyed(stored)
    path = key_path(context.config)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert StaffService(context).authenticate("CB0001", "2468").ok
    assert StaffService(context).authenticate("CB0001", "2469").code == "pin_wrong"


def test_sign_in_rehashes_when_the_parameters_change(context):
    key = make_key(key_path(context.config))
    old = hash_pin("246810", key, HashParams(n=2 ** 12, r=8, p=1))
    Patron.update(pin_hash=old).where(Patron.code == "CB0001").execute()
    assert needs_rehash(old, key)
    outcome = StaffService(context).authenticate("CB0001", "246810")
    assert outcome.ok and outcome.code == "signed_in"
    stored = _stored()
    assert stored != old and stored.split("$")[1] == str(2 ** 14)
    assert not needs_rehash(stored, key)


def test_a_lost_key_file_is_reported_not_replaced(context):
    assert StaffService(context).authenticate("CB0001", "2468").ok
    path = key_path(context.config)
    path.unlink()
    outcome = StaffService(context).authenticate("CB0001", "2468")
    assert outcome.code == "pin_key_missing" and "khóa" in outcome.message
    assert not path.exists()  # no new key: it would orphan the keyed hashes


def test_kiosk_pin_set_wants_the_configured_length(tmp_path):
    config = cli_school(tmp_path)
    short = kiosk("pin", "set", "CB0001", "--stdin", config=config, stdin="1234\n")
    assert short.returncode == 2 and "6" in short.stderr
    same = kiosk("pin", "set", "CB0001", "--stdin", config=config, stdin="111111\n")
    assert same.returncode == 2
    done = kiosk("pin", "set", "CB0001", "--stdin", config=config, stdin="135790\n")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pin.key").exists()
    help_vi = kiosk("pin", "set", "--help").stdout
    help_en = kiosk("--lang", "en", "pin", "set", "--help").stdout
    assert "đọc mã PIN" in help_vi and "read the PIN" in help_en
