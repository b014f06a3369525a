"""What the Python reads from the dbt project, so that each fact lives in one place: the contract columns of the
raw exports (declared on the dbt sources) and the layouts a raw export may have in a folder (a dbt var)."""

from __future__ import annotations

from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCES_YML = PROJECT_DIR / "models" / "staging" / "_raw__sources.yml"
DBT_PROJECT_YML = PROJECT_DIR / "dbt_project.yml"


def contract_columns() -> dict[str, list[str]]:
    """The columns of each raw export, in contract order, keyed by the export's name."""
    sources = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    return {table["name"]: [c["name"] for c in table["columns"]] for source in sources for table in source["tables"]}


def raw_export_layouts() -> list[dict[str, str]]:
    """The layouts of var raw_export_layouts: [{pattern: "{name}.csv", format: csv}, ...]."""
    return yaml.safe_load(DBT_PROJECT_YML.read_text(encoding="utf-8"))["vars"]["raw_export_layouts"]
