"""A file that grew: the events re-delivered as one file each day, yesterday's bytes with the new rows after them.
Its rows parsed and checked before are kept (under the hash they were parsed under: the file is stored in parts,
never rewritten) and only its new rows are parsed
(macros/events/grown_event_files.sql). After each day the build must give what `dbt run --full-refresh` of the same
exports and ledger gives, no event is sent twice, and anything but growth (a file changed in its old part, old
bytes without a final line feed, a header changed) is parsed whole, as before. The rows a build parsed are counted
by the build that parsed them (stg_app__events.parsed_in_build), never by timing.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from blocked_dbt import add_pipe_hook, kill_dbt_blocked_at_pipe
from pipeline import dbt
from shared_days import SharedDays, shared_days_of_a_class
from test_build_location import copy_project
from test_exactly_once import EVENT_COLUMNS, sent_counts, write_csv
from test_incremental_days import Days, event_row, play_days, query

from totango_feed import duckdb_functions, hash_cache

pytestmark = pytest.mark.slow  # left out by make test-fast

shared_days = pytest.fixture(scope="class")(shared_days_of_a_class)


def csv_lines(rows: list[dict[str, str]]) -> str:
    return "".join(",".join(row[column] for column in EVENT_COLUMNS) + "\n" for row in rows)


class GrownDays(Days):
    """Days whose events file grows: each day's new rows appended to the last file."""

    def apply(self, operation: str, argument: object) -> None:
        files = self.files()
        if operation == "grow file" and files:
            with files[-1].open("a", encoding="utf-8", newline="") as handle:
                handle.write(csv_lines(argument))
        elif operation == "change old part" and files:
            lines = files[-1].read_text(encoding="utf-8").splitlines(keepends=True)
            lines[1] = lines[1].replace("act-", "changed-act-", 1)
            files[-1].write_text("".join(lines) + csv_lines(argument), encoding="utf-8")
        elif operation == "cut final line feed" and files:
            files[-1].write_bytes(files[-1].read_bytes().rstrip(b"\n"))
        elif operation == "grow after cut" and files:
            with files[-1].open("a", encoding="utf-8", newline="") as handle:
                handle.write("\n" + csv_lines(argument))
        elif operation == "reorder header" and files:
            lines = files[-1].read_text(encoding="utf-8").splitlines()
            columns = [*EVENT_COLUMNS[1:], EVENT_COLUMNS[0]]
            rows = [dict(zip(EVENT_COLUMNS, line.split(","), strict=True)) for line in lines[1:]]
            write_csv(files[-1], columns, rows + list(argument))
        else:
            super().apply(operation, argument)

    def invocation(self) -> str:
        """The last dbt invocation that changed tables (the daily build writes no run_results.json)."""
        sql = "select invocation_id from audit.build_outcomes order by build_number desc limit 1"
        return query(self.run.db, sql)[0][0]

    def rows_parsed_by_last_build(self) -> int:
        sql = f"select count(*) from staging.stg_app__events where parsed_in_build = '{self.invocation()}'"
        return query(self.run.db, sql)[0][0]


def run_grown_days(world: GrownDays, days: list[list[tuple[str, object]]], monkeypatch) -> list[int]:
    """The days as play_days plays them; returns the rows each day's build parsed."""
    return play_days(world, days, monkeypatch, world.rows_parsed_by_last_build)


def run_shared_days(
    shared: SharedDays, kind: type[GrownDays], days: list[list[tuple[str, object]]], monkeypatch
) -> tuple[GrownDays, list[int]]:
    """run_grown_days on a world of kind `kind` in the class's cache of played days (shared_days.py): the days
    another test of the class played before, the same to the byte, are not played again."""
    return shared.play(kind, days, monkeypatch, kind.rows_parsed_by_last_build)


