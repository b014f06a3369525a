"""The order the test files run in under `make test`: longest first.

pytest-xdist (--dist loadscope, --no-loadscope-reorder) hands each process the next test file, or test class, in
the order collected, whenever it runs short of work. Left in alphabetical order, one process may start the Spark
comparison last while the other has nothing left to do; longest first, the short files fill the gaps at the end and
both processes finish within a short file of each other.

UNIT_SECONDS is how long each file or class took on one process (pytest --durations=0, one file at a time, on the
2-core machine under load, 2026-12-01); only the order matters, so rough figures are enough. A file or class not
listed runs after those listed, in collection order: add it here when it takes more than a few seconds.
"""

from __future__ import annotations

import pytest

UNIT_SECONDS: dict[str, float] = {
    "test_spark.py::TestTheSampleOnSpark": 240,
    "test_spark.py::TestDailyBuildsOnSpark": 240,
    "test_spark.py::TestHostileValuesOnSpark": 100,
    "test_spark.py::TestTheRulesExportsOnSpark": 100,
    "test_spark.py::TestOddNamesOnSpark": 100,
    "test_spark.py::TestTheReadersTrapsOnSpark": 100,
}


def unit_of(item: pytest.Item) -> str:
    """The work unit xdist's loadscope gives one process: the node id up to its last "::" (a file, or a class in
    it), without the folder."""
    return item.nodeid.rsplit("::", 1)[0].rsplit("/", 1)[-1]


def longest_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items grouped by unit, units longest first; within a unit, and among units not listed, the order
    collected."""
    units: dict[str, list[pytest.Item]] = {}
    for item in items:
        units.setdefault(unit_of(item), []).append(item)
    ordered = sorted(units, key=lambda unit: -UNIT_SECONDS.get(unit, 0.0))
    return [item for unit in ordered for item in units[unit]]
