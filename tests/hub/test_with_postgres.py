"""scripts/with-postgres: a throw-away cluster for one command, gone afterwards (also when the
command fails), the command's exit status passed on."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hub.conftest import REQUIRED

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with-postgres"
HAVE = Path("/usr/lib/postgresql/15/bin/initdb").exists() or bool(shutil.which("initdb"))
pytestmark = pytest.mark.skipif(not HAVE and not REQUIRED,
                                reason="needs Debian's postgresql package (initdb, pg_ctl)")


@pytest.fixture
def scratch():
    """A temporary folder the cluster's unprivileged owner can reach (pytest's own folders are
    private to root)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="wpg-test-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _run(command: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_TEST_POSTGRES"}
    env["TMPDIR"] = str(tmp_path)
    return subprocess.run([str(SCRIPT), "bash", "-c", command], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_command_gets_a_working_database_and_the_cluster_is_removed(scratch):
    tmp_path = scratch
    done = _run('psql "$KIOSK_TEST_POSTGRES" -Atc "SELECT 6 * 7, current_user"; '
                'echo "$KIOSK_TEST_POSTGRES"', tmp_path)
    assert done.returncode == 0, done.stderr
    answer, url = done.stdout.split()
    assert answer == "42|kiosk" and url.startswith("postgresql://kiosk@127.0.0.1:")
    assert not list(tmp_path.glob("with-postgres.*"))  # folder (data, socket, log) removed
    port = url.rsplit(":", 1)[1].split("/")[0]
    probe = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", port], capture_output=True)
    assert probe.returncode != 0  # the server is gone


def test_a_failing_command_passes_its_status_on_and_still_cleans_up(scratch):
    done = _run("exit 7", scratch)
    assert done.returncode == 7
    assert not list(scratch.glob("with-postgres.*"))


def test_an_existing_server_is_used_as_it_is(tmp_path):
    env = dict(os.environ, KIOSK_TEST_POSTGRES="postgresql://given")
    done = subprocess.run([str(SCRIPT), "bash", "-c", 'echo "$KIOSK_TEST_POSTGRES"'], env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "postgresql://given"
