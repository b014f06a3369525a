"""A stored table that a model reads more than once is read where used (macro read_where_used), never copied.

DuckDB materializes a CTE used more than once: `checked as (select * from int_users_checked)` used four times is a
copy of every row and column of the table before anything is filtered. At 5M users that copy made
int_issues__app_users take 11.5 s instead of 0.9 s (docs/benchmark.md). A view is left as it is: reading it where
used would run its query (a parse of a raw file) once per use."""

from __future__ import annotations

import json
import re

import pytest
from pipeline import PipelineRun

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

STORED = ("table", "incremental")


def copied_tables(compiled_sql: str, stored_relations: set[str]) -> list[str]:
    """The CTEs of compiled_sql that are a whole stored table (`name as (select * from <relation>)`), used more than
    once (`from name` or `join name`), and not marked `not materialized`."""
    copied = []
    for cte in re.finditer(r"(\w+) as (not materialized )?\(\s*select \* from ([^\s()]+)\s*\)", compiled_sql):
        name, read_where_used, relation = cte.groups()
        if relation not in stored_relations or read_where_used:
            continue
        uses = re.findall(rf"\b(?:from|join)\s+{name}\b", compiled_sql[cte.end() :], flags=re.IGNORECASE)
        if len(uses) > 1:
            copied.append(name)
    return copied


def test_the_check_finds_a_stored_table_copied_and_not_one_read_where_used() -> None:
    stored = {'"db"."main"."checked_rows"'}
    copied = 'with checked as (\n    select * from "db"."main"."checked_rows"\n)\nselect 1 from checked join checked'
    assert copied_tables(copied, stored) == ["checked"]
    marked = copied.replace("checked as (", "checked as not materialized (")
    used_once = 'with checked as (select * from "db"."main"."checked_rows") select * from checked'
    view = copied.replace("checked_rows", "a_view")
    assert copied_tables(marked, stored) == copied_tables(used_once, stored) == copied_tables(view, stored) == []


def test_no_model_copies_a_stored_table_it_reads_more_than_once(sample_run: PipelineRun) -> None:
    manifest = json.loads((sample_run.target / "manifest.json").read_text(encoding="utf-8"))
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    stored = {node["relation_name"] for node in models if node["config"]["materialized"] in STORED}
    compiled = {node["name"]: node["compiled_code"] for node in models if node.get("compiled_code")}
    assert "int_issues__app_users" in compiled and '"int_users_checked"' in " ".join(stored)
    copies = {name: copied_tables(sql, stored) for name, sql in compiled.items()}
    assert {name: ctes for name, ctes in copies.items() if ctes} == {}
