"""export.py as a command: what it writes, what it refuses, and that it never leaves half a file behind."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pipeline import PROJECT_DIR, PipelineRun, dbt, export
from test_build_location import copy_project

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

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
    assert sorted(p.name for p in run.out.iterdir()) == sorted(
        [*OUTPUT_NAMES, "manifest.json", "review.html", "review.md"]
    ), "no temporaries"


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
    """What macros/build/record_build_outcome.sql writes at the end of a dbt command, as a later command would."""
    with duckdb.connect(str(run.db)) as connection:
        connection.execute(
            "insert into audit.build_outcomes select max(build_number) + 1, 'later', ?, current_timestamp::timestamp, "
            "current_timestamp::timestamp, ?, ?, '' from audit.build_outcomes",
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


def test_refuses_a_build_that_did_not_finish(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    record_outcome(run, "build", "running")
    assert_refused(export(run), "did not finish: it is still running, was stopped part-way, or failed as it started")


def test_refuses_file_size_limits_that_cannot_work(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    for limit in ("nan", "inf", "-1", "0"):
        assert_refused(export(run, "--max-file-mb", limit), "--max-file-mb must be a number more than 0")
    result = export(run, "--full", "--max-file-mb", "0.00001")
    assert result.returncode == 1 and "alone is" in result.stderr and "raise --max-file-mb" in result.stderr
    assert not run.out.exists(), "a folder the failed export made is not left behind"


def test_refuses_an_out_path_below_a_file_even_in_a_dry_run(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    (tmp_path / "plain").write_text("x\n", encoding="utf-8")
    below = PipelineRun(db=run.db, target=run.target, out=tmp_path / "plain" / "out")
    assert_refused(export(below, "--dry-run"), "is a file, not a folder")
    assert_refused(export(below), "is a file, not a folder")


def test_a_dry_run_with_nothing_to_send_says_so(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    result = export(run, "--dry-run")
    assert result.returncode == 0
    assert "would write no usage.csv: no usage events to send" in result.stdout and "None" not in result.stdout


def test_a_reader_that_goes_away_does_not_fail_an_export_that_published(
    sample_run: PipelineRun, tmp_path: Path
) -> None:
    run = copy_run(sample_run, tmp_path)
    command = f"{sys.executable} {PROJECT_DIR / 'export.py'} --db '{run.db}' --out '{run.out}' --full | head -c 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "export failed" not in result.stderr
    assert (run.out / "manifest.json").exists()


def test_refuses_a_partial_build(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    record_outcome(run, "build", "partial", "model.totango_feed.stg_app__events")
    assert_refused(export(run), "did not build every model (stg_app__events left out")


def test_a_build_that_excludes_a_staging_model_is_partial(sample_run: PipelineRun, tmp_path: Path) -> None:
    """Every mart built, but over yesterday's rows of the model left out: not a build to export."""
    run = copy_run(sample_run, tmp_path)
    built = dbt(run, "build", "--exclude", "stg_app__events")
    assert built.returncode == 0, built.stdout[-2000:]
    assert_refused(export(run), "did not build every model (stg_app__events left out")


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
        "--accept-changes",
    ):
        assert option in result.stdout


def test_accept_changes_needs_a_reason(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = copy_run(sample_run, tmp_path)
    result = export(run, "--accept-changes", "  ")
    assert result.returncode == 2, "a usage error, reported by the option parser"
    assert "--accept-changes: give the reason the changes are right" in result.stderr
    assert "Traceback" not in result.stderr and not run.out.exists()


def test_refuses_a_database_named_after_a_schema_it_holds(sample_run: PipelineRun, tmp_path: Path) -> None:
    """DuckDB names the catalog after the file: in ledger.duckdb, `ledger.export_runs` is ambiguous."""
    run = copy_run(sample_run, tmp_path)
    named = run.db.with_name("ledger.duckdb")
    run.db.rename(named)
    assert_refused(export(PipelineRun(named, run.target, run.out)), "is named after a schema the feed keeps in it")


def test_a_project_without_the_export_exposure_stops_with_one_line(tmp_path: Path) -> None:
    """export.py reads which marts to export from dbt exposure totango_csv_export: a project that lost it (its yml
    deleted) stops with a one-line reason and exit code 1, no traceback, nothing written."""
    project = copy_project(tmp_path)
    declaring = [path for path in (project / "models").rglob("*.yml") if "totango_csv_export" in path.read_text()]
    assert declaring, "no yml of the project declares the exposure"
    for path in declaring:
        path.unlink()
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(project / "export.py"), "--out", str(out)], cwd=project,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 1
    assert "declares no exposure totango_csv_export" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
