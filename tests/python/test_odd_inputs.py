"""Issue 16, defect 6: odd files and odd arguments. Each is read as the user means it, or refused with one line
naming it and saying why, the same way by check_exports.py and by the build; never a traceback, never a file
read or left out in silence, never a wait for ever."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pipeline import PROJECT_DIR, PipelineRun, build_and_export, dbt, export, read_csv, write_raw_exports
from raw_files import OUTPUT_NAMES, assert_seed_mode_gives_the_same_files, csv_to_parquet
from test_folder_mode import sent_event_ids, small_exports
from test_odd_names import add_columns
from test_raw_readers import COLUMNS, csv_text
from test_your_exports import assert_refused_before_the_build

from totango_feed import build_outputs


def check(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """check_exports.py; a named pipe must never make it wait, so it is given a minute at most."""
    return subprocess.run([sys.executable, str(PROJECT_DIR / "check_exports.py"), str(folder), *args],
                          capture_output=True, text=True, check=False, timeout=60)  # fmt: skip


def one_refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The one line of a refusal (exit code 2, no traceback)."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def events_folder(tmp_path: Path, days: dict[str, list[str]]) -> Path:
    """The small world, its events as raw_app_events/ with a CSV file per day (name: event ids)."""
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports([]))
    (folder / "raw_app_events.csv").unlink()
    for name, ids in days.items():
        write_raw_exports(folder / "raw_app_events" / "x", {"raw_app_events": small_exports(ids)["raw_app_events"]})
        (folder / "raw_app_events" / "x" / "raw_app_events.csv").rename(folder / "raw_app_events" / name)
        (folder / "raw_app_events" / "x").rmdir()
    return folder


def unfinished(tmp_path: Path) -> PipelineRun:
    return PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "out")


def test_hidden_files_of_an_events_folder_are_ignored_by_the_check_and_the_build(tmp_path: Path) -> None:
    """A hidden file among the day files (an upload's .day4.csv, a macOS ._day1.csv of binary bytes, Spark's
    _SUCCESS, a .git folder) is not events: the check names each as ignored, and the build leaves it out as the
    check does (before, .day4.csv was read as events and ._day1.csv stopped the check)."""
    folder = events_folder(tmp_path, {"day1.csv": ["E1"], "day2.csv": ["E2"], ".day4.csv": ["HIDDEN"]})
    (folder / "raw_app_events" / "._day1.csv").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (folder / "raw_app_events" / "_SUCCESS").write_bytes(b"")
    (folder / "raw_app_events" / "_day5.csv").write_bytes((folder / "raw_app_events" / ".day4.csv").read_bytes())
    (folder / "raw_app_events" / ".git").mkdir()
    (folder / "raw_app_events" / ".git" / "HEAD.csv").write_text("x\n", encoding="utf-8")
    checked = check(folder)
    assert checked.returncode == 0, checked.stderr
    assert "raw_app_events/ (2 files)  2 rows" in checked.stdout
    for name in (".day4.csv", "._day1.csv", "_SUCCESS", "_day5.csv", ".git"):
        assert f"raw_app_events/{name}: ignored" in checked.stdout, name
    run = build_and_export(tmp_path / "build", raw_dir=folder)
    assert sent_event_ids(run) == ["E1", "E2"]


def test_an_upper_case_ending_is_refused_by_the_check_and_by_the_build(tmp_path: Path) -> None:
    """day3.CSV: the check refused it, while a build run directly left it out in silence (its events lost). Both
    refuse it now, naming it."""
    folder = events_folder(tmp_path, {"day1.csv": ["E1"], "day3.CSV": ["E3"]})
    line = one_refusal(check(folder))
    assert "raw_app_events/day3.CSV: not read" in line and "lower-case" in line, line
    run = unfinished(tmp_path)
    built = dbt(run, "build", raw_dir=folder)
    assert built.returncode != 0
    assert "day3.CSV: not read" in built.stdout and "lower-case" in built.stdout, built.stdout[-3000:]
    assert export(run).returncode == 1


def test_a_sub_folder_of_day_files_is_refused_by_the_build_as_by_the_check(tmp_path: Path) -> None:
    folder = events_folder(tmp_path, {"day1.csv": ["E1"]})
    (folder / "raw_app_events" / "november").mkdir()
    shutil.copy(folder / "raw_app_events" / "day1.csv", folder / "raw_app_events" / "november" / "day2.csv")
    assert "raw_app_events/november: not read" in one_refusal(check(folder))
    built = dbt(unfinished(tmp_path), "build", raw_dir=folder)
    assert built.returncode != 0 and "november/day2.csv: not read" in built.stdout, built.stdout[-3000:]


@pytest.mark.parametrize("kind", ["dangling link", "named pipe", "link loop"])
def test_a_day_file_that_is_not_a_file_is_named(tmp_path: Path, kind: str) -> None:
    """A link to a file that is gone, or a named pipe (FIFO), among the day files: the check names it and says
    what it is (it said "the folder holds no .csv or .parquet file"), and never waits on the pipe."""
    folder = events_folder(tmp_path, {"day1.csv": ["E1"]})
    odd = folder / "raw_app_events" / "day2.csv"
    if kind == "dangling link":
        odd.symlink_to(tmp_path / "gone.csv")
        words = f"a link to {tmp_path / 'gone.csv'}, which does not exist"
    elif kind == "named pipe":
        os.mkfifo(odd)
        words = "a named pipe (FIFO), not a file"
    else:
        odd.symlink_to(odd)
        words = "a link that cannot be followed"
    line = one_refusal(check(folder))
    assert line.startswith(f"raw export error: {odd}: ") and words in line, line


def test_an_export_file_that_is_a_dangling_link_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    (folder / "raw_app_events.csv").unlink()
    (folder / "raw_app_events.csv").symlink_to("/nowhere/events.csv")
    line = one_refusal(check(folder))
    assert "raw_app_events.csv: a link to /nowhere/events.csv, which does not exist" in line, line


def test_an_export_with_an_upper_case_ending_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    (folder / "raw_app_events.csv").rename(folder / "raw_app_events.CSV")
    line = one_refusal(check(folder))
    assert "raw_app_events.CSV: not read" in line and "raw_app_events.csv, with a lower-case ending" in line, line


def write_with_line_ending(folder: Path, ending: bytes) -> None:
    """The small world, every file with the given line ending after each line (a quoted value keeps its own)."""
    exports = small_exports(["E1", "E2"])
    exports["raw_app_events"][1]["action"] = "two\nlines"
    folder.mkdir(parents=True)
    for name, rows in exports.items():
        text = csv_text(COLUMNS[name], [[row.get(c, "") for c in COLUMNS[name]] for row in rows], "\n")
        # Only the line endings outside quotes change: the quoted line feed stays as it is.
        data = text.encode("utf-8").replace(b"two\nlines", b"two\x00lines").replace(b"\n", ending)
        (folder / f"{name}.csv").write_bytes(data.replace(b"two\x00lines", b"two\nlines"))


def test_old_mac_line_endings_are_read_as_the_others(tmp_path: Path) -> None:
    """CR alone ends each line (Excel for Mac's "CSV (Macintosh)"): the check gave a traceback. The file is read
    as its Unix twin is, by the check and by the build, in folder and in seed mode."""
    write_with_line_ending(tmp_path / "cr", b"\r")
    write_with_line_ending(tmp_path / "lf", b"\n")
    checked = check(tmp_path / "cr")
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    assert checked.stdout.replace(str(tmp_path / "cr"), "") == check(tmp_path / "lf").stdout.replace(
        str(tmp_path / "lf"), ""
    )
    cr_run = build_and_export(tmp_path / "cr-build", raw_dir=tmp_path / "cr")
    lf_run = build_and_export(tmp_path / "lf-build", raw_dir=tmp_path / "lf")
    for name in OUTPUT_NAMES:
        assert (cr_run.out / name).read_bytes() == (lf_run.out / name).read_bytes(), name
    assert_seed_mode_gives_the_same_files(tmp_path / "cr", tmp_path / "cr-seed", lf_run)
    assert [row["Action"] for row in read_csv(cr_run.out / "usage.csv")] == ["View", "two\nlines"]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda data: data.replace(b"\r\n", b"\r\r\n"), "line 1: the line ends with two carriage returns (CR CR LF)"),
        (
            lambda data: data.replace(b"\r\n", b"\n", 2),
            "line 3: the line ends with CR LF (Windows), and line 1 with LF (Unix): the file mixes line endings",
        ),
    ],  # fmt: skip
    ids=["CR CR LF", "mixed"],
)
def test_line_endings_that_cannot_be_read_get_one_clear_line(tmp_path: Path, damage, words: str) -> None:
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1", "E2", "E3"]))
    events = folder / "raw_app_events.csv"
    events.write_bytes(damage(events.read_bytes()))
    line = one_refusal(check(folder))
    assert line.startswith(f"raw export error: {events}: ") and words in line, line
    built = dbt(unfinished(tmp_path), "build", raw_dir=folder)
    assert built.returncode != 0, "the build stops too, reading no row wrongly"


def test_a_raw_column_named_like_the_builds_own_is_refused_by_the_check_and_the_build(tmp_path: Path) -> None:
    """A raw column named __totango_feed_source_file (the build's column naming each row's file) clashed with it:
    a CSV or a Parquet export holding one is refused by the check and the build, naming the column."""
    for kind in ("csv", "parquet"):
        folder = tmp_path / kind
        write_raw_exports(folder, small_exports(["E1"]))
        users = folder / "raw_app_users.csv"
        add_columns(users, {"__totango_feed_source_file": ["mine"]})
        if kind == "parquet":
            users = csv_to_parquet(users)
        line = one_refusal(check(folder))
        assert str(users) in line and "the column __totango_feed_source_file is named like the build's own" in line
        built = dbt(unfinished(tmp_path / f"{kind}-build"), "build", raw_dir=folder)
        assert built.returncode != 0
        assert "the column __totango_feed_source_file is named like the build's own" in built.stdout, kind


def test_blank_headers_of_trailing_commas_are_extra_columns(tmp_path: Path) -> None:
    """A spreadsheet's export with empty columns at the end (a header ending in ,,): the check said the blank
    name appears twice; both read it now, as extra columns, ignored."""
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    events = folder / "raw_app_events.csv"
    events.write_bytes(b"\r\n".join(line + b",," for line in events.read_bytes().split(b"\r\n") if line) + b"\r\n")
    assert check(folder).returncode == 0, check(folder).stderr
    assert sent_event_ids(build_and_export(tmp_path / "build", raw_dir=folder)) == ["E1"]


def test_a_raw_folder_named_key_equals_value_changes_no_value(tmp_path: Path) -> None:
    """A folder named like a Hive partition (/exports/account_id=A9/): DuckDB's readers took a column of that name
    from the path, in place of the file's own (every event under account A9). No reader takes columns from paths
    now, for CSV and Parquet files alike."""
    for kind in ("csv", "parquet"):
        folder = tmp_path / kind / "account_id=A9" / "module=Hacked"
        write_raw_exports(folder, small_exports(["E1"]))
        if kind == "parquet":
            csv_to_parquet(folder / "raw_app_events.csv")
        assert check(folder).returncode == 0
        run = build_and_export(tmp_path / kind / "build", raw_dir=folder)
        usage = read_csv(run.out / "usage.csv")
        assert [(row["Account ID"], row["Module"]) for row in usage] == [("A1__analytics", "Reports")], kind


def test_a_spark_warehouse_folder_named_key_equals_value_adds_no_column(tmp_path: Path) -> None:
    """The export reads a Spark build's Parquet files with DuckDB: a warehouse under /runs/day=5/ must not add a
    column day to the marts (it would be written into accounts.csv)."""
    warehouse = tmp_path / "day=5" / "warehouse"
    table = warehouse / "marts.db" / "totango_accounts"
    table.mkdir(parents=True)
    with duckdb.connect() as connection:
        connection.execute(f"copy (select 'A1' as \"Account ID\") to '{table / 'part-00000.parquet'}' (format parquet)")
        outputs = build_outputs.spark_outputs(connection, warehouse)
        assert outputs.columns(connection, "marts.totango_accounts") == [("Account ID", "VARCHAR")]


def test_text_stored_as_bytes_in_parquet_is_read_as_its_text(tmp_path: Path) -> None:
    """Some writers store a text column as bytes without saying it is text: DuckDB cast it to escaped bytes
    (Zo\\xC3\\xAB for Zoë), Spark to the text; both read the text now."""
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    csv_to_parquet(folder / "raw_app_events.csv", select="* replace (encode('Zoë''s module') as module)")
    run = build_and_export(tmp_path / "build", raw_dir=folder)
    assert [row["Module"] for row in read_csv(run.out / "usage.csv")] == ["Zoë's module"]


def test_check_exports_takes_vars_as_dbt_does(tmp_path: Path) -> None:
    """check_exports.py read the vars of dbt_project.yml only: an export whose headers are mapped by --vars was
    refused. It takes --vars now, as dbt does, and says so in one line when they cannot be read."""
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    accounts = folder / "raw_crm_accounts.csv"
    accounts.write_bytes(accounts.read_bytes().replace(b"account_id,", b"Id,", 1))
    assert "account_id" in one_refusal(check(folder))
    mapped = json.dumps({"raw_column_names": {"raw_crm_accounts": {"account_id": "Id"}}})
    checked = check(folder, "--vars", mapped)
    assert checked.returncode == 0, checked.stderr
    assert "not YAML" in one_refusal(check(folder, "--vars", "{raw_column_names: [unclosed"))
    assert "must be a mapping" in one_refusal(check(folder, "--vars", "just text"))
    assert "raw_export_layouts" in one_refusal(check(folder, "--vars", "{raw_export_layouts: 3}"))


def test_make_passes_vars_to_the_check_and_the_build(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    write_raw_exports(folder, small_exports(["E1"]))
    accounts = folder / "raw_crm_accounts.csv"
    accounts.write_bytes(accounts.read_bytes().replace(b"account_id,", b"Id,", 1))
    env = dict(os.environ, TOTANGO_DUCKDB_PATH=str(tmp_path / "db.duckdb"))
    result = subprocess.run(
        ["make", "--no-print-directory", "build", f"RAW_DIR={folder}",
         "VARS={raw_column_names: {raw_crm_accounts: {account_id: Id}}, send_all_accounts: true}"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "raw export ok:" in result.stdout


@pytest.mark.parametrize("limit", ["1e308", "1e30", "1e7"])
def test_export_refuses_a_file_size_limit_it_cannot_work_with(sample_run: PipelineRun, tmp_path: Path, limit: str):
    """--max-file-mb 1e308 gave a traceback (the limit in bytes is infinite); limits past a terabyte are refused."""
    run = PipelineRun(db=tmp_path / "db.duckdb", target=sample_run.target, out=tmp_path / "out")
    shutil.copy(sample_run.db, run.db)
    result = export(run, "--max-file-mb", limit)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "--max-file-mb must be a number more than 0 and at most 1000000" in result.stderr
    assert not run.out.exists()


@pytest.mark.parametrize(
    ("attributes", "words"),
    [
        ({"account_attributes": [{"column": "tier", "name": "Tier\nLevel", "type": "text"}]},
         "a line break or another control character"),
        ({"user_attributes": [{"column": "tier", "name": "Tier\tLevel", "type": "text"}]},
         "a line break or another control character"),
        ({"product_account_attributes": [{"column": "tier", "name": "Tier\u2028Level", "type": "text"}]},
         "a line break or another control character"),
        ({"account_type_names": ["Organization", "Division\r", "Subsidiary"]},
         "a line break or another control character"),
        ({"account_type_names": ["Organization", "Divi\x00sion"]}, "a line break or another control character"),
    ],
    ids=["attribute with a line feed", "attribute with a tab", "attribute with a line separator",
         "Account Type with a carriage return", "Account Type with a NUL"],
)  # fmt: skip
def test_names_that_become_headers_or_values_with_control_characters_are_refused(
    tmp_path: Path, attributes: dict, words: str
) -> None:
    """An attribute name with a line break was accepted, then broke the splitting of accounts.csv (its header
    became two lines). Names that the files carry (attribute names, Account Types) with control characters or
    line breaks stop the build before anything is built, with the reason."""
    assert_refused_before_the_build(tmp_path, attributes, words)


def test_a_line_break_in_a_file_name_keeps_the_message_on_one_line(tmp_path: Path) -> None:
    folder = events_folder(tmp_path, {"day1.csv": ["E1"]})
    shutil.copy(folder / "raw_app_events" / "day1.csv", folder / "raw_app_events" / "day\n2.CSV")
    line = one_refusal(check(folder))
    assert "day\\n2.CSV: not read" in line, line


def test_a_file_name_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    folder = events_folder(tmp_path, {"day1.csv": ["E1"]})
    shutil.copy(folder / "raw_app_events" / "day1.csv", os.fsencode(folder / "raw_app_events") + b"/day\xff2.csv")
    line = one_refusal(check(folder))
    assert "the file name is not UTF-8 text; rename it" in line, line
