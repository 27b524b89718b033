"""scripts/install into a temporary root: the files, owners and modes it leaves; run again, it
changes nothing; every unit passes systemd-analyze verify and its security review; an update
that fails its check goes back to the previous release and database; uninstall keeps the data."""
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from db.migrate import LATEST_VERSION
from kiosk import PROJECT_ROOT
from tests.pi.helpers import kiosk

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the install runs as root"),
              pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd")]

UNITS = ["school-kiosk.service", "school-kiosk-retry.timer", "school-kiosk-sync.service",
         "school-kiosk-sync.timer", "school-kiosk-backup.service", "school-kiosk-backup.timer",
         "school-kiosk-usb-backup.service", r"var-lib-school\x2dkiosk-usb.mount"]
HARDENING = ["UMask=0077", "ProtectSystem=strict", "ReadWritePaths=/var/lib/school-kiosk",
             "NoNewPrivileges=yes", "PrivateTmp=yes"]


def _seed_root(root: Path) -> None:
    """The bits of a Debian root the install reads: accounts, and a config whose paths lie
    inside the root (so the database steps run here without touching this machine)."""
    etc = root / "etc"
    etc.mkdir(parents=True)
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (etc / "group").write_text("root:x:0:\nvideo:x:44:\ninput:x:105:\n")
    (etc / "shadow").write_text("root:*:19000:0:99999:7:::\n")
    (etc / "gshadow").write_text("root:*::\nvideo:*::\ninput:*::\n")
    os.chmod(etc / "shadow", 0o600), os.chmod(etc / "gshadow", 0o600)
    (etc / "school-kiosk").mkdir()
    data = root / "var/lib/school-kiosk"
    (etc / "school-kiosk/kiosk.toml").write_text(
        f'[school]\ncode = "HY-1"\nname = "Trường THCS Thử"\nkiosk_id = "k1"\n'
        f'[database]\npath = "{data}/kiosk.sqlite3"\nbackup_dir = "{data}/backups"\n'
        f'[backup]\nusb_label = "THUVIEN"\n', encoding="utf-8")
    os.chmod(etc / "school-kiosk/kiosk.toml", 0o644)  # too open: the install fixes it


def _install(root: Path, source: Path = PROJECT_ROOT, *extra):
    return subprocess.run([str(source / "scripts/install"), "--root", str(root), *extra],
                          capture_output=True, text=True, timeout=600)


def _ids(root: Path) -> tuple[int, int]:
    line = next(l for l in (root / "etc/passwd").read_text().splitlines() if l.startswith("kiosk:"))
    return int(line.split(":")[2]), int(line.split(":")[3])


def _owner_mode(path: Path) -> tuple[int, int, int]:
    st = path.lstat()
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)


def _snapshot(root: Path) -> dict:
    """Every file's owner, mode and content (the database and its WAL aside: SQLite's)."""
    seen = {}
    for path in sorted(root.rglob("*")):
        if "usr/lib/systemd" in str(path) or ".sqlite3" in path.name:
            continue
        content = (os.readlink(path) if path.is_symlink() else
                   hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else "")
        seen[str(path.relative_to(root))] = (*_owner_mode(path), content)
    return seen


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("pi-root")
    _seed_root(root)
    done = _install(root)
    assert done.returncode == 0, done.stderr[-3000:]
    return root


