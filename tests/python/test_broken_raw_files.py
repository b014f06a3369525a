"""Broken raw files: each is either loaded correctly or stopped with one line naming the file, the line and
what to do, before anything is built or written."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pipeline import PROJECT_DIR, SEEDS_DIR, PipelineRun, build_and_export, dbt, export

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

OUTPUT_NAMES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]


def sample_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_DIR / "check_exports.py"), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


def append_bytes(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


def replace_line(path: Path, line_number: int, new_line: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[line_number - 1] = new_line
    path.write_bytes(b"\n".join(lines))


def edit_line(path: Path, line_number: int, edit: Callable[[bytes], bytes]) -> None:
    """Line line_number (from 1) of the file, as edit makes it of itself."""
    replace_line(path, line_number, edit(path.read_bytes().split(b"\n")[line_number - 1]))


# Each case: the export damaged, how (on its file, from a copy of the sample), and words its one line must hold.
BROKEN = {
    "trailing report footer": ("raw_crm_accounts", lambda p: append_bytes(p, b"Grand Totals (47 records)\n"),
        ["line 49", "1 field(s) where the header has 9", "report footer: remove it"]),
    "row with too many fields": ("raw_app_events", lambda p: edit_line(p, 10, lambda line: line + b",extra"),
        ["line 10", "8 field(s) where the header has 7", "fix or remove that row"]),
    "row with too few fields": ("raw_app_users", lambda p: replace_line(p, 5, b"U77777,x@example.com,ACC-101"),
        ["line 5", "3 field(s) where the header has 11", "fix or remove that row"]),
    "file that is not UTF-8": ("raw_app_users",
        lambda p: replace_line(p, 7, "U12345,zoë@example.com,ACC-101,Analytics,Zoë,,,,,,".encode("latin-1")),
        ["line 7", "not UTF-8", "save it as UTF-8"]),
    "quote left open": ("raw_crm_subscriptions",
        lambda p: replace_line(p, 3, b'SUB-1,ACC-101,"Analytics,Pro,1,1,USD,,,active'),
        ["line 3", "quote is opened and not closed"]),
    "missing required column": ("raw_app_events",
        lambda p: p.write_bytes(p.read_bytes().replace(b",occurred_at\n", b"\n", 1)),
        ["line 1", "occurred_at missing from the header", "add them"]),
    "empty file": ("raw_crm_subscriptions", lambda p: p.write_bytes(b""),
        ["line 1", "the file is empty", "export it again, with its header row"]),
    "missing file": ("raw_app_events", lambda p: p.unlink(), ["not found", "put the raw_app_events export there"]),
    "carriage return inside an unquoted value": ("raw_crm_accounts",
        lambda p: edit_line(p, 3, lambda line: line.replace(b",", b",x\ry", 1)),
        ["line 3", "a carriage return (CR) inside a value that is not quoted"]),
    "event file the build would not read": ("raw_app_events",
        lambda p: (p.with_suffix("").mkdir(), shutil.move(p, p.with_suffix("") / "day1.csv"),
                   (p.with_suffix("") / "day2.CSV").write_bytes(b"")),
        ["raw_app_events/day2.CSV: not read", "only .csv or only .parquet files"]),
    "column named twice": ("raw_app_events", lambda p: edit_line(p, 1, lambda line: line + b",action"),
        ["line 1", "action appear more than once in the header", "keep one"]),
    "semicolon-separated file": ("raw_crm_accounts", lambda p: p.write_bytes(p.read_bytes().replace(b",", b";")),
        ["line 1", "separated by semicolons (;), not commas", "comma-separated CSV"]),
    "compressed file": ("raw_app_events",
        lambda p: (p.with_name(p.name + ".gz").write_bytes(gzip.compress(p.read_bytes())), p.unlink()),
        ["raw_app_events.csv.gz", "compressed (gzip): decompress it"]),
    "row of 3 MB": ("raw_app_events",
        lambda p: replace_line(p, 5, b"E-LONG,U00001,ACC-101,Analytics,Reports," + b"x" * 3_000_000 + b",2026-01-01"),
        ["line 5", "3,000,0", "more than the 2,000,000 a row may have", "fix or remove that row"]),
    "export given twice": ("raw_app_events",
        lambda p: (p.with_suffix("").mkdir(), shutil.copy(p, p.with_suffix("") / "day.csv")),
        ["more than one copy of the raw_app_events export", "keep exactly one"]),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_gets_one_clear_line(tmp_path: Path, case: str) -> None:
    export_name, damage, expected_words = BROKEN[case]
    folder = sample_folder(tmp_path)
    damage(folder / f"{export_name}.csv")
    result = check(folder)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"raw export error: {folder / export_name}"), lines[0]
    for words in expected_words:
        assert words in lines[0], lines[0]


def test_the_sample_seeds_pass_the_check() -> None:
    result = check(SEEDS_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("raw export ok:") == 4


def test_byte_order_marks_and_windows_line_endings_load_as_the_seeds_do(tmp_path: Path, sample_run) -> None:
    """Folder mode on a copy of the sample saved by Windows tools gives the same files as the seed run."""
    folder = sample_folder(tmp_path)
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert check(folder).returncode == 0
    run = build_and_export(tmp_path / "build", raw_dir=folder)
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_a_build_on_a_broken_file_fails_and_nothing_is_exported(tmp_path: Path) -> None:
    """Even without the check, a broken file stops dbt, and export.py then refuses: no half-written output."""
    folder = sample_folder(tmp_path)
    append_bytes(folder / "raw_app_events.csv", b"x,y\n")
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=folder)
    assert built.returncode != 0
    assert "Traceback" not in built.stdout + built.stderr
    exported = export(run)
    assert exported.returncode == 1 and "export refused" in exported.stderr
    assert not run.out.exists()


@pytest.mark.parametrize("where", ["raw_crm_subscriptions.csv", "raw_app_events/day-2.csv"])
def test_a_build_on_an_empty_file_names_it_as_the_check_does(tmp_path: Path, where: str) -> None:
    """An empty file (no header row), given to a build without the check (a scheduler that runs dbt alone), stops the
    build with the check's words, naming the file: not a reader's error that names neither the file nor the cure.
    An empty day file beside others is the case a feed meets: an exporter that wrote nothing on a quiet day."""
    folder = sample_folder(tmp_path)
    if where.startswith("raw_app_events/"):
        days = folder / "raw_app_events"
        days.mkdir()
        shutil.move(folder / "raw_app_events.csv", days / "day-1.csv")
    (folder / where).write_bytes(b"")
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=folder)
    output = built.stdout + built.stderr
    assert built.returncode != 0
    assert "Traceback" not in output
    said = f"{folder / where}: line 1: the file is empty; export it again, with its header row."
    assert said in output, output[-3000:]
