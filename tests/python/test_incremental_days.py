"""Incremental builds (issue 17): a daily build checks only what is new (files by content, events not sent yet),
and must give what a build of the same exports from nothing gives. Property: over random sequences of days (a day
file added, a file rewritten with changed events, a file removed, copied or renamed, the whole log re-delivered,
a user removed then restored, a user moved to another product account, an export killed part-way), after each
day the incremental build gives the same marts, data issues and events to send as `dbt run --full-refresh` of
that day's exports with the same ledger; over all days no event is sent twice, and every event valid at the end
is sent once.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pipeline import DAILY_BUILD, NO_RECORDS, PipelineRun, dbt, query
from test_exactly_once import (
    ACCOUNT_COLUMNS,
    CRASH_POINTS,
    EVENT_COLUMNS,
    SUBSCRIPTION_COLUMNS,
    USER_COLUMNS,
    CrashAt,
    sent_counts,
    write_csv,
)

from totango_feed import export as export_module
from totango_feed import hash_cache, raw_checks

pytestmark = pytest.mark.slow  # left out by make test-fast

EVENT_IDS = [f"E{number}" for number in range(1, 13)]
USERS = {"U1": "u1@x.com", "U2": "u2@x.com", "U3": "u3@x.com"}
# What the build holds: compared between the incremental build and the build from nothing.
COMPARED = {
    "accounts": "select * from marts.totango_accounts",
    "users": "select * from marts.totango_users",
    "data issues": "select * from marts.data_issues",
    "usage": "select * from marts.totango_usage order by all",
    # A file that grew is stored in parts (int_event_files): its rows carry the hash of the part they were parsed
    # in, where a build from nothing parses the file whole under its own hash. Compared by the file's hash.
    "events to send": (
        'select event_id, "User ID", "Account ID", "Action", "Timestamp", files.content_hash, file_row_number '
        "from intermediate.int_usage_rows_formatted as usage left join intermediate.int_event_files as files "
        "on usage.file_hash = files.file_hash and files.file_copy = 1 where not was_sent order by event_id"
    ),
    "staged users": "select * exclude (staged_in_build, staged_content) from staging.stg_app__users order by all",
    "checked users": "select * exclude (checked_in_build) from intermediate.int_users_checked order by all",
    "checked rows": (
        "select checked.* exclude (checked_in_build, file_hash, event_key), files.content_hash "
        "from intermediate.int_events_checked as checked left join intermediate.int_event_files as files "
        "using (file_hash, file_copy) order by files.content_hash, file_copy, file_row_number"
    ),
}


def event_row(event_id: str, user_id: str, flaw: str) -> dict[str, str]:
    row = {"event_id": event_id, "user_id": user_id, "account_id": "A1", "product": "Analytics",
           "module": "Reports", "action": f"act-{event_id}", "occurred_at": "2026-11-20T10:00:00Z"}  # fmt: skip
    if flaw == "bad time":
        row["occurred_at"] = "yesterday"
    elif flaw == "no module":
        row["module"] = ""
    elif flaw == "other action":
        row["action"] = f"act-{event_id}"  # the same event re-delivered with a corrected field elsewhere
        row["occurred_at"] = "2026-11-21T08:00:00Z"
    return row


rows = st.lists(
    st.builds(
        event_row,
        st.sampled_from(EVENT_IDS),
        st.sampled_from([*USERS, "U9"]),
        st.sampled_from(["", "", "", "bad time", "no module", "other action"]),
    ),
    min_size=1,
    max_size=5,
)
operations = st.one_of(
    st.tuples(st.just("add file"), rows),
    st.tuples(st.just("rewrite file"), rows),
    st.tuples(st.just("remove file"), st.none()),
    st.tuples(st.just("copy file"), st.none()),
    st.tuples(st.just("rename file"), st.none()),
    st.tuples(st.just("re-deliver all"), st.none()),
    st.tuples(st.just("remove user"), st.sampled_from(list(USERS))),
    st.tuples(st.just("restore users"), st.none()),
    st.tuples(st.just("move user"), st.sampled_from(list(USERS))),
    st.tuples(st.just("crash export"), st.sampled_from(list(CRASH_POINTS))),
)


@dataclass
class Days:
    """A customer's raw exports in folder mode, events as a folder of day files, changed day by day."""

    base: Path
    users: dict[str, str] = field(default_factory=lambda: dict.fromkeys(USERS, "Analytics"))
    day: int = 0
    file_number: int = 0
    crash: str | None = None
    folders: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.raw = self.base / "raw"
        self.events = self.raw / "raw_app_events"
        self.events.mkdir(parents=True)
        self.run = PipelineRun(db=self.base / "totango.duckdb", target=self.base / "target", out=self.base / "out")
        write_csv(self.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, [{"account_id": "A1", "account_name": "Acme"}])
        write_csv(self.raw / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, [
            {"subscription_id": "S1", "account_id": "A1", "product": "Analytics", "status": "active"},
            {"subscription_id": "S2", "account_id": "A1", "product": "Engage", "status": "active"},
        ])  # fmt: skip

    def files(self) -> list[Path]:
        return sorted(self.events.glob("*.csv"))

    def attach(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """What a world needs set in the test process while a test plays it: nothing here (a subclass may patch)."""

    def new_file(self) -> Path:
        self.file_number += 1
        return self.events / f"day-{self.file_number:03d}.csv"

    def apply(self, operation: str, argument: object) -> None:
        files = self.files()
        if operation == "add file" or (operation == "rewrite file" and not files):
            write_csv(self.new_file(), EVENT_COLUMNS, argument)
        elif operation == "rewrite file":
            write_csv(files[len(argument) % len(files)], EVENT_COLUMNS, argument)
        elif operation == "remove file" and len(files) > 1:
            files[self.day % len(files)].unlink()
        elif operation == "copy file" and files:
            shutil.copy(files[-1], self.new_file())
        elif operation == "rename file" and files:
            files[0].rename(self.new_file())
        elif operation == "re-deliver all" and files:
            lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()[1:]]
            self.new_file().write_text("\n".join([",".join(EVENT_COLUMNS), *lines]) + "\n", encoding="utf-8")
        elif operation == "remove user":
            self.users.pop(argument, None)
        elif operation == "restore users":
            self.users = {user_id: self.users.get(user_id, "Analytics") for user_id in USERS}
        elif operation == "move user" and argument in self.users:
            self.users[argument] = "Engage" if self.users[argument] == "Analytics" else "Analytics"
        elif operation == "crash export":
            self.crash = argument

    def write_users(self) -> None:
        write_csv(self.raw / "raw_app_users.csv", USER_COLUMNS, [
            {"user_id": user_id, "email": USERS[user_id], "account_id": "A1", "product": product,
             "last_login_at": "2026-11-01T00:00:00Z"}
            for user_id, product in self.users.items()
        ])  # fmt: skip

    def build(self, *dbt_args: str) -> None:
        if not self.files():
            write_csv(self.new_file(), EVENT_COLUMNS, [event_row("E1", "U1", "")])
        self.write_users()
        built = dbt(self.run, *DAILY_BUILD, *dbt_args, raw_dir=self.raw)
        assert built.returncode == 0, built.stdout[-4000:]

    def compare_with_a_build_from_nothing(self) -> None:
        """The same exports and ledger, built from nothing (--full-refresh): the same tables. Not
        pipeline.assert_as_built_from_nothing: this calls this module's dbt, which test_grown_parts_attack.py
        replaces to give both builds the world's vars."""
        folder = self.base / "reference"
        reference = PipelineRun(db=folder / "totango.duckdb", target=folder / "target", out=folder / "out")
        shutil.rmtree(reference.db.parent, ignore_errors=True)
        reference.db.parent.mkdir()
        shutil.copy(self.run.db, reference.db)
        built = dbt(reference, "run", "--full-refresh", *NO_RECORDS, raw_dir=self.raw)
        assert built.returncode == 0, built.stdout[-4000:]
        for name, sql in COMPARED.items():
            assert query(self.run.db, sql) == query(reference.db, sql), f"day {self.day}: {name} differ"

    def export(self, monkeypatch: pytest.MonkeyPatch) -> None:
        out = self.base / f"day-{self.day}"
        if self.crash:
            with monkeypatch.context() as patch:
                module, function, call = CRASH_POINTS[self.crash]
                CrashAt(patch, module, function, call)
                with contextlib.suppress(KeyboardInterrupt):
                    export_module.main(["--db", str(self.run.db), "--out", str(out)])
            self.crash = None
        assert export_module.main(["--db", str(self.run.db), "--out", str(out)]) == 0
        self.folders.append(out)


