"""Attacks on the grown events file (macros/events/grown_event_files.sql), each on inputs written here: appended rows
that repeat old ids, a file cut back and grown again, an old row edited to the same length, CRLF and a byte-order
mark, a quoted value over two lines at the old/new boundary, a rename or a copy the day the file grows, exports
skipped or crashed, other dbt commands between days, a build killed part-way, and a real --full-refresh instead of
the daily build. Each must keep the promise: every valid event sent exactly once, every other row recorded, and the
day's tables equal to a build from nothing of the same exports and ledger.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from blocked_dbt import add_pipe_hook, dbt_blocked_at_pipe, kill_dbt_blocked_at_pipe
from pipeline import PipelineRun, dbt
from shared_days import shared_days_of_a_class
from test_build_location import copy_project
from test_exactly_once import EVENT_COLUMNS, sent_counts, write_csv
from test_grown_files import GrownDays, csv_lines, run_grown_days, run_shared_days
from test_incremental_days import COMPARED, event_row, query

pytestmark = pytest.mark.slow  # left out by make test-fast

shared_days = pytest.fixture(scope="class")(shared_days_of_a_class)

SAME_LENGTH_TIME = ("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z")


class AttackDays(GrownDays):
    """GrownDays with the hostile changes: byte-level growth, a cut back to an earlier day, an edit that keeps the
    length, a rename or copy on the day the file grows."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.snapshots: dict[int, bytes] = {}

    def apply(self, operation: str, argument: object) -> None:
        files = self.files()
        if operation == "write bytes":
            self.new_file().write_bytes(argument)
        elif operation == "append bytes":
            with files[-1].open("ab") as handle:
                handle.write(argument)
        elif operation == "snapshot":
            self.snapshots[argument] = files[-1].read_bytes()
        elif operation == "cut back to":
            files[-1].write_bytes(self.snapshots[argument])
        elif operation == "edit old row, same length":
            old, new = SAME_LENGTH_TIME
            data = files[-1].read_text(encoding="utf-8")
            assert old in data and len(old) == len(new)
            files[-1].write_text(data.replace(old, new, 1), encoding="utf-8")
        elif operation == "rename last":
            files[-1].rename(self.new_file())
        elif operation == "copy last":
            shutil.copy(files[-1], self.new_file())
        elif operation == "copy last as first":
            shutil.copy(files[-1], self.events / "a-first.csv")
        else:
            super().apply(operation, argument)


def header() -> str:
    return ",".join(EVENT_COLUMNS) + "\n"


def rows_of(*event_ids: str, user: str = "U1") -> list[dict[str, str]]:
    return [event_row(event_id, user, "") for event_id in event_ids]


def blank_id_row(user: str = "U1") -> dict[str, str]:
    return {**event_row("B", user, ""), "event_id": ""}


def killed_build(world: AttackDays, tmp_path: Path, model: str, hook: str) -> None:
    """A build of a copy of the project whose model `model` (a path under models/) waits, at the start of its hooks
    `hook` (pre_hook or post_hook), on a named pipe nobody writes; killed there with SIGKILL."""
    project = copy_project(tmp_path)
    pipe = tmp_path / "never-written"
    add_pipe_hook(project / "models" / model, pipe, hook)
    kill_dbt_blocked_at_pipe(project, pipe, world.run, world.raw, tmp_path / "killed", "build")


