"""Exactly once, by identity (issue 8): an event is sent because its id was never sent, never because of what its
timestamp says; a crash at any step of an export neither loses nor repeats an event; an export touches only
files of its own and never destroys a usage file that may not have been collected.

Each test builds a small hand-made world in folder mode, day after day. Every event's Action is `act-<id>`, so
each usage row names the event it came from and the tests can count, per event id, how often it was sent.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from pipeline import BIN_DIR, PROJECT_DIR, PipelineRun, dbt

from totango_feed import export as export_module
from totango_feed import ledger, output_folder, writer

pytestmark = pytest.mark.slow  # left out by make test-fast

ACCOUNT_COLUMNS = ["account_id", "account_name", "parent_account_id", "industry", "region", "segment", "csm_email",
                   "created_at", "updated_at"]  # fmt: skip
SUBSCRIPTION_COLUMNS = ["subscription_id", "account_id", "product", "plan", "seats", "contract_value", "currency",
                        "start_date", "renewal_date", "status"]  # fmt: skip
USER_COLUMNS = ["user_id", "email", "account_id", "product", "first_name", "last_name", "role", "title",
                "is_key_contact", "created_at", "last_login_at"]  # fmt: skip
EVENT_COLUMNS = ["event_id", "user_id", "account_id", "product", "module", "action", "occurred_at"]


def user(user_id: str, email: str, last_login_at: str = "2026-11-01T00:00:00Z") -> dict[str, str]:
    return {"user_id": user_id, "email": email, "account_id": "A1", "product": "Analytics",
            "last_login_at": last_login_at}  # fmt: skip


def event(event_id: str, user_id: str = "U1", occurred_at: str = "2026-11-20T10:00:00Z") -> dict[str, str]:
    return {"event_id": event_id, "user_id": user_id, "account_id": "A1", "product": "Analytics",
            "module": "Reports", "action": f"act-{event_id}", "occurred_at": occurred_at}  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


class World:
    """One customer's raw exports in a folder, rewritten each 'day', and the pipeline run over them."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.raw = base / "raw"
        self.run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "output")
        self.users = [user("U1", "u1@x.com"), user("U2", "u2@x.com")]
        write_csv(self.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, [{"account_id": "A1", "account_name": "Acme"}])
        subscription = {"subscription_id": "S1", "account_id": "A1", "product": "Analytics", "status": "active"}
        write_csv(self.raw / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, [subscription])

    def deliver(self, events: list[dict[str, str]], users: list[dict[str, str]] | None = None) -> None:
        """Today's exports: the users file, and every event so far as one re-delivered file."""
        write_csv(self.raw / "raw_app_users.csv", USER_COLUMNS, users if users is not None else self.users)
        write_csv(self.raw / "raw_app_events.csv", EVENT_COLUMNS, events)

    def deliver_day_file(self, name: str, events: list[dict[str, str]]) -> None:
        """Today's events as one more file in the folder raw_app_events/ (the growing-folder layout)."""
        write_csv(self.raw / "raw_app_users.csv", USER_COLUMNS, self.users)
        write_csv(self.raw / "raw_app_events" / name, EVENT_COLUMNS, events)

    def build(self) -> subprocess.CompletedProcess[str]:
        return dbt(self.run, "build", raw_dir=self.raw)

    def build_ok(self) -> None:
        result = self.build()
        assert result.returncode == 0, result.stdout[-4000:]

    def export(self, out: Path, *extra: str) -> int:
        return export_module.main(["--db", str(self.run.db), "--out", str(out), *extra])

    def ledger(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.run.db), read_only=True) as connection:
            return connection.execute(sql).fetchall()


def sent_counts(*folders: Path) -> dict[str, int]:
    """How many times each event id was sent, over every usage file published in the folders."""
    counts: dict[str, int] = {}
    for folder in folders:
        for path in sorted(folder.glob("usage*.csv")):
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    event_id = row["Action"].removeprefix("act-")
                    counts[event_id] = counts.get(event_id, 0) + 1
    return counts