class TestAGrowthCostsItsNewRows:
    """The growth alone parsed and checked: the hash of its first bytes, a file grown day by day, only the new rows
    checked, the same file in a new raw folder each day."""

    def test_one_read_hashes_the_file_and_its_first_bytes(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The prefix ends inside a read (small reads here), the whole file is hashed too, and a file not longer than
        the prefix has no prefix hash (it cannot have grown)."""
        monkeypatch.setattr(hash_cache, "CHUNK_BYTES", 4)
        path = tmp_path / "events.csv"
        old, new = b"event_id\nE1\nE2\n", b"E3\n"
        path.write_bytes(old + new)
        found = duckdb_functions.files_sha256_with_prefix([str(path), str(path), str(path)], [len(old), None, 99])
        hashed = [{key: row[key] for key in ("file_hash", "prefix_hash", "ends_with_newline")} for row in found]
        assert [row["size"] for row in found] == [len(old + new)] * 3
        whole = hashlib.sha256(old + new).hexdigest()
        assert hashed == [
            {"file_hash": whole, "prefix_hash": hashlib.sha256(old).hexdigest(), "ends_with_newline": True},
            {"file_hash": whole, "prefix_hash": None, "ends_with_newline": True},
            {"file_hash": whole, "prefix_hash": None, "ends_with_newline": True},
        ]
        path.write_bytes(old.rstrip(b"\n"))
        assert not duckdb_functions.files_sha256_with_prefix([str(path)], [None])[0]["ends_with_newline"]

    def test_a_grown_file_costs_its_new_rows_and_gives_what_a_build_from_nothing_gives(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Day by day the file grows: rows with blank ids, an id repeated from the old part (sent there: a repeat,
        not sent again), an event whose user arrives later (sent once, when it does), a bad row fixed by a later one."""
        world = GrownDays(tmp_path)
        blank = {**event_row("E0", "U1", ""), "event_id": ""}
        days = [
            [("add file", [event_row("E1", "U1", ""), event_row("E2", "U2", "bad time"), event_row("E3", "U3", ""),
                           blank]), ("remove user", "U3")],
            [("grow file", [event_row("E4", "U1", ""), event_row("E1", "U2", "other action"), blank,
                            event_row("E2", "U2", "")])],
            [("restore users", None), ("grow file", [event_row("E5", "U3", ""), event_row("E3", "U1", "")])],
        ]  # fmt: skip
        parsed = run_grown_days(world, days, monkeypatch)
        assert parsed == [4, 4, 2], "a grown file's old rows were parsed again"
        # play_days's last day, nothing new (day 3's files and the ledger of its export), parsed no row.
        assert world.rows_parsed_by_last_build() == 0, "a file that did not grow was parsed again"

    def test_only_the_new_rows_are_checked_once_the_old_ones_are_sent(self, tmp_path: Path, monkeypatch) -> None:
        world = GrownDays(tmp_path)
        run_grown_days(world, [[("add file", [event_row(f"E{n}", "U1", "") for n in range(1, 6)])]], monkeypatch)
        day1 = {event_id: build for event_id, build in query(world.run.db, "select event_id, checked_in_build "
                                                             "from intermediate.int_events_checked")}  # fmt: skip
        world.apply("grow file", [event_row("E6", "U1", "")])
        world.build()
        checked = dict(query(world.run.db, "select event_id, checked_in_build from intermediate.int_events_checked"))
        assert {event_id for event_id in checked if checked[event_id] != day1.get(event_id)} == {"E6"}
        world.compare_with_a_build_from_nothing()

    def test_one_file_in_a_new_raw_folder_each_day_is_known_as_grown(self, tmp_path: Path, monkeypatch) -> None:
        """As the benchmark delivers it: raw_app_events.csv, in a raw folder of its own each day (file-day1/,
        file-day2/): the same file for the build, by its path in the raw folder."""
        world = GrownDays(tmp_path)
        shutil.rmtree(world.events)
        rows = [event_row(f"E{n}", "U1", "") for n in range(1, 4)]
        parsed = []
        for day, new_rows in enumerate([rows, [event_row("E7", "U2", "")]], start=1):
            world.day = day
            folder = tmp_path / f"file-day{day}"
            shutil.copytree(world.raw, folder, ignore=shutil.ignore_patterns("raw_app_events.csv"))
            if day > 1:
                shutil.copy(world.raw / "raw_app_events.csv", folder / "raw_app_events.csv")
                with (folder / "raw_app_events.csv").open("a", encoding="utf-8") as handle:
                    handle.write(csv_lines(new_rows))
            else:
                write_csv(folder / "raw_app_events.csv", EVENT_COLUMNS, new_rows)
            world.raw = folder
            world.build()
            parsed.append(world.rows_parsed_by_last_build())
            world.compare_with_a_build_from_nothing()
            world.export(monkeypatch)
        assert parsed == [3, 1]
        assert all(count == 1 for count in sent_counts(*world.folders).values())


class TestAFileChangedOtherwise:
    """Anything but growth (the old part changed, no final line feed, the header changed): the file parsed whole."""

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            # The old part changed: new content, every row parsed (3 old, 1 new).
            ([("change old part", [event_row("E9", "U1", "")])], 4),
            # The old bytes ended without a line feed: their last row may have been cut short, so all is parsed.
            ([("cut final line feed", None)], None),
            # The header changed (columns in another order): every row parsed.
            ([("reorder header", [event_row("E9", "U1", "")])], 4),
        ],
        ids=["old part changed", "no final line feed", "header changed"],
    )
    def test_a_file_changed_otherwise_is_parsed_whole(self, shared_days, monkeypatch, change, expected) -> None:
        first = [("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", ""), event_row("E3", "U2", "")])]
        if expected is None:
            # Day 1's bytes end without a line feed; day 2 appends after one.
            days = [[*first, *change], [("grow after cut", [event_row("E9", "U1", "")])]]
            assert run_shared_days(shared_days, GrownDays, days, monkeypatch)[1] == [3, 4]
        else:
            # Day 1 (the file of three rows) is played once for the two cases.
            assert run_shared_days(shared_days, GrownDays, [first, change], monkeypatch)[1] == [3, expected]


