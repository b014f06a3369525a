"""Folder mode (var raw_dir): the same models read the raw exports straight from a folder, as CSV or Parquet
files or as a folder of files, and give byte-identical files to the seed run; a rebuild changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from pipeline import (
    SEEDS_DIR,
    PipelineRun,
    assert_every_unit_test_passed,
    build_and_export,
    dbt,
    export,
    read_csv,
    write_raw_exports,
)
from raw_files import csv_to_parquet

OUTPUT_NAMES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]


def test_parquet_folder_gives_the_seed_run_files_and_a_rebuild_changes_nothing(
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

    rebuilt = dbt(run, "build", raw_dir=folder)
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
    run = build_and_export(tmp_path / "build", raw_dir=folder, all_unit_tests=True)
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name
    # Folder mode's run of the unit tests (the daily builds of test_incremental_days.py and the grown-file files
    # leave them out).
    assert_every_unit_test_passed(run)


def test_a_rebuild_on_other_exports_matches_a_fresh_build(tmp_path: Path, sample_run: PipelineRun) -> None:
    """Switching exports (here: the sample, then only part of its events) and building again in the same
    database gives what a fresh build of the new exports gives: events no longer in the exports leave the usage
    table (nothing of an earlier build survives in the models; only the export ledger remembers)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    incremental = PipelineRun(db=tmp_path / "incremental.duckdb", target=tmp_path / "t1", out=tmp_path / "o1")
    assert dbt(incremental, "build", raw_dir=folder).returncode == 0

    events = folder / "raw_app_events.csv"
    events.write_text("".join(events.read_text(encoding="utf-8").splitlines(keepends=True)[:1001]), encoding="utf-8")
    rebuilt = dbt(incremental, "build", raw_dir=folder)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert export(incremental, "--full").returncode == 0

    fresh = build_and_export(tmp_path / "fresh", raw_dir=folder)
    for name in OUTPUT_NAMES:
        assert (incremental.out / name).read_bytes() == (fresh.out / name).read_bytes(), name
    assert len((fresh.out / "usage.csv").read_text(encoding="utf-8").splitlines()) < 1001


def test_events_as_a_folder_of_files_give_the_single_file_run_files(tmp_path: Path, sample_run: PipelineRun) -> None:
    """raw_app_events/ holding the sample's events cut into daily files, as CSV and as Parquet, is one export:
    the same files as the seed run; data_issues.csv differs only where it names the file a row is in."""
    lines = (SEEDS_DIR / "raw_app_events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    cuts = [0, 1000, 1001, 2500, len(rows)]
    for kind in ("csv", "parquet"):
        folder = tmp_path / kind / "raw"
        (folder / "raw_app_events").mkdir(parents=True)
        for path in SEEDS_DIR.glob("raw_*.csv"):
            if path.stem != "raw_app_events":
                shutil.copy(path, folder / path.name)
        for day, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False), start=1):
            day_csv = folder / "raw_app_events" / f"2026-11-{day:02d}.csv"
            day_csv.write_text(header + "".join(rows[start:end]), encoding="utf-8")
            if kind == "parquet":
                csv_to_parquet(day_csv)
        run = build_and_export(tmp_path / kind / "build", raw_dir=folder)
        for name in ["accounts.csv", "users.csv", "usage.csv"]:
            assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), (kind, name)
        issues, expected = read_csv(run.out / "data_issues.csv"), read_csv(sample_run.out / "data_issues.csv")
        assert [{**row, "detail": ""} for row in issues] == [{**row, "detail": ""} for row in expected]
        duplicates = [row["detail"] for row in issues if row["issue"] == "duplicate" and "event_id" in row["detail"]]
        named = [detail for detail in duplicates if " of 2026-11-0" in detail and f".{kind} is the one sent" in detail]
        assert duplicates and named == duplicates


