"""The project's own dbt tests catch what they are there for: damage a copy of the built marts, run the tests.

A test that passes on the sample proves little by itself; here each one is shown failing on a mart broken in
the way it guards against.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline import PipelineRun, assert_every_unit_test_passed, dbt

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

DAMAGE = [
    # A product account loses its parent.
    """update marts.totango_accounts set "Parent ID" = null
       where "Account ID" = (select min("Account ID") from marts.totango_accounts where "Account Type" = 'Product')""",
    # Two CRM accounts point at each other.
    """update marts.totango_accounts set "Parent ID" = 'ACC-102' where "Account ID" = 'ACC-101'""",
    # An account id appears twice.
    """insert into marts.totango_accounts select * from marts.totango_accounts where "Account ID" = 'ACC-108'""",
    # A user is attached to a CRM account instead of a product account.
    """update marts.totango_users set "Account ID" = 'ACC-101'
       where "User ID" = (select min("User ID") from marts.totango_users)""",
    # The usage rows are a view: swap in a table copy of it, so that one of its rows can be damaged.
    "create table intermediate.usage_copy as select * from intermediate.int_usage_rows_formatted",
    "drop view marts.totango_usage",
    "drop view intermediate.int_usage_rows_formatted",
    "alter table intermediate.usage_copy rename to int_usage_rows_formatted",
    # A usage row names a user that is not in users.csv; a timestamp loses its UTC form.
    """update intermediate.int_usage_rows_formatted
       set "User ID" = 'stranger@example.com', "Timestamp" = '2026-11-01 10:00:00'
       where "Timestamp" = (select min("Timestamp") from intermediate.int_usage_rows_formatted)""",
    # A data issue under a code seed issue_codes does not have; another under its code's other outcome.
    "update marts.data_issues set issue = 'no_such_code' where issue = 'mixed_currency'",
    "update marts.data_issues set outcome = 'kept' where issue = 'unknown_user'",
    # A mart's column drifts from the one list of the file's columns (macro output_columns).
    "alter table marts.data_issues rename column detail to details",
]

EXPECTED_FAILURES = [
    "test.totango_feed.not_null_totango_accounts__Parent_ID_",  # a product account without a parent
    "test.totango_feed.assert_parents_come_before_children",  # the cycle, and the reversed order
    "test.totango_feed.unique_totango_accounts",
    "test.totango_feed.relationships_where_totango_users",
    "test.totango_feed.relationships_where_int_usage_rows_formatted",
    "test.totango_feed.expression_is_true_int_usage_rows_formatted",
    "test.totango_feed.assert_rows_conserved",
    "test.totango_feed.relationships_data_issues_issue",  # a code not in seed issue_codes
    "test.totango_feed.assert_issue_outcomes_as_coded",  # unknown_user kept
    "test.totango_feed.assert_file_headers",  # detail renamed
]


def test_each_mart_test_fails_on_the_damage_it_guards_against(sample_run: PipelineRun, tmp_path: Path) -> None:
    run = PipelineRun(db=tmp_path / "damaged.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    shutil.copy(sample_run.db, run.db)
    with duckdb.connect(str(run.db)) as connection:
        for statement in DAMAGE:
            connection.execute(statement)
        # Reverse the stored order, so that children come before their parents.
        connection.execute(
            "create or replace table marts.totango_accounts as select * from marts.totango_accounts order by rowid desc"
        )
        # The account id duplicated above also breaks conservation (one more CRM row used than came in).

    result = dbt(
        run, "test", "--select", "marts", "int_usage_rows_formatted", "assert_*", "--exclude-resource-type", "unit_test"
    )
    assert result.returncode != 0
    statuses = {r["unique_id"]: r["status"] for r in json.loads(run.run_results.read_text())["results"]}
    for expected in EXPECTED_FAILURES:
        matching = [status for unique_id, status in statuses.items() if unique_id.startswith(expected)]
        assert matching, f"no test named {expected}*"
        assert "fail" in matching, f"{expected} did not fail: {matching}"


def test_the_same_tests_pass_on_the_undamaged_build(sample_run: PipelineRun) -> None:
    statuses = [r["status"] for r in json.loads(sample_run.run_results.read_text())["results"]]
    assert statuses.count("fail") == 0 and statuses.count("error") == 0
    assert statuses.count("pass") > 50
    # Seed mode's run of the unit tests (the daily builds of test_incremental_days.py and the grown-file files leave
    # them out).
    assert_every_unit_test_passed(sample_run)
