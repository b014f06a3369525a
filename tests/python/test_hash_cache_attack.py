"""The kept hashes (totango_feed/hash_cache.py) attacked with what a folder of raw exports and an old database can
hold: a file dated past what the table can store (after 2262: a broken clock, a tool's garbage date), and a table
of kept hashes of another shape (an older layout, a damaged database). Each only costs reading the files again:
the check and the build go on, with the results a build from nothing gives."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import test_check_memory
from test_incremental_days import Days, event_row, query

from totango_feed import hash_cache, raw_checks

pytestmark = pytest.mark.slow  # two of these tests run dbt builds

# A modification time in the year 2302, in nanoseconds: past 2^63, what the table's bigint columns hold.
FAR_FUTURE_NS = 10_500_000_000 * 10**9
# A table under the kept hashes' name, as an older layout or a damaged database could leave it.
MISSHAPEN_TABLE_SQL = (
    "drop table if exists audit.file_hashes; create table audit.file_hashes (path varchar, file_hash varchar)"
)


@pytest.fixture(autouse=True)
def hashed_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashing happens, by hash_cache's clock, 3 s after now: as in a daily run, well after the files were written
    (the racy-write guard then trusts what it keeps)."""
    real_time_ns = time.time_ns
    monkeypatch.setattr(hash_cache, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 3_000_000_000))


# The sample's exports, events as two day files (the same fixture as the check's memory tests).
folder = test_check_memory.folder


def kept_paths(database: Path) -> set[str]:
    return {row[0] for row in query(database, "select path from audit.file_hashes")}


def test_a_file_dated_past_2262_is_checked_and_the_other_files_are_kept(folder: Path, tmp_path: Path) -> None:
    """Its stamp does not fit the table: that file is not kept (it is read each time), every other file is."""
    database = tmp_path / "totango.duckdb"
    day1, day2 = folder / "raw_app_events" / "day1.csv", folder / "raw_app_events" / "day2.csv"
    os.utime(day1, ns=(0, FAR_FUTURE_NS))
    first = raw_checks.check_folder(folder, memory_database=database)
    assert not [result.error for result in first if result.error]
    assert str(day2) in kept_paths(database), "one file's date kept no other file's hash"
    assert str(day1) not in kept_paths(database)
    again = raw_checks.check_folder(folder, memory_database=database)
    assert [(r.rows, r.error) for r in again] == [(r.rows, r.error) for r in first]


def test_a_kept_hashes_table_of_another_shape_is_made_again_by_the_check(folder: Path, tmp_path: Path) -> None:
    database = tmp_path / "totango.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema audit; " + MISSHAPEN_TABLE_SQL)
    results = raw_checks.check_folder(folder, memory_database=database)
    assert not [result.error for result in results if result.error]
    assert str(folder / "raw_app_events" / "day1.csv") in kept_paths(database)


def daily_world(tmp_path: Path) -> Days:
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", ""), event_row("E2", "U1", "")])
    world.apply("add file", [event_row("E3", "U2", "")])
    return world


def checked_events(world: Days) -> list[str]:
    return sorted(row[0] for row in query(world.run.db, "select event_id from intermediate.int_events_checked"))


def users_export(world: Days) -> str:
    """The users export, whose hash a build keeps too (stg_app__users does not read it again while it is the same)."""
    return str(world.raw / "raw_app_users.csv")


def test_a_build_reads_a_file_dated_past_2262(tmp_path: Path) -> None:
    world = daily_world(tmp_path)
    os.utime(world.files()[0], ns=(0, FAR_FUTURE_NS))
    world.build()  # asserts the build passed
    world.build()
    assert checked_events(world) == ["E1", "E2", "E3"]
    assert kept_paths(world.run.db) == {str(world.files()[1]), users_export(world)}
    world.compare_with_a_build_from_nothing()


def test_a_build_makes_a_kept_hashes_table_of_another_shape_again(tmp_path: Path) -> None:
    world = daily_world(tmp_path)
    world.build()
    with duckdb.connect(str(world.run.db)) as connection:
        connection.execute(MISSHAPEN_TABLE_SQL)
    world.apply("add file", [event_row("E4", "U2", "")])
    world.build()
    assert checked_events(world) == ["E1", "E2", "E3", "E4"]
    assert kept_paths(world.run.db) == {str(path) for path in world.files()} | {users_export(world)}
    world.compare_with_a_build_from_nothing()


def test_a_folder_swapped_during_the_read_and_back_is_not_kept_under_the_first_files_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events folder (or a symlink to it) switched to another delivery while the file is opened, and back:
    the file itself is untouched, so its stamp before and after the read is the same, yet the bytes read were the
    other delivery's. The stamp kept must be that of the file read, not of whatever the path names."""
    events, other, parked = tmp_path / "events", tmp_path / "other", tmp_path / "parked"
    for delivery, content in ((events, b"event_id\nE1\n"), (other, b"event_id\nE2\n")):
        delivery.mkdir()
        (delivery / "day-1.csv").write_bytes(content)
    real_open = open

    def open_during_a_swap(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - open's own signature
        events.rename(parked)
        other.rename(events)
        handle = real_open(name, *args, **kwargs)
        events.rename(other)
        parked.rename(events)
        return handle

    path = events / "day-1.csv"
    with monkeypatch.context() as patch:
        patch.setattr(hash_cache, "open", open_during_a_swap, raising=False)
        kept = hash_cache.hash_file(str(path)).entry()
    again = hash_cache.hash_file(str(path), None, kept)
    assert again.file_hash == hashlib.sha256(b"event_id\nE1\n").hexdigest(), "a kept hash names bytes never in it"
