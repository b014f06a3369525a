"""Attacks on a grown events file stored in parts (macros/events/grown_event_files.sql: the rows of the content it
grew from stay under that content's hash, its new rows go under its own): an old snapshot of the file put back beside
it, a copy of the grown file, a --full-refresh or a change of rules between growths, a growth of only a blank line or
of half a row, two files growing while one is renamed, a crashed export, a cut back inside a part, a part of bad rows
only. Each on inputs written here; each must keep the promise: every valid event sent exactly once, every other row
recorded, and after each day the tables equal to `dbt run --full-refresh` of the same exports and ledger.
"""

from __future__ import annotations

import json

import pytest
import test_incremental_days
from pipeline import dbt as pipeline_dbt
from shared_days import shared_days_of_a_class
from test_exactly_once import CRASH_POINTS, sent_counts
from test_grown_files import csv_lines, run_grown_days, run_shared_days
from test_grown_files_attack import AttackDays, blank_id_row, rows_of
from test_incremental_days import event_row, play_days, query

pytestmark = pytest.mark.slow  # left out by make test-fast

shared_days = pytest.fixture(scope="class")(shared_days_of_a_class)

GROWN = "day-001.csv"  # the first file a world adds: the one that grows


class PartsDays(AttackDays):
    """AttackDays with files named: grown, put back, removed or renamed by name (the grown file is not always the
    last by name), cut back to its first rows; and the next build's extra arguments or vars (PartsDays.dbt)."""

    def __init__(self, base) -> None:
        super().__init__(base)
        self.next_build_args: list[str] = []
        self.vars: dict[str, str] = {}

    def apply(self, operation: str, argument: object) -> None:
        if operation == "grow named":
            name, rows = argument
            with (self.events / name).open("a", encoding="utf-8", newline="") as handle:
                handle.write(csv_lines(rows))
        elif operation == "put back":
            day, name = argument
            (self.events / name).write_bytes(self.snapshots[day])
        elif operation == "remove named":
            (self.events / argument).unlink()
        elif operation == "rename named":
            old, new = argument
            (self.events / old).rename(self.events / new)
        elif operation == "keep first rows":
            path = self.events / GROWN
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(lines[: argument + 1]), encoding="utf-8")
        elif operation == "next build":
            self.next_build_args = list(argument)
        elif operation == "set vars":
            self.vars = dict(argument)
        else:
            super().apply(operation, argument)

    def dbt(self, run, *args: str, **kwargs):
        """Every dbt of the world (the daily build and the build from nothing) with the world's vars; the daily build
        also with the arguments asked for it once."""
        extra = []
        if args and args[0] == "build":
            extra, self.next_build_args = self.next_build_args, []
        if self.vars:
            extra += ["--vars", json.dumps(self.vars)]
        return pipeline_dbt(run, *args, *extra, **kwargs)

    def attach(self, monkeypatch) -> None:
        # Days.build and compare_with_a_build_from_nothing call test_incremental_days.dbt.
        monkeypatch.setattr(test_incremental_days, "dbt", self.dbt)


def parts_world(tmp_path, monkeypatch) -> PartsDays:
    world = PartsDays(tmp_path)
    world.attach(monkeypatch)
    return world


def play(shared_days, days, monkeypatch) -> tuple[PartsDays, list[int]]:
    """run_grown_days on a PartsDays world of the class's cache: days another test of the class played before, the
    same to the byte, are not played again."""
    return run_shared_days(shared_days, PartsDays, days, monkeypatch)


def used_rows(world: PartsDays, event_id: str) -> list[tuple]:
    """The rows the event counts as (the one sent, or to send): its file's hash and the row number in it."""
    return query(world.run.db, "select files.content_hash, checked.file_row_number "
                 "from intermediate.int_events_checked as checked join intermediate.int_event_files as files "
                 "using (file_hash, file_copy) "
                 f"where checked.event_id = '{event_id}' and checked.rejection_code is null")  # fmt: skip


def file_hash_now(world: PartsDays, name: str) -> str:
    sql = f"select file_hash from staging.stg_app__event_files where file_name = '{name}'"
    return query(world.run.db, sql)[0][0]


# The file grown over three days (three parts), its bytes of days 1 and 2 kept: the first days of every world of the
# class below, played once for all of them.
THREE_PARTS = [
    [("add file", rows_of("E1", "E2", "E3")), ("snapshot", 1)],
    [("grow file", rows_of("E4", "E5", "E6")), ("snapshot", 2)],
    [("grow named", (GROWN, rows_of("E7", "E8", "E9")))],
]