def folder_holding(folder: Path, files: dict[str, str]) -> Path:
    """A folder (made if missing) holding these files of someone else's, by name and text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_a_future_dated_event_does_not_freeze_the_feed(world: World, tmp_path: Path) -> None:
    day1 = [event("E1"), event("E2", occurred_at="2062-01-01T00:00:00Z")]
    world.deliver(day1)
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    world.deliver([*day1, event("E3", occurred_at="2026-11-21T10:00:00Z")])
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day2") == {"E3": 1}


def test_events_that_become_valid_late_or_arrive_late_are_sent(world: World, tmp_path: Path) -> None:
    # Day 1: U3's user row is missing, so its (older) events cannot be sent yet.
    day1 = [event("E1"), event("E2", "U3", "2026-10-01T00:00:00Z"), event("E3", "U3", "2026-10-02T00:00:00Z")]
    world.deliver(day1)
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    assert sent_counts(tmp_path / "day1") == {"E1": 1}
    # Day 2: the user row is back, and an event from two months ago is delivered for the first time.
    world.users.append(user("U3", "u3@x.com"))
    world.deliver([*day1, event("E4", "U1", "2026-09-01T00:00:00Z")])
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day2") == {"E2": 1, "E3": 1, "E4": 1}


def test_a_crash_after_publishing_does_not_send_again(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.deliver([event("E1"), event("E2")])
    world.build_ok()

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash after every file is in place")

    monkeypatch.setattr(ledger, "mark_published", crash)
    with pytest.raises(RuntimeError):
        world.export(tmp_path / "day1")
    assert (tmp_path / "day1" / "manifest.json").exists(), "everything was published"
    monkeypatch.undo()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day1", tmp_path / "day2") == {"E1": 1, "E2": 1}
    statuses = world.ledger("select status from ledger.export_runs order by run_id")
    assert statuses == [("published",), ("published",)]


def test_a_failed_build_is_not_unlocked_by_another_dbt_command(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    # Day 2: the events file lost its occurred_at column, so the build fails; then the user looks around.
    (world.raw / "raw_app_events.csv").write_text("event_id,user_id\nE2,U1\n", encoding="utf-8")
    assert world.build().returncode != 0
    assert dbt(world.run, "show", "--inline", "select 1 as one").returncode == 0
    assert dbt(world.run, "compile").returncode == 0
    assert world.export(tmp_path / "day2") == 1
    assert not (tmp_path / "day2").exists()


def test_a_successful_run_without_tests_does_not_unlock_the_export(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    assert dbt(world.run, "run", raw_dir=world.raw).returncode == 0
    assert world.export(tmp_path / "out") == 1
    world.build_ok()
    assert world.export(tmp_path / "out") == 0


def test_the_export_leaves_files_that_are_not_its_own_alone(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    theirs = {"users_backup.csv": "a,b\n1,2\n", "usage_2026.csv": "x\n", "data_issues_reviewed.csv": "ok\n",
              "accounts.csv.bak": "keep\n", "notes.txt": "mine\n"}  # fmt: skip
    out = folder_holding(tmp_path / "drop", theirs)
    assert world.export(out) == 0
    world.deliver([event("E1"), event("E2")])
    world.build_ok()
    assert world.export(tmp_path / "elsewhere") == 0
    assert world.export(out, "--full") == 1, "usage.csv of the first export may not have been collected"
    for name, text in theirs.items():
        assert (out / name).read_text(encoding="utf-8") == text, name


def test_the_export_refuses_to_overwrite_a_file_it_did_not_write(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    out = folder_holding(tmp_path / "drop", {"accounts.csv": "hand made\n"})
    assert world.export(out) == 1
    assert (out / "accounts.csv").read_text(encoding="utf-8") == "hand made\n"
    assert world.ledger("select count(*) from ledger.exported_events") == [(0,)], "nothing recorded"
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


def test_re_exporting_into_the_same_folder_keeps_an_uncollected_usage_file(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1"), event("E2")])
    world.build_ok()
    out = tmp_path / "output"
    assert world.export(out) == 0
    first_usage = (out / "usage.csv").read_bytes()
    # The same build exported again into the same folder: nothing new to send, the first usage file stays.
    assert world.export(out) == 0
    assert (out / "usage.csv").read_bytes() == first_usage
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "usage.csv" not in {entry["name"] for entry in manifest["files"]}, "not to be loaded again"
    assert [entry["name"] for entry in manifest["carried_over"]] == ["usage.csv"]
    # New events, same folder: refused, nothing recorded, the first usage file untouched.
    world.deliver([event("E1"), event("E2"), event("E3")])
    world.build_ok()
    events_before = world.ledger("select count(*) from ledger.exported_events")
    assert world.export(out) == 1
    assert (out / "usage.csv").read_bytes() == first_usage
    assert world.ledger("select count(*) from ledger.exported_events") == events_before
    # Once collected (removed by the pull), the folder takes the new events.
    (out / "usage.csv").unlink()
    assert world.export(out) == 0
    assert sent_counts(out) == {"E3": 1}


def test_a_user_that_resolves_differently_later_does_not_stop_the_feed(world: World, tmp_path: Path) -> None:
    usual = user("U1", "u1@x.com", "2026-11-10T00:00:00Z")
    older = user("U1", "u1-old@x.com", "2026-01-01T00:00:00Z")
    world.deliver([event("E1"), event("E2", occurred_at="2026-10-01T00:00:00Z")], users=[older, world.users[1]])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    world.deliver([event("E1"), event("E2", occurred_at="2026-10-01T00:00:00Z"), event("E3")],
                  users=[usual, older, world.users[1]])  # fmt: skip
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day1", tmp_path / "day2") == {"E1": 1, "E2": 1, "E3": 1}
    with (tmp_path / "day2" / "usage.csv").open(newline="", encoding="utf-8") as handle:
        assert [row["User ID"] for row in csv.DictReader(handle)] == ["u1@x.com"]


def test_temporaries_of_a_killed_export_are_cleaned_by_the_next_export_anywhere(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    real_write = writer.write_csv_parts
    calls: list[str] = []

    def write_then_die(connection, query, target):
        calls.append(target.file_name)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed while writing")
        return real_write(connection, query, target)

    monkeypatch.setattr(writer, "write_csv_parts", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        world.export(tmp_path / "abandoned")
    assert [p for p in (tmp_path / "abandoned").iterdir() if p.name.endswith(".partial")]
    monkeypatch.undo()
    assert world.export(tmp_path / "next") == 0
    assert list((tmp_path / "abandoned").iterdir()) == []
    assert sent_counts(tmp_path / "next") == {"E1": 1}


class CrashAt:
    """Kill the export (KeyboardInterrupt: nothing of ours cleans up, as after a real kill) at the n-th call of
    module.function."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, function: str, call: int = 1) -> None:
        real = getattr(module, function)
        calls = [0]

        def crashing(*args, **kwargs):
            calls[0] += 1
            if calls[0] == call:
                raise KeyboardInterrupt(f"killed at {function} call {call}")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, function, crashing)


