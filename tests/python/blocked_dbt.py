"""A dbt command held at a chosen point of a build: a hook added to a model of a copy of the project reads a named
pipe that nobody writes yet, so dbt blocks there (inside the model's transaction, after the hooks before it).
The test then kills it there (SIGKILL: nothing of dbt's cleans up) or writes to the pipe to let it go on.

Where the hook goes is the caller's to say (a hook list, or a hook's text in it), so that renaming a macro of the
project changes only the test that names it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline import BIN_DIR, PipelineRun

from totango_feed.sql import sql_literal

# How long a build may take to reach the pipe (a first build on a loaded machine can be slow).
REACH_SECONDS = 600


def pipe_read_sql(pipe: Path) -> str:
    """The statement that blocks until something writes to the named pipe; dbt's log shows it when dbt runs it."""
    return f"select * from read_text({sql_literal(str(pipe))})"


def add_pipe_hook(model: Path, pipe: Path, hook: str, after: str | None = None) -> None:
    """Make the named pipe and add a hook reading it to the model's `hook` list (pre_hook or post_hook): right after
    the hook whose text (as written in the list, quotes included) is `after`, else first; a model with no such list
    gets one."""
    os.mkfifo(pipe)
    source = model.read_text(encoding="utf-8")
    wait = '"' + pipe_read_sql(pipe) + '"'
    if after is not None:
        assert f"{hook}=[" in source and after in source, f"{model.name} has no {hook} {after}"
        source = source.replace(after, f"{after}, {wait}", 1)
    elif f"{hook}=[" in source:
        source = source.replace(f"{hook}=[", f"{hook}=[{wait}, ", 1)
    else:
        source = f"{{{{ config({hook}=[{wait}]) }}}}\n" + source
    model.write_text(source, encoding="utf-8")


@dataclass(frozen=True)
class BlockedDbt:
    process: subprocess.Popen
    pipe: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def release(self) -> int:
        """Let dbt read the pipe and go on; its exit code once it ends."""
        with self.pipe.open("w", encoding="utf-8") as handle:
            handle.write("go\n")
        return self.process.wait(timeout=REACH_SECONDS)


@contextmanager
def dbt_blocked_at_pipe(
    project: Path, pipe: Path, run: PipelineRun, raw_dir: Path, scratch: Path, *args: str
) -> Iterator[BlockedDbt]:
    """Run `dbt *args` in the project (a copy, with add_pipe_hook's hook) on the run's database and raw folder, and
    yield once its log shows it reading the pipe. A dbt still running when the block ends is killed (SIGKILL)."""
    env = {**os.environ, "TOTANGO_DUCKDB_PATH": str(run.db), "DBT_PROFILES_DIR": str(project),
           "TOTANGO_RAW_DIR": str(raw_dir), "PYTHONPATH": str(project)}  # fmt: skip
    command = [str(BIN_DIR / "dbt"), *args, "--target-path", str(scratch / "target"), "--log-path", str(scratch)]
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    blocked = BlockedDbt(process, pipe, scratch / "dbt.log")
    try:
        deadline = time.monotonic() + REACH_SECONDS
        while not (blocked.log.exists() and pipe_read_sql(pipe) in blocked.log_text()):
            assert process.poll() is None, "the build ended before it reached the pipe"
            assert time.monotonic() < deadline, "the build never reached the pipe"
            time.sleep(0.5)
        yield blocked
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()


def kill_dbt_blocked_at_pipe(
    project: Path, pipe: Path, run: PipelineRun, raw_dir: Path, scratch: Path, *args: str
) -> str:
    """Run `dbt *args` as dbt_blocked_at_pipe does and kill it where it blocks; dbt.log's text up to then."""
    with dbt_blocked_at_pipe(project, pipe, run, raw_dir, scratch, *args) as blocked:
        # The log shows the statement as dbt sends it: a moment later DuckDB is inside the read, blocked.
        time.sleep(1)
        return blocked.log_text()
