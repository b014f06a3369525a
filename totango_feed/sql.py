"""What every piece of Python that builds SQL for DuckDB shares: quoting, and the CSV dialect of the files.

A value from outside (a path, a name) reaches SQL only through sql_literal or quote_identifier.
"""

from __future__ import annotations

# Standard CSV as ../shared/output-files.md describes it and the raw exports are read: comma separated, values
# in double quotes where needed, quotes doubled inside. (macros/register_raw_exports.sql says the same to dbt.)
CSV_DIALECT = "delim = ',', quote = '\"', escape = '\"'"


def sql_literal(text: str) -> str:
    """A text value as an SQL string literal, quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """A column name as an SQL identifier, double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'
