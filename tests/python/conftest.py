"""Fixtures shared by the test files: the sample run (built and exported once per session) and the raw sample.

The helpers that run the pipeline are in pipeline.py."""

from __future__ import annotations

import os

import pytest
from delivery_world import Exports, build_two_days
from pipeline import RAW_EXPORTS, SEEDS_DIR, PipelineRun, build_and_export, read_csv


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    """The whole pipeline on the sample seeds, once per test session."""
    return build_and_export(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def raw_sample() -> dict[str, list[dict[str, str]]]:
    return {name: read_csv(SEEDS_DIR / f"{name}.csv") for name in RAW_EXPORTS}


@pytest.fixture(scope="session", autouse=True)
def _no_project_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test touches the project's own totango.duckdb: a command a test runs without naming a database (as
    check_exports.py, which remembers the files it found sound there) gets a temporary one."""
    os.environ.setdefault("TOTANGO_DUCKDB_PATH", str(tmp_path_factory.mktemp("database") / "totango.duckdb"))


@pytest.fixture(scope="session")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    """Two published exports of a small world (delivery_world.py), built once per session; copy before use."""
    return build_two_days(tmp_path_factory.mktemp("two_days"))
