"""Check the four raw exports in a folder before the build reads them; stop with one clear line per bad file.

    python check_exports.py [FOLDER] [--vars '{name: value}'] [--database PATH | --spark-warehouse DIR]
                            (FOLDER's default: var raw_dir, TOTANGO_RAW_DIR or seeds/)

Each export is exactly one of <name>.csv, <name>.parquet, or a folder <name>/ of CSV files or of Parquet files
(any names, e.g. one per day; every file is checked; names starting with . or _ are hidden and ignored, as the
build ignores them). What it catches, each reported as `<file>: line <n>: <what is wrong>; <what to do>`: a
missing export, an export given twice, a file of the folder the build would not read (an upper-case ending, a
sub-folder), a link to nothing, a named pipe, an empty file, a header without a column of the contract, bytes
that are not UTF-8, a row with more or fewer fields than the header (a report footer of the kind CRM tools
append among them), a quote left open, line endings of mixed kinds, a nested Parquet column the build would
read. A byte-order mark and Windows, Unix or old Mac (CR) line endings are fine: the build reads them correctly.
Exit code 0 when every file can be loaded, 2 otherwise. The vars are the build's: dbt_project.yml's, with those of
--vars (as dbt takes them). DuckDB reads the files, with the dialect the build states (totango_feed.sql), so a
large export takes about 2 s for ten million rows here. A file or folder the user running it cannot read is named
as such, and so is the build's database (or, with --spark-warehouse, Spark's warehouse) where this user could not
write it (totango_feed/access.py).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import duckdb

from totango_feed import access, check_memory
from totango_feed.check_memory import CheckMemory
from totango_feed.project import (
    PROJECT_DIR,
    VarsError,
    build_column_names,
    contract_columns,
    database_path,
    expected_headers,
    parse_cli_vars,
    project_vars,
    raw_export_layouts,
)
from totango_feed.sql import PARQUET_OPTIONS, csv_start_problem, file_literal, read_csv_text

# Separators a spreadsheet may write instead of commas (a European Excel writes semicolons).
SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "pipes (|)"}
# Files that are an export in a form the build does not read: named so that the message says what to do.
UNREAD_FORMS = {".csv.gz": "compressed (gzip): decompress it", ".gz": "compressed (gzip): decompress it",
                ".zip": "a zip archive: unzip it", ".xlsx": "an Excel workbook: save it as CSV UTF-8",
                ".xls": "an Excel workbook: save it as CSV UTF-8", ".txt": "a .txt file: name it .csv if it is CSV",
                ".tsv": "tab-separated: export it comma-separated as .csv"}  # fmt: skip
# Names of the entries of an export's folder that are hidden: ignored here and by the build on both engines (Spark
# and Hadoop never list them): a macOS ._ copy, an upload's temporary file, Spark's _SUCCESS and .crc files.
HIDDEN_STARTS = (".", "_")
# The longest header row read (the build's row limit, max_line_size).
HEADER_LIMIT = 2_000_000
LINE_ENDING_NAMES = {b"\n": "LF (Unix)", b"\r\n": "CR LF (Windows)", b"\r": "CR (old Mac)", b"\r\r\n": "CR CR LF"}
# A Parquet type holding more than one value: a list, a struct or a map (DuckDB's names).
NESTED_TYPE = re.compile(r"^(STRUCT|MAP|UNION)\(|\]$", re.IGNORECASE)


class CheckRefused(ValueError):
    """A folder or vars the check cannot work with; the message says why."""


@dataclass(frozen=True)
class CheckResult:
    file: Path
    rows: int | None = None
    error: str | None = None
    # How many files a folder export holds; None for a single file.
    files: int | None = None
    # The hidden entries of a folder export, not read.
    ignored: tuple[Path, ...] = field(default=())

    def describe(self) -> str:
        return f"{self.file}/ ({self.files} files)" if self.files is not None else str(self.file)


def first_record_end(data: bytes) -> int:
    """Where the first record of CSV bytes ends: at its first line break (CR or LF) outside quotes."""
    in_quotes = False
    for match in re.finditer(rb'["\r\n]', data):
        if match.group() == b'"':
            in_quotes = not in_quotes
        elif not in_quotes:
            return match.start()
    return len(data)


def read_header(path: Path) -> list[str]:
    """The header row, decoded strictly (utf-8, a byte-order mark allowed): the first record, whatever line
    ending the file has (a quoted name may even hold a line break)."""
    with path.open("rb") as handle:
        start = handle.read(HEADER_LIMIT)
    text = codecs.decode(start[: first_record_end(start)], "utf-8-sig")
    return next(csv.reader(io.StringIO(text, newline="")), [])


def column_names(header: list[str]) -> list[str]:
    """The header's names as the build reads them: a blank header (a trailing comma) named by its position, under a
    name of the build's own (macro csv_column_names does the same)."""
    return [name if name else f"__totango_feed_blank_{index}" for index, name in enumerate(header)]


