"""Raw files that hold no header row though they are not 0 bytes (a line feed, blank lines, spaces, a byte-order
mark and a line end), or hold it after a blank line 1: check_exports.py refuses each, and a build run without the
check must stop on it with the same line, naming the file; a day file among good ones must not be read as a day of no
events, nor a header row as a data row."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pipeline import PROJECT_DIR, SEEDS_DIR, PipelineRun, dbt
from test_exactly_once import World, event, sent_counts


def sample_folder(tmp_path: Path, days: bool) -> Path:
    """A copy of the sample; with days, its events as a folder of two day files (day-1.csv, day-3.csv)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    if days:
        header, *rows = (folder / "raw_app_events.csv").read_bytes().splitlines(keepends=True)
        (folder / "raw_app_events.csv").unlink()
        (folder / "raw_app_events").mkdir()
        half = len(rows) // 2
        (folder / "raw_app_events" / "day-1.csv").write_bytes(b"".join([header, *rows[:half]]))
        (folder / "raw_app_events" / "day-3.csv").write_bytes(b"".join([header, *rows[half:]]))
    return folder


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT_DIR / "check_exports.py"), str(folder)], capture_output=True,
                          text=True, check=False)  # fmt: skip


EMPTY = "line 1: the file is empty; export it again, with its header row."
BLANK_LINE_1 = "line 1: the line is blank, and the header row must be line 1; remove the blank lines before it."
# Each case: the file, what it is made to hold (from what it held: the sample's rows, or a day's), the words of both.
NEAR_EMPTY = {
    "a line feed": ("raw_app_events/day-2.csv", lambda _: b"\n", EMPTY),
    "spaces": ("raw_app_events/day-2.csv", lambda _: b"    ", EMPTY),
    "blank CR LF lines": ("raw_app_events/day-2.csv", lambda _: b"\r\n\r\n\r\n", EMPTY),
    "blank lines, an accounts file": ("raw_crm_accounts.csv", lambda _: b"\n\n\n", EMPTY),
    "a byte-order mark and a line end, a users file": ("raw_app_users.csv", lambda _: b"\xef\xbb\xbf\r\n", EMPTY),
    # Before: built (exit 0) with the header row read as a data row (an account 'account_id'), the check saying
    # 'column(s) ... missing from the header'; past the check's first 4 KB of blank lines, it said 'empty'.
    "a blank line 1, an accounts file": ("raw_crm_accounts.csv", lambda rows: b"\n" + rows, BLANK_LINE_1),
    "a blank line 1, a day file": ("raw_app_events/day-2.csv", lambda rows: b" \r\n" + rows, BLANK_LINE_1),
    "5,000 blank lines, then a day": ("raw_app_events/day-2.csv", lambda rows: b"\n" * 5000 + rows, BLANK_LINE_1),
}


@pytest.mark.parametrize("case", NEAR_EMPTY)
def test_a_build_on_a_file_without_a_header_on_line_1_stops_as_the_check_does(tmp_path: Path, case: str) -> None:
    """An empty file, or a header row after a blank line 1: the check and a build without it stop with one line.
    Before: an empty day file built as a day of no events (exit 0) and a single one stopped the build on DuckDB's
    'Binder Error: Column "account_id" referenced ...', naming no file."""
    where, content, words = NEAR_EMPTY[case]
    folder = sample_folder(tmp_path, days=where.startswith("raw_app_events/"))
    # The rows it is made from: the sample export's own, or for the new day file day 1's.
    source = folder / where if (folder / where).exists() else folder / "raw_app_events" / "day-1.csv"
    (folder / where).write_bytes(content(source.read_bytes()))
    said = f"{folder / where}: {words}"
    checked = check(folder)
    assert checked.returncode == 2 and said in checked.stderr, checked.stderr
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=folder)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output[-3000:]
    assert "Traceback" not in output
    assert said in output, output[-3000:]


def build_output(world: World) -> str:
    built = world.build()
    return f"exit {built.returncode}\n{built.stdout}{built.stderr}"