def export_with_clock(world: World, out: Path, clock: datetime, monkeypatch: pytest.MonkeyPatch) -> int:
    """export.py's main() with the machine's clock standing at `clock` (a VM restored, NTP not yet synced)."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime.now's own signature
            return clock.astimezone(tz) if tz else clock.replace(tzinfo=None)

    with monkeypatch.context() as patch:
        patch.setattr(export_module, "datetime", Clock)
        return world.export(out)


CRASH_POINTS = {
    "while writing the usage file": (writer, "write_csv_parts", 3),
    "before recording": (ledger, "record_run", 1),
    "after recording, before renaming": (output_folder, "publish", 1),
    "after usage.csv is in place, before manifest.json": (output_folder.os, "replace", 4),
    "after manifest.json, before the ledger says published": (ledger, "mark_published", 1),
}


BAD_EVENTS = [
    {**event("BAD1"), "occurred_at": "not a time"},
    {**event("BAD2"), "module": " "},
    event("BAD3", "U-NOBODY"),
]
# Each of five days re-delivers every event so far plus these: late by days, dated in the future, of a user (U3)
# who appears only on day 3, and bad ones.
FIVE_DAYS = [
    [event("D1a"), event("D1b", "U3", "2026-11-18T00:00:00Z"), event("D1c", occurred_at="2062-01-01T00:00:00Z")],
    [event("D2a"), event("D2b", "U2", "2026-09-01T00:00:00Z"), BAD_EVENTS[0]],
    [event("D3a", "U3"), event("D3b"), BAD_EVENTS[1]],
    [event("D4a", occurred_at="2026-11-25T23:59:59Z"), BAD_EVENTS[2]],
    [event("D5a"), event("D5b", "U2", "2020-01-01T00:00:00Z")],
]
BAD_IDS = {e["event_id"] for e in BAD_EVENTS}
VALID_IDS = {e["event_id"] for day in FIVE_DAYS for e in day} - BAD_IDS


def five_days_each_export_killed_once(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Path]]:
    """The five days of FIVE_DAYS, each day's export killed at a different step (CRASH_POINTS, in order) and run
    again, alternately into the same folder and into the next day's. Yields each day's two folders (the killed
    export's, the one run again) once the day is published."""
    events: list[dict[str, str]] = []
    for day, (crash_name, (module, function, call)) in enumerate(CRASH_POINTS.items(), start=1):
        events += FIVE_DAYS[day - 1]
        if day == 3:
            world.users.append(user("U3", "u3@x.com"))  # U3's events become valid two days late
        world.deliver(events)
        world.build_ok()
        out = tmp_path / f"day{day}"
        with monkeypatch.context() as patch:
            CrashAt(patch, module, function, call)
            with pytest.raises(KeyboardInterrupt):
                world.export(out)
        again = out if day % 2 else tmp_path / f"day{day}-again"
        assert world.export(again) == 0, crash_name
        yield out, again


def dropped_events(export_folder: Path) -> set[str]:
    """The ids of the events an export's data_issues.csv records."""
    with (export_folder / "data_issues.csv").open(newline="", encoding="utf-8") as handle:
        return {row["source_key"] for row in csv.DictReader(handle) if row["source"] == "raw_app_events"}


def test_over_days_with_a_crash_at_each_step_every_valid_event_is_sent_once_and_every_other_recorded(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five days (FIVE_DAYS), each day's export killed at a different step and run again. Over all usage files put
    in place, every valid event is there exactly once; every other event is in data_issues.csv."""
    folders = [folder for day in five_days_each_export_killed_once(world, tmp_path, monkeypatch) for folder in day]
    assert sent_counts(*set(folders)) == dict.fromkeys(VALID_IDS, 1)
    assert dropped_events(folders[-1]) == BAD_IDS
    assert not [p for folder in folders for p in folder.iterdir() if p.name.endswith(".partial")]
    statuses = world.ledger("select status, count(*) from ledger.export_runs group by status order by status")
    assert statuses == [("abandoned", 2), ("published", 8)], "killed before recording: abandoned; else finished"


def test_events_as_a_growing_folder_send_each_new_event_once(world: World, tmp_path: Path) -> None:
    world.deliver_day_file("2026-11-24.csv", [event("E1"), event("E2", "U3")])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    world.users.append(user("U3", "u3@x.com"))
    # Day 2's file repeats E1 (a re-delivery across files): the first delivery is the one that counts.
    world.deliver_day_file(
        "2026-11-25.csv", [event("E3"), event("E1"), event("E4", occurred_at="2026-01-01T00:00:00Z")]
    )
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day1") == {"E1": 1}
    assert sent_counts(tmp_path / "day2") == {"E2": 1, "E3": 1, "E4": 1}
    with (tmp_path / "day2" / "data_issues.csv").open(newline="", encoding="utf-8") as handle:
        issues = [(r["source_key"], r["issue"], r["detail"]) for r in csv.DictReader(handle)]
    assert issues == [
        ("E1", "duplicate", "event_id E1 appears more than once in the export; its row 1 of 2026-11-24.csv is the one "
         "sent (an event id is sent once, as its first row that can be sent)."),
    ]  # fmt: skip


def test_a_build_killed_part_way_does_not_count_as_the_last_good_one(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    world.deliver([event("E1"), event("E2"), event("E3", "U-NOBODY")])
    env = dict(os.environ, TOTANGO_DUCKDB_PATH=str(world.run.db), DBT_PROFILES_DIR=str(PROJECT_DIR),
               TOTANGO_RAW_DIR=str(world.raw))  # fmt: skip
    command = [str(BIN_DIR / "dbt"), "build",
               "--target-path", str(world.run.target), "--log-path", str(world.run.target)]  # fmt: skip
    with subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, text=True) as build:
        assert build.stdout is not None
        for line in build.stdout:
            if "OK created sql incremental model intermediate.int_events_checked" in line:
                build.send_signal(signal.SIGKILL)  # the events are rebuilt; the data issues and tests are not
                break
    assert world.export(tmp_path / "day2") == 1
    assert not (tmp_path / "day2").exists()
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day1", tmp_path / "day2") == {"E1": 1, "E2": 1}


def test_a_build_that_leaves_out_tests_does_not_unlock_the_export(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    skipped = dbt(world.run, "build", "--exclude-resource-type", "test", raw_dir=world.raw)
    assert skipped.returncode == 0
    assert world.export(tmp_path / "out") == 1


def test_a_published_export_whose_usage_was_collected_is_not_sent_again_after_a_crash(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.deliver([event("E1"), event("E2")])
    world.build_ok()
    with monkeypatch.context() as patch:
        CrashAt(patch, ledger, "mark_published")
        with pytest.raises(KeyboardInterrupt):
            world.export(tmp_path / "day1")
    collected = sent_counts(tmp_path / "day1")
    (tmp_path / "day1" / "usage.csv").unlink()  # the collector took it
    assert world.export(tmp_path / "day2") == 0
    assert collected == {"E1": 1, "E2": 1} and sent_counts(tmp_path / "day2") == {}


def test_a_manifest_that_names_paths_is_not_trusted(world: World, tmp_path: Path) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    folder_holding(tmp_path, {"victim.txt": "precious\n"})
    out = folder_holding(tmp_path / "drop", {"report.pdf": "mine\n"})
    for names in (["../victim.txt"], [str(tmp_path / "victim.txt")], ["report.pdf"], ["accounts.csv", "sub/x.csv"]):
        manifest = {"run_id": "foreign", "files": [{"name": name} for name in names]}
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        assert world.export(out) == 1, names
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "precious\n"
    assert (out / "report.pdf").exists()
    # Refused before the ledger was opened for writing: not even made.
    assert world.ledger("select count(*) from duckdb_tables() where schema_name = 'ledger'") == [(0,)]


def test_a_ledger_that_lost_its_events_refuses_instead_of_sending_everything_again(
    world: World, tmp_path: Path
) -> None:
    world.deliver([event("E1")])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    for damage in ("delete from ledger.exported_events", "drop table ledger.exported_events"):
        with duckdb.connect(str(world.run.db)) as connection:
            connection.execute(damage)
        assert world.export(tmp_path / "again") == 1, damage
    assert not (tmp_path / "again").exists()
    assert world.export(tmp_path / "everything", "--full") == 0, "sending everything again stays possible, on purpose"
