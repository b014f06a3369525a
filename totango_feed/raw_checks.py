"""Check the four raw exports in a folder before the build reads them; stop with one clear line per bad file.

    python check_exports.py [FOLDER]        (default: seeds/)

Each export is exactly one of <name>.csv, <name>.parquet, or a folder <name>/ of CSV files or of Parquet files
(any names, e.g. one per day; every file is checked). What it catches, each reported as
`<file>: line <n>: <what is wrong>; <what to do>`: a missing export, an export given twice, an empty file, a
header without a column of the contract, bytes that are not UTF-8, a row with more or fewer fields than the
header (a report footer of the kind CRM tools append among them) and a quote left open. A byte-order mark and
Windows line endings are fine: DuckDB and dbt seed read them correctly. Exit code 0 when every file can be
loaded, 2 otherwise. DuckDB reads the files, so a large export takes about 2 s for ten million rows here.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from totango_feed import check_memory
from totango_feed.check_memory import CheckMemory
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
        return (
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
    connection: duckdb.DuckDBPyConnection,
    folder: Path,
    name: str,
    expected: list[tuple[str, str]],
    memory: CheckMemory | None = None,
) -> CheckResult:
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
    file_format = "parquet" if layout.endswith("parquet") else "csv"
    check = check_parquet if file_format == "parquet" else check_csv
    # Files found sound before (the same bytes, the same expectation) are not read again: a daily check of a
    # folder of day files reads the new day only (check_memory.py).
    what = check_memory.expectation(file_format, expected)
    digests = check_memory.content_hashes(files) if memory is not None else {}
    rows = 0
    for path in files:
        known_rows = memory.rows(digests[path], what) if memory is not None else None
        if known_rows is not None:
            rows += known_rows
            continue
        result = check(connection, path, expected)
        if result.error:
            return result
        rows += result.rows or 0
        if memory is not None:
            memory.remember(digests[path], what, result.rows or 0)
    if layout.startswith(f"{name}/"):
        return CheckResult(folder / name, rows=rows, files=len(files))
    return CheckResult(files[0], rows=rows)


def check_folder(folder: Path, memory_database: Path | None = None) -> list[CheckResult]:
    """Check every export of the folder; memory_database: where to remember the files found sound (None: check
    every file, remember nothing)."""
    memory = CheckMemory(memory_database) if memory_database is not None else None
    try:
        with duckdb.connect() as connection:
            return [
                check_export(connection, folder, name, expected_headers(name), memory) for name in contract_columns()
            ]
    finally:
        if memory is not None:
            memory.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the four raw exports in a folder before a build.")
    parser.add_argument("folder", type=Path, nargs="?", default=PROJECT_DIR / "seeds")
    parser.add_argument(
        "--db",
        type=Path,
        default=database_path(),
        help="the build's DuckDB file, where the check remembers the files it found sound, by their content, so "
        "that it reads each file once (default: $TOTANGO_DUCKDB_PATH or totango.duckdb)",
    )
    parser.add_argument("--recheck", action="store_true", help="check every file again, remember nothing")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"raw export error: {args.folder} is not a folder.", file=sys.stderr)
        return 2
    if "\\" in str(args.folder):
        # DuckDB reads every path as a file pattern, in which no escape matches a backslash (the build says so too).
        print(f"raw export error: {args.folder} holds a backslash, which DuckDB reads as part of a file pattern: "
              "rename or link the folder without it.", file=sys.stderr)  # fmt: skip
        return 2
    try:
        results = check_folder(args.folder, None if args.recheck else args.db)
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
