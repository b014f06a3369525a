"""What every piece of Python that builds SQL for DuckDB shares: quoting, and the CSV dialect of the files.

A value from outside (a path, a name) reaches SQL only through sql_literal or quote_identifier.
"""

from __future__ import annotations

import re

# Standard CSV as ../shared/output-files.md describes it and the raw exports are read: comma separated, values
# in double quotes where needed, quotes doubled inside. (macros/register_raw_exports.sql says the same to dbt.)
CSV_DIALECT = "delim = ',', quote = '\"', escape = '\"'"


def sql_literal(text: str) -> str:
    """A text value as an SQL string literal, quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def glob_escaped(path: str) -> str:
    """A path as a glob pattern that matches only itself. DuckDB's readers take every path as a pattern, so [ * ?
    in a name (a folder called drop[1]) would match other files (drop1): each is put in brackets, where it stands
    for itself (macros/glob_escape.sql does the same for dbt)."""
    return re.sub(r"([\[*?])", r"[\1]", path)


def file_literal(path: str) -> str:
    """One file's path as the SQL literal that DuckDB's readers take for exactly that file."""
    return sql_literal(glob_escaped(path))


def quote_identifier(name: str) -> str:
    """A column name as an SQL identifier, double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'
