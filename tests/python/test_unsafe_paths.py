"""Values from outside never reach SQL unquoted (issue 9, item 10): a raw folder whose name is an SQL injection,
or holds quotes and spaces, is read as a name, through dbt and through make; and the two ways of loading the raw
exports (seeds, a folder) give the same files byte for byte on input that dbt's seed loader could read
differently (issue 9, item 4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from pipeline import PROJECT_DIR, SEEDS_DIR, PipelineRun, build_and_export, dbt, export, read_csv, write_raw_exports
from raw_files import assert_seed_mode_gives_the_same_files
from test_folder_mode import sent_event_ids, small_exports

from totango_feed.sql import sql_literal


def ledger_events(run: PipelineRun) -> int:
    with duckdb.connect(str(run.db), read_only=True) as connection:
        return connection.execute("select count(*) from ledger.exported_events").fetchone()[0]


def test_a_raw_folder_named_like_an_sql_injection_is_only_a_name(tmp_path: Path) -> None:
    folder = tmp_path / "d2'); delete from ledger.exported_events; --"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    run = build_and_export(tmp_path, raw_dir=folder)
    sent = ledger_events(run)
    assert sent > 2500
    rebuilt = dbt(run, "build", raw_dir=folder)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    assert ledger_events(run) == sent, "the ledger is intact"
    again = export(PipelineRun(db=run.db, target=run.target, out=tmp_path / "again"))
    assert again.returncode == 0 and "no usage events to send" in again.stdout


def test_make_build_takes_a_folder_with_spaces_and_quotes(tmp_path: Path) -> None:
    folder = tmp_path / 'it\'s my "exports" folder'
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    env = dict(os.environ, TOTANGO_DUCKDB_PATH=str(tmp_path / "db.duckdb"))
    result = subprocess.run(["make", "--no-print-directory", "build", f"RAW_DIR={folder}"], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"raw export ok: {folder}/raw_app_events.csv" in result.stdout
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.totango_users").fetchone()[0] > 200


def test_seed_mode_and_folder_mode_give_the_same_files_on_words_a_loader_could_read_as_null(tmp_path: Path) -> None:
    rows = {}
    rows["raw_crm_accounts"] = [{"account_id": "A1", "account_name": "NULL", "industry": "null", "region": "None",
                                 "segment": "N/A", "csm_email": "na@x.com"}]  # fmt: skip
    rows["raw_crm_subscriptions"] = [{"subscription_id": "S1", "account_id": "A1", "product": "null",
                                      "plan": "NaN", "status": "active", "seats": "nan"}]  # fmt: skip
    rows["raw_app_users"] = [{"user_id": "U1", "email": "a@x.com", "account_id": "A1", "product": "null",
                              "first_name": "None", "last_name": "Null", "title": ".", "role": "n/a"}]  # fmt: skip
    rows["raw_app_events"] = [{"event_id": "E1", "user_id": "U1", "account_id": "A1", "product": "null",
                               "module": "NULL", "action": "null", "occurred_at": "2026-11-01T00:00:00Z"}]  # fmt: skip
    write_raw_exports(tmp_path / "raw", rows)
    folder_run = build_and_export(tmp_path / "folder", raw_dir=tmp_path / "raw")
    assert_seed_mode_gives_the_same_files(tmp_path / "raw", tmp_path / "seed", folder_run)
    usage = (folder_run.out / "usage.csv").read_text(encoding="utf-8")
    assert "a@x.com,A1__null,null,NULL," in usage


def test_a_raw_folder_named_like_a_pattern_reads_only_itself(tmp_path: Path) -> None:
    """DuckDB reads a path as a glob pattern: a folder drop[1] would read its sibling drop1, and a*b? any aXbY.
    Each folder here has a decoy sibling that the pattern would match, with other events; and the events of the
    real folder are Parquet files named like patterns too, day[2].parquet beside day2.parquet (both read, each
    once). Only the real folder's events are checked and sent."""
    for name, decoy in [("drop[1]", "drop1"), ("a*b?", "aXbY")]:
        real, fake = tmp_path / name, tmp_path / decoy
        write_raw_exports(fake, small_exports(["DECOY-1"]))
        write_raw_exports(real, small_exports([]))
        (real / "raw_app_events.csv").unlink()
        (real / "raw_app_events").mkdir()
        with duckdb.connect() as connection:
            for file_name, event_id in [("day[2].parquet", "E-bracket"), ("day2.parquet", "E-plain")]:
                connection.execute(
                    f"copy (select '{event_id}' as event_id, 'U1' as user_id, 'A1' as account_id, "
                    f"'Analytics' as product, 'Reports' as module, 'View' as action, "
                    f"'2026-11-01T10:00:00Z' as occurred_at) "
                    f"to {sql_literal(str(real / 'raw_app_events' / file_name))} (format parquet)"
                )
        checked = subprocess.run([sys.executable, "check_exports.py", str(real)], cwd=PROJECT_DIR,
                                 capture_output=True, text=True, check=False)  # fmt: skip
        assert checked.returncode == 0, checked.stdout + checked.stderr
        events_line = next(line for line in checked.stdout.splitlines() if "raw_app_events" in line)
        assert "2 rows" in events_line, events_line
        run = build_and_export(tmp_path / f"build-{decoy}", raw_dir=real)
        assert sent_event_ids(run) == ["E-bracket", "E-plain"], name


def test_a_raw_folder_with_a_backslash_is_refused_with_the_reason(tmp_path: Path) -> None:
    """No glob pattern matches a backslash in DuckDB: the check and the build both say so, instead of "not found"."""
    folder = tmp_path / "exports\\2026"
    write_raw_exports(folder, small_exports(["E1"]))
    checked = subprocess.run([sys.executable, "check_exports.py", str(folder)], cwd=PROJECT_DIR,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert checked.returncode == 2 and "holds a backslash" in checked.stderr, checked.stderr
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "out")
    built = dbt(run, "build", raw_dir=folder)
    assert built.returncode != 0 and "holds a backslash" in built.stdout, built.stdout[-2000:]


def test_a_column_that_only_a_later_file_of_a_folder_has_is_read(tmp_path: Path) -> None:
    """An attribute added to the users' export one day: the first file of raw_app_users/ lacks it, the second has
    it; the build (run directly: check_exports would ask for the column in every file) reads it where it is."""
    exports = small_exports(["E1"])
    exports["raw_app_users"].append({"user_id": "U2", "email": "u2@x.com", "account_id": "A1", "product": "Analytics"})
    write_raw_exports(tmp_path / "raw", exports)
    users = tmp_path / "raw" / "raw_app_users"
    users.mkdir()
    lines = (tmp_path / "raw" / "raw_app_users.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "raw" / "raw_app_users.csv").unlink()
    (users / "d1.csv").write_text("\r\n".join(lines[:2]) + "\r\n", encoding="utf-8")
    (users / "d2.csv").write_text(f"tier,{lines[0]}\r\ngold,{lines[2]}\r\n", encoding="utf-8")
    tier = {"user_attributes": [{"column": "tier", "name": "Tier", "type": "text"}]}
    run = build_and_export(tmp_path, raw_dir=tmp_path / "raw", dbt_vars=tier)
    tiers = {row["User ID"]: row["Tier"] for row in read_csv(run.out / "users.csv")}
    assert tiers == {"u1@x.com": "", "u2@x.com": "gold"}
