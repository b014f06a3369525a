"""Faults a root session cannot see (issue 16, defect 7): a read-only database, an output folder this user cannot
write, a raw file this user cannot read. Each stops the run with one line naming the file and what to do; nothing is
half-written and the export ledger is unchanged. Run as an unprivileged user (nobody, through runuser or setpriv)
on files in a temporary folder nobody can reach; skipped, saying why, where that cannot be done (not root, no
nobody, no Python nobody may run)."""

from __future__ import annotations

import functools
import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from pipeline import PROJECT_DIR, SEEDS_DIR, PipelineRun, build_and_export, dbt
from pipeline import export as export_as_root
from test_build_location import copy_project

SITE_PACKAGES = sysconfig.get_paths()["purelib"]


def as_nobody_prefix() -> list[str]:
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@functools.cache
def nobody_python() -> str | None:
    """A Python nobody may run that imports duckdb, dbt and this project: the tests' own, else the system's of the
    same version (a virtual environment under /root points at an interpreter nobody cannot reach)."""
    candidates = [sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"]
    for python in candidates:
        probe = subprocess.run(
            [*as_nobody_prefix(), "env", f"PYTHONPATH={SITE_PACKAGES}:{PROJECT_DIR}", python, "-c",
             "import duckdb, dbt.cli.main, totango_feed"],
            capture_output=True, text=True, check=False, cwd="/",
        )  # fmt: skip
        if probe.returncode == 0:
            return python
    return None


def skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "not root: switching to an unprivileged user needs root (CI runs the tests as root)"
    if not (shutil.which("runuser") or shutil.which("setpriv")):
        return "neither runuser nor setpriv is installed"
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "no user nobody"
    if nobody_python() is None:
        return f"no Python that user nobody may run imports duckdb, dbt and {PROJECT_DIR} (check their permissions)"
    return None


REASON = skip_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def run_as_nobody(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A command of this project (a script or `-m`/`-c` of the nobody-Python) as user nobody, from /."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "PYTHONPATH": f"{SITE_PACKAGES}:{PROJECT_DIR}",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    command = [*as_nobody_prefix(), "env", *[f"{k}={v}" for k, v in environment.items()], str(nobody_python()), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder nobody may enter and write in (pytest's own temporary folders are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="totango-nobody-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def built(shared: Path) -> PipelineRun:
    """The sample built and exported once (by root), in the shared folder: a ledger with one export."""
    base = shared / "built"
    base.mkdir()
    base.chmod(0o777)
    return build_and_export(base)


def ledger_state(database: Path) -> list[tuple]:
    """Everything the ledger holds (and whether it exists at all)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from duckdb_tables() where schema_name = 'ledger' order by table_name"
        ).fetchall()
        state: list[tuple] = list(tables)
        for (table,) in tables:
            state += sorted(connection.execute(f"select * from ledger.{table}").fetchall(), key=repr)
    return state


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def nobody_export(run: PipelineRun, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_as_nobody(str(PROJECT_DIR / "export.py"), "--db", str(run.db), "--out", str(out), *args)


def test_a_read_only_database_stops_the_export_in_one_line(built: PipelineRun, shared: Path) -> None:
    built.db.chmod(0o644)  # root's: nobody may read it, not write it
    before = ledger_state(built.db)
    out = shared / "out"
    result = nobody_export(built, out)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert str(built.db) in line and "read-only" in line, line
    assert result.stdout == "" and not out.exists()
    assert ledger_state(built.db) == before
    # A dry run only reads the database: it may. It writes its review (only that) into the folder.
    dry = nobody_export(built, out, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert sorted(path.name for path in out.iterdir()) == ["review.html", "review.md"]
    assert ledger_state(built.db) == before


def test_a_database_in_a_folder_the_user_cannot_write_stops_the_export_in_one_line(
    built: PipelineRun, shared: Path
) -> None:
    built.db.chmod(0o666)
    built.db.parent.chmod(0o755)  # DuckDB could not make its .wal beside the file
    before = ledger_state(built.db)
    result = nobody_export(built, shared / "out")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert ".wal" in line and str(built.db.parent) in line, line
    assert not (shared / "out").exists() and ledger_state(built.db) == before


def test_an_output_folder_the_user_cannot_write_stops_the_export_before_the_ledger(shared: Path) -> None:
    """Checked before the ledger is touched: a first export would otherwise make the ledger, and every export
    would record a run it then abandons."""
    base = shared / "first"
    base.mkdir(mode=0o777)
    base.chmod(0o777)
    run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "output")
    assert dbt(run, "build").returncode == 0
    run.db.chmod(0o666)
    out = shared / "root-only"
    out.mkdir(mode=0o755)
    before = ledger_state(run.db)
    assert before == [], "no export yet: no ledger"
    result = nobody_export(run, out)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert str(out) in line and "cannot write" in line, line
    assert list(out.iterdir()) == [] and ledger_state(run.db) == before
    # A folder that would be made inside it: the same.
    result = nobody_export(run, out / "2026-11-25")
    assert result.returncode == 1 and "cannot write" in one_line(result.stderr)
    assert list(out.iterdir()) == [] and ledger_state(run.db) == before


def test_a_manifest_the_user_cannot_read_stops_the_export_before_the_ledger(built: PipelineRun, shared: Path) -> None:
    built.db.chmod(0o666)
    built.out.chmod(0o777)
    (built.out / "manifest.json").chmod(0o600)
    before = ledger_state(built.db)
    files = sorted(path.name for path in built.out.iterdir())
    result = nobody_export(built, built.out)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "manifest.json" in line and "cannot read" in line, line
    assert sorted(path.name for path in built.out.iterdir()) == files and ledger_state(built.db) == before


def copy_sample(folder: Path) -> Path:
    folder.mkdir(mode=0o755)
    for path in SEEDS_DIR.glob("raw_*.csv"):
        shutil.copy(path, folder / path.name)
        (folder / path.name).chmod(0o644)
    return folder


def check_as_nobody(shared: Path, raw: Path, database: Path | None = None) -> subprocess.CompletedProcess[str]:
    """check_exports.py as nobody, for a build whose database, log and compiled SQL go to the shared folder."""
    return run_as_nobody(
        str(PROJECT_DIR / "check_exports.py"), str(raw), "--database", str(database or shared / "x.duckdb"),
        env={"DBT_LOG_PATH": str(shared / "logs"), "DBT_TARGET_PATH": str(shared / "target")},
    )  # fmt: skip


def test_a_raw_file_the_user_cannot_read_is_named_by_the_check(shared: Path) -> None:
    raw = copy_sample(shared / "raw")
    (raw / "raw_app_users.csv").chmod(0o600)
    result = check_as_nobody(shared, raw)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert str(raw / "raw_app_users.csv") in line and "cannot read" in line, line
    # A folder of daily files nobody may list: not "empty", but what it is.
    (raw / "raw_app_users.csv").chmod(0o644)
    (raw / "raw_app_events").mkdir(mode=0o700)
    shutil.move(raw / "raw_app_events.csv", raw / "raw_app_events" / "day1.csv")
    result = check_as_nobody(shared, raw)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert str(raw / "raw_app_events") in line and "cannot list" in line, line


def test_a_read_only_database_is_named_by_the_check_before_the_build(shared: Path) -> None:
    database = shared / "totango.duckdb"
    duckdb.connect(str(database)).close()
    database.chmod(0o644)
    result = check_as_nobody(shared, SEEDS_DIR, database)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert str(database) in line and "read-only" in line, line


def test_a_build_that_cannot_read_a_raw_file_is_never_exported(built: PipelineRun, shared: Path) -> None:
    """dbt run directly (no check before it) on a raw file nobody may read: the build fails, its record says it
    did not finish, and the export refuses in one line; the ledger keeps yesterday's export and nothing else."""
    raw = copy_sample(shared / "raw")
    (raw / "raw_app_events.csv").chmod(0o600)
    built.db.chmod(0o666)
    before = ledger_state(built.db)
    target = shared / "target"
    target.mkdir(mode=0o777)
    target.chmod(0o777)
    build = run_as_nobody(
        "-c", "from dbt.cli.main import cli; cli()", "build", "--project-dir", str(PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(target / "logs"),
        env={"TOTANGO_DUCKDB_PATH": str(built.db), "TOTANGO_RAW_DIR": str(raw)},
    )  # fmt: skip
    assert build.returncode != 0
    assert "Permission denied" in build.stdout and str(raw / "raw_app_events.csv") in build.stdout
    out = shared / "out-after-failed-build"
    for exported in (nobody_export(built, out), export_as_root(PipelineRun(built.db, built.target, out))):
        assert exported.returncode == 1
        assert "did not finish" in one_line(exported.stderr)
        assert not out.exists()
    assert ledger_state(built.db) == before


def test_a_project_folder_the_user_cannot_write_is_named_by_the_check(shared: Path) -> None:
    """dbt writes its log and compiled SQL in the project: a scheduler's user that does not own it would stop dbt
    with a traceback. The check says so first, in one line."""
    project = copy_project(shared)  # root's, 0755
    result = run_as_nobody(str(project / "check_exports.py"), str(SEEDS_DIR), "--database", str(shared / "x.duckdb"))
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert str(project / "logs") in line and "dbt writes its log" in line, line
