"""deliver.py to a real OpenSSH server (sshd_server.py) on 127.0.0.1: the user's own keys and known_hosts, paths
as curl reads them, host keys unknown or changed, wrong keys and passwords, the server killed mid-upload, a full
or unwritable drop, a usage file already waiting. After each fault: no partial file under a final name, a clear
one-line error, and the next deliver finishes the job without sending anything twice.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from delivery_world import Exports, copy_exports, deliver, folder_files, one_line, usage_events
from pipeline import PROJECT_DIR
from sshd_server import SshServer, keygen
from test_deliver_file import DROP_FILES, mount_tmpfs, sent_lines

pytestmark = pytest.mark.slow  # left out by make test-fast


@pytest.fixture
def exports(two_days: Exports, tmp_path: Path) -> Exports:
    return copy_exports(two_days, tmp_path / "exports")


@pytest.fixture
def sshd(tmp_path: Path):
    server = SshServer(tmp_path / "sshd")
    yield server
    server.kill()


def keys(server: SshServer) -> tuple[str, ...]:
    return ("--known-hosts", str(server.known_hosts), "--key-file", str(server.client_key))


def assert_whole_or_absent(drop: Path, exports: Exports) -> None:
    """Every file under a final name in the drop is a whole file of its export."""
    by_run = dict(zip(exports.run_ids(), exports.days, strict=True))
    for path in drop.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert path.read_bytes() == (by_run[path.parent.name] / path.name).read_bytes(), path


def test_delivers_with_the_users_own_keys_and_known_hosts_into_a_folder_of_the_home(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    """HOME/.ssh/id_ed25519 and HOME/.ssh/known_hosts, as ssh uses them; /~/x is x in the login's home."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    shutil.copy(sshd.client_key, home / ".ssh" / "id_ed25519")
    shutil.copy(sshd.known_hosts, home / ".ssh" / "known_hosts")
    folder = f"deliver-test-{os.getpid()}-{tmp_path.name}"
    remote_home = Path(os.path.expanduser(f"~{getpass.getuser()}"))
    try:
        result = deliver(exports, sshd.url(f"/~/{folder}/{{run_id}}"), env={"HOME": str(home), "SSH_AUTH_SOCK": ""})
        assert result.returncode == 0, result.stderr
        drop = remote_home / folder
        assert sorted(p.name for p in drop.iterdir()) == exports.run_ids()
        for run_id, local in zip(exports.run_ids(), exports.days, strict=True):
            for name in DROP_FILES:
                assert (drop / run_id / name).read_bytes() == (local / name).read_bytes()
        assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}
    finally:
        shutil.rmtree(remote_home / folder, ignore_errors=True)


def test_an_unknown_host_is_refused_and_never_added(sshd: SshServer, exports: Exports, tmp_path: Path) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    drop = tmp_path / "drop"
    result = deliver(exports, sshd.url(str(drop)), "--known-hosts", str(empty), "--key-file", str(sshd.client_key))
    assert result.returncode == 4
    assert "is not in" in one_line(result.stderr)
    assert empty.read_text() == ""
    assert not drop.exists()


def test_a_changed_host_key_is_refused(sshd: SshServer, exports: Exports, tmp_path: Path) -> None:
    sshd.restart(host_key=keygen(tmp_path / "impostor_ed25519"))
    drop = tmp_path / "drop"
    known = sshd.known_hosts.read_text()
    result = deliver(exports, sshd.url(str(drop)), *keys(sshd))
    assert result.returncode == 4
    assert "is not the one" in one_line(result.stderr)
    assert sshd.known_hosts.read_text() == known
    assert not drop.exists()


