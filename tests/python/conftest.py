"""Fixtures shared by the test files: the sample run (built and exported once per test run, whatever the number
of processes) and the raw sample; and the order in which the test files run.

The helpers that run the pipeline are in pipeline.py."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from delivery_world import Exports, build_two_days
from pipeline import RAW_EXPORTS, SEEDS_DIR, PipelineRun, build_and_export, read_csv
from run_order import longest_first

T = TypeVar("T")


def built_once(factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], T]) -> T:
    """build(folder) once per test run, whatever the number of processes: under pytest-xdist the first process to
    ask builds in the folder the processes share, the other waits on the lock and gets the same result (pickled
    beside it). Callers only read what was built (a test that changes a database or exports again works on a
    copy), so the two processes can share it."""
    shared = factory.getbasetemp() if worker_id == "master" else factory.getbasetemp().parent
    folder, result = shared / name, shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            return pickle.loads(result.read_bytes())
        shutil.rmtree(folder, ignore_errors=True)  # a build that failed part-way in the other process
        folder.mkdir()
        built = build(folder)
        result.write_bytes(pickle.dumps(built))
        return built


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PipelineRun:
    """The whole pipeline on the sample seeds, once per test run, every unit test included (seed mode's run of them,
    which test_dbt_tests_can_fail.py checks)."""
    return built_once(tmp_path_factory, worker_id, "sample", lambda base: build_and_export(base, all_unit_tests=True))


@pytest.fixture(scope="session")
def raw_sample() -> dict[str, list[dict[str, str]]]:
    return {name: read_csv(SEEDS_DIR / f"{name}.csv") for name in RAW_EXPORTS}


@pytest.fixture(scope="session", autouse=True)
def _no_project_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test touches the project's own totango.duckdb: a command a test runs without naming a database (as
    check_exports.py, which remembers the files it found sound there) gets a temporary one."""
    os.environ.setdefault("TOTANGO_DUCKDB_PATH", str(tmp_path_factory.mktemp("database") / "totango.duckdb"))


@pytest.fixture(scope="session")
def two_days(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Exports:
    """Two published exports of a small world (delivery_world.py), built once per test run; copy before use."""
    return built_once(tmp_path_factory, worker_id, "two_days", build_two_days)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest test files and classes first (run_order.py), so that the two processes of make test finish
    together rather than one waiting on the other's last long file."""
    items[:] = longest_first(items)
