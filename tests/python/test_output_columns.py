"""The marts read the one list of each output file's columns (macro output_columns) through macro output_select:
a column added to the list and not filled by its mart stops the build with the file and the column named,
rather than leaving a file whose columns drift from what the export and the header test expect."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from pathlib import Path

from pipeline import BIN_DIR, PROJECT_DIR

from totango_feed import project


def test_a_column_added_to_the_list_but_not_to_its_mart_stops_the_build_naming_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("models", "macros", "seeds", "tests"):
        shutil.copytree(PROJECT_DIR / name, project / name, ignore=shutil.ignore_patterns("python"))
    for path in PROJECT_DIR.glob("*.yml"):
        shutil.copy(path, project / path.name)
    columns = project / "macros" / "columns" / "output_columns.sql"
    listed = columns.read_text()
    assert "    - {name: Last Login}\n" in listed
    columns.write_text(
        listed.replace("    - {name: Last Login}\n", "    - {name: Last Login}\n    - {name: Nickname}\n")
    )

    compiled = subprocess.run(
        [str(BIN_DIR / "dbt"), "compile", "--select", "totango_users", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=project,
        env=dict(os.environ, DBT_PROFILES_DIR=str(project), TOTANGO_DUCKDB_PATH=str(tmp_path / "t.duckdb"),
                 TOTANGO_RAW_DIR=""),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert compiled.returncode != 0
    assert "users.csv: the mart must fill each column of macro output_columns" in compiled.stdout
    assert "missing: Nickname" in compiled.stdout


def test_a_caller_that_changes_the_output_files_it_got_changes_nothing_for_the_next() -> None:
    """The output files' columns are parsed once and cached: a caller that edits what it got (a column list, the
    formula guard) must not change what the export reads next."""
    expected = copy.deepcopy(project.output_files())
    edited = project.output_files()
    edited["files"]["accounts.csv"].clear()
    edited["formula_guard"].clear()
    project.output_columns("users.csv").append({"name": "Nickname"})
    assert project.output_files() == expected
    assert project.output_columns("users.csv") == expected["files"]["users.csv"]