class TestThreePartsThenPutBackOrCutBack:
    """After three parts: a snapshot of the grown file (its first part, or its first two) put back beside it, sorting
    before or after it, then removed; or the file cut back inside a part or to a part, then grown."""

    @pytest.mark.parametrize(
        ("snapshot_day", "name"),
        [
            pytest.param(1, "a-first.csv", id="first part, sorting before"),
            pytest.param(1, "z-last.csv", id="first part, sorting after"),
            pytest.param(2, "a-first.csv", id="middle part, sorting before"),
            pytest.param(2, "z-last.csv", id="middle part, sorting after"),
        ],
    )
    def test_an_old_snapshot_of_a_grown_file_put_back_beside_it_then_removed(
        self, shared_days, monkeypatch, snapshot_day: int, name: str
    ) -> None:
        """The file grows over three days (three parts); day 4 a snapshot of its bytes of day 1 (its first part) or day
        2 (its first two parts: content whose rows are stored in two places) is put back into the folder as a second
        file; day 5 it is removed, day 6 the file grows again. The snapshot is a file of its own, as a build from
        nothing reads it: every row of it there, its repeats of the grown file's ids recorded."""
        days = [
            *THREE_PARTS,
            [("put back", (snapshot_day, name))],
            [("remove named", name)],
            [("grow named", (GROWN, rows_of("E10", "E1")))],
        ]
        parsed = play(shared_days, days, monkeypatch)[1]
        assert parsed[:3] == [3, 3, 3] and parsed[5] == 2, parsed

    @pytest.mark.parametrize(
        ("cut", "parsed_on_the_day"),
        [
            pytest.param(("keep first rows", 5), 5, id="inside the second part"),
            pytest.param(
                ("cut back to", 2),
                None,
                id="to the end of the second part",
            ),
        ],
    )
    def test_a_file_cut_back_then_grown(self, shared_days, monkeypatch, cut, parsed_on_the_day) -> None:
        """Three parts; the file is cut back to its first five rows (inside its second part: content never parsed, so
        parsed whole) or to its bytes of day 2 (its first two parts: content parsed before, in two parts); then it grows
        with a new event and repeats of ids sent from the rows cut off. Nothing is lost, nothing sent twice."""
        days = [
            *THREE_PARTS,
            [cut],
            [("grow file", rows_of("E10", "E6", "E8"))],
        ]
        world, parsed = play(shared_days, days, monkeypatch)
        assert parsed[:3] == [3, 3, 3] and parsed[4] == 3, parsed
        assert parsed_on_the_day in (None, parsed[3]), parsed
        assert sent_counts(*world.folders) == dict.fromkeys([f"E{number}" for number in range(1, 11)], 1)


class TestCopiedOrRenamed:
    """A byte-identical copy of the grown file, two files growing while one is renamed."""

    @pytest.mark.parametrize("copy_name", ["a-first.csv", "z-last.csv"])
    def test_a_byte_identical_copy_of_a_grown_file_removed_the_next_day(self, shared_days, monkeypatch, copy_name):
        """The grown file (two parts) copied under another name: the copy's rows are repeats of the grown file's, part
        by part; the next day the copy goes and the file grows again: its parts stay, only its new rows are parsed.
        The first two days are the same for both names: played once."""
        days = [
            [("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", ""), blank_id_row()])],
            [("grow file", [*rows_of("E3"), event_row("E1", "U2", "other action")]), ("snapshot", 2)],
            [("put back", (2, copy_name))],
            [("remove named", copy_name), ("grow named", (GROWN, rows_of("E4")))],
        ]
        world, parsed = play(shared_days, days, monkeypatch)
        assert parsed == [3, 2, 0, 1], parsed
        copies = query(world.run.db, "select count(*) from intermediate.int_event_files where file_copy > 1")
        assert copies == [(0,)], "a part of the removed copy is still counted"

    def test_two_files_grow_each_day_while_one_is_renamed(self, tmp_path, monkeypatch) -> None:
        """Two files grow each day; day 3 the first is renamed to sort last (its rows move after the other's: E1, sent
        from it, has a later row in the other file) while the other grows; day 4 both grow again."""
        world = parts_world(tmp_path, monkeypatch)
        other, renamed = "day-002.csv", "day-009.csv"
        days = [
            [("add file", rows_of("E1", "E2")), ("add file", rows_of("E3", "E4"))],
            [("grow named", (GROWN, rows_of("E5"))), ("grow named", (other, rows_of("E6")))],
            [("rename named", (GROWN, renamed)), ("grow named", (other, [*rows_of("E7"), *rows_of("E1", user="U2")]))],
            [("grow named", (renamed, rows_of("E8"))), ("grow named", (other, rows_of("E9")))],
        ]
        assert run_grown_days(world, days, monkeypatch) == [4, 2, 2, 2]
        assert used_rows(world, "E1") == [(file_hash_now(world, renamed), 1)], "E1 moved off the row sent"


