"""export.py as a command: what it writes, what it refuses, and that it never leaves half a file behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import PipelineRun, export

OUTPUT_NAMES = ["accounts.csv", "data_issues.csv", "usage.csv", "users.csv"]
# The sample database already holds the sample run's export in its ledger: --full sends its usage again.


def copy_run(run: PipelineRun, base: Path) -> PipelineRun:
    """A private copy of the sample database (marts, ledger and build record), free to be damaged."""
    copy = PipelineRun(db=base / "copy.duckdb", target=base / "target", out=base / "output")
    copy.target.mkdir(parents=True)
    shutil.copy(run.db, copy.db)
    return copy


def assert_refused(result, expected_words: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("export refused:") and expected_words in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def test_export_prints_each_file_with_rows_and_bytes(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    result = export(run, "--full")
    assert result.returncode == 0, result.stderr
    for name in OUTPUT_NAMES:
        path = run.out / name
        rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
        assert f"wrote {path}  {rows} rows  {path.stat().st_size} bytes" in result.stdout
    assert "raw_app_events" in result.stdout and "duplicate" in result.stdout
    assert sorted(p.name for p in run.out.iterdir()) == sorted([*OUTPUT_NAMES, "manifest.json"]), "no temporaries"


def test_the_same_build_exported_twice_is_byte_identical(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    assert export(run, "--full").returncode == 0
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_formula_guard_can_be_turned_off(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    assert export(run, "--full", "--no-formula-guard").returncode == 0
    usage = (run.out / "usage.csv").read_text(encoding="utf-8")
    assert ",=cmd|' /C calc'!A0," in usage
    assert ",'=cmd" not in usage


def test_refuses_a_missing_database(tmp_path: Path) -> None:
    run = PipelineRun(db=tmp_path / "absent.duckdb", target=tmp_path, out=tmp_path / "output")
    assert_refused(export(run), "not found")
    assert not run.out.exists()


def record_outcome(run: PipelineRun, command: str, outcome: str, failed: str | None = None) -> None:
    """What macros/record_build_outcome.sql writes at the end of a dbt command, as a later command would."""
    with duckdb.connect(str(run.db)) as connection:
        connection.execute(
            "insert into audit.build_outcomes values ('later', ?, current_timestamp::timestamp + interval 1 second, "
            "?, ?)",
            [command, outcome, failed],
        )


def test_refuses_when_the_last_build_failed(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    record_outcome(run, "build", "failed", "test.totango_feed.assert_rows_conserved, model.totango_feed.x")
    assert_refused(export(run), "the last dbt build failed (test.totango_feed.assert_rows_conserved and 1 more)")
    assert not run.out.exists()


def test_refuses_tables_changed_without_tests(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    record_outcome(run, "run", "untested")
    assert_refused(export(run), "`dbt run` changed tables after the last build without testing them")


def test_refuses_a_partial_build(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    record_outcome(run, "build", "partial")
    assert_refused(export(run), "did not build every mart")


def test_refuses_without_a_record_of_any_build(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    with duckdb.connect(str(run.db)) as connection:
        connection.execute("drop table audit.build_outcomes")
    assert_refused(export(run), "run `dbt build` first")


def test_refuses_an_out_path_that_is_a_file(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    run.out.write_text("not a folder\n", encoding="utf-8")
    assert_refused(export(run), "is a file, not a folder")
    assert run.out.read_text(encoding="utf-8") == "not a folder\n"


def test_refuses_a_missing_mart_and_writes_nothing(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    with duckdb.connect(str(run.db)) as connection:
        connection.execute("drop view marts.totango_usage")
    assert_refused(export(run), "marts.totango_usage is missing")
    assert not run.out.exists() or not any(run.out.iterdir())


def test_help_describes_the_options(tmp_path: Path) -> None:
    run = PipelineRun(db=tmp_path / "x.duckdb", target=tmp_path, out=tmp_path)
    result = export(run, "--help")
    assert result.returncode == 0
    for option in (
        "--db",
        "--out",
        "--no-formula-guard",
        "--full",
        "--dry-run",
        "--counted",
        "--max-file-mb",
    ):
        assert option in result.stdout
