"""Daily runs: usage sent exactly once (the export ledger), crash safety, manifest, split files, counted usage."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline import SEEDS_DIR, PipelineRun, dbt, read_csv

from totango_feed import export as export_module
from totango_feed import ledger, output_folder

pytestmark = pytest.mark.slow  # left out by make test-fast

KILLED_BEFORE_PUBLISHING = "simulated kill before the files are renamed into place"
EVENT_COLUMNS = ["event_id", "user_id", "account_id", "product", "module", "action", "occurred_at"]


def raw_folder(base: Path) -> Path:
    folder = base / "raw"
    folder.mkdir(parents=True)
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def add_events(folder: Path, count: int, day: str) -> None:
    """Append `count` new events (new ids, on `day`), copied from valid sample events of known users."""
    path = folder / "raw_app_events.csv"
    rows = [r for r in read_csv(path) if r["event_id"].startswith("EV-0") and r["occurred_at"]][:count]
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        for number, row in enumerate(rows):
            writer.writerow(
                dict(row, event_id=f"NEW-{day}-{number:04d}", occurred_at=f"{day}T10:{number % 60:02d}:00Z")
            )


def build(run: PipelineRun, folder: Path) -> None:
    result = dbt(run, "build", raw_dir=folder)
    assert result.returncode == 0, result.stdout[-3000:]


def run_export(run: PipelineRun, out: Path, *extra: str) -> int:
    return export_module.main(["--db", str(run.db), "--out", str(out), *extra])


def export_stopped_at(
    run: PipelineRun, out: Path, monkeypatch: pytest.MonkeyPatch, *, at: tuple[object, str], error: BaseException
) -> None:
    """An export into out stopped by `error` raised at `at` (module, function): a fault, or KeyboardInterrupt as a
    kill; the export lets it through. The patch is undone after."""

    def stop(*args, **kwargs):
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(*at, stop)
        with pytest.raises(type(error)):
            run_export(run, out)


def usage_rows(out: Path, name: str = "usage.csv") -> list[dict[str, str]]:
    path = out / name
    return read_csv(path) if path.exists() else []


def ledger_events(run: PipelineRun) -> int:
    with duckdb.connect(str(run.db), read_only=True) as connection:
        tables = connection.execute("select count(*) from duckdb_tables() where schema_name = 'ledger'").fetchone()[0]
        if not tables:
            return 0
        return connection.execute("select count(*) from ledger.exported_events").fetchone()[0]


@pytest.fixture
def pipeline(tmp_path: Path) -> tuple[PipelineRun, Path]:
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    folder = raw_folder(tmp_path)
    build(run, folder)
    return run, folder


def test_each_event_is_sent_once_across_daily_runs(pipeline, tmp_path: Path) -> None:
    run, folder = pipeline
    assert run_export(run, tmp_path / "day1") == 0
    first = usage_rows(tmp_path / "day1")
    assert len(first) > 2500
    assert ledger_events(run) == len(first)

    # Same data again: no usage at all; accounts and users are always written whole.
    build(run, folder)
    assert run_export(run, tmp_path / "day2") == 0
    assert not (tmp_path / "day2" / "usage.csv").exists()
    assert len(read_csv(tmp_path / "day2" / "accounts.csv")) == len(read_csv(tmp_path / "day1" / "accounts.csv"))
    assert len(read_csv(tmp_path / "day2" / "users.csv")) == len(read_csv(tmp_path / "day1" / "users.csv"))

    # New events arrive: exactly those are sent.
    add_events(folder, 40, "2026-11-30")
    build(run, folder)
    assert run_export(run, tmp_path / "day3") == 0
    third = usage_rows(tmp_path / "day3")
    assert len(third) == 40
    assert {row["Timestamp"][:10] for row in third} == {"2026-11-30"}
    manifest = json.loads((tmp_path / "day3" / "manifest.json").read_text())
    assert manifest["usage"]["events"] == 40
    assert ledger_events(run) == len(first) + 40

    # --full sends everything again, and records that it did.
    assert run_export(run, tmp_path / "again", "--full") == 0
    assert len(usage_rows(tmp_path / "again")) == len(first) + 40


def test_an_error_between_writing_and_recording_undoes_itself(
    pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, _ = pipeline
    out = tmp_path / "out"
    export_stopped_at(
        run, out, monkeypatch, at=(ledger, "record_run"), error=RuntimeError("before the ledger is written")
    )
    assert ledger_events(run) == 0
    assert not out.exists(), "nothing is published, the temporaries are gone, and so is the folder it made"

    assert run_export(run, out) == 0
    assert len(usage_rows(out)) > 2500, "the next run sends the events"
    assert ledger_events(run) == len(usage_rows(out))


def test_a_crash_between_recording_and_publishing_is_finished_by_the_next_export(
    pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run, _ = pipeline
    out = tmp_path / "out"
    export_stopped_at(
        run, out, monkeypatch, at=(output_folder, "publish"), error=KeyboardInterrupt(KILLED_BEFORE_PUBLISHING)
    )
    assert ledger_events(run) > 0, "recorded, not published"
    assert not (out / "usage.csv").exists()

    assert run_export(run, tmp_path / "next") == 0
    assert "was recorded but its publish did not finish: completed it" in capsys.readouterr().out
    assert len(usage_rows(out)) == ledger_events(run) > 2500, "the first export's files are in place, sent once"
    assert not (tmp_path / "next" / "usage.csv").exists()
    with duckdb.connect(str(run.db), read_only=True) as connection:
        statuses = sorted(r[0] for r in connection.execute("select status from ledger.export_runs").fetchall())
    assert statuses == ["published", "published"]


def test_dry_run_writes_only_its_review_and_records_nothing(
    pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run, _ = pipeline
    assert run_export(run, tmp_path / "dry", "--dry-run") == 0
    said = capsys.readouterr().out
    assert "usage events, events not yet exported" in said and "nothing published, nothing recorded" in said
    assert sorted(p.name for p in (tmp_path / "dry").iterdir()) == ["review.html", "review.md"]
    assert ledger_events(run) == 0


def test_manifest_describes_every_file(pipeline, tmp_path: Path) -> None:
    run, _ = pipeline
    out = tmp_path / "out"
    assert run_export(run, out) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["name"] for f in manifest["files"]] == ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]
    for entry in manifest["files"]:
        content = (out / entry["name"]).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["rows"] == len(read_csv(out / entry["name"]))
    stamps = [row["Timestamp"] for row in usage_rows(out)]
    assert manifest["usage"] == {"events": len(stamps), "first_timestamp": min(stamps), "last_timestamp": max(stamps)}
    assert manifest["run_id"] and manifest["created_at"].endswith("Z")


def test_files_over_the_limit_are_split_into_parts_with_headers(pipeline, tmp_path: Path) -> None:
    run, _ = pipeline
    assert run_export(run, tmp_path / "whole") == 0
    assert run_export(run, tmp_path / "parts", "--full", "--max-file-mb", "0.04") == 0
    whole = (tmp_path / "whole" / "usage.csv").read_text(encoding="utf-8").splitlines()
    parts = sorted((tmp_path / "parts").glob("usage-*.csv"))
    assert len(parts) >= 7, [p.name for p in parts]
    assert not (tmp_path / "parts" / "usage.csv").exists()
    joined: list[str] = []
    for part in parts:
        assert part.stat().st_size <= 40_000, part.name
        lines = part.read_text(encoding="utf-8").splitlines()
        assert lines[0] == whole[0], "each part has the header"
        joined += lines[1:]
    assert joined == whole[1:], "the parts hold every row once, in order"
    users_parts = sorted((tmp_path / "parts").glob("users-*.csv"))
    assert len(users_parts) == 2


def test_counted_usage_adds_up_to_the_events(pipeline, tmp_path: Path) -> None:
    run, _ = pipeline
    assert run_export(run, tmp_path / "events") == 0
    assert run_export(run, tmp_path / "counted", "--full", "--counted") == 0
    events = usage_rows(tmp_path / "events")
    counted = usage_rows(tmp_path / "counted", "usage_counted.csv")
    assert not (tmp_path / "counted" / "usage.csv").exists()
    assert list(counted[0]) == ["User ID", "Account ID", "Action", "Module", "Timestamp", "Count"]
    assert sum(int(row["Count"]) for row in counted) == len(events)
    keys = [(r["User ID"], r["Account ID"], r["Module"], r["Action"]) for r in counted]
    assert len(keys) == len(set(keys)) < len(events)
    expected: dict[tuple[str, str, str, str], int] = {}
    for row in events:
        key = (row["User ID"], row["Account ID"], row["Module"], row["Action"])
        expected[key] = expected.get(key, 0) + 1
    assert {key: int(row["Count"]) for key, row in zip(keys, counted, strict=True)} == expected


def test_a_review_cut_short_by_a_crash_is_put_in_place_by_the_next_export(
    pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The review of an export that goes on waits under a temporary name and is put in place with its files; a
    crash between recording and publishing leaves both for the next export, which finishes them. That run kept no
    snapshot (the export stopped before it could), and the next review says so."""
    run, _ = pipeline
    out = tmp_path / "out"
    export_stopped_at(
        run, out, monkeypatch, at=(output_folder, "publish"), error=KeyboardInterrupt(KILLED_BEFORE_PUBLISHING)
    )
    assert not (out / "review.html").exists(), "no page saying 'published' beside an export not in place"
    assert sorted(p.name for p in out.glob(".review.*.partial")) != []
    capsys.readouterr()
    assert run_export(run, tmp_path / "next") == 0
    assert sorted(p.name for p in out.iterdir()) == ["accounts.csv", "data_issues.csv", "manifest.json", "review.html",
                                                     "review.md", "usage.csv", "users.csv"]  # fmt: skip
    first_run = json.loads((out / "manifest.json").read_text())["run_id"]
    assert first_run in (out / "review.html").read_text(encoding="utf-8")
    assert f"The last published export, `{first_run}`, has no snapshot" in (tmp_path / "next" / "review.md").read_text(
        encoding="utf-8"
    )
