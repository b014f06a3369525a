"""check_exports.py reads each raw file once per content (issue 17): a file found sound before (the same bytes,
the same expected headers) is not read again; a changed file, or a changed expectation, is; a bad file is never
remembered; --recheck reads everything."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pipeline import SEEDS_DIR

from totango_feed import hash_cache, raw_checks

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "raw_app_events").mkdir(parents=True)
    for name in ("raw_crm_accounts", "raw_crm_subscriptions", "raw_app_users"):
        (raw / f"{name}.csv").write_bytes((SEEDS_DIR / f"{name}.csv").read_bytes())
    lines = (SEEDS_DIR / "raw_app_events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (raw / "raw_app_events" / "day1.csv").write_text("".join(lines[:1000]), encoding="utf-8")
    (raw / "raw_app_events" / "day2.csv").write_text(lines[0] + "".join(lines[1000:]), encoding="utf-8")
    return raw


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSV files the check reads, in order."""
    seen: list[str] = []
    real = raw_checks.check_csv

    def counting(connection, path, expected):  # noqa: ANN001, ANN202 - the wrapped function's own signature
        seen.append(path.name)
        return real(connection, path, expected)

    monkeypatch.setattr(raw_checks, "check_csv", counting)
    return seen


def test_a_file_found_sound_is_not_read_again(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    database = tmp_path / "totango.duckdb"
    first = raw_checks.check_folder(folder, memory_database=database)
    assert sorted(reads) == sorted(
        ["raw_crm_accounts.csv", "raw_crm_subscriptions.csv", "raw_app_users.csv", "day1.csv", "day2.csv"]
    )
    reads.clear()
    again = raw_checks.check_folder(folder, memory_database=database)
    assert reads == []
    assert [(r.rows, r.error) for r in again] == [(r.rows, r.error) for r in first]

    # A new day file and a renamed one: only the new content is read.
    (folder / "raw_app_events" / "day2.csv").rename(folder / "raw_app_events" / "day2-renamed.csv")
    lines = (folder / "raw_app_events" / "day1.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "raw_app_events" / "day3.csv").write_text(lines[0] + lines[1].replace("EV-", "EV-new-"), "utf-8")
    third = raw_checks.check_folder(folder, memory_database=database)
    assert reads == ["day3.csv"]
    events_before = next(r for r in first if "raw_app_events" in str(r.file))
    events = next(r for r in third if "raw_app_events" in str(r.file))
    assert (events.rows, events.files) == (events_before.rows + 1, 3)


def test_a_changed_or_bad_file_is_read_again(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    database = tmp_path / "totango.duckdb"
    raw_checks.check_folder(folder, memory_database=database)
    day1 = folder / "raw_app_events" / "day1.csv"
    day1.write_text(day1.read_text(encoding="utf-8") + "E-extra,U1\n", encoding="utf-8")  # a ragged row
    reads.clear()
    results = raw_checks.check_folder(folder, memory_database=database)
    assert reads == ["day1.csv"]
    assert any(r.error and "day1.csv" in r.error for r in results)
    reads.clear()
    raw_checks.check_folder(folder, memory_database=database)
    assert reads == ["day1.csv"], "a bad file must never be remembered as sound"


def test_recheck_reads_every_file(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    database = tmp_path / "totango.duckdb"
    raw_checks.check_folder(folder, memory_database=database)
    reads.clear()
    raw_checks.check_folder(folder, memory_database=None)
    assert len(reads) == 5
    reads.clear()
    assert raw_checks.main([str(folder), "--database", str(database), "--recheck"]) == 0
    assert len(reads) == 5


def test_a_database_that_cannot_be_used_only_costs_time(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    """A database in a folder that does not exist (or locked by a build): every file is read, nothing fails."""
    results = raw_checks.check_folder(folder, memory_database=tmp_path / "missing" / "totango.duckdb")
    assert not [r.error for r in results if r.error]
    assert len(reads) == 5


def test_a_second_check_does_not_even_read_unchanged_files(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """The hashes come from the database's kept hashes where a file's stamp did not change (hash_cache.py): a daily
    check of a year of day files reads the new day only, not every byte to hash them. A file rewritten is read."""
    opened = []
    real_open = open

    def counting_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - open's own signature
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(hash_cache, "open", counting_open, raising=False)
    real_time_ns = time.time_ns  # the check runs well after the files were written, as a daily check does
    monkeypatch.setattr(hash_cache, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 3_000_000_000))
    database = tmp_path / "totango.duckdb"
    raw_checks.check_folder(folder, memory_database=database)
    assert len(opened) == 5
    opened.clear()
    again = raw_checks.check_folder(folder, memory_database=database)
    assert opened == [] and not [r.error for r in again if r.error]
    day1 = folder / "raw_app_events" / "day1.csv"
    day1.write_text(day1.read_text(encoding="utf-8") + "E-extra,U1\n", encoding="utf-8")  # a ragged row
    results = raw_checks.check_folder(folder, memory_database=database)
    assert opened == ["day1.csv"]
    assert any(r.error and "day1.csv" in r.error for r in results)
