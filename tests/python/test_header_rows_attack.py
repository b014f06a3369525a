"""Attacks on the kept header rows (macro csv_header_rows, audit.csv_header_rows): a kept row must be one a fresh
read of the file gives, so that a build that failed on a file caught mid-copy builds the next day, as it did before
header rows were kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline import dbt
from test_exactly_once import EVENT_COLUMNS, write_csv
from test_incremental_days import Days, event_row, query

from totango_feed import duckdb_functions

STAGED = "select event_id, user_id, module from staging.stg_app__events order by event_id"


def staged_build(world: Days) -> int:
    return dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw).returncode


def rewrite_around_first_hash(monkeypatch: pytest.MonkeyPatch, path: Path, meanwhile: bytes) -> None:
    """The file holds `meanwhile` from just after the build first hashes it until just before it hashes it again:
    a copy over the file (cp truncates it, then writes the same bytes back) caught while it runs."""
    original = path.read_bytes()
    hashing = duckdb_functions.files_sha256_with_prefix
    calls = []

    def racing(paths, prefix_bytes, kept=None):  # noqa: ANN001, ANN202 (the UDF's own signature)
        if paths and any(Path(given).name == path.name for given in paths):
            calls.append(paths)
            if len(calls) == 2:
                path.write_bytes(original)
        result = hashing(paths, prefix_bytes, kept)
        if len(calls) == 1 and paths and any(Path(given).name == path.name for given in paths):
            path.write_bytes(meanwhile)
        return result

    monkeypatch.setattr(duckdb_functions, "files_sha256_with_prefix", racing)


@pytest.mark.parametrize("meanwhile", ["truncated", "first line half written", "columns in another order"])
def test_a_header_read_mid_copy_is_not_kept_for_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meanwhile: str
) -> None:
    """The file hashes to the same bytes before and after its header was read, but it was written in between (its
    change time moved): what was read is no header of those bytes. Kept, it failed every later build of the file
    (a null row, or a half header under which the file's rows do not parse) until a --full-refresh; a whole header
    of other bytes put the file's rows under the wrong columns, for good (the content counts as parsed)."""
    reordered = tmp_path / "reordered.csv"
    write_csv(reordered, [*reversed(EVENT_COLUMNS)], [event_row("E1", "U1", "")])
    written = {"truncated": b"", "first line half written": b"event_id,us",
               "columns in another order": reordered.read_bytes()}[meanwhile]  # fmt: skip
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.write_users()
    copied = world.files()[0]
    original = copied.read_bytes()
    with monkeypatch.context() as race:
        rewrite_around_first_hash(race, copied, written)
        caught = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw)
    assert caught.returncode != 0, "the build parsed a file caught mid-copy under the header it read then"
    assert copied.name in caught.stdout
    if copied.read_bytes() != original:
        copied.write_bytes(original)  # the copy completes (a build that hashes the file once never put it back)
    assert staged_build(world) == 0, "the next build failed on a header row read mid-copy"
    assert query(world.run.db, STAGED) == [("E1", "U1", "Reports")]


@pytest.mark.parametrize(
    "tamper",
    [
        "update audit.csv_header_rows set header_row = '[]'",
        "alter table audit.csv_header_rows alter header_row drop not null; "
        "update audit.csv_header_rows set header_row = null",
        'insert into audit.csv_header_rows select file_hash, reader, \'["user_id", "event_id"]\' '
        "from audit.csv_header_rows",
        # JSON null, what an empty file's read once gave: a read now refuses such a file, so none is kept.
        "update audit.csv_header_rows set header_row = 'null'",
    ],
    ids=["empty row", "no value", "a second row", "the row of an empty file"],
)
def test_kept_rows_no_file_can_have_are_read_again(tmp_path: Path, tamper: str) -> None:
    """The commit's promise: a garbage kept row is read again, never a failed build or a file read under a wrong
    header. The first build keeps the row (its on-run-start hook) but parses nothing (another model selected), so
    the second build parses the file under whatever is kept."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.write_users()
    assert dbt(world.run, "run", "--select", "stg_app__users", raw_dir=world.raw).returncode == 0
    with duckdb.connect(str(world.run.db)) as connection:
        assert connection.execute("select count(*) from audit.csv_header_rows").fetchone() == (1,)
    with duckdb.connect(str(world.run.db)) as connection:
        connection.execute(tamper)
    world.apply("add file", [event_row("E2", "U2", "")])
    assert staged_build(world) == 0
    assert query(world.run.db, STAGED) == [("E1", "U1", "Reports"), ("E2", "U2", "Reports")]


def test_headers_told_apart_by_case_only_are_refused_again_from_the_kept_row(tmp_path: Path) -> None:
    """The refusal of names that cannot be told apart (macro refuse_unusable_headers) names the file on every
    build, the second one reading the header row from audit.csv_header_rows."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.write_users()
    twin = world.new_file()
    write_csv(twin, [*EVENT_COLUMNS, "USER_ID"], [{**event_row("E2", "U2", ""), "USER_ID": "U2"}])
    for _ in range(2):
        built = dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=world.raw)
        assert built.returncode != 0
        assert twin.name in built.stdout
    with duckdb.connect(str(world.run.db)) as connection:
        assert connection.execute("select count(*) from audit.csv_header_rows").fetchone() == (2,)


