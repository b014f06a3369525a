"""make daily / daily.py: both RAW_DIR and DROP required, one run at a time, the whole day end to end, and the exit
codes a scheduler acts on (a brake stops the day before delivery with its own code)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from delivery_world import one_line
from pipeline import PROJECT_DIR
from test_exactly_once import World, event

from totango_feed.delivery import daily

pytestmark = pytest.mark.slow  # left out by make test-fast


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The day's files in tmp_path: database, dbt's target and logs, the export folders and the lock."""
    return {
        **os.environ,
        "TOTANGO_DUCKDB_PATH": str(tmp_path / "totango.duckdb"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "TOTANGO_DAILY_DIR": str(tmp_path / "daily"),
        **extra,
    }


def run_daily(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT_DIR / "daily.py")], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("variables", "missing"), [({"DROP": "file:///tmp/x"}, "RAW_DIR"), ({"RAW_DIR": "/x"}, "DROP")]
)
def test_make_daily_needs_both_raw_dir_and_drop(tmp_path: Path, variables: dict[str, str], missing: str) -> None:
    """A cron line that lost RAW_DIR must not build and send the sample seeds."""
    command = ["make", "--no-print-directory", "daily", *[f"{name}={value}" for name, value in variables.items()]]
    env = environment(tmp_path, TOTANGO_RAW_DIR="", TOTANGO_DROP="")
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert f"{missing}=" in result.stderr and "required" in result.stderr
    assert not (tmp_path / "totango.duckdb").exists()
    direct = run_daily(environment(tmp_path, TOTANGO_RAW_DIR=variables.get("RAW_DIR", ""),
                                   TOTANGO_DROP=variables.get("DROP", "")))  # fmt: skip
    assert direct.returncode == 2
    assert f"{missing} not given" in one_line(direct.stderr)


def test_a_day_checks_builds_exports_delivers_and_the_next_day_says_a_usage_file_waits(tmp_path: Path) -> None:
    world = World(tmp_path / "world")
    world.deliver([event("E1"), event("E2")])
    drop = tmp_path / "drop"
    env = environment(tmp_path, TOTANGO_RAW_DIR=str(world.raw), TOTANGO_DROP=f"file://{drop}")
    first = run_daily(env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr
    exported = [p for p in (tmp_path / "daily").iterdir() if p.is_dir()]
    assert len(exported) == 1, "each day exports into a folder of its own"
    assert sorted(p.name for p in drop.iterdir()) == ["accounts.csv", "manifest.json", "usage.csv", "users.csv"]
    assert (drop / "usage.csv").read_bytes() == (exported[0] / "usage.csv").read_bytes()

    world.deliver([event("E1"), event("E2"), event("E3")])
    second = run_daily(env)
    assert second.returncode == 4, second.stdout[-3000:] + second.stderr
    assert "may not have loaded yet" in second.stderr
    assert "the day's exit code is 4" in second.stderr


def test_a_second_run_while_one_holds_the_lock_does_nothing(tmp_path: Path) -> None:
    (tmp_path / "daily").mkdir()
    with (tmp_path / "daily" / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_daily(environment(tmp_path, TOTANGO_RAW_DIR=str(tmp_path), TOTANGO_DROP="file:///nowhere"))
    assert result.returncode == 99
    assert "another daily run holds" in one_line(result.stderr)
    assert not (tmp_path / "totango.duckdb").exists()


def test_raw_files_the_check_refuses_stop_the_day_with_code_2(tmp_path: Path) -> None:
    empty = tmp_path / "raw"
    empty.mkdir()
    result = run_daily(environment(tmp_path, TOTANGO_RAW_DIR=str(empty), TOTANGO_DROP=f"file://{tmp_path}/drop"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert not (tmp_path / "drop").exists()


@pytest.mark.parametrize(("export_code", "day_code"), [(3, 3), (1, 1)])
def test_an_export_held_by_a_brake_stops_the_day_before_delivery_with_its_own_code(
    tmp_path: Path, export_code: int, day_code: int
) -> None:
    ran: list[str] = []

    def step(name: str, command: list[str], env: dict[str, str]) -> int:
        ran.append(name)
        return export_code if name == "export" else 0

    args = daily.parse_arguments(["--raw-dir", str(tmp_path), "--drop", "file:///x", "--daily-dir", str(tmp_path)])
    assert daily.run_day(args, run=step) == day_code
    assert ran == ["check", "build", "export"], "nothing is delivered"


def test_a_daily_dir_that_cannot_be_made_is_refused_with_one_line(tmp_path: Path) -> None:
    """--daily-dir (or TOTANGO_DAILY_DIR) under a file: mkdir raised, uncaught: a traceback."""
    blocking = tmp_path / "a-file"
    blocking.write_text("x")
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "daily.py"), "--raw-dir", str(tmp_path / "raw"), "--drop",
         f"file://{tmp_path}/drop", "--daily-dir", str(blocking / "daily")],
        cwd=PROJECT_DIR, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert f"cannot make or write the daily folder {blocking / 'daily'}" in line and "--daily-dir" in line


@pytest.mark.parametrize("variables", ["{send_all_accounts: true}", ""])
def test_the_vars_of_make_daily_reach_the_check_and_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: str
) -> None:
    """make daily VARS=... sets TOTANGO_VARS, as make run does; daily.py gave neither the check nor the build
    --vars. Unset, neither gets one (as make run)."""
    monkeypatch.setenv("TOTANGO_VARS", variables)
    commands: dict[str, list[str]] = {}

    def record(name: str, command: list[str], env: dict[str, str]) -> int:
        commands[name] = command
        return 0

    args = daily.parse_arguments(["--raw-dir", str(tmp_path), "--drop", f"file://{tmp_path}/drop",
                                  "--daily-dir", str(tmp_path / "daily")])  # fmt: skip
    assert daily.run_day(args, run=record) == 0
    for step in ("check", "build"):
        given = commands[step][commands[step].index("--vars") + 1] if "--vars" in commands[step] else None
        assert given == (variables or None), commands[step]
    assert "--vars" not in commands["export"] + commands["deliver"]


def test_a_day_with_the_users_own_headers_given_as_vars_is_delivered(tmp_path: Path) -> None:
    """Raw exports whose account id column is 'Id', mapped by VARS as for make run: the check refused the header
    (exit 2), since it was never given the mapping."""
    world = World(tmp_path / "world")
    world.deliver([event("E1")])
    accounts = world.raw / "raw_crm_accounts.csv"
    header, rest = accounts.read_text(encoding="utf-8").split("\n", 1)
    accounts.write_text(header.replace("account_id", "Id", 1) + "\n" + rest, encoding="utf-8")
    drop = tmp_path / "drop"
    env = environment(tmp_path, TOTANGO_RAW_DIR=str(world.raw), TOTANGO_DROP=f"file://{drop}",
                      TOTANGO_VARS="{raw_column_names: {raw_crm_accounts: {account_id: Id}}}")  # fmt: skip
    result = run_daily(env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert b"A1" in (drop / "accounts.csv").read_bytes()
