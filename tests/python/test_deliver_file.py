"""deliver.py to a folder on this machine (file://): what goes to the drop, in which order, exactly once; the
exports it refuses; a usage file waiting in the drop; a delivery killed at every step and finished by the next;
a drop that is full or not writable. The same engine serves SFTP and S3 (test_deliver_sftp.py, test_deliver_s3.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from delivery_world import Exports, copy_exports, deliver, folder_files, one_line, usage_events
from pipeline import PROJECT_DIR, PipelineRun

from totango_feed.delivery import destination as destinations

DROP_FILES = ["accounts.csv", "users.csv", "usage.csv", "manifest.json"]


@pytest.fixture
def exports(two_days: Exports, tmp_path: Path) -> Exports:
    return copy_exports(two_days, tmp_path / "exports")


def sent_lines(*outputs: str) -> list[str]:
    """The files each run said it sent (a file said twice was sent twice)."""
    return [line.split()[1] for output in outputs for line in output.splitlines() if line.startswith("sent ")]


def test_each_export_goes_to_its_own_folder_once_oldest_first_with_only_totangos_files(
    two_days: Exports, exports: Exports, tmp_path: Path
) -> None:
    for day in exports.days:  # what the build read, so that deliver.py can tell an export of the sample
        assert json.loads((day / "manifest.json").read_text())["built_from"] == str(two_days.base / "raw")
    drop = tmp_path / "drop"
    first = deliver(exports, f"file://{drop}/{{run_id}}")
    assert first.returncode == 0, first.stderr
    runs = exports.run_ids()
    assert sorted(p.name for p in drop.iterdir()) == runs
    for run_id, local in zip(runs, exports.days, strict=True):
        delivered = drop / run_id
        assert sorted(p.name for p in delivered.iterdir()) == sorted(DROP_FILES), "data_issues.csv stays local"
        for name in DROP_FILES:
            assert (delivered / name).read_bytes() == (local / name).read_bytes()
    sent = sent_lines(first.stdout)
    assert [Path(p).name for p in sent] == DROP_FILES * 2, "accounts, users, usage, then manifest.json last"
    assert sent.index(str(drop / runs[0] / "manifest.json")) < sent.index(str(drop / runs[1] / "accounts.csv"))
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}
    recorded = exports.query("select run_id, name, bytes, sha256, status from delivery.files order by all")
    assert len(recorded) == 8 and {row[4] for row in recorded} == {"delivered"}
    manifest = json.loads((exports.days[0] / "manifest.json").read_text())
    usage_entry = next(f for f in manifest["files"] if f["name"] == "usage.csv")
    assert (runs[0], "usage.csv", usage_entry["bytes"], usage_entry["sha256"], "delivered") in recorded

    before = {p: p.stat().st_mtime_ns for p in drop.rglob("*")}
    again = deliver(exports, f"file://{drop}/{{run_id}}")
    assert again.returncode == 0 and "nothing to deliver" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in drop.rglob("*")} == before


def test_an_export_of_the_sample_is_refused_unless_told(sample_run: PipelineRun, tmp_path: Path) -> None:
    source = Exports(sample_run.db.parent, sample_run.db, (sample_run.out,))
    exports = copy_exports(source, tmp_path / "exports")
    assert json.loads((exports.days[0] / "manifest.json").read_text())["built_from"] is None
    drop = tmp_path / "drop"
    refused = deliver(exports, f"file://{drop}")
    assert refused.returncode == 4
    assert "built from the sample seeds" in one_line(refused.stderr)
    assert not drop.exists()
    allowed = deliver(exports, f"file://{drop}", "--allow-sample")
    assert allowed.returncode == 0, allowed.stderr
    assert sorted(p.name for p in drop.iterdir()) == sorted(DROP_FILES)


def test_an_export_that_does_not_say_what_it_was_built_from_is_refused_and_can_be_skipped(
    exports: Exports, tmp_path: Path
) -> None:
    manifest_path = exports.days[0] / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["built_from"]  # as an export made before exports recorded it
    manifest_path.write_text(json.dumps(manifest))
    drop = tmp_path / "drop"
    refused = deliver(exports, f"file://{drop}/{{run_id}}")
    assert refused.returncode == 4 and "does not say what it was built from" in one_line(refused.stderr)
    first, second = exports.run_ids()
    skipped = deliver(exports, f"file://{drop}/{{run_id}}", "--skip", first)
    assert skipped.returncode == 0, skipped.stderr
    assert [p.name for p in drop.iterdir()] == [second]
    assert exports.query("select run_id, status from delivery.runs order by all") == [
        (first, "skipped"),
        (second, "delivered"),
    ]


def test_a_usage_file_waiting_in_the_drop_is_never_overwritten(exports: Exports, tmp_path: Path) -> None:
    """One fixed folder: day 1's usage.csv waits until Totango has loaded it (here: until it is removed); day 2
    refuses meanwhile, then finishes once it is gone. A byte-identical usage file counts as delivered."""
    drop = tmp_path / "drop"
    first, second = exports.run_ids()
    assert deliver(exports, f"file://{drop}", "--skip", second).returncode == 0
    day1_usage = (drop / "usage.csv").read_bytes()
    exports.query("delete from delivery.runs where run_id = ?", [second])  # un-skip day 2

    refused = deliver(exports, f"file://{drop}")
    assert refused.returncode == 4
    assert "usage file" in one_line(refused.stderr) and "may not have loaded yet" in refused.stderr
    assert (drop / "usage.csv").read_bytes() == day1_usage
    assert not [p for p in drop.iterdir() if p.name.endswith(".partial")]
    # accounts.csv and users.csv, full snapshots that deliver.py put there, were replaced by day 2's.
    assert (drop / "accounts.csv").read_bytes() == (exports.days[1] / "accounts.csv").read_bytes()

    collected = (drop / "usage.csv").read_bytes()
    (drop / "usage.csv").unlink()  # Totango loaded it
    finished = deliver(exports, f"file://{drop}")
    assert finished.returncode == 0, finished.stderr
    assert usage_events([("usage.csv", collected), ("usage.csv", (drop / "usage.csv").read_bytes())]) == {
        "E1": 1,
        "E2": 1,
        "E3": 1,
    }


def test_a_byte_identical_file_already_in_the_drop_is_recorded_not_sent(exports: Exports, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(exports.days[0] / "usage.csv", drop / "usage.csv")
    result = deliver(exports, f"file://{drop}", "--skip", exports.run_ids()[1])
    assert result.returncode == 0, result.stderr
    assert "already there, byte for byte" in result.stdout
    assert "usage.csv" not in " ".join(sent_lines(result.stdout))


def test_a_file_deliver_did_not_write_is_never_replaced(exports: Exports, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "accounts.csv").write_text("someone else's file\n")
    refused = deliver(exports, f"file://{drop}")
    assert refused.returncode == 4 and "was not delivered by deliver.py" in one_line(refused.stderr)
    assert (drop / "accounts.csv").read_text() == "someone else's file\n"


# Where deliver.py is killed (SIGKILL: nothing cleans up): (module, class, function, call).
KILL_POINTS = {
    "between files": ("engine", "Delivery", "deliver_file", 3),
    "while writing usage.csv under its temporary name": ("stores", "os", "fsync", 3),
    "after usage.csv is written, before its rename": ("stores", "FileStore", "commit", 3),
    "after the rename of usage.csv, before it is recorded": ("records", "None", "set_file_status", 9),
    "before manifest.json": ("engine", "Delivery", "deliver_file", 4),
    "after manifest.json, before the export is recorded delivered": ("records", "None", "finish_run", 1),
    "in the second export": ("engine", "Delivery", "deliver_file", 6),
}


@pytest.mark.parametrize("kill_at", KILL_POINTS.values(), ids=KILL_POINTS.keys())
def test_a_delivery_killed_at_any_step_is_finished_by_the_next_and_sends_nothing_twice(
    exports: Exports, tmp_path: Path, kill_at: tuple
) -> None:
    drop = tmp_path / "drop"
    url = f"file://{drop}/{{run_id}}"
    killed = deliver(exports, url, kill_at=kill_at)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    locals_by_run = dict(zip(exports.run_ids(), exports.days, strict=True))
    for path in drop.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            local = locals_by_run[path.parent.name] / path.name
            assert path.read_bytes() == local.read_bytes(), f"{path} is under its final name but not whole"
    finished = deliver(exports, url)
    assert finished.returncode == 0, finished.stderr
    sent = sent_lines(killed.stdout, finished.stdout)
    assert len(sent) == len(set(sent)), "a file was sent twice"
    for run_id in locals_by_run:
        assert sorted(p.name for p in (drop / run_id).iterdir()) == sorted(DROP_FILES)
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}
    assert exports.query("select distinct status from delivery.runs") == [("delivered",)]


def test_a_usage_file_put_in_place_then_collected_before_the_crash_was_recorded_is_not_sent_again(
    exports: Exports, tmp_path: Path
) -> None:
    """Killed after the rename of usage.csv and before it was recorded, while a collector took the file: the
    temporary is gone, so the rename happened; the next deliver records it and does not send it again."""
    drop = tmp_path / "drop"
    url = f"file://{drop}/{{run_id}}"
    killed = deliver(exports, url, kill_at=("records", "None", "set_file_status", 9))
    assert killed.returncode == -9
    first = exports.run_ids()[0]
    (drop / first / "usage.csv").unlink()  # taken by Totango
    finished = deliver(exports, url)
    assert finished.returncode == 0, finished.stderr
    assert not (drop / first / "usage.csv").exists()
    assert f"{drop / first / 'usage.csv'} was put in place before an interruption" in finished.stdout


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, check=False).returncode == 0  # fmt: skip


def test_a_full_drop_fails_with_one_line_and_the_next_deliver_finishes(exports: Exports, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    if os.geteuid() != 0 or not mount_tmpfs(drop, "4k"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        # One page: accounts.csv fits, nothing more does.
        full = deliver(exports, f"file://{drop}")
        assert full.returncode == 1, full.stdout + full.stderr
        assert "No space left on device" in one_line(full.stderr)
        for path in drop.iterdir():
            assert path.name.startswith(".") or path.read_bytes() == (exports.days[0] / path.name).read_bytes()
        subprocess.run(["mount", "-o", "remount,size=1m", str(drop)], check=True)  # room made
        finished = deliver(exports, f"file://{drop}", "--skip", exports.run_ids()[1])
        assert finished.returncode == 0, finished.stderr
        assert sorted(p.name for p in drop.iterdir()) == sorted(DROP_FILES)
        for name in DROP_FILES:
            assert (drop / name).read_bytes() == (exports.days[0] / name).read_bytes()
    finally:
        subprocess.run(["umount", str(drop)], check=True)


def test_a_drop_that_is_not_writable_fails_with_one_line(exports: Exports) -> None:
    """As an unprivileged user (nobody), since root writes anywhere."""
    if os.geteuid() != 0:
        pytest.skip("switching to the user nobody needs root")
    base = Path(tempfile.mkdtemp(prefix="deliver-nobody-"))
    try:
        base.chmod(0o755)
        mine = copy_exports(exports, base / "exports")
        subprocess.run(["chown", "-R", "nobody", str(mine.base)], check=True)
        drop = base / "drop"
        drop.mkdir(mode=0o755)  # root's: nobody cannot write into it
        command = ["runuser", "-u", "nobody", "--", sys.executable, str(PROJECT_DIR / "deliver.py"),
                   f"file://{drop}", "--db", str(mine.db)]  # fmt: skip
        result = subprocess.run(command, cwd=base, capture_output=True, text=True, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Permission denied" in one_line(result.stderr)
        assert list(drop.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("sftp://feed@drop.example.com/~/totango", "totango"),
        ("sftp://feed@drop.example.com/~", "."),
        ("sftp://feed@drop.example.com:2222/srv/drop/", "/srv/drop"),
        ("sftp://feed@drop.example.com/srv/my%20drop", "/srv/my drop"),
        ("s3://bucket/totango/feed/", "totango/feed"),
        ("file:///mnt/share/totango", "/mnt/share/totango"),
    ],
)
def test_destination_paths_are_read_as_curl_reads_them(url: str, folder: str) -> None:
    assert destinations.parse(url).path == folder


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("sftp://feed:secret@drop.example.com/x", "holds a password"),
        ("sftp://drop.example.com/x", "needs a user"),
        ("file://host/x", "names a host"),
        ("ftp://drop.example.com/x", "not sftp://"),
        ("file:///x/{day}", "only {date} and {run_id}"),
    ],
)
def test_destinations_that_cannot_work_are_refused(url: str, reason: str) -> None:
    with pytest.raises(destinations.DeliveryRefused, match=reason.replace("{", r"\{").replace("}", r"\}")):
        destinations.parse(url)
