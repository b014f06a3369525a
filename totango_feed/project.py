"""What the Python reads from the dbt project, so that each fact lives in one place: the contract columns of the
raw exports (declared on the dbt sources) and the layouts a raw export may have in a folder (a dbt var)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
SOURCES_YML = PROJECT_DIR / "models" / "staging" / "_raw__sources.yml"
DBT_PROJECT_YML = PROJECT_DIR / "dbt_project.yml"
# The dbt sources that are raw exports (the other, raw_files, is the build's own listing of files).
RAW_EXPORT_SOURCES = ("crm", "app")


def database_path() -> Path:
    """The DuckDB file of the build, the ledger and the check's memory: $TOTANGO_DUCKDB_PATH, or the project's."""
    return Path(os.environ.get("TOTANGO_DUCKDB_PATH") or PROJECT_DIR / "totango.duckdb")


def contract_columns() -> dict[str, list[str]]:
    """The columns of each raw export, in contract order, keyed by the export's name."""
    sources = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    return {
        table["name"]: [c["name"] for c in table["columns"]]
        for source in sources
        if source["name"] in RAW_EXPORT_SOURCES
        for table in source["tables"]
    }


def raw_export_layouts() -> list[dict[str, str]]:
    """The layouts of var raw_export_layouts: [{pattern: "{name}.csv", format: csv}, ...]."""
    return yaml.safe_load(DBT_PROJECT_YML.read_text(encoding="utf-8"))["vars"]["raw_export_layouts"]


# The custom attributes (vars <kind>_attributes) each raw export carries.
ATTRIBUTE_KINDS = {
    "raw_crm_accounts": "account",
    "raw_crm_subscriptions": "product_account",
    "raw_app_users": "user",
}


def project_vars() -> dict:
    return yaml.safe_load(DBT_PROJECT_YML.read_text(encoding="utf-8"))["vars"]


def expected_headers(export_name: str) -> list[tuple[str, str]]:
    """The headers a raw export must have, each with what it is for: the contract's columns under the user's names
    (var raw_column_names; a column mapped to null is not expected), then its custom attributes' columns."""
    variables = project_vars()
    mapping = (variables.get("raw_column_names") or {}).get(export_name) or {}
    headers = [
        (mapping.get(column, column), f"{column} of the contract" if column in mapping else "")
        for column in contract_columns()[export_name]
        if not (column in mapping and mapping[column] is None)
    ]
    kind = ATTRIBUTE_KINDS.get(export_name)
    for attribute in (variables.get(f"{kind}_attributes") or []) if kind else []:
        headers.append((str(attribute.get("column")), f"the column of custom attribute {attribute.get('name')}"))
    return headers