class TestTheLedgerAcrossParts:
    """The row the ledger sent across a file parsed whole (a --full-refresh, rules changed) or grown by half a row; a
    growth of a blank line; an export crashed the day the file grew; a part of bad rows only."""

    @pytest.mark.parametrize(
        "between",
        [[("next build", ["--full-refresh"])], [("set vars", {"latest_valid_date": "2998-12-31"})]],
        ids=["dbt build --full-refresh", "rules changed (latest_valid_date)"],
    )
    def test_grow_then_parse_whole_then_grow_keeps_the_row_the_ledger_sent(
        self, shared_days, monkeypatch, between
    ) -> None:
        """E1's first row waits for its user, its second is sent. The file grows; the next day it grows and is parsed
        whole (a --full-refresh, or other rules); then it grows again, with a repeat of E1, its user back. The ledger
        recorded E1's row under day 1's hash: E1 must still count as that row (row 2), in the daily build as in a build
        from nothing of the same day, and never be sent again. The first two days are the same for both ways of
        parsing whole: played once."""
        days = [
            [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", ""), event_row("E2", "U1", "")]),
             ("remove user", "U2")],
            [("grow file", rows_of("E3"))],
            [("restore users", None), ("grow file", rows_of("E4")), *between],
            [("grow file", [*rows_of("E5"), event_row("E1", "U1", "other action")])],
        ]  # fmt: skip
        world, parsed = play(shared_days, days, monkeypatch)
        assert parsed == [3, 1, 5, 2], parsed
        assert used_rows(world, "E1") == [(file_hash_now(world, GROWN), 2)], "E1 no longer counts as the row sent"

    def test_a_growth_of_half_a_row_then_completed_keeps_the_row_the_ledger_sent(self, tmp_path, monkeypatch) -> None:
        """Day 2 the file grows by half a row (its timestamp cut short, no line feed): that row is recorded as it is.
        Day 3 the row is completed and more rows follow, a repeat of E1 among them: the file grew from day 1's bytes,
        and E1 (sent from its row 2 on day 1) must still count as that row once its row 1's user is back."""
        world = parts_world(tmp_path, monkeypatch)
        half = "E3,U1,A1,Analytics,Reports,act-E3,2026-11-2"
        days = [
            [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", ""), event_row("E2", "U1", "")]),
             ("remove user", "U2")],
            [("append bytes", half.encode())],
            [("restore users", None),
             ("append bytes", ("0T10:00:00Z\n" + csv_lines([*rows_of("E4"), event_row("E1", "U1", "other action")]))
              .encode())],
        ]  # fmt: skip
        issues = []

        def parsed_and_half_row_issues() -> int:
            issues.append(query(world.run.db, "select count(*) from intermediate.int_events_checked "
                                "where event_id = 'E3' and rejection_code = 'invalid_timestamp'")[0][0])  # fmt: skip
            return world.rows_parsed_by_last_build()

        parsed = play_days(world, days, monkeypatch, parsed_and_half_row_issues)
        assert parsed[:2] == [3, 1] and issues == [0, 1, 0], (parsed, issues)
        assert used_rows(world, "E1") == [(file_hash_now(world, GROWN), 2)], "E1 no longer counts as the row sent"

    def test_a_half_row_parsed_under_other_rules_then_completed_keeps_the_row_the_ledger_sent(
        self, tmp_path, monkeypatch
    ) -> None:
        """As above, the rules changed the day of the half row: that day's file is parsed whole, and day 1's rows
        are no longer stored under day 1's hash. Day 3's file, grown from day 1's bytes, is parsed whole too; the
        lineage still leads day 1's hash to it (to day 3's file, not to day 2's, gone), with the rows day 1's
        content had: E1 counts as row 2."""
        world = parts_world(tmp_path, monkeypatch)
        days = [
            [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", ""), event_row("E2", "U1", "")]),
             ("remove user", "U2")],
            [("append bytes", b"E3,U1,A1,Analytics,Reports,act-E3,2026-11-2"),
             ("set vars", {"latest_valid_date": "2998-12-31"})],
            [("restore users", None),
             ("append bytes", ("0T10:00:00Z\n" + csv_lines([*rows_of("E4"), event_row("E1", "U1", "other action")]))
              .encode())],
        ]  # fmt: skip
        parsed = play_days(world, days, monkeypatch, world.rows_parsed_by_last_build)
        assert parsed == [3, 4, 6], parsed
        assert used_rows(world, "E1") == [(file_hash_now(world, GROWN), 2)], "E1 no longer counts as the row sent"

    def test_a_half_row_after_a_growth_then_completed_keeps_the_row_the_ledger_sent(self, tmp_path, monkeypatch):
        """As above, with a growth before the half row: day 1's rows are then a part of day 2's content, which the
        half row grew from. Day 4's file grows from day 2's bytes (only its rows after them are parsed), and the
        lineage of day 1's content leads to day 4's file, not to day 3's, gone: a build from nothing of day 4 finds
        E1's row sent where the daily build keeps it."""
        world = parts_world(tmp_path, monkeypatch)
        days = [
            [("add file", [event_row("E1", "U2", ""), event_row("E1", "U1", ""), event_row("E2", "U1", "")]),
             ("remove user", "U2")],
            [("grow file", rows_of("E3"))],
            [("append bytes", b"E4,U1,A1,Analytics,Reports,act-E4,2026-11-2")],
            [("restore users", None),
             ("append bytes", ("0T10:00:00Z\n" + csv_lines([*rows_of("E5"), event_row("E1", "U1", "other action")]))
              .encode())],
        ]  # fmt: skip
        parsed = play_days(world, days, monkeypatch, world.rows_parsed_by_last_build)
        assert parsed == [3, 1, 1, 3], parsed
        assert used_rows(world, "E1") == [(file_hash_now(world, GROWN), 2)], "E1 no longer counts as the row sent"

    def test_a_growth_of_only_a_blank_line_costs_nothing_the_next_day(self, shared_days, monkeypatch) -> None:
        """A blank line appended (the reader skips it: no row) is a growth of no rows. The next day, with nothing
        changed, nothing is to be parsed; the day after, only the new row."""
        days = [
            [("add file", rows_of("E1", "E2", "E3"))],
            [("append bytes", b"\n")],
            [],
            [("grow file", rows_of("E4"))],
        ]
        assert play(shared_days, days, monkeypatch)[1] == [3, 0, 0, 1]

    @pytest.mark.parametrize("crash", ["while writing the usage file", "after manifest.json, before the ledger says "
                                       "published"])  # fmt: skip
    def test_an_export_crashed_the_day_the_file_grew_then_it_grows_again(self, shared_days, monkeypatch, crash):
        """Day 1 (three events) is the test above's: played once."""
        assert crash in CRASH_POINTS
        days = [
            [("add file", rows_of("E1", "E2", "E3"))],
            [("grow file", [*rows_of("E4"), *rows_of("E1", user="U2"), blank_id_row()]), ("crash export", crash)],
            [("grow file", rows_of("E5", "E4"))],
        ]
        world, parsed = play(shared_days, days, monkeypatch)
        assert parsed == [3, 3, 2]
        assert sent_counts(*world.folders) == dict.fromkeys(["E1", "E2", "E3", "E4", "E5"], 1)

    def test_a_part_of_bad_rows_only_is_recorded_row_by_row(self, tmp_path, monkeypatch) -> None:
        """A growth made only of rows that cannot be sent: two blank ids, a repeat of a sent id, a sent id again with a
        bad time, an event without a module. Each is recorded as a data issue; the next day's fix of the last is
        sent."""
        world = parts_world(tmp_path, monkeypatch)
        days = [
            [("add file", rows_of("E1", "E2"))],
            [("grow file", [blank_id_row(), blank_id_row("U9"), event_row("E1", "U2", "other action"),
                            event_row("E2", "U1", "bad time"), event_row("E3", "U1", "no module")])],
            [("grow file", rows_of("E3"))],
        ]  # fmt: skip

        def issue_count() -> int:
            return query(world.run.db, "select count(*) from marts.data_issues")[0][0]

        issues = play_days(world, days, monkeypatch, issue_count)
        assert issues[1] - issues[0] == 5 and issues[2] == issues[1], issues
        assert sent_counts(*world.folders) == dict.fromkeys(["E1", "E2", "E3"], 1)
