"""dbt run inside the test process (dbtRunner), for speed: a dbt command started as a new process spends seconds
importing dbt and parsing the project before it does anything, and the suite runs hundreds of them. Here the
project is parsed once per kind of run and the parsed project (the manifest) is handed to each command.

What a parse depends on is the key of its cache: the project folder, the mode (seed mode or folder mode: the seeds
are on or off, and models follow the seeds only in seed mode), the --vars given, and the database file's name (the
catalog name DuckDB gives the models). The environment each command sees (TOTANGO_DUCKDB_PATH, TOTANGO_RAW_DIR) is
set for the command and restored after it, and the database file dbt-duckdb keeps open is closed, so that
export.py and the tests can open it. Builds on Spark, and commands a test must be able to kill, still run as a
process of their own (pipeline.dbt).

Two savings, each leaving every check in place:
- dbt's unit tests mock their inputs, so their result depends on the project, the mode and the vars, never on a
  world's data: the first whole `dbt build` of each kind of run in this process runs them, and later builds of the
  same kind leave them out (`--exclude-resource-type unit_test`). A build that selects nodes, or failed, does not
  count as the one that ran them. A build asked for with all_unit_tests runs them whatever ran before (the builds
  whose tests check that every unit test passed: pipeline.assert_every_unit_test_passed).
- dbt's log file is not written (`--log-level-file none`): nothing here reads it, and writing it cost about a tenth
  of a small build (a rotation check per line). Commands a test kills run as processes of their own and keep their
  log file (blocked_dbt.py reads it).
- dbt's console logger is off too (`--log-level none`): it formats every event, the debug ones included, before
  Python's logging drops those under its level (estimated at a seventh of a small build's CPU; a py-spy profile of
  six builds then put it under 2%, docs/testing.md). A callback
  writes the message of each event at level info, warn or error into the output instead: what the console shows,
  without its time stamps, the output a test reads.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

_MANIFESTS: dict[tuple, object] = {}
# The kinds of run (keys as for _MANIFESTS) whose unit tests a whole build in this process has run and passed.
_UNIT_TESTED: set[tuple] = set()
# Options that choose nodes: a build given one of them does not run every unit test.
_SELECTING_OPTIONS = ("-s", "--select", "--selector", "--exclude", "--resource-type", "--resource-types",
                      "--exclude-resource-type", "--exclude-resource-types")  # fmt: skip
# Options that only say where dbt writes its own files: not part of what a parse depends on.
_PLACE_OPTIONS = ("--target-path", "--log-path")
# The levels of dbt's events its console shows by default (--log-level info).
_CONSOLE_LEVELS = ("info", "warn", "error")


def _vars_of(args: tuple[str, ...]) -> str | None:
    return next((args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--vars"), None)


def _place_of(args: tuple[str, ...]) -> list[str]:
    place: list[str] = []
    for i, arg in enumerate(args[:-1]):
        if arg in _PLACE_OPTIONS:
            place += [arg, args[i + 1]]
    return place


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _close_database() -> None:
    """dbt-duckdb keeps its database open in the process after a command: closed here, as a new process would."""
    environment = DuckDBConnectionManager._ENV  # noqa: SLF001 - dbt-duckdb has no public way to close it
    if environment is not None:
        environment.close()
    DuckDBConnectionManager._ENV = None  # noqa: SLF001


def _console_lines(output: io.StringIO) -> Callable[[EventMsg], None]:
    """A dbt callback writing what the console would show (each event at level info or above; a print() of a
    macro is at info) into output, one message a line."""

    def write(message: EventMsg) -> None:
        if message.info.level in _CONSOLE_LEVELS:
            output.write(message.info.msg + "\n")

    return write


def _is_whole_build(args: tuple[str, ...]) -> bool:
    return bool(args) and args[0] == "build" and not any(arg in _SELECTING_OPTIONS for arg in args)


def run(
    project_dir: Path, args: tuple[str, ...], env: dict[str, str], all_unit_tests: bool = False
) -> subprocess.CompletedProcess[str]:
    """A dbt command in this process, as `dbt <args>` would run in project_dir with env: its exit code (0, 1 for a
    failure, 2 for an error dbt stopped at) and its output."""
    key = (str(project_dir), bool(env.get("TOTANGO_RAW_DIR")), _vars_of(args), Path(env["TOTANGO_DUCKDB_PATH"]).stem)
    output = io.StringIO()
    with _environment(env), contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            if key not in _MANIFESTS:
                vars_given = _vars_of(args)
                parsed = dbtRunner().invoke(
                    [
                        "parse",
                        "--project-dir",
                        str(project_dir),
                        *(["--vars", vars_given] if vars_given else []),
                        *_place_of(args),
                    ]  # fmt: skip
                )
                if parsed.success:
                    _MANIFESTS[key] = parsed.result
            manifest = _MANIFESTS.get(key)
            runner = dbtRunner(manifest=manifest, callbacks=[_console_lines(output)])
            whole_build = _is_whole_build(args)
            savings = ["--log-level", "none", "--log-level-file", "none"]
            if whole_build and key in _UNIT_TESTED and not all_unit_tests:
                savings += ["--exclude-resource-type", "unit_test"]
            result = runner.invoke([*args, *savings, "--project-dir", str(project_dir)])
            if whole_build and result.success:
                _UNIT_TESTED.add(key)
        finally:
            _close_database()
    code = 0 if result.success else (2 if result.exception is not None else 1)
    if result.exception is not None:
        output.write(f"\n{type(result.exception).__name__}: {result.exception}\n")
    return subprocess.CompletedProcess(["dbt", *args], code, output.getvalue(), "")