def line_endings(path: Path) -> Iterator[tuple[int, bytes]]:
    """Each line ending outside quoted values (LF, CR LF, a lone CR, CR CR LF), with the number of the line it
    ends (line breaks inside quoted values count as lines, as an editor shows them)."""
    in_quotes, line, carry = False, 1, b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            data = carry + chunk
            # Two bytes are kept for the next chunk, unless this is the end: an ending may be CR CR LF.
            limit = len(data) if not chunk else len(data) - 2
            resume = limit
            for match in re.finditer(rb'"|\r\r\n|\r\n|\r|\n', data):
                if match.start() >= limit:
                    break
                token, resume = match.group(), max(limit, match.end())
                if token == b'"':
                    in_quotes = not in_quotes
                elif in_quotes:
                    line += token.count(b"\n")
                else:
                    yield line, token
                    line += 1
            if not chunk:
                return
            carry = data[resume:]


def line_ending_problem(path: Path) -> str | None:
    """What is wrong with the line endings of a file DuckDB could not parse, or None: a lone carriage return inside
    an unquoted value, CR CR LF, or lines that end in different ways."""
    first = None
    for line, ending in line_endings(path):
        if ending == b"\r\r\n":
            return (
                f"line {line}: the line ends with two carriage returns (CR CR LF), as when Windows line endings are "
                "added twice; save the file again with one kind of line ending (CSV UTF-8)."
            )
        if first is None:
            first = ending
        elif ending != first and ending == b"\r":
            return (
                f"line {line}: a carriage return (CR) inside a value that is not quoted; quote that value or remove "
                "the carriage return."
            )
        elif ending != first:
            return (
                f"line {line}: the line ends with {LINE_ENDING_NAMES[ending]}, and line 1 with "
                f"{LINE_ENDING_NAMES[first]}: the file mixes line endings; save it again with one kind (CSV UTF-8)."
            )
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
        problem = line_ending_problem(path)
        if problem:
            return f"{path}: {problem}"
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
    """Read every field of every row with DuckDB as the build reads it (the header's names, every column text,
    the dialect stated, nothing detected): it stops at the first bad line and names it."""
    try:
        # Every column is read (the sums), or DuckDB would skip parsing the fields and miss ragged rows.
        rows = connection.execute(
            f"select count(*), sum(len(coalesce(columns(*), ''))) from {read_csv_text(str(path), column_names(header))}"
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


def build_name_clash(names: list[str]) -> str | None:
    """A column named like one the build keeps for itself beside a raw export's columns, which it cannot tell
    from the export's own: what to do about it, or None."""
    taken = [name for name in names if name.strip().lower().startswith("__totango_feed_")]
    if not taken:
        return None
    return (
        f"the column {taken[0]} is named like the build's own columns ({', '.join(build_column_names())}: names "
        "starting with __totango_feed_); rename or remove it."
    )


def header_names_problem(header: list[str]) -> str | None:
    """Names of a header row that the build cannot tell apart (from each other, or from its own), or None."""
    stripped = [name.strip() for name in header]
    # Blank headers (a trailing comma) are extra columns, each read under a name of its own.
    repeated = sorted({name for name in stripped if name and stripped.count(name) > 1})
    if repeated:
        return f"column(s) {', '.join(repeated)} appear more than once in the header; keep one."
    # DuckDB's names ignore case: of Account_Name and account_name it renames the second, and the build would
    # read the wrong one as the contract's column.
    spellings: dict[str, list[str]] = {}
    for name in stripped:
        spellings.setdefault(name.lower(), []).append(name)
    twins = [" and ".join(names) for key, names in spellings.items() if key and len(names) > 1]
    if twins:
        return (
            f"the headers {'; '.join(twins)} differ only in case, which the build cannot tell apart; rename or "
            "remove one of them."
        )
    return build_name_clash(header)


def header_problem(header: list[str], expected: list[tuple[str, str]]) -> str | None:
    """What is wrong with a CSV header row, worded with what to do; None when it has every expected column
    (expected: each header with what it is for, from totango_feed.project.expected_headers)."""
    problem = header_names_problem(header)
    if problem:
        return problem
    columns = [name for name, _ in expected]
    stripped = [name.strip() for name in header]
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
    problem = csv_start_problem(str(path))
    if problem:
        return CheckResult(path, error=f"{path}: line 1: {problem}")
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
        parquet = f"read_parquet({file_literal(str(path))}, {PARQUET_OPTIONS})"
        # The top-level columns, with their types: a list or struct column is one column, not its leaves.
        columns = connection.execute(f"describe select * from {parquet}").fetchall()
        rows = connection.execute(f"select count(*) from {parquet}").fetchone()[0]
    except duckdb.Error as error:
        return CheckResult(path, error=f"{path}: cannot be read as Parquet ({str(error).splitlines()[0]}).")
    names = [row[0] for row in columns]
    clash = build_name_clash(names)
    if clash:
        return CheckResult(path, error=f"{path}: {clash}")
    missing = [f"{name} ({purpose})" if purpose else name for name, purpose in expected if name not in names]
    if missing:
        return CheckResult(path, error=f"{path}: column(s) {', '.join(missing)} missing; add them.")
    # A nested column the build reads (a contract column, a custom attribute) has no one text to send: refused
    # here and by the build. Nested columns nobody reads are extra columns, ignored.
    read = {name.lower() for name, _ in expected}
    nested = [f"{name} ({data_type})" for name, data_type, *_ in columns
              if name.lower() in read and NESTED_TYPE.search(data_type)]  # fmt: skip
    if nested:
        return CheckResult(
            path,
            error=f"{path}: column(s) {', '.join(nested)} nested (a list, a struct or a map), which the build cannot "
            "send as one value; export them as text.",
        )
    return CheckResult(path, rows=rows)


def is_hidden(name: str) -> bool:
    return name.startswith(HIDDEN_STARTS)


def entry_problem(path: Path) -> str | None:
    """Why an entry a layout names is not a file the build can read, or None for a regular file. Only its status
    is read: a named pipe is never opened (opening one waits for a writer, for ever)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"a link to {os.readlink(path)}, which does not exist; put the file there, or remove the link."
        return "not found."
    except OSError as error:
        return f"a link that cannot be followed ({error.strerror}); replace it with the file."
    if not stat.S_ISREG(mode):
        return (
            "a folder, not a file; the build reads no sub-folder: move its files up, or rename it."
            if stat.S_ISDIR(mode)
            else f"{'a named pipe (FIFO)' if stat.S_ISFIFO(mode) else 'a socket or a device'}, not a file, which the "
            "build does not read; save the export as a file."
        )
    return name_problem(path.name)


def name_problem(name: str) -> str | None:
    """Why a file's name keeps the build from reading it, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not UTF-8 text; rename it."
    if "\\" in name:
        # What unzip makes of a Windows path in a zip (exports\day2.csv); DuckDB's file listing never shows it.
        return "the file name holds a backslash, and the build cannot see such a file; rename it without one."
    return None


@dataclass(frozen=True)
class ExportEntries:
    """What a folder holds for one export: the layouts present, each with its entries in name order; the entries of
    the export's folder that no layout reads; and its hidden entries, ignored."""

    present: dict[str, list[Path]]
    unread: list[Path]
    hidden: list[Path]


def export_entries(folder: Path, name: str, layouts: list[dict[str, str]]) -> ExportEntries:
    """The layouts of one export (var raw_export_layouts: <name>.csv, <name>.parquet, or a folder <name>/ of CSV
    or of Parquet files) present in the folder. Every entry is listed, whatever it is (a link to nothing, a named
    pipe, a sub-folder): each file is then checked, and an entry the build would not read is named, never left
    out in silence. Exactly one layout must be there; dbt's register_raw_exports reads the same list."""
    present: dict[str, list[Path]] = {}
    listed: dict[str, list[Path]] = {}
    hidden: list[Path] = []
    for layout in layouts:
        pattern = layout["pattern"].replace("{name}", name)
        directory, _, file_pattern = pattern.rpartition("/")
        if not directory:
            if os.path.lexists(folder / pattern):
                present[pattern] = [folder / pattern]
            continue
        if directory not in listed:
            entries = sorted((folder / directory).iterdir()) if (folder / directory).is_dir() else []
            hidden.extend(entry for entry in entries if is_hidden(entry.name))
            listed[directory] = [entry for entry in entries if not is_hidden(entry.name)]
        matched = [entry for entry in listed[directory] if fnmatchcase(entry.name, file_pattern)]
        if matched:
            present[pattern] = matched
    read = {entry for entries in present.values() for entry in entries}
    unread = [entry for entries in listed.values() for entry in entries if entry not in read]
    return ExportEntries(present, unread, hidden)


def missing_export(folder: Path, name: str, entries: ExportEntries) -> CheckResult:
    """The result for an export present in no layout: what is there instead, and what to do."""
    if entries.unread:
        return unread_entry(name, entries.unread[0])
    if (folder / name).is_dir():
        where = folder / name
        return CheckResult(where, error=f"{where}: the folder holds no .csv or .parquet file; put the {name} export "
                                        "files there.")  # fmt: skip
    unread = [(folder / f"{name}{ext}", what) for ext, what in UNREAD_FORMS.items()
              if (folder / f"{name}{ext}").is_file()]  # fmt: skip
    if unread:
        path, what = unread[0]
        return CheckResult(path, error=f"{path}: the {name} export is {what}, as {name}.csv.")
    # An ending in another case (raw_app_events.CSV): the build reads the lower-case names only.
    lower_case = {f"{name}.csv", f"{name}.parquet"}
    other_case = sorted(path for path in folder.glob(f"{name}.*") if path.name.lower() in lower_case)
    if other_case:
        path = other_case[0]
        return CheckResult(path, error=f"{path}: not read: the build reads {path.name.lower()}, with a lower-case "
                                       "ending; rename it.")  # fmt: skip
    where = folder / f"{name}.csv"
    return CheckResult(where, error=f"{where}: not found; put the {name} export there as {name}.csv, {name}.parquet, "
                                    f"or a folder {name}/ of CSV or Parquet files.")  # fmt: skip


def unread_entry(name: str, where: Path) -> CheckResult:
    return CheckResult(
        where,
        error=f"{where}: not read: the {name}/ folder must hold only .csv or only .parquet files (lower-case "
        "endings, no sub-folders; names starting with . or _ are ignored); rename or move it away.",
    )


def layout_refusal(folder: Path, name: str, entries: ExportEntries) -> CheckResult | None:
    """The refusal of an export's layout: none or two present, an entry of its folder the build would not read, an
    entry that is not a file; None when its one layout holds only files."""
    if not entries.present:
        return missing_export(folder, name, entries)
    if len(entries.present) > 1:
        where = folder / name if (folder / name).is_dir() else folder / f"{name}.csv"
        return CheckResult(where, error=f"{where}: more than one copy of the {name} export: "
                                        f"{', '.join(entries.present)}; keep exactly one.")  # fmt: skip
    layout, files = next(iter(entries.present.items()))
    if "/" in layout and entries.unread:
        return unread_entry(name, entries.unread[0])
    problems = [(path, entry_problem(path)) for path in files]
    return next((CheckResult(path, error=f"{path}: {problem}") for path, problem in problems if problem), None)


def check_export(
    connection: duckdb.DuckDBPyConnection,
    folder: Path,
    name: str,
    expected: list[tuple[str, str]],
    layouts: list[dict[str, str]],
    *,
    memory: CheckMemory | None = None,
) -> CheckResult:
    # A folder this user cannot list looks empty: said as what it is, not as "holds no file".
    if problem := access.unreadable_folder(folder / name):
        return CheckResult(folder / name, error=problem)
    entries = export_entries(folder, name, layouts)
    refused = layout_refusal(folder, name, entries)
    if refused:
        return refused
    layout, files = next(iter(entries.present.items()))
    is_folder = "/" in layout
    file_format = "parquet" if layout.endswith("parquet") else "csv"
    result = check_files(connection, files, file_format, expected, memory)
    if result.error is None and is_folder:
        return CheckResult(folder / name, rows=result.rows, files=len(files), ignored=tuple(entries.hidden))
    return result


def check_files(
    connection: duckdb.DuckDBPyConnection,
    files: list[Path],
    file_format: str,
    expected: list[tuple[str, str]],
    memory: CheckMemory | None,
) -> CheckResult:
    """The files of one export; the first error, or the rows of all (as the first file's). Files found sound
    before (the same bytes, the same expectation) are not read again: a daily check of a folder of day files reads
    the new day only (check_memory.py)."""
    check = check_parquet if file_format == "parquet" else check_csv
    what = check_memory.expectation(file_format, expected)
    readable = [path for path in files if access.unreadable_file(path) is None]
    digests = memory.content_hashes(readable) if memory is not None else {}
    rows = 0
    for path in files:
        # A file this user cannot read: said as such, not as an error from deep inside the reader.
        if problem := access.unreadable_file(path):
            return CheckResult(path, error=problem)
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
    return CheckResult(files[0], rows=rows)


def check_folder(folder: Path, variables: dict | None = None, memory_database: Path | None = None) -> list[CheckResult]:
    """Check every export of the folder; memory_database: where to remember the files found sound (None: check
    every file, remember nothing)."""
    variables = variables if variables is not None else project_vars()
    layouts = raw_export_layouts(variables)
    memory = CheckMemory(memory_database) if memory_database is not None else None
    try:
        with duckdb.connect() as connection:
            return [check_export(connection, folder, name, expected_headers(name, variables), layouts, memory=memory)
                    for name in contract_columns()]  # fmt: skip
    finally:
        if memory is not None:
            memory.close()


def one_line(text: str) -> str:
    """A message on one line: a line break or other control character (in a file name, a header) shown escaped."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda match: repr(match.group())[1:-1], text)


def layouts_problem(variables: dict) -> str | None:
    layouts = variables.get("raw_export_layouts")
    if isinstance(layouts, list) and layouts and all(
        isinstance(layout, dict) and isinstance(layout.get("pattern"), str) and "{name}" in layout["pattern"]
        and layout.get("format") in ("csv", "parquet") for layout in layouts
    ):  # fmt: skip
        return None
    return f"var raw_export_layouts must be a list of {{pattern: <with {{name}}>, format: csv or parquet}}: {layouts}"


def default_folder(variables: dict) -> Path:
    """The folder the build reads: var raw_dir, else TOTANGO_RAW_DIR (macro raw_dir), relative to the project as
    dbt takes it; else the seeds."""
    folder = variables.get("raw_dir") or os.environ.get("TOTANGO_RAW_DIR") or ""
    return PROJECT_DIR / str(folder) if folder else PROJECT_DIR / "seeds"


def resolve_arguments(argv: list[str] | None) -> tuple[Path, dict, argparse.Namespace]:
    """The folder to check and the vars, as the build would take them; CheckRefused (or VarsError) when they
    cannot work."""
    parser = argparse.ArgumentParser(description="Check the four raw exports in a folder before a build.")
    parser.add_argument(
        "folder",
        type=Path,
        nargs="?",
        help="the folder of the raw exports (default: var raw_dir, TOTANGO_RAW_DIR, or seeds/)",
    )
    parser.add_argument("--vars", default="", help="vars as dbt takes them (YAML or JSON), over dbt_project.yml's")
    parser.add_argument(
        "--database",
        type=Path,
        default=database_path(),
        help="the DuckDB file the build writes, checked for this user's access, where the check also remembers the "
        "files it found sound, by their content, so that it reads each file once (default: $TOTANGO_DUCKDB_PATH or "
        "totango.duckdb, a relative one from the project folder, as dbt takes it)",
    )
    parser.add_argument("--recheck", action="store_true", help="check every file again, remember nothing")
    parser.add_argument(
        "--spark-warehouse", type=Path, help="a build on Spark: check this warehouse folder instead of the database"
    )
    args = parser.parse_args(argv)
    variables = project_vars(parse_cli_vars(args.vars))
    problem = layouts_problem(variables)
    if problem:
        raise CheckRefused(problem)
    folder = args.folder if args.folder is not None else default_folder(variables)
    if not folder.is_dir():
        raise CheckRefused(f"{folder} is not a folder.")
    if "\\" in str(folder):
        # DuckDB reads every path as a file pattern, in which no escape matches a backslash (the build says so too).
        raise CheckRefused(f"{folder} holds a backslash, which DuckDB reads as part of a file pattern: rename or link "
                        "the folder without it.")  # fmt: skip
    return folder, variables, args


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
    try:
        folder, variables, args = resolve_arguments(argv)
    except (VarsError, CheckRefused) as error:
        print(one_line(f"raw export error: {error}"), file=sys.stderr)
        return 2
    if problem := build_problem(args):
        print(one_line(f"build error: {problem}"), file=sys.stderr)
        return 2
    if problem := access.unreadable_folder(folder):
        print(one_line(f"raw export error: {problem}"), file=sys.stderr)
        return 2
    try:
        results = check_folder(folder, variables, None if args.recheck or args.spark_warehouse else args.database)
    except (OSError, UnicodeError, duckdb.Error) as error:
        print(one_line(f"raw export error: {str(error).strip().splitlines()[0]}"), file=sys.stderr)
        return 2
    errors = [result.error for result in results if result.error]
    for error in errors:
        print(one_line(f"raw export error: {error}"), file=sys.stderr)
    if errors:
        return 2
    for result in results:
        print(one_line(f"raw export ok: {result.describe()}  {result.rows} rows"))
        for path in result.ignored:
            print(one_line(f"raw export note: {path}: ignored, as the build ignores it (a hidden name, starting with "
                           f"{' or '.join(HIDDEN_STARTS)})"))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