def play_day(
    world: Days, changes: list[tuple[str, object]], monkeypatch: pytest.MonkeyPatch, after_build: Callable[[], object]
) -> object:
    """One day of play_days (world.day already set): its changes, build, comparison with a build from nothing and
    export. Returns what after_build gave after the build (before the comparison, which builds elsewhere)."""
    for operation, argument in changes:
        world.apply(operation, argument)
    world.build()
    seen = after_build()
    world.compare_with_a_build_from_nothing()
    world.export(monkeypatch)
    return seen


def send_what_is_left(world: Days, monkeypatch: pytest.MonkeyPatch) -> None:
    """play_days's last day: nothing new, built and exported; then every event valid has been sent, none twice."""
    world.day += 1
    world.build()
    world.export(monkeypatch)
    counts = sent_counts(*world.folders)
    assert all(count == 1 for count in counts.values()), counts
    valid = {row[0] for row in query(world.run.db, "select event_id from intermediate.int_events_resolved")}
    assert valid <= set(counts), f"valid events never sent: {sorted(valid - set(counts))}"


def play_days(
    world: Days,
    days: list[list[tuple[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
    after_build: Callable[[], object] = lambda: None,
) -> list:
    """Each day's changes, build, comparison with a build from nothing and export; then a last day with nothing
    new, after which every event valid then has been sent, none twice. Returns what after_build gave after each
    day's build (before the comparison, which builds elsewhere)."""
    seen = []
    for day, changes in enumerate(days, start=1):
        world.day = day
        seen.append(play_day(world, changes, monkeypatch, after_build))
    send_what_is_left(world, monkeypatch)
    return seen


def run_days(base: Path, days: list[list[tuple[str, object]]], monkeypatch: pytest.MonkeyPatch) -> Days:
    world = Days(base)
    play_days(world, days, monkeypatch)
    return world


def test_each_kind_of_day_gives_what_a_build_from_nothing_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every kind of change at least once, in an order that makes them interact (a user removed while its events
    wait, a re-delivery after sending, a rewrite of a file that was sent, a copy, a rename, a crashed export)."""
    days = [
        [("add file", [event_row("E1", "U1", ""), event_row("E2", "U2", "bad time"), event_row("E3", "U9", "")])],
        [("add file", [event_row("E2", "U2", ""), event_row("E3", "U3", ""), event_row("E4", "U2", "no module")]),
         ("remove user", "U2"), ("crash export", "before recording")],
        [("restore users", None), ("move user", "U3"), ("re-deliver all", None)],
        [("rewrite file", [event_row("E5", "U1", ""), event_row("E2", "U1", "other action")]), ("copy file", None),
         ("crash export", "after recording, before renaming")],
        [("rename file", None), ("remove file", None), ("add file", [event_row("E6", "U3", "")])],
    ]  # fmt: skip
    run_days(tmp_path, days, monkeypatch)


@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(days=st.lists(st.lists(operations, min_size=1, max_size=3), min_size=3, max_size=4))
def test_random_days_give_what_a_build_from_nothing_gives(
    days: list[list[tuple[str, object]]], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_days(tmp_path_factory.mktemp("days"), days, monkeypatch)


def test_a_daily_build_parses_only_new_files_and_checks_only_open_events(tmp_path: Path) -> None:
    """What makes a daily build cost what is new: a file parsed before is not parsed again (its rows keep the build
    that parsed them), a renamed file is not parsed again, and only events not yet sent whose outcome may change
    are checked again (an event of a user still unknown is not: test_settled_events.py)."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", ""), event_row("E3", "U9", "")])
    world.build()
    assert export_module.main(["--db", str(world.run.db), "--out", str(tmp_path / "day1")]) == 0
    world.apply("add file", [event_row("E4", "U1", "")])
    world.build()
    checked = query(world.run.db, "select event_id, checked_in_build from intermediate.int_events_checked")
    builds = {event_id: build for event_id, build in checked}
    # E1 and E2 were sent and stay as checked on day 1, and so does E3 (not sent: its user U9 is still unknown, for
    # the same reason); E4 (new) is checked.
    assert builds["E1"] == builds["E2"] == builds["E3"] != builds["E4"]
    parsed = query(world.run.db, "select event_id, parsed_in_build from staging.stg_app__events")
    day2 = {event_id: build for event_id, build in parsed}
    assert day2["E1"] == day2["E2"] == day2["E3"] != day2["E4"], "day 1's file was parsed again"
    world.apply("rename file", None)
    world.build()
    renamed = query(world.run.db, "select event_id, parsed_in_build from staging.stg_app__events")
    assert dict(renamed) == day2, "a renamed file, the same bytes, was parsed again"


