"""The order the test files run in under `make test`: longest first.

pytest-xdist (--dist loadscope, --no-loadscope-reorder) hands each process the next test file, or test class, in
the order collected, whenever it runs short of work. Left in alphabetical order, one process may start the Spark
comparison last while the other has nothing left to do; longest first, the short files fill the gaps at the end and
both processes finish within a short file of each other.

UNIT_SECONDS is about how long each file or class takes on one process, in seconds on an idle 2-core machine:
rough figures (2026-12-01: pytest --durations=0 one file at a time on a machine under heavy load, scaled down,
or judged from the builds a file runs where it was not measured). The grown-file classes and
test_incremental_days.py: their CPU seconds (user + sys, /usr/bin/time -v) on one process, measured that evening
with other work on the machine, a class's share of its file's CPU taken from its share of the file's wall time
(the first two classes of test_grown_parts_attack.py from their days of builds); measured again the same way later
that night, once a class's tests played their shared days once (shared_days.py), under a load that makes the wall
shares noisy. Only the order matters, so rough is enough.
A file or class not listed runs after those listed, in collection order: add it here when it takes more than a
few seconds.
"""

from __future__ import annotations

import pytest

UNIT_SECONDS: dict[str, float] = {
    "test_grown_parts_attack.py::TestTheLedgerAcrossParts": 390,  # two tests of about 40 s added 2026-12-02
    "test_grown_parts_attack.py::TestThreePartsThenPutBackOrCutBack": 268,
    "test_grown_parts_attack.py::TestCopiedOrRenamed": 140,
    "test_grown_files_attack.py::TestWhatIsAppended": 233,
    "test_review.py": 200,
    "test_incremental_days.py": 220,
    "test_exactly_once.py": 180,
    "test_grown_files_attack.py::TestBuildsKilledOrRaced": 201,
    "test_grown_files_attack.py::TestTheFileCutMovedOrExportedOddly": 104,
    "test_grown_files.py::TestAGrowthCostsItsNewRows": 116,
    "test_spark.py::TestDailyBuildsOnSpark": 125,
    "test_property_random_exports.py": 120,
    "test_grown_files_attack.py::TestOtherDbtCommands": 62,
    "test_grown_files.py::TestTheLedgerAndOtherCommands": 109,
    "test_grown_files.py::TestAFileChangedOtherwise": 70,
    "test_daily_run_hazards.py": 120,
    "test_users_by_content.py": 150,  # 2026-12-02, fifth session: three tests, about 60 dbt builds of a small world
    "test_users_by_content_attack.py": 50,
    "test_users_mart_kept.py": 70,  # 2026-12-03, ninth session: three tests, one process
    "test_review_at_scale.py": 15,
    "test_event_issues_kept.py": 45,  # 2026-12-03, eleventh session: three tests, two processes
    "test_hash_cache_attack.py": 30,
    "test_raw_readers.py": 90,
    "test_odd_inputs.py": 90,
    "test_spark.py::TestTheSampleOnSpark": 80,
    "test_spark.py::TestTheRulesAndHostileValuesOnSpark": 80,
    "test_spark.py::TestTheReadersTrapsOnSpark": 75,
    "test_spark.py::TestOddNamesOnSpark": 75,
    "test_daily.py": 70,
    "test_deliver_sftp.py": 60,
    "test_delivery_exactly_once.py": 60,
    "test_folder_mode.py": 60,
    "test_build_location.py": 50,
    "test_recurring_exports.py": 50,
    "test_your_exports.py": 50,
    "test_unsafe_paths.py": 50,
    "test_odd_names.py": 40,
    "test_deliver_s3.py": 40,
    "test_deliver_file.py": 40,
    "test_permissions.py": 40,
    "test_export_cli.py": 40,
    "test_lint.py": 30,
    "test_broken_raw_files.py": 30,
    "test_near_empty_raw_files.py": 60,
    "test_first_usable_row.py": 25,
    "test_unicode_forms.py": 25,
    "test_hostile_values.py": 25,
    "test_one_feed_per_database.py": 20,
    "test_output_columns.py": 20,
    "test_trigger.py": 20,
    "test_first_row_that_can_be_sent.py": 15,
    "test_dbt_tests_can_fail.py": 15,
    "test_rules.py": 10,
    "test_usage_staging.py": 10,
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
