"""Check the four raw exports in a folder before the build reads them; stop with one clear line per bad file.

    python check_exports.py [FOLDER] [--database PATH | --spark-warehouse DIR]        (default: seeds/)

Each export is exactly one of <name>.csv, <name>.parquet, or a folder <name>/ of CSV files or of Parquet files
(any names, e.g. one per day; every file is checked). What it catches, each reported as
`<file>: line <n>: <what is wrong>; <what to do>`: a missing export, an export given twice, an empty file, a
header without a column of the contract, bytes that are not UTF-8, a row with more or fewer fields than the
header (a report footer of the kind CRM tools append among them) and a quote left open. A byte-order mark and
Windows line endings are fine: DuckDB and dbt seed read them correctly. A file or folder the user running it
cannot read is named as such, and so is the build's database (or, with --spark-warehouse, Spark's warehouse)
where this user could not write it (totango_feed/access.py). Exit code 0 when every file can be
loaded, 2 otherwise. DuckDB reads the files, so a large export takes about 2 s for ten million rows here.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from totango_feed import access
from totango_feed.project import PROJECT_DIR, contract_columns, database_path, expected_headers, raw_export_layouts
from totango_feed.sql import CSV_DIALECT, file_literal, sql_literal

# Separators a spreadsheet may write instead of commas (a European Excel writes semicolons).
SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "pipes (|)"}
# Files that are an export in a form the build does not read: named so that the message says what to do.
UNREAD_FORMS = {".csv.gz": "compressed (gzip): decompress it", ".gz": "compressed (gzip): decompress it",
                ".zip": "a zip archive: unzip it", ".xlsx": "an Excel workbook: save it as CSV UTF-8",
                ".xls": "an Excel workbook: save it as CSV UTF-8", ".txt": "a .txt file: name it .csv if it is CSV",
                ".tsv": "tab-separated: export it comma-separated as .csv"}  # fmt: skip


@dataclass(frozen=True)
class CheckResult:
    file: Path
    rows: int | None = None
    error: str | None = None
    # How many files a folder export holds; None for a single file.
    files: int | None = None

    def describe(self) -> str:
        return f"{self.file}/ ({self.files} files)" if self.files is not None else str(self.file)


def read_header(path: Path) -> list[str]:
    """The header row, decoded strictly (utf-8, a byte-order mark allowed)."""
    with path.open("rb") as handle:
        first_line = handle.readline()
    text = codecs.decode(first_line, "utf-8-sig")
    return next(csv.reader([text]), [])


def bare_carriage_return_line(path: Path) -> int | None:
    """The first line holding a carriage return that ends no line (a CR inside an unquoted value, which CSV
    readers take for a line break), or None. Read only when DuckDB could not parse the file, to say why."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if b"\r" in line.rstrip(b"\r\n") and line.count(b'"') == 0:
                return number
    return None


def describe_csv_error(path: Path, message: str) -> str:
    """DuckDB's multi-line CSV error, as one line: the file, the line, what is wrong and what to do."""
    line_match = re.search(r"CSV Error on Line: (\d+)", message)
    original = re.search(r"Original Line: (.*)", message)
    columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    line = line_match.group(1) if line_match else "?"
    shown = original.group(1).strip() if original else ""
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    too_long = re.search(r"Maximum line size of (\d+) bytes exceeded. Actual Size:(\d+)", message)
    if too_long:
        limit, size = (int(number) for number in too_long.groups())
        return (
            f"{path}: line {line}: the row is {size:,} bytes long, more than the {limit:,} a row may have; no value "
            "of a real export is that long: fix or remove that row."
        )
    if "invalid state" in message:
        line_number = bare_carriage_return_line(path)
        if line_number:
            return (
                f"{path}: line {line_number}: a carriage return (CR) inside a value that is not quoted; quote that "
                "value or remove the carriage return."
            )
    if "Invalid unicode" in message:
        return f"{path}: line {line}: the file is not UTF-8; save it as UTF-8 (CSV UTF-8 in Excel) and run again."
    if "unterminated quote" in message:
        return f"{path}: line {line}: a quote is opened and not closed ({shown!r}); fix the quoting of that row."
    if columns:
        expected, found = columns.groups()
        footer_hint = " It looks like a report footer: remove it." if int(found) <= 2 and "," not in shown else ""
        return (
            f"{path}: line {line}: {found} field(s) where the header has {expected} ({shown!r});"
            f" fix or remove that row.{footer_hint}"
        )
    first_line = message.strip().splitlines()[0]
    return f"{path}: line {line}: {first_line} ({shown!r}); fix that row."