class TestWhatIsAppended:
    """What the growth holds: repeats of sent and waiting ids and blank ids, an old row edited to the same length, CRLF
    and a byte-order mark, a quoted value over the boundary or left open, a Parquet file rewritten longer."""

    def test_appended_rows_repeat_sent_and_waiting_ids_and_blank_ids(self, tmp_path: Path, monkeypatch) -> None:
        """The new rows repeat an id sent from the old part with other content (a repeat, never sent again), an id whose
        old row waits for its user (its new row, with a known user, is sent, once), an id whose old row had a bad time,
        and add rows with a blank id; nothing old is parsed again."""
        world = AttackDays(tmp_path)
        days = [
            [("add file", [event_row("E1", "U1", ""), event_row("E2", "U3", ""), event_row("E3", "U1", "bad time"),
                           blank_id_row()]), ("remove user", "U3")],
            [("grow file", [event_row("E1", "U2", "other action"), event_row("E2", "U1", ""), blank_id_row(),
                            event_row("E3", "U2", ""), blank_id_row("U9"), event_row("E4", "U2", "no module")])],
            [("restore users", None), ("grow file", [event_row("E4", "U1", ""), event_row("E2", "U3", "")])],
        ]  # fmt: skip
        assert run_grown_days(world, days, monkeypatch) == [4, 6, 2]
        issues = query(world.run.db, "select count(*) from marts.data_issues")[0][0]
        assert issues >= 7, "rows left out were not all recorded"

    def test_an_old_row_edited_to_the_same_length_is_not_taken_for_growth(self, tmp_path: Path, monkeypatch) -> None:
        world = AttackDays(tmp_path)
        days = [
            [("add file", rows_of("E1", "E2"))],
            [("grow file", rows_of("E3"))],
            [("edit old row, same length", None), ("grow file", rows_of("E4"))],
        ]
        assert run_grown_days(world, days, monkeypatch) == [2, 1, 4]
        kept = query(world.run.db, "select occurred_at_text from staging.stg_app__events where event_id = 'E1'")
        assert kept == [(SAME_LENGTH_TIME[1],)], "the edited old row kept its old parse"

    def test_a_crlf_file_with_a_byte_order_mark_grows(self, tmp_path: Path, monkeypatch) -> None:
        world = AttackDays(tmp_path)
        crlf = lambda rows: csv_lines(rows).replace("\n", "\r\n").encode()  # noqa: E731
        days = [
            [("write bytes", b"\xef\xbb\xbf" + header().replace("\n", "\r\n").encode() + crlf(rows_of("E1", "E2")))],
            [("append bytes", crlf([*rows_of("E3"), blank_id_row()]))],
            [("append bytes", crlf(rows_of("E4", "E1")))],
        ]
        assert run_grown_days(world, days, monkeypatch) == [2, 2, 2]

    def test_a_value_over_two_lines_at_the_boundary(self, tmp_path: Path, monkeypatch) -> None:
        """The old part ends with a row whose quoted module holds a line break (its line feed ends the old bytes), the
        new part starts with another such row: rows are records, not lines."""
        world = AttackDays(tmp_path)
        line = '{id},U1,A1,Analytics,"Rep\norts",act-{id},2026-11-20T10:00:00Z\n'
        days = [
            [("write bytes", (header() + line.format(id="E1") + line.format(id="E2")).encode())],
            [("append bytes", (line.format(id="E3") + line.format(id="E2")).encode())],
        ]
        assert run_grown_days(world, days, monkeypatch) == [2, 2]
        numbers = query(world.run.db, "select file_row_number from staging.stg_app__events order by 1")
        assert numbers == [(1,), (2,), (3,), (4,)]

    def test_an_unterminated_quote_at_the_old_end_is_not_growth(self, tmp_path: Path, monkeypatch) -> None:
        """Day 1's bytes end with a line feed inside a quoted value (the file was cut in a row): the build stops on it;
        day 2 completes the value and adds rows: nothing of day 1 may be taken as parsed."""
        world = AttackDays(tmp_path)
        world.day = 1
        world.apply("write bytes", (header() + csv_lines(rows_of("E1")) + 'E2,U1,A1,Analytics,"Rep\n').encode())
        world.write_users()
        failed = dbt(world.run, "build", raw_dir=world.raw)
        assert failed.returncode != 0
        world.apply("append bytes", ('orts",act-E2,2026-11-20T10:00:00Z\n' + csv_lines(rows_of("E3"))).encode())
        world.build()
        assert world.rows_parsed_by_last_build() == 3
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        assert sent_counts(*world.folders) == dict.fromkeys(["E1", "E2", "E3"], 1)

    def test_a_parquet_events_folder_that_grows_is_read_whole(self, tmp_path: Path, monkeypatch) -> None:
        """A Parquet file rewritten with more rows is not bytes appended: it must be parsed whole."""
        world = AttackDays(tmp_path)
        path = world.events / "day-001.parquet"

        def write_parquet(rows: list[dict[str, str]]) -> None:
            scratch = tmp_path / "rows.csv"
            write_csv(scratch, EVENT_COLUMNS, rows)
            with duckdb.connect() as connection:
                connection.execute(f"copy (select * from read_csv('{scratch}', all_varchar=true)) to '{path}' "
                                   "(format parquet)")  # fmt: skip

        parsed = []
        for day, rows in enumerate([rows_of("E1", "E2"), rows_of("E1", "E2", "E3")], start=1):
            world.day = day
            write_parquet(rows)
            world.write_users()
            built = dbt(world.run, "build", raw_dir=world.raw)
            assert built.returncode == 0, built.stdout[-3000:]
            parsed.append(world.rows_parsed_by_last_build())
            world.compare_with_a_build_from_nothing()
            world.export(monkeypatch)
        assert parsed == [2, 3]
        assert sent_counts(*world.folders) == dict.fromkeys(["E1", "E2", "E3"], 1)