def small_exports(event_ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """One account with one product, one user, and events of the given ids."""
    return {
        "raw_crm_accounts": [{"account_id": "A1", "account_name": "Acme"}],
        "raw_crm_subscriptions": [{"subscription_id": "S1", "account_id": "A1", "product": "Analytics",
                                   "status": "active", "seats": "5", "contract_value": "100"}],
        "raw_app_users": [{"user_id": "U1", "email": "u1@x.com", "account_id": "A1", "product": "Analytics"}],
        "raw_app_events": [{"event_id": event_id, "user_id": "U1", "account_id": "A1", "product": "Analytics",
                            "module": "Reports", "action": "View", "occurred_at": "2026-11-01T10:00:00Z"}
                           for event_id in event_ids],
    }  # fmt: skip


def test_an_event_id_typed_as_a_number_in_parquet_keeps_its_identity(tmp_path: Path) -> None:
    """Day 1 sends events 123 and 124 from a CSV file. Day 2 delivers the events as a folder of Parquet files of
    differing types: a backfill file (sorting first) whose event_id is DOUBLE (as pandas writes an integer column
    with a blank), yesterday's events again as BIGINT, and a new event as VARCHAR. Only the two new events are
    sent: a DOUBLE 123.0 is event 123, and one file's types neither stop the build nor re-key the others."""
    raw = tmp_path / "raw"
    write_raw_exports(raw, small_exports(["123", "124"]))
    day1 = build_and_export(tmp_path / "day1", raw_dir=raw)
    assert sent_event_ids(day1) == ["123", "124"]

    events = raw / "raw_app_events"
    events.mkdir()
    columns = "'U1' as user_id, 'A1' as account_id, 'Analytics' as product, 'Reports' as module, 'View' as action, "
    columns += "'2026-11-01T10:00:00Z' as occurred_at"
    with duckdb.connect() as connection:
        days = [("2026-10-31.parquet", "[100.0::double, 'nan'::double, 1234567890123456.0]"),
                ("2026-11-01.parquet", "[123::bigint, 124]"), ("2026-11-02.parquet", "['EV-9']")]  # fmt: skip
        for name, ids in days:
            connection.execute(
                f"copy (select unnest({ids}) as event_id, {columns}) to '{events / name}' (format parquet)"
            )
    (raw / "raw_app_events.csv").unlink()
    day2 = PipelineRun(db=day1.db, target=day1.target, out=tmp_path / "day2")
    built = dbt(day2, "build", raw_dir=raw)
    assert built.returncode == 0, built.stdout[-3000:]
    assert export(day2).returncode == 0
    assert sent_event_ids(day2) == ["100", "1234567890123456", "EV-9"]
    assert len(read_csv(day2.out / "usage.csv")) == 3
    # NaN is pandas' blank: the event has no id, and says so.
    issues = [(row["source"], row["issue"]) for row in read_csv(day2.out / "data_issues.csv")]
    assert ("raw_app_events", "blank_id") in issues


def sent_event_ids(run: PipelineRun) -> list[str]:
    """The ids of the events the run's last export sent, from the ledger."""
    with duckdb.connect(str(run.db), read_only=True) as ledger:
        rows = ledger.execute(
            "select event_id from ledger.exported_events "
            "where run_id = (select max_by(run_id, started_at) from ledger.export_runs) order by event_id"
        ).fetchall()
    return [row[0] for row in rows]


def test_a_command_that_reads_the_events_listing_of_the_other_mode_is_refused(
    tmp_path: Path, sample_run: PipelineRun
) -> None:
    """stg_app__event_files, the listing of the events' files, is a view whose SQL depends on the mode. After a
    seed-mode build, `dbt run -s stg_app__events` alone in folder mode read the seed-mode listing and failed on
    DuckDB's "Referenced table seed_rows not found" (and the other way round, it would read the last folder's
    listing). It must stop at its start, naming the listing and what to run; a command that reads nothing of the
    listing is not stopped, and a whole build in the new mode works. Of the same kind: a seed-mode command that reads
    a seed it does not load, after a folder build (which put views in the seeds' place)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    run = PipelineRun(db=tmp_path / "switched.duckdb", target=tmp_path / "target", out=tmp_path / "out")
    shutil.copy(sample_run.db, run.db)

    alone = dbt(run, "run", "--select", "stg_app__events", raw_dir=folder)
    assert alone.returncode != 0, "a folder-mode run read the seed-mode listing"
    assert "Binder Error" not in alone.stdout, alone.stdout[-3000:]
    assert "stg_app__event_files" in alone.stdout and "seed mode" in alone.stdout, alone.stdout[-3000:]
    assert "dbt build" in alone.stdout, alone.stdout[-3000:]
    # A test of a model that reads the listing is stopped too; one of the accounts is not.
    tested = dbt(run, "test", "--select", "int_event_files", raw_dir=folder)
    assert tested.returncode != 0 and "stg_app__event_files" in tested.stdout, tested.stdout[-3000:]
    accounts = dbt(run, "run", "--select", "stg_crm__accounts", raw_dir=folder)
    assert accounts.returncode == 0, accounts.stdout[-3000:]
    # The listing made anew is not enough: stg_app__events still holds the events parsed under the seed's listing,
    # and the models after it found none (a hostile review: an empty usage mart, every test passing).
    listing_only = dbt(run, "build", "--select", "stg_app__event_files", "int_event_files+", raw_dir=folder)
    assert listing_only.returncode != 0, "a build read events parsed under the other mode's listing"
    assert "select both stg_app__event_files and stg_app__events" in listing_only.stdout, listing_only.stdout[-3000:]
    # With both selected, they are made anew first: nothing to refuse.
    with_listing = dbt(run, "run", "--select", "stg_app__event_files", "stg_app__events", raw_dir=folder)
    assert with_listing.returncode == 0, with_listing.stdout[-3000:]

    assert dbt(run, "build", raw_dir=folder).returncode == 0
    back = dbt(run, "run", "--select", "stg_app__events")
    assert back.returncode != 0, "a seed-mode run read the folder-mode listing"
    assert "stg_app__event_files" in back.stdout and "folder mode" in back.stdout, back.stdout[-3000:]
    # In seed mode after a folder build, the seeds are not in the database (views of the folder took their place):
    # a command that reads one without loading it stops too, where it failed on "Table ... does not exist".
    accounts_back = dbt(run, "run", "--select", "stg_crm__accounts")
    assert accounts_back.returncode != 0, accounts_back.stdout[-3000:]
    assert "raw_crm_accounts is not loaded" in accounts_back.stdout, accounts_back.stdout[-3000:]
    assert "does not exist" not in accounts_back.stdout, accounts_back.stdout[-3000:]
    rebuilt = dbt(run, "build")
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert export(run, "--full").returncode == 0
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name

    # A new database has no listing yet: a command that reads it without making it stops too (it failed on
    # "Table with name stg_app__event_files does not exist").
    new = PipelineRun(db=tmp_path / "new.duckdb", target=tmp_path / "new-target", out=tmp_path / "new-out")
    first = dbt(new, "run", "--select", "stg_app__events", raw_dir=folder)
    assert first.returncode != 0 and "is not in this database yet" in first.stdout, first.stdout[-3000:]
    assert "does not exist" not in first.stdout, first.stdout[-3000:]
