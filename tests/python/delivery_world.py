"""Helpers of the delivery tests: published exports to deliver, deliver.py run as a process (killed on purpose at
a chosen step where a test asks), and what a drop holds.

Two days of a small world (test_exactly_once's) are built and exported once per session; each test gets its own
copy of the database and export folders (the ledger's out_dir rewritten to the copy), so that no test sees
another's deliveries.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pipeline import PROJECT_DIR
from test_exactly_once import World, event

# deliver.py's main() with a prelude first (a test's hook: another writer, say), and where asked killed with
# SIGKILL (nothing cleans up) at the n-th call of a function, as a real kill would. The target is a class of a
# module of totango_feed.delivery, or (cls None) the module itself.
RUNNER = """
import os, signal, sys
{prelude}
kill_at = {kill_at!r}
if kill_at:
    import importlib
    module_name, cls, function, call = kill_at
    module = importlib.import_module("totango_feed.delivery." + module_name)
    target = getattr(module, cls) if cls not in (None, "None") else module
    real = getattr(target, function)
    calls = [0]
    def dying(*args, **kwargs):
        calls[0] += 1
        if calls[0] == call:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(target, function, dying)
from totango_feed.delivery.cli import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class Exports:
    """A database whose ledger holds published exports, and their folders."""

    base: Path
    db: Path
    days: tuple[Path, ...]

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db)) as connection:
            return connection.execute(sql, parameters or []).fetchall()

    def run_ids(self) -> list[str]:
        """The published exports in the order they were made (the ledger's order, as deliver.py takes them)."""
        return [row[0] for row in self.query(
            "select run_id from ledger.export_runs where status = 'published' order by rowid"
        )]  # fmt: skip


def build_two_days(base: Path) -> Exports:
    """Day 1 sends events E1 and E2, day 2 sends E3 (every event re-delivered in one raw file each day)."""
    world = World(base)
    days = []
    for day, events in enumerate([["E1", "E2"], ["E1", "E2", "E3"]], start=1):
        world.deliver([event(event_id) for event_id in events])
        world.build_ok()
        out = base / "out" / f"day{day}"
        assert world.export(out) == 0
        days.append(out)
    return Exports(base, world.run.db, tuple(days))


def copy_exports(source: Exports, base: Path) -> Exports:
    """A copy of the database and export folders, the ledger pointing at the copied folders."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copy(source.db, base / "totango.duckdb")
    days = []
    for folder in source.days:
        copy = base / "out" / folder.name
        shutil.copytree(folder, copy)
        days.append(copy)
    copied = Exports(base, base / "totango.duckdb", tuple(days))
    for original, copy in zip(source.days, days, strict=True):
        copied.query("update ledger.export_runs set out_dir = ? where out_dir = ?", [str(copy), str(original)])
    return copied


def deliver(
    exports: Exports,
    destination: str,
    *args: str,
    env: dict[str, str | None] | None = None,
    kill_at: tuple | None = None,
    prelude: str = "",
) -> subprocess.CompletedProcess[str]:
    """deliver.py as a process (env: variables to set, or with None to unset); kill_at (module, class, function,
    call) kills it with SIGKILL at that call; prelude: Python run before deliver's main (a test's hook)."""
    arguments = [destination, "--db", str(exports.db), *args]
    if kill_at is None and not prelude:
        command = [sys.executable, str(PROJECT_DIR / "deliver.py"), *arguments]
    else:
        command = [sys.executable, "-c", RUNNER.format(prelude=prelude, kill_at=kill_at), *arguments]
    environment = {**os.environ, **(env or {})}
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run(command, cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, check=False)


def usage_events(files: list[tuple[str, bytes]]) -> dict[str, int]:
    """How many times each event id is in the usage files given as (name, content)."""
    counts: dict[str, int] = {}
    for name, content in files:
        if not name.startswith("usage"):
            continue
        for row in csv.DictReader(content.decode("utf-8").splitlines()):
            event_id = row["Action"].removeprefix("act-")
            counts[event_id] = counts.get(event_id, 0) + 1
    return counts


def folder_files(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under a folder on this machine, as (name, content)."""
    return [(path.name, path.read_bytes()) for path in sorted(folder.rglob("*")) if path.is_file()]


def one_line(stderr: str) -> str:
    """The error of a run, which must be exactly one line and no traceback."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr, stderr
    return lines[0]
