"""Seed issue_codes is the one list of data-issue codes: every code the SQL gives a data-issue row is in it, and it
lists no code the SQL never writes. The build checks the codes of the rows it records (data_issues' relationships
test); this reads the SQL itself, so that a code on a path the tests' worlds never take is caught too."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from pipeline import PROJECT_DIR

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

SEED = PROJECT_DIR / "seeds" / "issue_codes.csv"
# A code given to the macro that writes a data-issue row: data_issue_row(..., issue='too_long').
GIVEN_CODE = re.compile(r"data_issue_row\([^)]*issue='([a-z_]+)'")
SQL_FILES = sorted([*(PROJECT_DIR / "models").rglob("*.sql"), *(PROJECT_DIR / "macros").rglob("*.sql")])


def seed_codes() -> set[str]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        return {row["issue"] for row in csv.DictReader(handle)}


def sql_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_code_given_to_data_issue_row_is_in_the_seed() -> None:
    given = {code for path in SQL_FILES for code in GIVEN_CODE.findall(sql_text(path))}
    assert given, "no data_issue_row call with a code found: the pattern no longer matches the SQL"
    assert given - seed_codes() == set()


def test_every_code_of_the_seed_is_written_by_the_sql() -> None:
    literals = {literal for path in SQL_FILES for literal in re.findall(r"'([a-z_]+)'", sql_text(path))}
    assert seed_codes() - literals == set()