@pytest.mark.parametrize("content", [b"", b"\n", b"  \r\n"], ids=["0 bytes", "a line feed", "spaces and CR LF"])
def test_an_empty_day_file_stops_the_day_and_its_events_go_out_once_it_comes(tmp_path: Path, content: bytes) -> None:
    """Day 1 built and exported; day 2 adds an empty day file: the build stops naming it, and nothing is exported;
    day 3 the file comes with its events: each event of the three days is sent exactly once."""
    world = World(tmp_path)
    world.deliver_day_file("day-1.csv", [event("E1"), event("E2")])
    world.build_ok()
    assert world.export(tmp_path / "out-1") == 0
    day_2 = world.raw / "raw_app_events" / "day-2.csv"
    day_2.write_bytes(content)
    output = build_output(world)
    assert not output.startswith("exit 0") and "Traceback" not in output, output[-3000:]
    assert f"{day_2}: line 1: the file is empty; export it again, with its header row." in output, output[-3000:]
    assert world.export(tmp_path / "out-2") != 0
    world.deliver_day_file("day-2.csv", [event("E3"), event("E4")])
    world.build_ok()
    assert world.export(tmp_path / "out-3") == 0
    assert sent_counts(tmp_path / "out-1", tmp_path / "out-2", tmp_path / "out-3") == dict.fromkeys(
        ["E1", "E2", "E3", "E4"], 1
    )


def test_a_day_file_emptied_in_place_after_its_header_was_kept(tmp_path: Path) -> None:
    """A day file built (its header row kept by content) then truncated to 0 bytes: the next build stops naming it,
    not reading it under the kept header; written back, nothing is sent again."""
    world = World(tmp_path)
    world.deliver_day_file("day-1.csv", [event("E1")])
    world.deliver_day_file("day-2.csv", [event("E2")])
    world.build_ok()
    assert world.export(tmp_path / "out-1") == 0
    day_2 = world.raw / "raw_app_events" / "day-2.csv"
    kept = day_2.read_bytes()
    with day_2.open("r+b") as handle:
        handle.truncate(0)
    output = build_output(world)
    assert not output.startswith("exit 0") and "Traceback" not in output, output[-3000:]
    assert f"{day_2}: line 1: the file is empty; export it again, with its header row." in output, output[-3000:]
    assert world.export(tmp_path / "out-2") != 0
    day_2.write_bytes(kept)
    world.build_ok()
    assert world.export(tmp_path / "out-3") == 0
    assert sent_counts(tmp_path / "out-1", tmp_path / "out-2", tmp_path / "out-3") == {"E1": 1, "E2": 1}


# Each case: the file, what it is made to hold (from the rows it held), the contract columns the words must name.
MISSING_COLUMNS = {
    # Before: a day file of other columns built (exit 0), each of its rows a blank_id data issue ("fill it in").
    "a day file of other columns": ("raw_app_events/day-2.csv", lambda _: b"foo,bar\nx,y\n", "event_id"),
    "a day file of blank headers": ("raw_app_events/day-2.csv", lambda _: b",,,\nx,y,z,w\n", "event_id"),
    # Before: DuckDB's binder error ('Referenced column "account_id" not found'), naming no file.
    "an accounts file without account_id": (
        "raw_crm_accounts.csv",
        lambda rows: b"\n".join(line.split(b",", 1)[1] for line in rows.split(b"\n") if line),
        "account_id",
    ),
}


@pytest.mark.parametrize("case", MISSING_COLUMNS)
def test_a_build_on_a_file_without_a_contract_column_stops_naming_it(tmp_path: Path, case: str) -> None:
    """A file whose header lacks a column of the contract: the check refuses it; a build without the check must stop
    too, naming the file and the column, rather than read the file's rows as rows without ids."""
    where, content, column = MISSING_COLUMNS[case]
    folder = sample_folder(tmp_path, days=where.startswith("raw_app_events/"))
    source = folder / where if (folder / where).exists() else folder / "raw_app_events" / "day-1.csv"
    (folder / where).write_bytes(content(source.read_bytes()))
    checked = check(folder)
    assert checked.returncode == 2 and f"{folder / where}: line 1: column(s) " in checked.stderr, checked.stderr
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=folder)
    output = built.stdout + built.stderr
    assert built.returncode != 0, output[-3000:]
    assert "Traceback" not in output
    said = f"{folder / where}: line 1: column(s) "
    assert said in output and column in output.split(said, 1)[1].split("\n", 1)[0], output[-3000:]
