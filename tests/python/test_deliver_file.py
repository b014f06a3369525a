"""deliver.py to a folder on this machine (file://): what goes to the drop, in which order, exactly once; the
exports it refuses; a usage file waiting in the drop; a delivery killed at every step and finished by the next;
a drop that is full or not writable. The same engine serves SFTP and S3 (test_deliver_sftp.py, test_deliver_s3.py).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import test_permissions
from delivery_world import Exports, copy_exports, deliver, folder_files, one_line, usage_events
from pipeline import PROJECT_DIR, PipelineRun
from test_exactly_once import ACCOUNT_COLUMNS, World, event, export_with_clock, write_csv

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
    """As the unprivileged user nobody, since root writes anywhere, with a Python nobody may run (the virtual
    environment's points into /root: runuser failed to start it, and its own one line, 'Permission denied', passed
    for deliver.py's)."""
    reason = test_permissions.skip_reason()
    if reason:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="deliver-nobody-"))
    try:
        base.chmod(0o755)
        mine = copy_exports(exports, base / "exports")
        subprocess.run(["chown", "-R", "nobody", str(mine.base)], check=True)
        drop = base / "drop"
        drop.mkdir(mode=0o755)  # root's: nobody cannot write into it
        whoami = test_permissions.run_as_nobody("-c", "import os; print(os.geteuid())")
        assert whoami.stdout.strip() == str(pwd.getpwnam("nobody").pw_uid), whoami.stderr
        result = test_permissions.run_as_nobody(str(PROJECT_DIR / "deliver.py"), f"file://{drop}", "--db",
                                                str(mine.db))  # fmt: skip
        assert result.returncode == 1, result.stdout + result.stderr
        line = one_line(result.stderr)
        assert line.startswith("deliver failed: writing ") and "Permission denied" in line, "deliver.py's own line"
        assert list(drop.iterdir()) == []
        assert mine.query("select status from delivery.files") == [("uploading",)], "it got as far as the drop"
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
        ("file:///x/drop%00y", "holds a control character"),
        ("sftp://feed@drop.example.com/x%0Ay", "holds a control character"),
        ("sftp://feed@drop.example.com:99999/x", "not a URL deliver.py can read"),
        ("sftp://feed@[::1/x", "not a URL deliver.py can read"),
    ],
)
def test_destinations_that_cannot_work_are_refused(url: str, reason: str) -> None:
    with pytest.raises(destinations.DeliveryRefused, match=reason.replace("{", r"\{").replace("}", r"\}")):
        destinations.parse(url)


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (["file:///mnt/drop", "file:///mnt/drop/", "file://localhost/mnt/drop", "file:///mnt/%64rop"], True),
        (["sftp://feed@h.example/srv/x", "sftp://feed@h.example:22/srv/x/", "sftp://feed@H.EXAMPLE/srv/x"], True),
        (["sftp://feed@h.example/~/x", "sftp://feed@h.example/~/x/"], True),
        (["s3://bucket/totango/", "s3://bucket/totango", "s3://bucket//totango"], True),
        (["sftp://feed@h.example/srv/x", "sftp://feed@h.example:2222/srv/x"], False),
        (["sftp://feed@h.example/~/x", "sftp://feed@h.example/x"], False),
        (["file:///mnt/drop/{date}", "file:///mnt/drop"], False),
    ],
)
def test_a_drop_has_one_key_whatever_way_its_url_is_written(spellings: list[str], same: bool) -> None:
    keys = {destinations.parse(url).key for url in spellings}
    assert (len(keys) == 1) is same, keys
    for key in keys:  # a key is a URL deliver.py takes, for the same drop
        assert destinations.parse(key).key == key


def test_deliver_py_refuses_a_missing_database_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "deliver.py"), f"file://{tmp_path}/drop", "--db", str(tmp_path / "no.db")],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 4
    assert "not found" in one_line(result.stderr)


def test_a_destination_with_a_control_character_is_refused_with_one_line(exports: Exports, tmp_path: Path) -> None:
    """%00 in a file:// URL: every mkdir would fail (embedded null byte), in a traceback."""
    result = deliver(exports, f"file://{tmp_path}/drop%00x")
    assert result.returncode == 4
    assert "holds a control character" in one_line(result.stderr)
    assert not exports.query("select * from duckdb_schemas() where schema_name = 'delivery'"), "nothing was started"