def test_files_owners_and_modes(installed):
    root = installed
    uid, gid = _ids(root)
    groups = (root / "etc/group").read_text()
    for group in ("input", "dialout", "lp", "video", "render", "plugdev"):
        assert any(l.startswith(f"{group}:") and "kiosk" in l.split(":")[3].split(",")
                   for l in groups.splitlines()), group
    expect = {
        "etc/school-kiosk": (0, gid, 0o750),
        "etc/school-kiosk/kiosk.toml": (0, gid, 0o640),
        "etc/school-kiosk/token": (uid, gid, 0o600),
        "etc/school-kiosk/pin.key": (uid, gid, 0o600),
        "var/lib/school-kiosk": (uid, gid, 0o750),
        "var/lib/school-kiosk/backups": (uid, gid, 0o700),
        "var/lib/school-kiosk/kiosk.sqlite3": (uid, gid, 0o600),
        "etc/systemd/system/school-kiosk.service": (0, 0, 0o644),
        "etc/udev/rules.d/98-school-kiosk-usb.rules": (0, 0, 0o644),
        "etc/pam.d/school-kiosk": (0, 0, 0o644),
        "usr/local/bin/kiosk": (0, 0, 0o755),
    }
    for relative, wanted in expect.items():
        assert _owner_mode(root / relative) == wanted, relative
    assert len(bytes.fromhex((root / "etc/school-kiosk/pin.key").read_text().strip())) == 32
    current = root / "opt/school-kiosk/current"
    assert os.readlink(current).startswith("releases/")
    release = current.resolve()
    for path in [release, *release.rglob("*")]:  # the code: root's, written by nobody else
        if not path.is_symlink():
            st = path.lstat()
            assert st.st_uid == 0 and not st.st_mode & 0o022, path
    assert (release / ".venv/bin/kiosk").exists()
    system = root / "etc/systemd/system"
    assert os.readlink(system / "default.target").endswith("graphical.target")
    for wants in ("graphical.target.wants/school-kiosk.service",
                  "timers.target.wants/school-kiosk-sync.timer",
                  "timers.target.wants/school-kiosk-backup.timer"):
        assert (system / wants).is_symlink(), wants
    mount = (system / r"var-lib-school\x2dkiosk-usb.mount").read_text()
    assert "What=/dev/disk/by-label/THUVIEN" in mount and f"uid={uid},gid={gid}" in mount
    assert 'ENV{ID_FS_LABEL}=="THUVIEN"' in (root / "etc/udev/rules.d/98-school-kiosk-usb.rules").read_text()
    assert "RuntimeWatchdogSec=14" in (root / "etc/systemd/system.conf.d/school-kiosk.conf").read_text()
    assert "SystemMaxUse=" in (root / "etc/systemd/journald.conf.d/school-kiosk.conf").read_text()
    kiosk_unit = (system / "school-kiosk.service").read_text()
    for line in ("Type=notify", "WatchdogSec=30", "Restart=always", "TTYPath=/dev/tty1",
                 "OnFailure=school-kiosk-retry.timer", "ExecStart=/usr/bin/cage -d -- "):
        assert line in kiosk_unit, line
    for unit in ("school-kiosk-sync.service", "school-kiosk-backup.service"):
        text = (system / unit).read_text()
        assert all(line in text.splitlines() for line in HARDENING), unit
        assert "User=kiosk" in text


def test_running_it_again_changes_nothing(installed):
    before = _snapshot(installed)
    again = _install(installed)
    assert again.returncode == 0, again.stderr[-3000:]
    assert _snapshot(installed) == before


def _verify_root(root: Path) -> Path:
    """systemd's own units and cage in the root, so systemd-analyze can follow every unit."""
    units = root / "usr/lib/systemd/system"
    if not units.exists():
        shutil.copytree("/usr/lib/systemd/system", units, symlinks=True)
        (root / "lib").symlink_to("usr/lib")
        (root / "usr/bin").mkdir(parents=True, exist_ok=True)
        shutil.copy2(shutil.which("cage") or "/usr/bin/cage", root / "usr/bin/cage")
    return root


@pytest.mark.skipif(not shutil.which("cage"), reason="cage is the kiosk's session (scripts/setup)")
def test_every_unit_passes_systemd_analyze_verify(installed):
    root = _verify_root(installed)
    system = root / "etc/systemd/system"
    for unit in UNITS:
        done = subprocess.run(["systemd-analyze", "verify", f"--root={root}", unit], cwd=system,
                              capture_output=True, text=True)
        assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), \
            (unit, done.stdout + done.stderr)
    broken = system / "school-kiosk-broken.service"  # the check can fail
    broken.write_text((system / "school-kiosk-sync.service").read_text().replace(
        "ProtectSystem=strict", "ProtectSystem=strickt"))
    try:
        done = subprocess.run(["systemd-analyze", "verify", f"--root={root}", broken.name],
                              cwd=system, capture_output=True, text=True)
        assert "strickt" in done.stdout + done.stderr
    finally:
        broken.unlink()