def event_reads(opened: list[str]) -> list[str]:
    """The event files among the files read (sorted): these worlds write the users export again before each build,
    and a users export with a new stamp is hashed again by the build (macro users_export_content)."""
    return sorted(name for name in opened if name.startswith("day-"))


def counted_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hash_cache reads from now on, hashing as a daily run does, well after the files
    were written."""
    opened: list[str] = []
    real_open = open

    def counting_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - open's own signature
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(hash_cache, "open", counting_open, raising=False)
    real_time_ns = time.time_ns
    monkeypatch.setattr(hash_cache, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 3_000_000_000))
    return opened


def test_the_build_reuses_the_hashes_the_check_kept_under_another_spelling_of_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """daily.py checks the folder as the user gave it (here relative, through a symlink) and dbt lists it from
    TOTANGO_RAW_DIR: the build's hashing still finds what the check kept, and reads each new file once more only
    to verify what it parsed."""
    opened = counted_opens(monkeypatch)
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.apply("add file", [event_row("E2", "U2", "")])
    world.write_users()
    (tmp_path / "exports").symlink_to(world.raw)
    monkeypatch.chdir(tmp_path)
    results = raw_checks.check_folder(Path("exports"), memory_database=world.run.db)
    assert not [result.error for result in results if result.error]
    assert event_reads(opened) == ["day-001.csv", "day-002.csv"]
    opened.clear()
    world.build()  # the build hashes the event files only
    assert event_reads(opened) == ["day-001.csv", "day-002.csv"], "the build hashed again what the check had hashed"


def header_reads(run: PipelineRun) -> list[str]:
    """The files whose header row the last dbt command read (macro csv_header_row), from its log file."""
    log = (run.target / "logs" / "dbt.log").read_text(encoding="utf-8").split("Running with dbt")[-1]
    return sorted(re.findall(r"read_csv\('[^']*/(day-\d+\.csv)', header = false", log))


def test_a_daily_build_reads_the_header_of_new_contents_only(tmp_path: Path) -> None:
    """Each day file's header row is read once per content (macro csv_header_rows), not every build: a year of day
    files would otherwise cost a query each, every day. A file renamed keeps its content's row; a new file, here
    with its columns in another order, is read, and its rows land in the right columns."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.apply("add file", [event_row("E2", "U2", "")])
    world.write_users()
    built = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw, separate_process=True)
    assert built.returncode == 0, built.stdout[-4000:]
    assert header_reads(world.run) == ["day-001.csv", "day-002.csv"]
    world.apply("rename file", None)
    reordered = [*reversed(EVENT_COLUMNS)]
    write_csv(world.new_file(), reordered, [event_row("E3", "U1", "")])
    built = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw, separate_process=True)
    assert built.returncode == 0, built.stdout[-4000:]
    assert header_reads(world.run) == ["day-004.csv"]
    rows = query(world.run.db, "select event_id, user_id, module from staging.stg_app__events order by event_id")
    assert rows == [("E1", "U1", "Reports"), ("E2", "U2", "Reports"), ("E3", "U1", "Reports")]