@pytest.mark.parametrize("recorded_as_typed", [False, True], ids=["recorded by this deliver.py", "by an older one"])
def test_one_drop_written_two_ways_is_one_drop(exports: Exports, tmp_path: Path, recorded_as_typed: bool) -> None:
    """A delivery cut short under file:///drop/{run_id} is finished under file:///drop/{run_id}/ (and was
    refused as part-way delivered to 'another' drop); deliveries recorded under the URL as typed, before drops
    were keyed, are taken as the drop's."""
    drop = tmp_path / "drop"
    killed = deliver(exports, f"file://{drop}/{{run_id}}", kill_at=("engine", "Delivery", "deliver_file", 2))
    assert killed.returncode == -9
    if recorded_as_typed:  # as an older deliver.py kept it
        exports.query("update delivery.runs set destination = destination || '/'")
        exports.query("update delivery.files set destination = destination || '/'")
    finished = deliver(exports, f"file://{drop}/{{run_id}}/")
    assert finished.returncode == 0, finished.stderr
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}
    assert exports.query("select distinct destination from delivery.runs") == [(f"file://{drop}/{{run_id}}",)]


def test_an_export_part_way_delivered_elsewhere_is_left_out_with_the_skip_it_advises(
    exports: Exports, tmp_path: Path
) -> None:
    """Cut short on drop A, then deliver.py to drop B: refused, advising --skip RUN for an export that reached
    Totango another way; and --skip RUN then works (it was refused again: a dead end). Its files in A stay."""
    killed = deliver(exports, f"file://{tmp_path}/a", kill_at=("engine", "Delivery", "deliver_file", 2))
    assert killed.returncode == -9
    first, second = exports.run_ids()
    refused = deliver(exports, f"file://{tmp_path}/b")
    assert refused.returncode == 4
    assert f"part-way delivered to file://{tmp_path}/a" in one_line(refused.stderr)
    assert f"--skip {first}" in refused.stderr
    skipped = deliver(exports, f"file://{tmp_path}/b", "--skip", first)
    assert skipped.returncode == 0, skipped.stderr
    assert "its 1 file(s) already delivered to" in skipped.stdout
    assert (tmp_path / "a" / "accounts.csv").is_file()
    assert (tmp_path / "b" / "usage.csv").read_bytes() == (exports.days[1] / "usage.csv").read_bytes()
    assert exports.query("select run_id, status from delivery.runs order by all") == [
        (first, "skipped"),
        (second, "delivered"),
    ]


def test_an_export_part_way_delivered_here_whose_file_went_missing_can_be_left_out(
    exports: Exports, tmp_path: Path
) -> None:
    """The advice for a file of the export missing locally is --skip RUN; for an export part-way delivered to this
    drop that was refused too."""
    drop = f"file://{tmp_path}/drop/{{run_id}}"
    assert deliver(exports, drop, kill_at=("engine", "Delivery", "deliver_file", 2)).returncode == -9
    first = exports.run_ids()[0]
    (exports.days[0] / "usage.csv").unlink()
    refused = deliver(exports, drop)
    assert refused.returncode == 4 and f"--skip {first}" in one_line(refused.stderr)
    skipped = deliver(exports, drop, "--skip", first)
    assert skipped.returncode == 0, skipped.stderr
    assert not (tmp_path / "drop" / first / "usage.csv").exists()
    assert usage_events(folder_files(tmp_path / "drop")) == {"E3": 1}


# Another writer (an old copy step still in cron, a second pipeline) puts its own usage.csv into the drop the moment
# before deliver.py puts its own in place, whatever deliver.py saw when it looked.
OTHER_WRITER = """
import os
from pathlib import Path
def other_writer_first(real):
    def put_in_place(source, target, *args, **kwargs):
        path = Path(target)
        if path.name == "usage.csv" and path.parent.name == "drop" and not path.exists():
            path.write_bytes(b"User ID,Account ID,Module,Action,Timestamp\\nother,A9,M,theirs,2026-11-01\\n")
        return real(source, target, *args, **kwargs)
    return put_in_place
for name in ("link", "replace", "rename"):
    setattr(os, name, other_writer_first(getattr(os, name)))
"""