def scan_rows(connection: duckdb.DuckDBPyConnection, path: Path, header: list[str]) -> CheckResult:
    """Read every field of every row with DuckDB, which stops at the first bad line and names it."""
    # The columns are given, not sniffed: the sniffer gives up on a short file with a ragged row, and an
    # explicit dialect makes DuckDB report the line instead.
    columns = "{" + ", ".join(f"{sql_literal(name)}: 'varchar'" for name in header) + "}"
    try:
        # Every column is read (the sums), or DuckDB would skip parsing the fields and miss ragged rows.
        rows = connection.execute(
            f"select count(*), sum(len(coalesce(columns(*), ''))) "
            f"from read_csv({file_literal(str(path))}, header = true, auto_detect = false, columns = {columns}, "
            f"{CSV_DIALECT})"
        ).fetchone()[0]
    except duckdb.InvalidInputException as error:
        return CheckResult(path, error=describe_csv_error(path, str(error)))
    return CheckResult(path, rows=rows)


def other_unicode_form(headers: list[str], expected: list[tuple[str, str]]) -> str | None:
    """A missing column that the header holds in another Unicode form (é as e plus a combining accent): it looks
    right, and the build would not find it (names are compared as written). Said as such, or None."""
    composed = {unicodedata.normalize("NFC", name): name for name in headers}
    for name, _ in expected:
        written = composed.get(unicodedata.normalize("NFC", name))
        if name not in headers and written is not None:
            return (
                f"the header {written} is the column {name} written in another Unicode form (an accent as a "
                "separate mark, or the like), which the build cannot match: retype it in the file or in "
                "raw_column_names."
            )
    return None


def header_problem(header: list[str], expected: list[tuple[str, str]]) -> str | None:
    """What is wrong with a CSV header row, worded with what to do; None when it has every expected column
    (expected: each header with what it is for, from totango_feed.project.expected_headers)."""
    columns = [name for name, _ in expected]
    stripped = [name.strip() for name in header]
    repeated = sorted({name for name in stripped if stripped.count(name) > 1})
    if repeated:
        return f"column(s) {', '.join(repeated)} appear more than once in the header; keep one."
    # DuckDB's names ignore case: of Account_Name and account_name it renames the second, and the build would
    # read the wrong one as the contract's column.
    spellings: dict[str, list[str]] = {}
    for name in stripped:
        spellings.setdefault(name.lower(), []).append(name)
    twins = [" and ".join(names) for names in spellings.values() if len(names) > 1]
    if twins:
        return (
            f"the headers {'; '.join(twins)} differ only in case, which the build cannot tell apart; rename or "
            "remove one of them."
        )
    missing = [f"{name} ({purpose})" if purpose else name for name, purpose in expected if name not in stripped]
    separator = next((said for sep, said in SEPARATORS.items() if len(header) == 1 and sep in header[0]), None)
    if missing and separator:
        return f"the file is separated by {separator}, not commas; save it as comma-separated CSV (CSV UTF-8)."
    if missing:
        return other_unicode_form(stripped, expected) or (
            f"column(s) {', '.join(missing)} missing from the header; add them (they may be empty). "
            f"Expected: {', '.join(columns)}."
        )
    if stripped != header:
        return "a column name has spaces around it; remove them."
    return None


def check_csv(connection: duckdb.DuckDBPyConnection, path: Path, expected: list[tuple[str, str]]) -> CheckResult:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if not start.strip(b"\xef\xbb\xbf \t\r\n"):
        return CheckResult(path, error=f"{path}: line 1: the file is empty; export it again, with its header row.")
    try:
        header = read_header(path)
    except UnicodeDecodeError:
        return CheckResult(path, error=f"{path}: line 1: the header is not UTF-8; save the file as UTF-8.")
    problem = header_problem(header, expected)
    if problem:
        return CheckResult(path, error=f"{path}: line 1: {problem}")
    return scan_rows(connection, path, header)


def check_parquet(connection: duckdb.DuckDBPyConnection, path: Path, expected: list[tuple[str, str]]) -> CheckResult:
    try:
        parquet = f"read_parquet({file_literal(str(path))})"
        names = [row[0] for row in connection.execute(f"describe select * from {parquet}").fetchall()]
        rows = connection.execute(f"select count(*) from {parquet}").fetchone()[0]
    except duckdb.Error as error:
        return CheckResult(path, error=f"{path}: cannot be read as Parquet ({str(error).splitlines()[0]}).")
    missing = [f"{name} ({purpose})" if purpose else name for name, purpose in expected if name not in names]
    if missing:
        return CheckResult(path, error=f"{path}: column(s) {', '.join(missing)} missing; add them.")
    return CheckResult(path, rows=rows)


def export_layouts(folder: Path, name: str) -> dict[str, list[Path]]:
    """The layouts of one export (var raw_export_layouts: <name>.csv, <name>.parquet, or a folder <name>/ of CSV
    or of Parquet files) that are present in the folder, each with its files in name order. Exactly one must be
    there; dbt's register_raw_exports reads the same list."""
    present = {}
    for layout in raw_export_layouts():
        pattern = layout["pattern"].replace("{name}", name)
        files = sorted(folder.glob(pattern)) if "*" in pattern else [folder / pattern]
        if files and all(f.is_file() for f in files):
            present[pattern] = files
    return present


