"""What every piece of Python that builds SQL for DuckDB shares: quoting, and the CSV dialect of the files.

A value from outside (a path, a name) reaches SQL only through sql_literal or quote_identifier.
"""

from __future__ import annotations

import re

# Standard CSV as docs/contract/output-files.md describes it and the raw exports are read: comma separated, values
# in double quotes where needed, quotes doubled inside. Every option that could drop, add, move or alter a row is
# stated, so that DuckDB guesses none of them from the file: no comment character (a guessing reader may take #
# for one and skip every line starting with it), no line skipped, no short row padded, no bad row ignored, RFC
# 4180 quoting, a row at most 2,000,000 bytes long, only an empty field is "no value" (NULL, None and N/A are
# text), and no column taken from a folder named like key=value (hive partitioning would put that value in place
# of the file's own column). The line ending is left to DuckDB, which takes it from the first line and stops at
# a line that ends otherwise: stated, one the file does not use makes DuckDB read no row at all, without an error.
# macros/raw_files/csv_dialect.sql says the same to dbt; read_csv_text is the one way to read a file.
CSV_DIALECT = (
    "delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, null_padding = false, "
    "ignore_errors = false, strict_mode = true, max_line_size = 2000000, nullstr = '', encoding = 'utf-8', "
    "hive_partitioning = false"
)
# What an empty CSV file may hold: a byte-order mark, spaces, tabs and line ends, but no header row. Judged on the
# file's first CSV_START_BYTES bytes, by the check (raw_checks.check_csv) and by the build (the DuckDB function
# totango_csv_start_problem, asked by macro csv_header_row), so that the two refuse the same files.
EMPTY_FILE_BYTES = b"\xef\xbb\xbf \t\r\n"
CSV_START_BYTES = 4096
EMPTY_FILE = "the file is empty; export it again, with its header row."


def csv_start_problem(path: str) -> str | None:
    """What keeps line 1 of a CSV file from being its header row (worded for `<file>: line 1: ...`), or None: the
    file holds nothing but blank space, or line 1 is blank and the header comes later. DuckDB's sniffer skips such
    lines where the build reads the header row, and its reader does not: the header was then read as a data row."""
    with open(path, "rb") as handle:
        start = handle.read(CSV_START_BYTES + 1)
    if not start.strip(EMPTY_FILE_BYTES) and len(start) <= CSV_START_BYTES:
        return EMPTY_FILE
    if not re.split(rb"[\r\n]", start.removeprefix(b"\xef\xbb\xbf"), maxsplit=1)[0].strip(b" \t"):
        return "the line is blank, and the header row must be line 1; remove the blank lines before it."
    return None


# Parquet files are read by their own schema; no column is taken from the folder's name (as for CSV above).
PARQUET_OPTIONS = "hive_partitioning = false"


def read_csv_text(path: str, columns: list[str]) -> str:
    """The DuckDB table function that reads one CSV file, its header row and then every row, each column as text
    under the given names (the file's header, in order): nothing is detected, so nothing is guessed."""
    names = ", ".join(f"{sql_literal(name)}: 'varchar'" for name in columns)
    return f"read_csv({file_literal(path)}, auto_detect = false, header = true, columns = {{{names}}}, {CSV_DIALECT})"


def sql_literal(text: str) -> str:
    """A text value as an SQL string literal, quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def glob_escaped(path: str) -> str:
    """A path as a glob pattern that matches only itself. DuckDB's readers take every path as a pattern, so [ * ?
    in a name (a folder called drop[1]) would match other files (drop1): each is put in brackets, where it stands
    for itself (macros/sql/glob_escape.sql does the same for dbt)."""
    return re.sub(r"([\[*?])", r"[\1]", path)


def file_literal(path: str) -> str:
    """One file's path as the SQL literal that DuckDB's readers take for exactly that file."""
    return sql_literal(glob_escaped(path))


def quote_identifier(name: str) -> str:
    """A column name as an SQL identifier, double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def schema_sql(schema: str, tables: dict[str, dict[str, str]], added: dict[str, dict[str, str]] | None = None) -> str:
    """The statements that make a schema the Python keeps for itself in DuckDB, each doing nothing where its part is
    there already: the schema; each table of `tables` ({table: {column: its type and constraints}}, in order); then
    each column of `added` (the same shape: columns added since their table was first made, which an older database
    gains, empty for its old rows). Schema, table and column names are quoted as identifiers."""
    statements = [f"create schema if not exists {quote_identifier(schema)}"]
    for table, columns in tables.items():
        listed = ", ".join(f"{quote_identifier(column)} {definition}" for column, definition in columns.items())
        statements.append(f"create table if not exists {quote_identifier(schema)}.{quote_identifier(table)} ({listed})")
    for table, columns in (added or {}).items():
        statements += [
            f"alter table {quote_identifier(schema)}.{quote_identifier(table)} "
            f"add column if not exists {quote_identifier(column)} {definition}"
            for column, definition in columns.items()
        ]
    return ";\n".join(statements) + ";\n"