ONE_DAY_OF_TWO_EVENTS = [[("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", "")])]]


class TestTheLedgerAndOtherCommands:
    """The row the ledger sent stays the one sent; other dbt commands, and a build killed part-way, between growths."""

    def test_the_row_sent_from_the_old_part_stays_the_one_sent(self, shared_days, monkeypatch) -> None:
        """E1's first row waits for its user (removed), its second row is sent. The next day the file grows and the user
        is back: the ledger's row (recorded under the old content's hash, now a part of the grown file) must still be
        the row E1 counts as; else its first row would become the one sent, and the second a repeat of it."""
        days = [
            [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", "")]), ("remove user", "U2")],
            [("restore users", None), ("grow file", [event_row("E2", "U1", "")])],
        ]
        world, _ = run_shared_days(shared_days, GrownDays, days, monkeypatch)
        used = query(world.run.db, "select file_row_number from intermediate.int_events_checked "
                     "where event_id = 'E1' and rejection_code is null")  # fmt: skip
        assert used == [(2,)], "the row the ledger sent is no longer the one E1 counts as"

    def test_a_run_that_parses_nothing_between_does_not_lose_the_growth(self, shared_days, monkeypatch) -> None:
        """`dbt test` and a run of the intermediate models alone rewrite the listing when they start; the next build
        must still know the file grew from what stg_app__events holds, and lose no row."""
        world, _ = run_shared_days(shared_days, GrownDays, ONE_DAY_OF_TWO_EVENTS, monkeypatch)
        world.apply("grow file", [event_row("E3", "U1", "")])
        world.write_users()
        for command in (["test"], ["run", "-s", "path:models/intermediate"]):
            done = dbt(world.run, *command, raw_dir=world.raw)
            assert done.returncode == 0, done.stdout[-3000:]
        world.build()
        assert world.rows_parsed_by_last_build() == 1
        world.compare_with_a_build_from_nothing()

    def test_a_build_killed_between_recording_the_parts_and_the_insert_leaves_the_next_build_right(
        self, shared_days, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A copy of the project whose stg_app__events, after the pre-hook that records the grown file's parts and
        before it inserts the new rows, opens a named pipe nobody writes: dbt blocks there and is killed (SIGKILL,
        nothing of dbt's cleans up). The next build, of the real project, must parse the new rows and give what a
        build from nothing gives."""
        # The day (and the last day of play_days) the test above played first: played once.
        world, _ = run_shared_days(shared_days, GrownDays, ONE_DAY_OF_TWO_EVENTS, monkeypatch)
        world.apply("grow file", [event_row("E3", "U1", ""), event_row("E4", "U1", "")])
        world.write_users()
        project = copy_project(tmp_path)
        pipe = tmp_path / "never-written"
        model = project / "models" / "staging" / "app" / "stg_app__events.sql"
        add_pipe_hook(model, pipe, "pre_hook", after='"{{ record_grown_files(this) }}"')
        # The pipe's read is logged once the statements that record the parts have run (in the transaction).
        written = kill_dbt_blocked_at_pipe(project, pipe, world.run, world.raw, tmp_path / "killed", "run")
        assert "raw_app_events__file_parts values" in written, "no parts were recorded before the pipe"
        world.day += 1
        world.build()
        assert world.rows_parsed_by_last_build() == 2
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3", "E4"], 1), counts