def check_export(
    connection: duckdb.DuckDBPyConnection, folder: Path, name: str, expected: list[tuple[str, str]]
) -> CheckResult:
    # A folder this user cannot list looks empty: said as what it is, not as "holds no file".
    if problem := access.unreadable_folder(folder / name):
        return CheckResult(folder / name, error=problem)
    present = export_layouts(folder, name)
    if len(present) != 1:
        if present:
            problem = f"more than one copy of the {name} export: {', '.join(present)}; keep exactly one."
        elif (folder / name).is_dir():
            problem = f"the folder holds no .csv or .parquet file; put the {name} export files there."
        elif unread := [(folder / f"{name}{ext}", what) for ext, what in UNREAD_FORMS.items()
                        if (folder / f"{name}{ext}").is_file()]:  # fmt: skip
            path, what = unread[0]
            return CheckResult(path, error=f"{path}: the {name} export is {what}, as {name}.csv.")
        else:
            problem = (
                f"not found; put the {name} export there as {name}.csv, {name}.parquet, "
                f"or a folder {name}/ of CSV or Parquet files."
            )
        where = folder / name if (folder / name).is_dir() else folder / f"{name}.csv"
        return CheckResult(where, error=f"{where}: {problem}")
    layout, files = next(iter(present.items()))
    if layout.startswith(f"{name}/"):
        unread = sorted(p.name for p in (folder / name).iterdir() if p not in files)
        if unread:
            where = folder / name / unread[0]
            return CheckResult(
                where,
                error=f"{where}: not read: the {name}/ folder must hold only .csv or only .parquet files (lower-case "
                "endings, no sub-folders); rename or move it away.",
            )
    check = check_parquet if layout.endswith("parquet") else check_csv
    result = check_files(connection, files, check, expected)
    if result.error is None and layout.startswith(f"{name}/"):
        return CheckResult(folder / name, rows=result.rows, files=len(files))
    return result


def check_files(
    connection: duckdb.DuckDBPyConnection, files: list[Path], check: Callable, expected: list[tuple[str, str]]
) -> CheckResult:
    """The files of one export, each with check; the first error, or the rows of all (as the first file's)."""
    rows = 0
    for path in files:
        # A file this user cannot read: said as such, not as an error from deep inside the reader.
        if problem := access.unreadable_file(path):
            return CheckResult(path, error=problem)
        result = check(connection, path, expected)
        if result.error:
            return result
        rows += result.rows or 0
    return CheckResult(files[0], rows=rows)


def check_folder(folder: Path) -> list[CheckResult]:
    with duckdb.connect() as connection:
        return [check_export(connection, folder, name, expected_headers(name)) for name in contract_columns()]


def raw_folder_problem(folder: Path) -> str | None:
    """Why the raw folder cannot be checked at all, or None."""
    if not folder.is_dir():
        return f"{folder} is not a folder."
    if problem := access.unreadable_folder(folder):
        return problem
    if "\\" in str(folder):
        # DuckDB reads every path as a file pattern, in which no escape matches a backslash (the build says so too).
        return (
            f"{folder} holds a backslash, which DuckDB reads as part of a file pattern: rename or link the folder "
            "without it."
        )
    return None


def build_problem(args: argparse.Namespace) -> str | None:
    """Why the build this check precedes could not write its database (or Spark warehouse), or dbt its log and
    compiled SQL in the project (where $DBT_LOG_PATH and $DBT_TARGET_PATH do not move them), or None: said here in
    one line, where dbt would stop with a traceback (a scheduler's user that does not own the project)."""
    if args.spark_warehouse is not None:
        problem = access.folder_problem(args.spark_warehouse, "the Spark build writes its tables")
    else:
        problem = access.database_problem(args.database)
    for variable, folder, purpose in [("DBT_LOG_PATH", "logs", "dbt writes its log"),
                                      ("DBT_TARGET_PATH", "target", "dbt writes the SQL it compiles")]:  # fmt: skip
        if not problem and not os.environ.get(variable):
            problem = access.folder_problem(PROJECT_DIR / folder, purpose)
    return problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the four raw exports in a folder before a build.")
    parser.add_argument("folder", type=Path, nargs="?", default=PROJECT_DIR / "seeds")
    parser.add_argument(
        "--database",
        type=Path,
        default=database_path(),
        help="the DuckDB file the build writes, checked for this user's access (default: $TOTANGO_DUCKDB_PATH or "
        "totango.duckdb, a relative one from the project folder, as dbt takes it)",
    )
    parser.add_argument(
        "--spark-warehouse", type=Path, help="a build on Spark: check this warehouse folder instead of the database"
    )
    args = parser.parse_args(argv)
    if problem := build_problem(args):
        print(f"build error: {problem}", file=sys.stderr)
        return 2
    if problem := raw_folder_problem(args.folder):
        print(f"raw export error: {problem}", file=sys.stderr)
        return 2
    try:
        results = check_folder(args.folder)
    except (OSError, duckdb.Error) as error:
        print(f"raw export error: {str(error).strip().splitlines()[0]}", file=sys.stderr)
        return 2
    errors = [result.error for result in results if result.error]
    for error in errors:
        print(f"raw export error: {error}", file=sys.stderr)
    if errors:
        return 2
    for result in results:
        print(f"raw export ok: {result.describe()}  {result.rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