class TestTheFileCutMovedOrExportedOddly:
    """The file cut back and grown again, renamed or copied the day it grows, an export skipped then crashed."""

    def test_a_file_cut_back_and_grown_again_sends_nothing_twice(self, tmp_path: Path, monkeypatch) -> None:
        """Day 2's rows are sent, day 3 cuts the file back to day 1's bytes, day 4 grows it with other rows and day 2's
        again (in the raw folder moved elsewhere): nothing parsed on day 3 (day 1's content is still stored, as the
        first part of day 2's file), grown on day 4, nothing sent twice."""
        world = AttackDays(tmp_path)
        days = [
            [("add file", rows_of("E1", "E2")), ("snapshot", 1)],
            [("grow file", rows_of("E3", "E4"))],
            [("cut back to", 1)],
            [("grow file", [*rows_of("E5"), *rows_of("E3", user="U2"), *rows_of("E4")])],
        ]
        parsed = []
        for day, changes in enumerate(days, start=1):
            world.day = day
            for operation, argument in changes:
                world.apply(operation, argument)
            if day == 4:
                moved = tmp_path / "moved-raw"
                shutil.move(world.raw, moved)
                world.raw, world.events = moved, moved / "raw_app_events"
            world.build()
            parsed.append(world.rows_parsed_by_last_build())
            world.compare_with_a_build_from_nothing()
            world.export(monkeypatch)
        assert parsed == [2, 2, 0, 3]
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3", "E4", "E5"], 1), counts

    def test_a_rename_or_a_copy_the_day_the_file_grows(self, tmp_path: Path, monkeypatch) -> None:
        """Renamed and grown the same day; then a copy of the grown file's old bytes beside it, sorting first; then a
        copy of its new bytes sorting first (copy 1 of the new content is not the grown file)."""
        world = AttackDays(tmp_path)
        days = [
            [("add file", rows_of("E1", "E2", "E3"))],
            [("rename last", None), ("grow file", rows_of("E4"))],
            [("copy last as first", None), ("grow file", rows_of("E5", "E1"))],
            [("grow file", rows_of("E6")), ("copy last as first", None)],
            [("grow file", rows_of("E7"))],
        ]
        run_grown_days(world, days, monkeypatch)

    def test_a_grown_file_with_an_export_skipped_then_crashed(self, tmp_path: Path, monkeypatch) -> None:
        """Day 2's export is not run; day 3's crashes after recording, and is run again; the file grew each day."""
        world = AttackDays(tmp_path)
        world.day = 1
        world.apply("add file", [event_row("E1", "U2", ""), event_row("E2", "U1", "")])
        world.apply("remove user", "U2")
        world.build()
        world.export(monkeypatch)
        world.day = 2
        world.apply("restore users", None)
        world.apply("grow file", rows_of("E3", "E1"))
        world.build()
        world.compare_with_a_build_from_nothing()
        world.day = 3
        world.apply("grow file", rows_of("E4", "E2"))
        world.apply("crash export", "after recording, before renaming")
        world.build()
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        world.day = 4
        world.apply("grow file", rows_of("E5"))
        world.build()
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3", "E4", "E5"], 1), counts


# E1's first row waits for its user (removed), its second row is sent, and E2 with it: the first day of the worlds
# of the two classes below (played once in each).
A_ROW_WAITING_FOR_ITS_USER = [
    [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", ""), event_row("E2", "U1", "")]),
     ("remove user", "U2")]
]  # fmt: skip