def test_kept_header_rows_that_cannot_be_trusted_are_read_again(tmp_path: Path) -> None:
    """A table of kept header rows of another shape (an older layout, damage) is made again, and a kept row that
    is not a header row (not JSON, an object) is read again from the file: never a failed build, never a file read
    under a wrong header."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.apply("add file", [event_row("E2", "U2", "")])
    world.write_users()
    with duckdb.connect(str(world.run.db)) as connection:
        connection.execute("create schema audit; create table audit.csv_header_rows (file_hash integer)")
    built = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw, separate_process=True)
    assert built.returncode == 0, built.stdout[-4000:]
    assert header_reads(world.run) == ["day-001.csv", "day-002.csv"]
    with duckdb.connect(str(world.run.db)) as connection:
        kept = connection.execute("select file_hash from audit.csv_header_rows order by header_row").fetchall()
        assert len(kept) == 2
        connection.execute("update audit.csv_header_rows set header_row = 'not json' where file_hash = ?", kept[0])
        connection.execute("""update audit.csv_header_rows set header_row = '{"event_id": 1}' where file_hash = ?""",
                           kept[1])  # fmt: skip
    world.apply("add file", [event_row("E3", "U1", "")])
    built = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw, separate_process=True)
    assert built.returncode == 0, built.stdout[-4000:]
    assert header_reads(world.run) == ["day-001.csv", "day-002.csv", "day-003.csv"]
    rows = query(world.run.db, "select event_id, user_id, module from staging.stg_app__events order by event_id")
    assert rows == [("E1", "U1", "Reports"), ("E2", "U2", "Reports"), ("E3", "U1", "Reports")]


def test_a_daily_build_reads_no_unchanged_file_and_sees_a_disguised_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's hashing keeps each file's hash with its stamp (totango_feed/hash_cache.py): a day with nothing
    new reads no event file at all; a file rewritten in place with its size and modification time put back (a
    stamp that only its change time betrays) is read again, and its new rows replace the old; --full-refresh reads
    every file."""
    opened = counted_opens(monkeypatch)
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", "")])
    world.apply("add file", [event_row("E3", "U2", "")])
    world.build()
    assert event_reads(opened) == ["day-001.csv", "day-001.csv", "day-002.csv", "day-002.csv"]  # hashed, then verified
    opened.clear()
    world.build()
    assert event_reads(opened) == [], "a build with nothing new read the event files again"
    path = world.files()[0]
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"E2,", b"E9,"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    world.build()
    assert event_reads(opened) == ["day-001.csv", "day-001.csv"]
    checked = {row[0] for row in query(world.run.db, "select event_id from intermediate.int_events_checked")}
    assert checked == {"E1", "E9", "E3"}
    opened.clear()
    world.build("--full-refresh")  # trusts no kept hash: every file is read
    assert sorted(set(event_reads(opened))) == ["day-001.csv", "day-002.csv"]


