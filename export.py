"""Write the Totango CSV files from the marts that `dbt build` left in the DuckDB database.

    python export.py [--db totango.duckdb] [--out output] [--run-results target/run_results.json]
                     [--no-formula-guard]

Writes accounts.csv, users.csv, usage.csv (for upload) and data_issues.csv (for people), exactly as
../shared/output-files.md says. DuckDB writes the files; Python only names them. Each file is written under a
temporary name in the output folder and all of them are renamed into place only once every one is complete,
so a crash never leaves a truncated file that looks whole.

Refuses, with a one-line reason and exit code 1, when the database or a mart is missing, or when the last
dbt run recorded a failed test or model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_DB = os.environ.get("TOTANGO_DUCKDB_PATH", str(PROJECT_DIR / "totango.duckdb"))
FAILED_STATUSES = {"error", "fail", "runtime error"}
# A value starting with one of these is a formula to a spreadsheet (output-files.md).
FORMULA_PATTERN = r"^[=+\-@\t\r]"


@dataclass(frozen=True)
class OutputFile:
    file_name: str
    mart: str
    # Free-text columns get the formula guard; ids, numbers, dates and emails are never changed.
    free_text_columns: tuple[str, ...]


OUTPUT_FILES = (
    OutputFile(
        "accounts.csv",
        "marts.totango_accounts",
        ("Account Name", "Industry", "Region", "Segment", "Plan"),
    ),
    OutputFile("users.csv", "marts.totango_users", ("First Name", "Last Name", "Role", "Title")),
    OutputFile("usage.csv", "marts.totango_usage", ("Action", "Module")),
    OutputFile("data_issues.csv", "marts.data_issues", ()),
)


class ExportRefused(Exception):
    """A reason to stop before writing anything, worded for the person running the export."""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_last_run(run_results: Path) -> None:
    """Refuse when the last dbt invocation recorded a failure: its marts cannot be trusted."""
    if not run_results.exists():
        raise ExportRefused(f"{run_results} not found: run `dbt build` first, then export.")
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    except (ValueError, KeyError) as error:
        raise ExportRefused(f"{run_results} cannot be read ({error}): run `dbt build` again.") from error
    failed = [r.get("unique_id", "?") for r in results if str(r.get("status", "")).lower() in FAILED_STATUSES]
    if failed:
        more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
        raise ExportRefused(
            f"the last dbt run recorded a failure ({failed[0]}{more}): fix it and run `dbt build` again."
        )


def mart_columns(connection: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    schema, table = mart.split(".")
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not rows:
        raise ExportRefused(f"mart {mart} is missing from the database: run `dbt build` first.")
    return [row[0] for row in rows]


def select_for_export(output: OutputFile, columns: list[str], formula_guard: bool) -> str:
    """The query whose result is the file: every column, free text guarded against formulas if asked."""
    expressions = []
    for column in columns:
        quoted = quote_identifier(column)
        if formula_guard and column in output.free_text_columns:
            expressions.append(
                f"case when regexp_matches({quoted}, '{FORMULA_PATTERN}') then '''' || {quoted} "
                f"else {quoted} end as {quoted}"
            )
        else:
            expressions.append(quoted)
    # No order by: the marts are stored in their output order and DuckDB keeps insertion order
    # (preserve_insertion_order, set below) when it copies a table out.
    return f"select {', '.join(expressions)} from {output.mart}"


def write_files(connection: duckdb.DuckDBPyConnection, out_dir: Path, formula_guard: bool) -> list[tuple[Path, int]]:
    """Write every file under a temporary name, then rename them all into place. Returns (file, rows).

    Each file is reported as soon as it is complete, so a long export shows its progress."""
    out_dir.mkdir(parents=True, exist_ok=True)
    queries = [
        (output, select_for_export(output, mart_columns(connection, output.mart), formula_guard))
        for output in OUTPUT_FILES
    ]
    written: list[tuple[Path, Path, int]] = []
    try:
        for output, query in queries:
            final_path = out_dir / output.file_name
            temporary_path = out_dir / f".{output.file_name}.{os.getpid()}.partial"
            row_count = connection.execute(
                f"copy ({query}) to {quote_literal(str(temporary_path))} (format csv, header true)"
            ).fetchone()[0]
            written.append((temporary_path, final_path, row_count))
            print(f"wrote {final_path}  {row_count} rows  {temporary_path.stat().st_size} bytes", flush=True)
    except BaseException:
        for temporary_path, _, _ in written:
            temporary_path.unlink(missing_ok=True)
        raise
    for temporary_path, final_path, _ in written:
        os.replace(temporary_path, final_path)
    return [(final_path, row_count) for _, final_path, row_count in written]


def issue_counts(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    return connection.execute(
        "select source, issue, outcome, count(*) from marts.data_issues group by all order by all"
    ).fetchall()


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write accounts.csv, users.csv, usage.csv and data_issues.csv from the dbt marts.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(DEFAULT_DB),
        help="DuckDB file written by dbt build (default: $TOTANGO_DUCKDB_PATH or totango.duckdb)",
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT_DIR / "output", help="folder to write the files into (default: output/)"
    )
    parser.add_argument(
        "--run-results",
        type=Path,
        default=PROJECT_DIR / "target" / "run_results.json",
        help="dbt's record of its last run, checked for failures (default: target/run_results.json)",
    )
    parser.add_argument("--no-formula-guard", dest="formula_guard", action="store_false",
                        help="write text starting with = + - @ as it is, without the leading quote")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        if not args.db.exists():
            raise ExportRefused(f"database {args.db} not found: run `dbt build` first, or pass --db.")
        check_last_run(args.run_results)
        with duckdb.connect(str(args.db), read_only=True) as connection:
            connection.execute("set preserve_insertion_order = true")
            # The same cap as the build (profiles.yml): sorting ten million events spills to disk instead.
            connection.execute(f"set memory_limit = '{os.environ.get('TOTANGO_DUCKDB_MEMORY_LIMIT', '1500MB')}'")
            written = write_files(connection, args.out, args.formula_guard)
            counts = issue_counts(connection)
    except ExportRefused as refusal:
        print(f"export refused: {refusal}", file=sys.stderr)
        return 1
    except (duckdb.Error, OSError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"export failed: {first_line}", file=sys.stderr)
        return 1

    print(f"{len(written)} files in place in {args.out}")
    print("data issues (source, issue, outcome: rows):")
    for source, issue, outcome, count in counts:
        print(f"  {source:<22} {issue:<24} {outcome:<8} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
