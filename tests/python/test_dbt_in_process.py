"""The test harness's own rule for dbt's unit tests (dbt_in_process.py): each kind of run (project, mode, vars,
database name) runs them in its first whole build that passes, and later whole builds of that kind leave them out.
A fake dbtRunner records the arguments each command is given, so no dbt runs here."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import dbt_in_process
import pytest

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

LEAVE_OUT_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


class FakeRunner:
    """dbtRunner's interface as dbt_in_process uses it: invoke(args) -> result with success and exception."""

    invoked: list[list[str]] = []
    failing: bool = False
    # The events the fake fires at its callbacks on each command other than parse: (level, message).
    events: tuple[tuple[str, str], ...] = (
        ("debug", "a debug line"),
        ("info", "1 of 9 OK created model"),
        ("warn", "Warning in test"),
        ("error", "Runtime Error in model"),
    )

    def __init__(self, manifest: object = None, callbacks: list | None = None) -> None:
        self.manifest = manifest
        self.callbacks = callbacks or []

    def invoke(self, args: list[str]) -> SimpleNamespace:
        FakeRunner.invoked.append(args)
        for level, message in FakeRunner.events if args[0] != "parse" else ():
            for callback in self.callbacks:
                callback(SimpleNamespace(info=SimpleNamespace(level=level, msg=message)))
        if args[0] == "parse":
            return SimpleNamespace(success=True, result=object(), exception=None)
        return SimpleNamespace(success=not FakeRunner.failing, result=None, exception=None)


@pytest.fixture
def fake_dbt(monkeypatch: pytest.MonkeyPatch) -> type[FakeRunner]:
    monkeypatch.setattr(dbt_in_process, "dbtRunner", FakeRunner)
    monkeypatch.setattr(dbt_in_process, "_close_database", lambda: None)
    monkeypatch.setattr(dbt_in_process, "_MANIFESTS", {})
    monkeypatch.setattr(dbt_in_process, "_UNIT_TESTED", set())
    monkeypatch.setattr(FakeRunner, "invoked", [])
    monkeypatch.setattr(FakeRunner, "failing", False)
    return FakeRunner


def command(*args: str, raw_dir: str = "") -> list[str]:
    """Run one command through dbt_in_process; the arguments the (fake) dbt was given for it."""
    env = {"TOTANGO_DUCKDB_PATH": "/tmp/x/totango.duckdb", "TOTANGO_RAW_DIR": raw_dir}
    dbt_in_process.run(Path("/project"), args, env)
    return FakeRunner.invoked[-1]


def leaves_out_unit_tests(args: list[str]) -> bool:
    return any(args[i : i + 2] == LEAVE_OUT_UNIT_TESTS for i in range(len(args) - 1))


def test_the_first_whole_build_of_each_kind_runs_the_unit_tests(fake_dbt) -> None:
    assert not leaves_out_unit_tests(command("build"))
    assert leaves_out_unit_tests(command("build", "--full-refresh"))
    # Folder mode and other vars are other kinds of run: their unit tests mock other sources, or see other vars.
    assert not leaves_out_unit_tests(command("build", raw_dir="/raw"))
    assert not leaves_out_unit_tests(command("build", "--vars", "{send_all_accounts: true}"))
    assert leaves_out_unit_tests(command("build", raw_dir="/raw"))


def test_a_build_that_selects_or_fails_does_not_count_as_the_one_that_ran_them(fake_dbt) -> None:
    assert not leaves_out_unit_tests(command("build", "-s", "stg_app__events"))
    fake_dbt.failing = True
    assert not leaves_out_unit_tests(command("build"))
    fake_dbt.failing = False
    assert not leaves_out_unit_tests(command("build"))
    assert leaves_out_unit_tests(command("build"))
    # Other commands are passed on as given (no unit tests to leave out of a run).
    assert not leaves_out_unit_tests(command("run"))


def test_no_command_writes_dbt_log_file(fake_dbt) -> None:
    for args in (command("build"), command("run"), command("test")):
        assert args[args.index("--log-level-file") + 1] == "none"


def test_the_output_holds_what_the_console_would_show_without_dbt_console_logger(fake_dbt) -> None:
    """dbt's console logger is off (it formats every debug event before dropping it); a callback gives the output
    each event at level info and above, one message a line, and no debug event."""
    env = {"TOTANGO_DUCKDB_PATH": "/tmp/x/totango.duckdb", "TOTANGO_RAW_DIR": ""}
    result = dbt_in_process.run(Path("/project"), ("build",), env)
    args = FakeRunner.invoked[-1]
    assert args[args.index("--log-level") + 1] == "none"
    assert result.stdout.splitlines() == ["1 of 9 OK created model", "Warning in test", "Runtime Error in model"]


def test_a_build_asked_for_all_unit_tests_runs_them_after_another_did(fake_dbt) -> None:
    assert not leaves_out_unit_tests(command("build"))
    env = {"TOTANGO_DUCKDB_PATH": "/tmp/x/totango.duckdb", "TOTANGO_RAW_DIR": ""}
    dbt_in_process.run(Path("/project"), ("build",), env, all_unit_tests=True)
    assert not leaves_out_unit_tests(FakeRunner.invoked[-1])