def test_a_usage_file_that_appears_just_before_ours_is_put_in_place_is_never_overwritten(
    exports: Exports, tmp_path: Path
) -> None:
    """A look (is the name free?) then a rename over the name: a file written in between was overwritten. The
    file goes in place by a step that fails if the name is taken (a hard link, or a rename that does not
    replace)."""
    drop = tmp_path / "drop"
    result = deliver(exports, f"file://{drop}", prelude=OTHER_WRITER)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "appeared while this delivery ran" in one_line(result.stderr)
    assert b"theirs" in (drop / "usage.csv").read_bytes()
    assert not [p for p in drop.iterdir() if p.name.endswith(".partial")]
    (drop / "usage.csv").unlink()  # their file dealt with
    finished = deliver(exports, f"file://{drop}", "--skip", exports.run_ids()[1])
    assert finished.returncode == 0, finished.stderr
    assert (drop / "usage.csv").read_bytes() == (exports.days[0] / "usage.csv").read_bytes(), "sent, not lost"


def test_exports_are_delivered_in_the_order_they_were_made_not_by_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clock was ten days fast on day 1 (a VM restored, NTP not yet synced) and right on day 2: by started_at,
    day 2 went first, then day 1, whose accounts.csv replaced day 2's in the fixed folder Totango pulls from."""
    world = World(tmp_path)
    world.deliver([event("E1")])
    world.build_ok()
    fast = datetime.now(UTC) + timedelta(days=10)
    assert export_with_clock(world, tmp_path / "day1", fast, monkeypatch) == 0
    write_csv(world.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, [{"account_id": "A1", "account_name": "Acme Corp"}])
    world.deliver([event("E1"), event("E2")])
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    exports = Exports(tmp_path, world.run.db, (tmp_path / "day1", tmp_path / "day2"))
    drop = tmp_path / "drop"
    result = deliver(exports, f"file://{drop}")
    assert result.returncode == 4, result.stderr  # day 2's usage waits for day 1's to be loaded, as in any order
    assert "may not have loaded yet" in one_line(result.stderr)
    assert (drop / "usage.csv").read_bytes() == (tmp_path / "day1" / "usage.csv").read_bytes()
    assert (drop / "accounts.csv").read_bytes() == (tmp_path / "day2" / "accounts.csv").read_bytes(), (
        "day 1's accounts.csv replaced day 2's"
    )
    assert b"Acme Corp" in (drop / "accounts.csv").read_bytes()


def test_a_full_export_is_refused_unless_told(exports: Exports, tmp_path: Path) -> None:
    """export.py --full holds every valid event again (to compare two exports, or after the ledger lost its
    memory); delivered as any other export, every event already delivered would reach Totango twice."""
    command = [sys.executable, str(PROJECT_DIR / "export.py"), "--db", str(exports.db), "--full", "--out",
               str(tmp_path / "full")]  # fmt: skip
    assert subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False).returncode == 0
    full_run = exports.query("select run_id from ledger.export_runs where is_full")[0][0]
    drop = tmp_path / "drop"
    refused = deliver(exports, f"file://{drop}/{{run_id}}")
    assert refused.returncode == 4
    assert "made with --full" in one_line(refused.stderr) and "--allow-full" in refused.stderr
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}, "the exports before it went"
    assert not (drop / full_run).exists()
    allowed = deliver(exports, f"file://{drop}/{{run_id}}", "--allow-full")
    assert allowed.returncode == 0, allowed.stderr
    assert usage_events(folder_files(drop / full_run)) == {"E1": 1, "E2": 1, "E3": 1}


def test_a_folder_per_date_gives_a_second_export_of_the_day_a_folder_of_its_own(
    exports: Exports, tmp_path: Path
) -> None:
    """{date} is one folder per UTC day: a second export of the day (make daily run again after a fix, a held
    export accepted) found the first one's usage.csv there and was refused, and every later export waited behind
    it. It goes into <date>.2 (then .3...), each folder one export with its manifest."""
    days = exports.query("select distinct started_at::date from ledger.export_runs where status = 'published'")
    assert len(days) == 1, "both exports on one UTC day"
    day = days[0][0].isoformat()
    drop = tmp_path / "drop"
    result = deliver(exports, f"file://{drop}/{{date}}")
    assert result.returncode == 0, result.stderr
    assert f"goes into {drop / day}.2: {drop / day} holds an earlier export" in result.stdout
    assert sorted(p.name for p in drop.iterdir()) == [day, f"{day}.2"]
    for folder, local in zip((drop / day, drop / f"{day}.2"), exports.days, strict=True):
        assert sorted(p.name for p in folder.iterdir()) == sorted(DROP_FILES)
        assert (folder / "manifest.json").read_bytes() == (local / "manifest.json").read_bytes()
    assert usage_events(folder_files(drop)) == {"E1": 1, "E2": 1, "E3": 1}
    again = deliver(exports, f"file://{drop}/{{date}}")
    assert again.returncode == 0 and "nothing to deliver" in again.stdout
