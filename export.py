"""Write the Totango CSV files from the marts that `dbt build` left in the DuckDB database.

    python export.py [--db totango.duckdb] [--out output] [--run-results target/run_results.json]
                     [--full] [--dry-run] [--counted] [--max-file-mb 95] [--no-formula-guard]

Writes accounts.csv, users.csv (always whole: Totango updates them in place), usage.csv with only the usage
events no earlier export sent (--full: all of them), data_issues.csv (for people, not for upload) and
manifest.json, as ../shared/output-files.md says. DuckDB writes the files; Python only names, splits, hashes
and renames them. Files are written under temporary names, the run is recorded in the export ledger
(export_ledger.py), and only then are the files renamed into place, manifest.json last: a folder with a
manifest.json is complete.

Refuses, with a one-line reason and exit code 1, when the database or a mart is missing, or when the last
dbt run recorded a failed test or model.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import export_ledger
import export_writer

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


ACCOUNTS = OutputFile(
    "accounts.csv", "marts.totango_accounts", ("Account Name", "Industry", "Region", "Segment", "Plan")
)
USERS = OutputFile("users.csv", "marts.totango_users", ("First Name", "Last Name", "Role", "Title"))
USAGE = OutputFile("usage.csv", "marts.totango_usage", ("Action", "Module"))
COUNTED_USAGE = OutputFile("usage_counted.csv", "marts.totango_usage", ("Action", "Module"))
DATA_ISSUES = OutputFile("data_issues.csv", "marts.data_issues", ())
# The usage rows with their event id and time, for the ledger: the usage mart's rows, keyed.
USAGE_ROWS = "intermediate.int_usage_rows"
MANIFEST = "manifest.json"
# Every name an export may publish, parts included: the ones a new export does not write are removed, so a
# folder never mixes two exports.
PUBLISHED_PATTERNS = ("accounts*.csv", "users*.csv", "usage*.csv", "data_issues*.csv", MANIFEST)


class ExportRefused(Exception):
    """A reason to stop before writing anything, worded for the person running the export."""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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


def guarded_columns(output: OutputFile, columns: list[str], formula_guard: bool) -> str:
    """The select list of a file: every column, free text guarded against formulas if asked."""
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
    return ", ".join(expressions)


def mart_query(connection: duckdb.DuckDBPyConnection, output: OutputFile, formula_guard: bool) -> str:
    # No order by: the marts are stored in their output order and DuckDB keeps insertion order
    # (preserve_insertion_order, set in export) when it copies a table out.
    return f"select {guarded_columns(output, mart_columns(connection, output.mart), formula_guard)} from {output.mart}"


def stage_usage(connection: duckdb.DuckDBPyConnection, send_all: bool, formula_guard: bool) -> None:
    """The usage rows this export sends, in time order, as temp table export_usage (event_id, occurred_at and
    the usage mart's columns): written, counted, described in the manifest and recorded from this one table."""
    columns = guarded_columns(USAGE, mart_columns(connection, USAGE.mart), formula_guard)
    connection.execute(
        f"create or replace temp table export_usage as select event_id, occurred_at, {columns} "
        # The order of models/marts/totango_usage.sql, which has no event id to filter on.
        f"from {USAGE_ROWS} where {export_ledger.unsent_filter(send_all)} order by occurred_at, event_id"
    )


def usage_query(counted: bool) -> str:
    if not counted:
        return "select * exclude (event_id, occurred_at) from export_usage"
    # Identical (user, account, module, action) rows of this export fold into one row with a Count.
    return (
        'select "User ID", "Account ID", "Action", "Module", max("Timestamp") as "Timestamp", count(*) as "Count" '
        'from export_usage group by all order by "Account ID", "User ID", "Module", "Action"'
    )


def usage_window(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    events, first, last = connection.execute(
        'select count(*), min("Timestamp"), max("Timestamp") from export_usage'
    ).fetchone()
    return {"events": events, "first_timestamp": first, "last_timestamp": last}


@dataclass(frozen=True)
class ExportPlan:
    run_id: str
    started_at: datetime
    out_dir: Path
    is_full: bool
    counted: bool
    formula_guard: bool
    max_bytes: int


def write_all(connection: duckdb.DuckDBPyConnection, plan: ExportPlan) -> list[export_writer.WrittenFile]:
    """Every file of the export under its temporary name, each reported as soon as it is complete."""
    usage_file = COUNTED_USAGE if plan.counted else USAGE
    files = [
        (ACCOUNTS, mart_query(connection, ACCOUNTS, plan.formula_guard)),
        (USERS, mart_query(connection, USERS, plan.formula_guard)),
        (usage_file, usage_query(plan.counted)),
        (DATA_ISSUES, mart_query(connection, DATA_ISSUES, plan.formula_guard)),
    ]
    has_usage = connection.execute("select count(*) from export_usage").fetchone()[0] > 0
    written_files: list[export_writer.WrittenFile] = []
    for output, query in files:
        if output is usage_file and not has_usage:
            print(f"no usage events to send: {output.file_name} is not written", flush=True)
            continue
        target = export_writer.Target(plan.out_dir, output.file_name, plan.run_id, plan.max_bytes)
        for part in export_writer.write_csv_parts(connection, query, target):
            print(f"wrote {plan.out_dir / part.name}  {part.rows} rows  {part.size} bytes", flush=True)
            written_files.append(part)
    return written_files


def manifest_content(
    connection: duckdb.DuckDBPyConnection, plan: ExportPlan, files: list[export_writer.WrittenFile]
) -> dict[str, object]:
    return {
        "run_id": plan.run_id,
        "created_at": plan.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "full": plan.is_full,
        "counted_usage": plan.counted,
        "formula_guard": plan.formula_guard,
        "max_file_bytes": plan.max_bytes,
        "usage": usage_window(connection),
        "files": [{"name": f.name, "rows": f.rows, "bytes": f.size, "sha256": f.sha256} for f in files],
    }


def publish(connection: duckdb.DuckDBPyConnection, plan: ExportPlan, files: list[export_writer.WrittenFile]) -> None:
    """Record the run in the ledger, then rename everything into place, manifest.json last."""
    manifest_temporary = export_writer.temporary_path(plan.out_dir, MANIFEST, plan.run_id)
    text = json.dumps(manifest_content(connection, plan, files), indent=2, sort_keys=True) + "\n"
    manifest_temporary.write_text(text, encoding="utf-8")
    export_ledger.record_run(
        connection,
        export_ledger.Run(plan.run_id, plan.started_at, str(plan.out_dir), plan.is_full),
        events_table="export_usage",
    )
    # A folder never mixes two exports: published files this export does not write again are removed.
    keep = {f.name for f in files} | {MANIFEST}
    for pattern in PUBLISHED_PATTERNS:
        for stale in plan.out_dir.glob(pattern):
            if stale.name not in keep:
                stale.unlink()
    renames = [(f.temporary, plan.out_dir / f.name) for f in files]
    export_writer.publish([*renames, (manifest_temporary, plan.out_dir / MANIFEST)])
    export_ledger.mark_published(connection, plan.run_id, datetime.now(UTC).replace(tzinfo=None))


def dry_run(connection: duckdb.DuckDBPyConnection, plan: ExportPlan) -> None:
    for output in (ACCOUNTS, USERS, DATA_ISSUES):
        rows = connection.execute(f"select count(*) from {output.mart}").fetchone()[0]
        print(f"would write {plan.out_dir / output.file_name}  {rows} rows")
    window = usage_window(connection)
    usage_name = COUNTED_USAGE.file_name if plan.counted else USAGE.file_name
    scope = "every event (--full)" if plan.is_full else "events not yet exported"
    print(
        f"would write {plan.out_dir / usage_name}  {window['events']} usage events, {scope}"
        f" (from {window['first_timestamp']} to {window['last_timestamp']})"
    )
    print("dry run: nothing written, nothing recorded")


def issue_counts(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    return connection.execute(
        "select source, issue, outcome, count(*) from marts.data_issues group by all order by all"
    ).fetchall()


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write accounts.csv, users.csv, usage.csv, data_issues.csv and manifest.json from the marts.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(DEFAULT_DB),
        help="DuckDB file written by dbt build; it also holds the export ledger "
        "(default: $TOTANGO_DUCKDB_PATH or totango.duckdb)",
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
    parser.add_argument(
        "--full", action="store_true", help="send every usage event again, not only those no earlier export sent"
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would be written; write and record nothing")
    parser.add_argument(
        "--counted",
        action="store_true",
        help="write usage_counted.csv instead of usage.csv: identical rows of this export folded, with a Count",
    )
    parser.add_argument(
        "--max-file-mb",
        type=float,
        default=95.0,
        help="split files larger than this (MB, 10^6 bytes) into numbered parts, each with its header (default: 95)",
    )
    parser.add_argument(
        "--no-formula-guard",
        dest="formula_guard",
        action="store_false",
        help="write text starting with = + - @ tab or CR as it is, without the leading quote",
    )
    return parser.parse_args(argv)


def has_ledger(connection: duckdb.DuckDBPyConnection) -> bool:
    return (
        connection.execute(
            "select count(*) from duckdb_tables() where schema_name = 'ledger' and table_name = 'exported_events'"
        ).fetchone()[0]
        > 0
    )


def export(args: argparse.Namespace, plan: ExportPlan) -> list[tuple[str, str, str, int]] | None:
    """The export itself; returns the data-issue counts, or None for a dry run."""
    if args.max_file_mb <= 0:
        raise ExportRefused("--max-file-mb must be more than 0.")
    if not args.db.exists():
        raise ExportRefused(f"database {args.db} not found: run `dbt build` first, or pass --db.")
    check_last_run(args.run_results)
    with duckdb.connect(str(args.db), read_only=args.dry_run) as connection:
        connection.execute("set preserve_insertion_order = true")
        # The same cap as the build (profiles.yml): sorting ten million events spills to disk instead.
        connection.execute(f"set memory_limit = '{os.environ.get('TOTANGO_DUCKDB_MEMORY_LIMIT', '1500MB')}'")
        for output in (ACCOUNTS, USERS, USAGE, DATA_ISSUES):
            mart_columns(connection, output.mart)
        if not args.dry_run:
            export_ledger.ensure_schema(connection)
            for run_id in export_ledger.recover_unpublished(connection):
                print(f"export {run_id} was recorded but never published: its events will be sent again")
        stage_usage(connection, plan.is_full or not has_ledger(connection), plan.formula_guard)
        if args.dry_run:
            dry_run(connection, plan)
            return None
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        export_writer.remove_stale_temporaries(plan.out_dir)
        files = write_all(connection, plan)
        publish(connection, plan, files)
        print(f"export {plan.run_id}: {len(files)} files and {MANIFEST} in place in {plan.out_dir}")
        return issue_counts(connection)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    started_at = datetime.now(UTC)
    plan = ExportPlan(
        run_id=started_at.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3),
        started_at=started_at.replace(tzinfo=None),
        out_dir=args.out,
        is_full=args.full,
        counted=args.counted,
        formula_guard=args.formula_guard,
        max_bytes=int(args.max_file_mb * 1_000_000),
    )
    try:
        counts = export(args, plan)
    except ExportRefused as refusal:
        print(f"export refused: {refusal}", file=sys.stderr)
        return 1
    except (duckdb.Error, OSError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"export failed: {first_line}", file=sys.stderr)
        return 1
    if counts is not None:
        print("data issues (source, issue, outcome: rows):")
        for source, issue, outcome, count in counts:
            print(f"  {source:<22} {issue:<24} {outcome:<8} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