def test_a_wrong_key_or_password_is_refused_and_the_password_never_shown(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    password = "not-the-password-4711"
    for extra_env in ({}, {"TOTANGO_DROP_PASSWORD": password}):
        result = deliver(exports, sshd.url(str(drop)), "--known-hosts", str(sshd.known_hosts), "--key-file",
                         str(sshd.other_key), env={**extra_env, "SSH_AUTH_SOCK": ""})  # fmt: skip
        assert result.returncode == 4, result.stderr
        assert "refused the login" in one_line(result.stderr)
        assert password not in result.stdout + result.stderr
    assert not drop.exists()


CUT_MID_UPLOAD = """
import os, sys
sys.path.insert(0, {tests!r})
from sshd_server import descendants
from totango_feed.delivery import sftp_store
real = sftp_store.SftpStore.stage
calls = [0]
def cut(self, local, temporary, size, sha256):
    calls[0] += 1
    if calls[0] == 3:  # usage.csv of the first export: half of it written, then the server dies
        with self.sftp.open(self.path(temporary), "wb") as handle:
            handle.write(local.read_bytes()[: size // 2])
        server = int(os.environ["SSHD_PID"])
        for pid in [server, *descendants(server)]:
            os.kill(pid, 9)
    return real(self, local, temporary, size, sha256)
sftp_store.SftpStore.stage = cut
from totango_feed.delivery.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_connection_cut_mid_upload_fails_with_one_line_and_the_next_deliver_finishes(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    url = sshd.url(f"{drop}/{{run_id}}")
    assert sshd.process is not None
    script = CUT_MID_UPLOAD.format(tests=str(Path(__file__).parent))
    cut = subprocess.run([sys.executable, "-c", script, url, "--db", str(exports.db), *keys(sshd)], cwd=PROJECT_DIR,
                         env={**os.environ, "SSHD_PID": str(sshd.process.pid)}, capture_output=True, text=True,
                         check=False)  # fmt: skip
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert "was cut" in one_line(cut.stderr)
    assert_whole_or_absent(drop, exports)
    first = exports.run_ids()[0]
    assert [p.name for p in (drop / first).iterdir() if p.name.startswith(".")] == [f".usage.csv.{first}.partial"]
    sshd.process.wait()
    sshd.process = None
    sshd.start()
    finished = deliver(exports, url, *keys(sshd))
    assert finished.returncode == 0, finished.stderr
    sent = sent_lines(cut.stdout, finished.stdout)
    assert len(sent) == len(set(sent)) == 8
    for run_id in exports.run_ids():
        assert sorted(p.name for p in (drop / run_id).iterdir()) == sorted(DROP_FILES), "no temporary left"
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}


def test_a_delivery_killed_between_files_is_finished_by_the_next(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    url = sshd.url(f"{drop}/{{run_id}}")
    killed = deliver(exports, url, *keys(sshd), kill_at=("sftp_store", "SftpStore", "commit", 3))
    assert killed.returncode == -9
    assert_whole_or_absent(drop, exports)
    finished = deliver(exports, url, *keys(sshd))
    assert finished.returncode == 0, finished.stderr
    sent = sent_lines(killed.stdout, finished.stdout)
    assert len(sent) == len(set(sent)) == 8
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}


def test_a_full_drop_fails_with_one_line_and_the_next_deliver_finishes(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    if os.geteuid() != 0 or not mount_tmpfs(drop, "4k"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        second = exports.run_ids()[1]
        full = deliver(exports, sshd.url(str(drop)), *keys(sshd), "--skip", second)
        assert full.returncode == 1, full.stdout + full.stderr
        assert "is the drop full?" in one_line(full.stderr)
        for path in drop.iterdir():
            assert path.name.startswith(".") or path.read_bytes() == (exports.days[0] / path.name).read_bytes()
        subprocess.run(["mount", "-o", "remount,size=1m", str(drop)], check=True)
        finished = deliver(exports, sshd.url(str(drop)), *keys(sshd))
        assert finished.returncode == 0, finished.stderr
        assert sorted(p.name for p in drop.iterdir()) == sorted(DROP_FILES)
    finally:
        subprocess.run(["umount", str(drop)], check=True)


def test_a_drop_the_login_cannot_write_fails_with_one_line(sshd: SshServer, exports: Exports, tmp_path: Path) -> None:
    """Logged in as the unprivileged user nobody, into a folder only root may write."""
    if os.geteuid() != 0:
        pytest.skip("a folder that the login cannot write needs another user than the one running the tests")
    drop = tmp_path / "drop"
    drop.mkdir(mode=0o755)
    # Every folder down to it (pytest's base and, under pytest-xdist, its worker's folder): nobody may look, not write.
    for folder in [tmp_path, *tmp_path.parents]:
        if folder == Path(tempfile.gettempdir()):
            break
        folder.chmod(folder.stat().st_mode | 0o005)
    result = deliver(exports, sshd.url(str(drop), user="nobody"), *keys(sshd))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "permission denied" in one_line(result.stderr)
    assert list(drop.iterdir()) == []


def test_a_usage_file_already_waiting_is_not_overwritten(sshd: SshServer, exports: Exports, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "usage.csv").write_text("User ID,Account ID,Action,Module,Timestamp\nu@x.com,A1,waiting,M,2026\n")
    result = deliver(exports, sshd.url(str(drop)), *keys(sshd))
    assert result.returncode == 4
    assert "may not have loaded yet" in one_line(result.stderr)
    assert "waiting" in (drop / "usage.csv").read_text()
    assert not [p for p in drop.iterdir() if p.name.endswith(".partial")]


# Another writer puts its own usage.csv into the drop (served by sshd from this machine's disk) the moment before
# deliver.py's rename puts its own in place, whatever deliver.py saw when it looked.
OTHER_WRITER = """
from pathlib import Path
import paramiko
def other_writer_first(real):
    def rename(self, source, target, *args, **kwargs):
        path = Path(target)
        if path.name == "usage.csv" and path.parent.name == "drop" and not path.exists():
            path.write_bytes(b"User ID,Account ID,Module,Action,Timestamp\\nother,A9,M,theirs,2026-11-01\\n")
        return real(self, source, target, *args, **kwargs)
    return rename
for name in ("rename", "posix_rename"):
    setattr(paramiko.SFTPClient, name, other_writer_first(getattr(paramiko.SFTPClient, name)))
"""


def test_a_usage_file_that_appears_just_before_ours_is_put_in_place_is_never_overwritten(
    sshd: SshServer, exports: Exports, tmp_path: Path
) -> None:
    """posix-rename replaces whatever is under the name: it put our usage.csv over one that appeared after the
    look. SFTP's plain rename never replaces (OpenSSH's server links the new name)."""
    drop = tmp_path / "drop"
    result = deliver(exports, sshd.url(str(drop)), *keys(sshd), prelude=OTHER_WRITER)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "appeared while this delivery ran" in one_line(result.stderr)
    assert b"theirs" in (drop / "usage.csv").read_bytes()
    assert not [p for p in drop.iterdir() if p.name.endswith(".partial")]
    (drop / "usage.csv").unlink()  # their file dealt with
    finished = deliver(exports, sshd.url(str(drop)), *keys(sshd), "--skip", exports.run_ids()[1])
    assert finished.returncode == 0, finished.stderr
    assert (drop / "usage.csv").read_bytes() == (exports.days[0] / "usage.csv").read_bytes(), "sent, not lost"
