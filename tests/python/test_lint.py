"""Lint as tests, so that `make test` (and CI) fail on it: ruff for the Python, sqlfluff for the SQL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pipeline import BIN_DIR, PROJECT_DIR


def run_tool(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, env=env, check=False)


@pytest.mark.edit_loop  # ruff takes a second or two: in make test-fast too
def test_ruff_finds_nothing() -> None:
    result = run_tool(str(BIN_DIR / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.edit_loop
def test_python_is_ruff_formatted() -> None:
    result = run_tool(str(BIN_DIR / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


# Not in the edit loop: the dbt templater compiles the whole project (the longest test of make test-fast when it was
# in); make lint runs sqlfluff alone.
def test_sqlfluff_finds_nothing_in_models_tests_and_macros(tmp_path: Path) -> None:
    # The dbt templater compiles the project, which opens the profile's database: give it a scratch one.
    env = dict(os.environ, TOTANGO_DUCKDB_PATH=str(tmp_path / "lint.duckdb"), DBT_PROFILES_DIR=str(PROJECT_DIR))
    sql_files = sorted(str(p.relative_to(PROJECT_DIR)) for p in (PROJECT_DIR / "tests").glob("*.sql"))
    result = run_tool(str(BIN_DIR / "sqlfluff"), "lint", "models", "macros", *sql_files, env=env)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