ALT_ID_COLUMNS = json.dumps({"raw_column_names": {"raw_app_events": {"event_id": "alt_id"}}})


def checked_ids(world: Days) -> list[tuple[str, str | None]]:
    return query(world.run.db, "select event_id, rejection_code from intermediate.int_events_checked order by all")


def test_the_events_are_never_checked_from_rows_parsed_under_other_rules(tmp_path: Path) -> None:
    """int_events_checked run alone under vars that change how an event is read (raw_column_names), while
    stg_app__events still holds the rows parsed under the old ones: it must refuse, with the reason. It used to check
    those stale rows and stamp them with the new rules, so the next build under the new vars trusted them: E1 and an
    E1 repeat stayed, where a build from nothing gives X1 and X2 (found by a hostile review). Either way round. A
    `dbt compile` under those vars still works (a hostile review of the first form, which stopped it too)."""
    world = Days(tmp_path)
    rows = [{**event_row("E1", "U1", ""), "alt_id": "X1"}, {**event_row("E1", "U1", ""), "alt_id": "X2"}]
    write_csv(world.new_file(), [*EVENT_COLUMNS, "alt_id"], rows)
    world.build()
    assert checked_ids(world) == [("E1", "duplicate"), ("E1", None)]
    alone = dbt(world.run, "run", "--select", "int_events_checked", "--vars", ALT_ID_COLUMNS, *NO_RECORDS,
                raw_dir=world.raw)  # fmt: skip
    assert alone.returncode != 0, "int_events_checked checked rows parsed under other rules"
    assert "stg_app__events" in alone.stdout and "parsed under other rules" in alone.stdout, alone.stdout[-4000:]
    # Only a run stops: compiling or previewing the model under those vars writes nothing, and works.
    compiled = dbt(world.run, "compile", "--select", "int_events_checked", "--vars", ALT_ID_COLUMNS, *NO_RECORDS,
                   raw_dir=world.raw)  # fmt: skip
    assert compiled.returncode == 0, compiled.stdout[-4000:]
    world.build("--vars", ALT_ID_COLUMNS)
    assert checked_ids(world) == [("X1", None), ("X2", None)]
    back = dbt(world.run, "run", "--select", "int_events_checked", *NO_RECORDS, raw_dir=world.raw)
    assert back.returncode != 0, "int_events_checked checked rows parsed under other rules"
    world.build()
    assert checked_ids(world) == [("E1", "duplicate"), ("E1", None)]