def test_a_feed_folder_symlink_retargeted_to_a_disguised_copy_is_read_again(tmp_path: Path) -> None:
    """Kept hashes are found by the file's canonical path: the build given a symlink to the feed finds yesterday's
    entry under yesterday's target only. Retargeted to a copy whose day file has other bytes at the same size and
    modification time, the build reads the new bytes and stages the new event."""
    world = Days(tmp_path / "world")
    world.apply("add file", [event_row("E1", "U1", "")])
    world.write_users()
    feed = tmp_path / "feed"
    feed.symlink_to(world.raw)
    assert dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=feed).returncode == 0
    other = tmp_path / "other"
    shutil.copytree(world.raw, other, copy_function=shutil.copy2)
    day = other / world.files()[0].relative_to(world.raw)
    before = day.stat()
    day.write_bytes(day.read_bytes().replace(b"E1,", b"E9,"))
    os.utime(day, ns=(before.st_atime_ns, before.st_mtime_ns))
    feed.unlink()
    feed.symlink_to(other)
    assert dbt(world.run, "run", "--select", "+stg_app__events", raw_dir=feed).returncode == 0
    assert query(world.run.db, STAGED) == [("E9", "U1", "Reports")]


def test_a_day_file_symlinked_beside_its_target_keeps_one_hash_and_one_header_row(tmp_path: Path) -> None:
    """A symlink in the events folder to another day file there: one file listed twice. Its hash and its header row
    are kept once (one canonical path, one content), the next build reads neither again, and the event is staged
    once (stg_app__events parses a content once)."""
    world = Days(tmp_path)
    world.apply("add file", [event_row("E1", "U1", "")])
    world.write_users()
    world.new_file().symlink_to(world.files()[0])
    for _ in range(2):
        assert staged_build(world) == 0
    with duckdb.connect(str(world.run.db)) as connection:
        assert connection.execute("select count(*) from audit.file_hashes").fetchone() == (1,)
        assert connection.execute("select count(*) from audit.csv_header_rows").fetchone() == (1,)
    assert query(world.run.db, STAGED) == [("E1", "U1", "Reports")]


def test_an_odd_header_parsed_from_its_kept_row_gives_what_a_fresh_read_gives(tmp_path: Path) -> None:
    """A kept row goes through JSON and dbt's query results (where the text 'null' is no value): a header with a
    byte-order mark, a quoted name holding a comma and a line feed, a name 'null' and quotes in a non-ASCII name
    must name the columns as a fresh read (--full-refresh) does. The first build keeps the row, parsing nothing."""
    world = Days(tmp_path)
    world.write_users()
    header = ",".join(f'"{column}"' for column in EVENT_COLUMNS) + ',"a,\nb",null,"é ""q"""'
    values = ",".join(event_row("E1", "U1", "")[column] for column in EVENT_COLUMNS) + ",x,y,z"
    world.new_file().write_bytes(b"\xef\xbb\xbf" + f"{header}\n{values}\n".encode())
    assert dbt(world.run, "run", "--select", "stg_app__users", raw_dir=world.raw).returncode == 0
    with duckdb.connect(str(world.run.db)) as connection:
        assert connection.execute("select count(*) from audit.csv_header_rows").fetchone() == (1,)
    staged = "select * exclude (parsed_in_build) from staging.stg_app__events order by all"
    assert staged_build(world) == 0
    from_kept_row = query(world.run.db, staged)
    assert dbt(world.run, "run", "--full-refresh", "--select", "+stg_app__events", raw_dir=world.raw).returncode == 0
    assert from_kept_row == query(world.run.db, staged) != []
