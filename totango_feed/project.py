"""What the Python reads from the dbt project, so that each fact lives in one place: the contract columns of the
raw exports (declared on the dbt sources), the vars (dbt_project.yml, with what `--vars` gives, as dbt merges
them), the layouts a raw export may have in a folder (a var), the names the build keeps for its own columns
(macro raw_file_column), the output files' fixed columns and the formula guard's patterns (macro output_columns),
and where the build's database is (profiles.yml's rule)."""

from __future__ import annotations

import copy
import functools
import os
import re
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
# One sources yml per source system (models/staging/<source>/), read in this order: the CRM's exports, then the app's.
SOURCES_YMLS = (
    PROJECT_DIR / "models" / "staging" / "crm" / "_crm__sources.yml",
    PROJECT_DIR / "models" / "staging" / "app" / "_app__sources.yml",
)
DBT_PROJECT_YML = PROJECT_DIR / "dbt_project.yml"
RAW_FILE_COLUMN_SQL = PROJECT_DIR / "macros" / "raw_files" / "raw_file_column.sql"
OUTPUT_COLUMNS_SQL = PROJECT_DIR / "macros" / "columns" / "output_columns.sql"
MODELS_DIR = PROJECT_DIR / "models"
# The dbt exposure that says what export.py reads of a build (models/marts/_exposures.yml).
EXPORT_EXPOSURE = "totango_csv_export"


class VarsError(ValueError):
    """--vars that cannot be read as dbt reads them: a YAML (or JSON) mapping of var names to values."""


def database_path() -> Path:
    """The DuckDB file `dbt build` writes, as profiles.yml names it: $TOTANGO_DUCKDB_PATH, else totango.duckdb; a
    relative path is taken from the project folder, never from the working directory, so that dbt run from another
    folder (cron, an orchestrator) and export.py agree on one database."""
    path = Path(os.environ.get("TOTANGO_DUCKDB_PATH") or "totango.duckdb").expanduser()
    return path if path.is_absolute() else PROJECT_DIR / path


# The schemas the feed keeps in its DuckDB file (dbt's folders, the build record, and export.py's, deliver.py's and
# the review's own). DuckDB names a file's catalog after the file, so a file named after one of them (ledger.duckdb)
# makes every `ledger.x` ambiguous: refused by name instead (export.py).
SCHEMAS = (
    "raw",
    "staging",
    "intermediate",
    "marts",
    "audit",
    "ledger",
    "review",
    "review_empty",
    "delivery",
    "spark",
    "main",
)


def database_name_problem(path: Path) -> str | None:
    # DuckDB's catalog name: the file name up to its first dot, leading dots left out (ledger.v2.duckdb: ledger).
    catalog = path.name.lstrip(".").split(".")[0]
    if catalog.lower() in SCHEMAS:
        return (
            f"the database file {path.name} is named after a schema the feed keeps in it ({catalog}), which DuckDB "
            "cannot tell apart from the file: name it otherwise (totango.duckdb)."
        )
    return None


# libyaml's parser where PyYAML was built with it (the wheels are): the same documents, parsed about ten times faster.
# The export, the check and the delivery parse the project's own yml files as they start: all of them took 0.15 s
# with the pure-Python parser, 0.015 s with libyaml (2026-12-02).
_FILE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_file(text: str) -> object:
    """A yml file of the project, parsed as yaml.safe_load parses it (safe: no Python objects)."""
    return yaml.load(text, Loader=_FILE_LOADER)


# The dbt sources that are raw exports (the other, raw_files, is the build's own listing of files).
RAW_EXPORT_SOURCES = ("crm", "app")


def contract_columns() -> dict[str, list[str]]:
    """The columns of each raw export, in contract order, keyed by the export's name."""
    sources = [
        source for path in SOURCES_YMLS for source in load_yaml_file(path.read_text(encoding="utf-8"))["sources"]
    ]
    return {
        table["name"]: [c["name"] for c in table["columns"]]
        for source in sources
        if source["name"] in RAW_EXPORT_SOURCES
        for table in source["tables"]
    }


def parse_cli_vars(text: str | None) -> dict:
    """The vars of a `--vars` option, written as for dbt (YAML or JSON: '{send_all_accounts: true}')."""
    if not text:
        return {}
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise VarsError(f"--vars is not YAML or JSON ({str(error).splitlines()[0]}): {text}") from None
    if not isinstance(parsed, dict):
        raise VarsError(f"--vars must be a mapping of var names to values, as for dbt ('{{name: value}}'): {text}")
    return parsed


def project_vars(cli_vars: dict | None = None) -> dict:
    """The vars the build sees: dbt_project.yml's, each replaced by the one of the same name in cli_vars (the
    `--vars` given to dbt), as dbt does."""
    return {**load_yaml_file(DBT_PROJECT_YML.read_text(encoding="utf-8"))["vars"], **(cli_vars or {})}


