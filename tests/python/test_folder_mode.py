"""Folder mode (var raw_dir): the same models read the raw exports straight from a folder, as CSV or Parquet,
and give byte-identical files to the seed run; an incremental rebuild changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import SEEDS_DIR, PipelineRun, build_and_export, dbt, export

OUTPUT_NAMES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]


def test_parquet_folder_gives_the_seed_run_files_and_incremental_rebuild_changes_nothing(
    tmp_path: Path, sample_run: PipelineRun
) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    with duckdb.connect() as connection:
        for path in SEEDS_DIR.glob("raw_*.csv"):
            # Every column as text, as an export tool would write it; blanks stay blanks.
            connection.execute(
                f"copy (select * from read_csv('{path}', header = true, all_varchar = true)) "
                f"to '{folder / path.stem}.parquet' (format parquet)"
            )
    run = build_and_export(tmp_path / "build", raw_dir=folder)
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name

    rebuilt = dbt(run, "build", "--exclude-resource-type", "seed", "unit_test", raw_dir=folder)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    again = PipelineRun(db=run.db, target=run.target, out=tmp_path / "again")
    assert export(again, "--full").returncode == 0
    for name in OUTPUT_NAMES:
        assert (again.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_csv_folder_gives_the_seed_run_files(tmp_path: Path, sample_run: PipelineRun) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    run = build_and_export(tmp_path / "build", raw_dir=folder)
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_incremental_build_on_other_exports_matches_a_fresh_build(tmp_path: Path, sample_run: PipelineRun) -> None:
    """Switching exports (here: the sample, then only part of its events) and building incrementally gives
    what a fresh build of the new exports gives: events no longer in the exports leave the usage table."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    incremental = PipelineRun(db=tmp_path / "incremental.duckdb", target=tmp_path / "t1", out=tmp_path / "o1")
    assert dbt(incremental, "build", "--exclude-resource-type", "seed", "unit_test", raw_dir=folder).returncode == 0

    events = folder / "raw_app_events.csv"
    events.write_text("".join(events.read_text(encoding="utf-8").splitlines(keepends=True)[:1001]), encoding="utf-8")
    rebuilt = dbt(incremental, "build", "--exclude-resource-type", "seed", "unit_test", raw_dir=folder)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert export(incremental, "--full").returncode == 0

    fresh = build_and_export(tmp_path / "fresh", raw_dir=folder)
    for name in OUTPUT_NAMES:
        assert (incremental.out / name).read_bytes() == (fresh.out / name).read_bytes(), name
    assert len((fresh.out / "usage.csv").read_text(encoding="utf-8").splitlines()) < 1001