@pytest.mark.skipif(not shutil.which("cage"), reason="cage is the kiosk's session (scripts/setup)")
@pytest.mark.parametrize("unit, most", [("school-kiosk-sync.service", 1.5),
                                        ("school-kiosk-backup.service", 0.5),
                                        ("school-kiosk-usb-backup.service", 0.5),
                                        ("school-kiosk.service", 2.5)])
def test_security_exposure(installed, unit, most):
    root = _verify_root(installed)
    done = subprocess.run(["systemd-analyze", "security", "--offline=yes", f"--root={root}", unit],
                          cwd=root / "etc/systemd/system", capture_output=True, text=True)
    line = next(l for l in done.stdout.splitlines() if "Overall exposure level" in l)
    score = float(line.split(":")[1].split()[0])
    assert score <= most, line


def _release_copy(tmp_path: Path, name: str, migration: str) -> Path:
    """This checkout plus one more migration: what a next version looks like."""
    target = tmp_path / name
    shutil.copytree(PROJECT_ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache"))
    (target / f"db/migrations/m{LATEST_VERSION + 1:04d}_next.py").write_text(
        '"""The next version\'s schema change (a test)."""\n'
        f'VERSION = {LATEST_VERSION + 1}\n\n\ndef apply(db):\n    {migration}\n')
    return target


def _patrons(root: Path) -> int:
    db = sqlite3.connect(root / "var/lib/school-kiosk/kiosk.sqlite3")
    try:
        return db.execute("SELECT count(*) FROM patron").fetchone()[0]
    finally:
        db.close()


def _version(root: Path) -> int:
    db = sqlite3.connect(root / "var/lib/school-kiosk/kiosk.sqlite3")
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_a_failed_update_rolls_back_and_a_good_one_sticks(installed, tmp_path):
    root = installed
    db = sqlite3.connect(root / "var/lib/school-kiosk/kiosk.sqlite3")
    db.execute("INSERT INTO patron (kind, code, name, updated_at) VALUES "
               "('student', '0999999999', 'Học sinh trước cập nhật', '2026-11-26')")
    db.commit()
    db.close()
    first = os.readlink(root / "opt/school-kiosk/current")
    patrons = _patrons(root)

    broken = _release_copy(tmp_path, "broken", 'raise RuntimeError("migration fails")')
    failed = kiosk("update", str(broken), "--root", str(root), "--no-pull")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "back to" in failed.stderr and "không thành công" in failed.stdout
    assert os.readlink(root / "opt/school-kiosk/current") == first
    assert (_version(root), _patrons(root)) == (LATEST_VERSION, patrons)
    (backup,) = (root / "var/lib/school-kiosk/backups").glob("kiosk-before-update-*.sqlite3")
    assert _owner_mode(backup)[2] == 0o600

    good = _release_copy(tmp_path, "good", 'db.execute_sql("CREATE TABLE next_thing (id INTEGER)")')
    updated = kiosk("update", str(good), "--root", str(root), "--no-pull")
    assert updated.returncode == 0, updated.stdout + updated.stderr[-3000:]
    second = os.readlink(root / "opt/school-kiosk/current")
    assert second != first and (_version(root), _patrons(root)) == (LATEST_VERSION + 1, patrons)
    releases = sorted(p.name for p in (root / "opt/school-kiosk/releases").iterdir())
    assert releases == sorted({first.split("/")[1], second.split("/")[1]})  # the broken one gone


def test_uninstall_keeps_the_data_unless_purged(installed, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(installed, root, symlinks=True)
    done = subprocess.run([str(PROJECT_ROOT / "scripts/uninstall"), "--root", str(root)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (root / "opt/school-kiosk").exists()
    assert not (root / "etc/systemd/system/school-kiosk.service").exists()
    assert not (root / "etc/systemd/system/graphical.target.wants/school-kiosk.service").exists()
    assert (root / "var/lib/school-kiosk/kiosk.sqlite3").exists()
    assert (root / "etc/school-kiosk/pin.key").exists()
    purged = subprocess.run([str(PROJECT_ROOT / "scripts/uninstall"), "--root", str(root),
                             "--purge"], capture_output=True, text=True)
    assert purged.returncode == 0, purged.stderr
    assert not (root / "var/lib/school-kiosk").exists() and not (root / "etc/school-kiosk").exists()
    assert "kiosk:" not in (root / "etc/passwd").read_text()