class TestOtherDbtCommands:
    """Other dbt commands between days, and a real --full-refresh in place of the daily build."""

    def test_other_dbt_commands_between_days(self, shared_days, monkeypatch) -> None:
        """After the file grew: `dbt run -s int_events_checked+` (staging not run), `dbt build -s stg_app__events`,
        `dbt test`, `dbt build --full-refresh`, each followed by the daily build, which must give what a build from
        nothing gives and send each event once."""
        world, _ = run_shared_days(shared_days, AttackDays, A_ROW_WAITING_FOR_ITS_USER, monkeypatch)
        commands = [
            ["run", "-s", "int_events_checked+"],
            ["build", "-s", "stg_app__events"],
            ["test"],
            ["build", "--full-refresh"],
        ]
        for number, command in enumerate(commands, start=3):
            world.day = number
            world.apply("restore users", None)
            world.apply("grow file", rows_of(f"E{number}", "E1"))
            world.write_users()
            done = dbt(world.run, *command, raw_dir=world.raw)
            assert done.returncode == 0, done.stdout[-3000:]
            world.build()
            world.compare_with_a_build_from_nothing()
            world.export(monkeypatch)
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3", "E4", "E5", "E6"], 1), counts

    def test_a_real_full_refresh_gives_what_the_daily_build_gives(
        self, shared_days, tmp_path: Path, monkeypatch
    ) -> None:
        """E1's first row waits for its user, its second row is sent; the file grows and the user is back. The day's
        tables from the daily build must equal those of `dbt build --full-refresh` run instead, on the database as it
        was before the day's build (the same ledger): the row the ledger sent must be the one E1 counts as in both.
        The first day is the test above's (E2 sent beside E1), played once."""
        world, _ = run_shared_days(shared_days, AttackDays, A_ROW_WAITING_FOR_ITS_USER, monkeypatch)
        world.apply("restore users", None)
        world.apply("grow file", rows_of("E3"))
        world.write_users()
        folder = tmp_path / "instead"
        instead = PipelineRun(db=folder / "totango.duckdb", target=folder / "target", out=folder / "out")
        folder.mkdir()
        shutil.copy(world.run.db, instead.db)
        world.build()
        refreshed = dbt(instead, "build", "--full-refresh", raw_dir=world.raw)
        assert refreshed.returncode == 0, refreshed.stdout[-3000:]
        for name, sql in COMPARED.items():
            assert query(world.run.db, sql) == query(instead.db, sql), f"{name} differ"


class TestBuildsKilledOrRaced:
    """A build killed after staging, at three points, and a row half written while the grown file is read."""

    @pytest.mark.parametrize(
        ("model", "hook"),
        [
            ("intermediate/usage/int_events_checked.sql", "pre_hook"),
            ("intermediate/usage/int_events_checked.sql", "post_hook"),
            ("marts/totango_usage.sql", "pre_hook"),
        ],
        ids=["before checking", "checked, before marking sent", "checked, before the marts"],
    )
    def test_a_build_of_a_grown_file_killed_after_staging(
        self, shared_days, tmp_path: Path, monkeypatch, model: str, hook: str
    ) -> None:
        # The same first day (and last day of play_days) for the three kill points: played once.
        world, _ = run_shared_days(shared_days, AttackDays, A_ROW_WAITING_FOR_ITS_USER, monkeypatch)
        world.day = 3
        world.apply("restore users", None)
        world.apply("grow file", [*rows_of("E3", "E1"), blank_id_row()])
        world.write_users()
        killed_build(world, tmp_path, model, hook)
        world.build()
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3"], 1), counts

    def test_a_row_half_written_while_the_grown_file_is_read(self, tmp_path: Path, monkeypatch) -> None:
        """The file grew; while the build waits before parsing it (a named pipe in a pre-hook of stg_app__events, in a
        copy of the project), a writer adds half a row (a timestamp cut short, no line feed). The build must not keep
        that half row as parsed: the next build, once the row is whole, must give what a build from nothing gives."""
        world = AttackDays(tmp_path)
        run_grown_days(world, [[("add file", rows_of("E1", "E2"))]], monkeypatch)
        world.day = 3
        world.apply("grow file", rows_of("E3"))
        world.write_users()
        project = copy_project(tmp_path)
        pipe = tmp_path / "released-later"
        add_pipe_hook(project / "models" / "staging" / "app" / "stg_app__events.sql", pipe, "pre_hook")
        with dbt_blocked_at_pipe(project, pipe, world.run, world.raw, tmp_path / "raced", "build") as raced:
            half = "E4,U1,A1,Analytics,Reports,act-E4,2026-11-2"
            world.apply("append bytes", half.encode())
            assert raced.release() != 0, "the build kept a file that changed while it was read"
        world.apply("append bytes", b"0T10:00:00Z\n")
        world.day = 4
        world.build()
        world.compare_with_a_build_from_nothing()
        world.export(monkeypatch)
        held = query(world.run.db, "select occurred_at_text from staging.stg_app__events where event_id = 'E4'")
        assert held == [("2026-11-20T10:00:00Z",)], "the half-written row was kept as parsed"
        counts = sent_counts(*world.folders)
        assert counts == dict.fromkeys(["E1", "E2", "E3", "E4"], 1), counts