def raw_export_layouts(variables: dict | None = None) -> list[dict[str, str]]:
    """The layouts of var raw_export_layouts: [{pattern: "{name}.csv", format: csv}, ...]."""
    return (variables or project_vars())["raw_export_layouts"]


def build_column_names() -> list[str]:
    """The names under which the build carries its own columns beside a raw export's (macro raw_file_column)."""
    return re.findall(r"'(__totango_feed_[a-z_]+)'", RAW_FILE_COLUMN_SQL.read_text(encoding="utf-8"))


def output_files() -> dict:
    """The YAML of macro output_files (macros/columns/output_columns.sql), which dbt reads with fromyaml: the fixed
    columns of each output file, in order, and the formula guard's patterns. Each call gets a copy of its own: the
    parse is cached, and a caller that changed it would change what every later caller reads."""
    return copy.deepcopy(_parsed_output_files(OUTPUT_COLUMNS_SQL.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=4)
def _parsed_output_files(text: str) -> dict:
    """output_files() of the macro's text, parsed once per text: an export asks for it once per column it guards."""
    body = re.search(r"\{%- set output_files -%\}\n(.*?)\n *\{%- endset -%\}", text, re.DOTALL)
    if body is None:
        raise ValueError(f"{OUTPUT_COLUMNS_SQL} holds no `set output_files` block")
    return load_yaml_file(body.group(1))


def output_columns(file_name: str) -> list[dict]:
    """The fixed columns of an output file (accounts.csv...), in order: {name, guarded (default true), limit}."""
    return output_files()["files"][file_name]


def formula_guard_pattern(name: str) -> str:
    """starts_like_a_formula or plain_number: the regular expressions of the formula guard."""
    return output_files()["formula_guard"][name]


def export_relations() -> dict:
    """What export.py reads of a build, from the meta of dbt exposure totango_csv_export (whichever yml of models/
    declares it, as dbt finds it; tests/assert_export_relations.sql checks it against dbt's graph): files {file
    name: schema.table}, usage_rows (schema.table), rows_read {raw export: schema.table}. Read from the yml rather
    than from dbt's target/manifest.json, which each dbt command writes where its --target-path says."""
    texts = tuple(path.read_text(encoding="utf-8") for path in sorted(MODELS_DIR.rglob("*.yml")))
    meta = copy.deepcopy(_export_meta(texts))
    if not isinstance(meta, dict) or not {"files", "usage_rows", "rows_read"} <= meta.keys():
        # Read when export.py (or deliver.py, daily.py) starts: a one-line reason and exit code 1, no traceback.
        raise SystemExit(
            f"error: the dbt project in {PROJECT_DIR} declares no exposure {EXPORT_EXPOSURE} with meta files, "
            "usage_rows and rows_read (models/marts/_exposures.yml): the export cannot know which marts to read."
        )
    return meta


@functools.lru_cache(maxsize=4)
def _export_meta(texts: tuple[str, ...]) -> object:
    """The meta of exposure totango_csv_export in the yml texts of models/, parsed once per content: an export asks
    for it several times as its modules load, and parsing every yml of the project takes about a second each time
    (export_relations hands each caller its own copy)."""
    found = [
        exposure
        for text in texts
        for exposure in (load_yaml_file(text) or {}).get("exposures") or []
        if exposure.get("name") == EXPORT_EXPOSURE
    ]
    return (found[0].get("config") or {}).get("meta") if len(found) == 1 else None


# The custom attributes (vars <kind>_attributes) each raw export carries.
ATTRIBUTE_KINDS = {
    "raw_crm_accounts": "account",
    "raw_crm_subscriptions": "product_account",
    "raw_app_users": "user",
}


def expected_headers(export_name: str, variables: dict | None = None) -> list[tuple[str, str]]:
    """The headers a raw export must have, each with what it is for: the contract's columns under the user's names
    (var raw_column_names; a column mapped to null is not expected), then its custom attributes' columns."""
    variables = variables if variables is not None else project_vars()
    # A var of the wrong shape is the build's to refuse, with the reason (macro validate_project_vars).
    names = variables.get("raw_column_names")
    mapping = (names.get(export_name) if isinstance(names, dict) else None) or {}
    mapping = mapping if isinstance(mapping, dict) else {}
    headers = [
        (mapping.get(column, column), f"{column} of the contract" if column in mapping else "")
        for column in contract_columns()[export_name]
        if not (column in mapping and mapping[column] is None)
    ]
    kind = ATTRIBUTE_KINDS.get(export_name)
    attributes = (variables.get(f"{kind}_attributes") or []) if kind else []
    for attribute in attributes if isinstance(attributes, list) else []:
        if isinstance(attribute, dict):
            headers.append((str(attribute.get("column")), f"the column of custom attribute {attribute.get('name')}"))
    return headers
