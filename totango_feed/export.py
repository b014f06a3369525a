"""Write the Totango CSV files from the marts that `dbt build` left in the DuckDB database (or, with
--spark-warehouse, in the Parquet files of a build on Spark: build_outputs.py).

    python export.py [--db totango.duckdb] [--spark-warehouse DIR] [--out output] [--full] [--dry-run] [--counted]
                     [--max-file-mb 95] [--no-formula-guard] [--accept-changes REASON]

Writes accounts.csv, users.csv (always whole: Totango updates them in place), usage.csv with only the usage
events whose ids no earlier export sent (--full: all of them), data_issues.csv (for people, not for upload) and
manifest.json, as docs/contract/output-files.md says. DuckDB writes the files; Python only names, splits, hashes
and renames them.

Each export is known to the ledger (ledger.py) before it writes anything, writes its files under
temporary names, records its events, and only then renames everything into place, manifest.json last; the next
export settles any run a crash cut short (recovery.py). Only files an earlier export of ours wrote are
ever replaced, and a usage file that may not have been collected is never destroyed (output_folder.py).

Before it records or publishes anything, it reviews what it is about to send against the last published export
(review.html, review.md in the folder: totango_feed/review/) and holds itself, exit code 3, when a change is past
the brakes' limits, unless --accept-changes gives the reason to publish it anyway.

Refuses, with a one-line reason and exit code 1, when the database or a mart is missing, when the last dbt
build did not pass (as recorded in the database by the build itself, macros/build/record_build_outcome.sql), or when
the output folder holds files the export must not touch.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from totango_feed import access, ledger, output_folder, project, recovery, review, spark_ledger, usage, writer
from totango_feed.build_outputs import BuildOutputs, duckdb_outputs, spark_outputs
from totango_feed.project import PROJECT_DIR, database_path
from totango_feed.sql import quote_identifier, sql_literal

# The largest --max-file-mb taken: a terabyte.
MAX_FILE_MB = 1_000_000
# A value starting with = + - @, a tab or a CR is a formula to a spreadsheet (docs/contract/output-files.md)...
FORMULA_PATTERN = project.formula_guard_pattern("starts_like_a_formula")
# ...unless it is a plain number (-3, -12.5: a number attribute), which a spreadsheet reads as the number it is.
PLAIN_NUMBER_PATTERN = project.formula_guard_pattern("plain_number")


@dataclass(frozen=True)
class OutputFile:
    file_name: str
    mart: str
    # Ids and emails are never changed (the models only let through ones that cannot start like a formula);
    # every other text column gets the formula guard, so that a column added later is guarded by default. Which
    # are which: macro output_columns (guarded: false), read through project.py.
    columns_of: str

    @property
    def unguarded_columns(self) -> tuple[str, ...]:
        return tuple(column["name"] for column in project.output_columns(self.columns_of) if not column.get(
            "guarded", True))  # fmt: skip


# The mart of each file: dbt exposure totango_csv_export (models/marts/_exposures.yml), read by project.py.
MARTS = project.export_relations()["files"]
ACCOUNTS = OutputFile("accounts.csv", MARTS["accounts.csv"], "accounts.csv")
USERS = OutputFile("users.csv", MARTS["users.csv"], "users.csv")
USAGE = OutputFile("usage.csv", usage.USAGE_MART, "usage.csv")
COUNTED_USAGE = OutputFile("usage_counted.csv", usage.USAGE_MART, "usage.csv")
# For people, opened in a spreadsheet: the raw keys and the details that quote raw values are guarded too.
DATA_ISSUES = OutputFile("data_issues.csv", MARTS["data_issues.csv"], "data_issues.csv")
MANIFEST = output_folder.MANIFEST


def say(line: str) -> None:
    """Progress for the person exporting. A reader that went away (`| head`) must not turn an export that did
    its work into a failure: once stdout is closed, the rest is dropped."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process


class ExportRefused(Exception):
    """A reason to stop before writing anything, worded for the person running the export."""


@dataclass(frozen=True)
class BuildRecord:
    """The build an export exports, as the build recorded itself (macros/build/record_build_outcome.sql)."""

    number: int
    started_at: datetime
    finished_at: datetime | None
    # The raw folder it read; '' for the seeds; None when the build predates the record of it.
    raw_dir: str | None
    # Its dbt invocation: the ledger records which build each export sent from (macro mark_exported_events).
    invocation_id: str | None = None

    def describe(self, where: str, now: datetime) -> str:
        """One line for the person exporting: which build, when, from what. A build in the wrong place (dbt run
        from another folder onto another database) shows here as an old build, or other exports."""
        finished = self.finished_at or self.started_at
        minutes = max(0, int((now - finished).total_seconds() // 60))
        hours = f"{minutes % 1440 // 60} h"
        age = f"{minutes // 1440} d {hours}" if minutes >= 1440 else f"{hours} {minutes % 60} min"
        if self.raw_dir is None:
            source = "its raw exports not recorded (a build of an older version)"
        elif self.raw_dir:
            source = f"raw exports from {self.raw_dir}"
        else:
            source = "raw exports from the seeds (seed mode)"
        return (
            f"exporting dbt build {self.number} of {where}: finished {finished:%Y-%m-%d %H:%M:%S} UTC ({age} ago), "
            f"{source}"
        )

    def built_from(self) -> str | None:
        """What manifest.json says the build read, for deliver.py: the raw folder, None for the sample seeds
        (which deliver.py refuses to send unless told outright), "unknown" for a build of an older version."""
        if self.raw_dir is None:
            return "unknown"
        return self.raw_dir or None

    def manifest(self) -> dict[str, object]:
        return {
            "number": self.number,
            "started_at": self.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished_at": self.finished_at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.finished_at else None,
            "raw_dir": self.raw_dir,
        }


def check_last_build(connection: duckdb.DuckDBPyConnection, outputs: BuildOutputs) -> BuildRecord:
    """Refuse unless the last dbt command that changed tables was a build that built and tested every mart; the
    build it was, if it was."""
    if not outputs.exists(connection, "audit.build_outcomes"):
        raise ExportRefused(f"no dbt build is recorded in {outputs.where}: run `dbt build` first, then export.")
    # A record kept by an older version has no raw_dir until the next build adds it.
    has_raw_dir = "raw_dir" in {name for name, _ in outputs.columns(connection, "audit.build_outcomes")}
    command, outcome, failed, started_at, number, finished_at, raw_dir, invocation_id = connection.execute(
        "select command, outcome, failed_nodes, started_at, build_number, finished_at, "
        f"{'raw_dir' if has_raw_dir else 'null'}, invocation_id "
        f"from {outputs.relation('audit.build_outcomes')} order by build_number desc limit 1"
    ).fetchone()
    if outcome == "running":
        raise ExportRefused(
            f"the last `dbt {command}` (started {started_at:%Y-%m-%d %H:%M:%S} UTC) did not finish: it is still "
            "running, was stopped part-way, or failed as it started (its on-run-start checks: see dbt's output); run "
            "`dbt build` to the end, then export."
        )
    if outcome == "failed":
        nodes = (failed or "?").split(", ")
        more = f" and {len(nodes) - 1} more" if len(nodes) > 1 else ""
        raise ExportRefused(
            f"the last dbt build failed ({nodes[0]}{more}): fix it and run `dbt build` again; nothing was exported."
        )
    if outcome == "partial":
        left_out = (failed or "?").split(", ")
        raise ExportRefused(
            f"the last dbt build did not build every model ({left_out[0].rsplit('.', 1)[-1]}"
            f"{f' and {len(left_out) - 1} more' if len(left_out) > 1 else ''} left out by --select or --exclude): "
            "its marts may hold yesterday's rows of what it left out; run `dbt build`."
        )
    if outcome == "untested" and command == "build":
        raise ExportRefused(
            f"the last dbt build left out tests of what it built ({(failed or '?').split(', ')[0]}...): run "
            "`dbt build` with its tests."
        )
    if outcome != "passed":
        raise ExportRefused(
            f"`dbt {command}` changed tables after the last build without testing them: run `dbt build`."
        )
    return BuildRecord(number, started_at, finished_at, raw_dir, invocation_id)


def mart_columns(connection: duckdb.DuckDBPyConnection, outputs: BuildOutputs, mart: str) -> list[tuple[str, str]]:
    """The mart's columns, in order, each with its data type."""
    rows = outputs.columns(connection, mart)
    if not rows:
        raise ExportRefused(f"mart {mart} is missing from {outputs.where}: run `dbt build` first.")
    return rows


def guarded_columns(output: OutputFile, columns: list[tuple[str, str]], formula_guard: bool) -> str:
    """The select list of a file: every column, text guarded against formulas if asked (ids and emails aside)."""
    expressions = []
    for column, data_type in columns:
        quoted = quote_identifier(column)
        if formula_guard and data_type == "VARCHAR" and column not in output.unguarded_columns:
            expressions.append(
                f"case when regexp_matches({quoted}, '{FORMULA_PATTERN}') "
                f"and not regexp_full_match({quoted}, '{PLAIN_NUMBER_PATTERN}') then '''' || {quoted} "
                f"else {quoted} end as {quoted}"
            )
        else:
            expressions.append(quoted)
    return ", ".join(expressions)


def mart_query(
    connection: duckdb.DuckDBPyConnection, outputs: BuildOutputs, output: OutputFile, formula_guard: bool
) -> str:
    # No order by: the marts are stored in their output order and DuckDB keeps insertion order
    # (preserve_insertion_order, set in export) when it copies a table out.
    columns = guarded_columns(output, mart_columns(connection, outputs, output.mart), formula_guard)
    return f"select {columns} from {outputs.relation(output.mart)}"


@dataclass(frozen=True)
class ExportPlan:
    run_id: str
    started_at: datetime
    out_dir: Path
    is_full: bool
    counted: bool
    formula_guard: bool
    max_bytes: int
    outputs: BuildOutputs
    # Known once the database is open (export()).
    build: BuildRecord | None = None
    # What manifest.json says of the review (known once the export is reviewed).
    review: dict | None = None

    @property
    def usage_file(self) -> OutputFile:
        return COUNTED_USAGE if self.counted else USAGE


def write_all(connection: duckdb.DuckDBPyConnection, plan: ExportPlan, has_usage: bool) -> list[writer.WrittenFile]:
    """Every file of the export under its temporary name, each reported as soon as it is complete."""
    files = [
        (ACCOUNTS, mart_query(connection, plan.outputs, ACCOUNTS, plan.formula_guard)),
        (USERS, mart_query(connection, plan.outputs, USERS, plan.formula_guard)),
        (plan.usage_file, usage.query(plan.counted) if has_usage else None),
        (DATA_ISSUES, mart_query(connection, plan.outputs, DATA_ISSUES, plan.formula_guard)),
    ]
    written_files: list[writer.WrittenFile] = []
    usage.name_files(connection, [])  # no usage file: no event is sent
    for output, query in files:
        if query is None:
            say(f"no usage events to send: {output.file_name} is not written")
            continue
        target = writer.Target(plan.out_dir, output.file_name, plan.run_id, plan.max_bytes)
        parts = writer.write_csv_parts(connection, query, target)
        for part in parts:
            say(f"wrote {plan.out_dir / part.name}  {part.rows} rows  {part.size} bytes")
        if output is plan.usage_file:
            usage.name_files(connection, parts)
        written_files.extend(parts)
    return written_files


def manifest_content(
    connection: duckdb.DuckDBPyConnection, plan: ExportPlan, files: list[writer.WrittenFile], carried: list
) -> dict[str, object]:
    return {
        "run_id": plan.run_id,
        "created_at": plan.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "full": plan.is_full,
        "counted_usage": plan.counted,
        "formula_guard": plan.formula_guard,
        "max_file_bytes": plan.max_bytes,
        "usage": usage.window(connection),
        # Which build the files come from, and which raw exports it read.
        "build": plan.build.manifest() if plan.build else None,
        # The raw folder the build read (null: the sample seeds), so that deliver.py can refuse to send the sample.
        "built_from": plan.build.built_from() if plan.build else "unknown",
        "files": [{"name": f.name, "rows": f.rows, "bytes": f.size, "sha256": f.sha256} for f in files],
        # Usage files of earlier exports left in place (they may not have been collected): not to be loaded again.
        "carried_over": carried,
        # review.html and review.md (not for loading), the export compared with, and the brakes it passed or was
        # accepted past (totango_feed/review/).
        "review": plan.review,
    }


def planned_names(plan: ExportPlan, has_usage: bool) -> list[str]:
    outputs = [ACCOUNTS, USERS, *([plan.usage_file] if has_usage else []), DATA_ISSUES]
    return [output.file_name for output in outputs]


def write_and_record(
    connection: duckdb.DuckDBPyConnection,
    plan: ExportPlan,
    previous: output_folder.PreviousExport,
    has_usage: bool,
    reviewed: review.Reviewed,
) -> list[writer.WrittenFile]:
    """Write every file under its temporary name (the review's too) and record the run: after this, the export is
    committed."""
    ledger.start_run(
        connection,
        ledger.Run(
            plan.run_id,
            plan.started_at,
            str(plan.out_dir),
            plan.is_full,
            plan.build.invocation_id if plan.build else None,
            plan.build.raw_dir == "" if plan.build and plan.build.raw_dir is not None else None,
        ),
    )
    try:
        # After start_run: a kill from here on leaves temporaries the next export finds through the ledger.
        reviewed.write_temporaries(plan.out_dir)
        files = write_all(connection, plan, has_usage)
        # Parts (usage-001.csv...) are named only once written: check them too.
        output_folder.check_can_write(plan.out_dir, [f.name for f in files], previous, has_usage)
        carried = [] if has_usage else output_folder.carried_usage(plan.out_dir, previous)
        for entry in carried:
            say(f"kept {plan.out_dir / entry['name']} of export {entry['from_run']}: it may not have "
                  "been collected yet")  # fmt: skip
        manifest = json.dumps(manifest_content(connection, plan, files, carried), indent=2, sort_keys=True) + "\n"
        output_folder.temporary_path(plan.out_dir, MANIFEST, plan.run_id).write_text(manifest, encoding="utf-8")
        recorded = [ledger.RecordedFile(f.name, f.rows, f.size, f.sha256) for f in files]
        ledger.record_run(connection, plan.run_id, recorded, events_table="usage_sent")
    except Exception:
        # A refusal or an error before the commit point: undo it now. (A kill leaves the run 'started'; the next
        # export undoes it the same way.)
        output_folder.remove_temporaries(plan.out_dir, plan.run_id)
        ledger.set_status(connection, plan.run_id, "abandoned")
        raise
    return files


def dry_run(connection: duckdb.DuckDBPyConnection, plan: ExportPlan) -> None:
    for output in (ACCOUNTS, USERS, DATA_ISSUES):
        rows = connection.execute(f"select count(*) from {plan.outputs.relation(output.mart)}").fetchone()[0]
        say(f"would write {plan.out_dir / output.file_name}  {rows} rows")
    window = usage.window(connection)
    scope = "every event (--full)" if plan.is_full else "events not yet exported"
    if window["events"]:
        say(
            f"would write {plan.out_dir / plan.usage_file.file_name}  {window['events']} usage events, {scope}"
            f" (from {window['first_timestamp']} to {window['last_timestamp']})"
        )
    else:
        say(f"would write no {plan.usage_file.file_name}: no usage events to send ({scope})")
    say("dry run: nothing published, nothing recorded; only the review is written")


def review_contents(connection: duckdb.DuckDBPyConnection, plan: ExportPlan) -> review.ExportContents:
    """What the review compares: accounts.csv and users.csv as this export writes them, and its staged usage."""
    return review.ExportContents(
        accounts_query=mart_query(connection, plan.outputs, ACCOUNTS, plan.formula_guard),
        users_query=mart_query(connection, plan.outputs, USERS, plan.formula_guard),
        usage_staged="export_usage",
        outputs=plan.outputs,
        run_id=plan.run_id,
        started_at=plan.started_at,
        is_full=plan.is_full,
    )


def issue_counts(connection: duckdb.DuckDBPyConnection, outputs: BuildOutputs) -> list[tuple[str, str, str, int]]:
    return connection.execute(
        f"select source, issue, outcome, count(*) from {outputs.relation(DATA_ISSUES.mart)} group by all order by all"
    ).fetchall()


def refuse_another_ledger(connection: duckdb.DuckDBPyConnection, plan: ExportPlan, same_feed: bool) -> None:
    """Refuse a ledger that cannot tell which of this build's events were sent: one that lost its memory, or one
    of another feed (the sample's events, when this build read your own exports, or the reverse)."""
    damage = None if plan.is_full else ledger.damage(connection)
    if damage:
        raise ExportRefused(
            f"{damage}: every event would be sent again. Restore the database from a backup, or, to send "
            "everything again on purpose, export with --full into a new folder."
        )
    from_seeds = plan.build.raw_dir == "" if plan.build and plan.build.raw_dir is not None else None
    other = (
        None
        if same_feed or from_seeds is None
        else ledger.other_feed(connection, from_seeds, plan.outputs.relation("audit.build_outcomes"))
    )
    if other:
        raise ExportRefused(other)


def settle_earlier_runs(connection: duckdb.DuckDBPyConnection, spark_warehouse: Path | None) -> None:
    """Before anything is sent: the ledger's tables made, any run a crash cut short undone or finished, and after a
    build on Spark, the sent events of every recorded run copied where Spark reads them (spark_ledger.py)."""
    ledger.ensure_schema(connection)
    for line in recovery.recover(connection):
        say(line)
    if spark_warehouse is not None:
        foreign = spark_ledger.remove_foreign_runs(connection, spark_warehouse)
        if foreign:
            raise ExportRefused(
                f"the Spark warehouse held the sent events of {len(foreign)} export(s) that this database's ledger "
                f"does not know ({foreign[0]}{' ...' if len(foreign) > 1 else ''}: another database's, or this one "
                "started anew), and the build took them for sent; they are removed: run `dbt build` again, then export."
            )
        spark_ledger.write_missing(connection, spark_warehouse)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write accounts.csv, users.csv, usage.csv, data_issues.csv and manifest.json from the marts.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=database_path(),
        help="DuckDB file written by dbt build; it also holds the export ledger (default: $TOTANGO_DUCKDB_PATH or "
        "totango.duckdb, a relative one taken from the project folder, as dbt takes it)",
    )
    parser.add_argument(
        "--spark-warehouse",
        type=Path,
        help="read the marts of a build on Spark from the Parquet files of this warehouse folder (the profile's "
        "spark.sql.warehouse.dir, e.g. spark-warehouse); the ledger stays in --db, created if need be",
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT_DIR / "output", help="folder to write the files into (default: output/)"
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
        help="split files larger than this (MB, 10^6 bytes; more than 0, at most 1000000) into numbered parts, each "
        "with its header (default: 95)",
    )
    parser.add_argument(
        "--accept-changes",
        metavar="REASON",
        type=review.reason,
        help="publish even if brakes trip (changes past the limits of var review_brakes), recording REASON and the "
        "brakes tripped in manifest.json and the ledger",
    )
    parser.add_argument(
        "--no-formula-guard",
        dest="formula_guard",
        action="store_false",
        help="write text starting with = + - @ tab or CR as it is, without the leading quote",
    )
    parser.add_argument(
        "--same-feed",
        action="store_true",
        help="the ledger's earlier exports read the seeds and this build a folder (or the reverse), and both are "
        "the same feed of events: export anyway (otherwise refused: a database per feed)",
    )
    return parser.parse_args(argv)


def refuse_before_opening(args: argparse.Namespace, plan: ExportPlan) -> None:
    """Every refusal that needs no database: asked before anything is opened for writing, so the ledger stays as it
    was."""
    if not math.isfinite(args.max_file_mb) or not 0 < args.max_file_mb <= MAX_FILE_MB:
        # Past a terabyte nothing is ever split; 1e308 would be an infinite number of bytes.
        raise ExportRefused(f"--max-file-mb must be a number more than 0 and at most {MAX_FILE_MB}.")
    if project.database_name_problem(args.db):
        raise ExportRefused(project.database_name_problem(args.db))
    if args.spark_warehouse is None and not args.db.is_file():
        raise ExportRefused(f"database {args.db} not found: run `dbt build` first, or pass --db.")
    if args.spark_warehouse is not None and not args.spark_warehouse.is_dir():
        raise ExportRefused(f"Spark warehouse {args.spark_warehouse} not found: run `dbt build --target spark` first.")
    blocking_file = next((p for p in [plan.out_dir, *plan.out_dir.parents] if p.exists() and not p.is_dir()), None)
    if blocking_file:
        raise ExportRefused(f"--out {args.out}: {blocking_file} is a file, not a folder: name a folder.")
    # What this user may not do, asked before anything is opened for writing: the ledger stays as it was.
    problem = access.database_problem(args.db, read_only=args.dry_run) or (
        None if args.dry_run else access.folder_problem(plan.out_dir, "the export writes its files")
    )
    if problem:
        raise ExportRefused(problem)
    # A manifest this user cannot read stops the export here too, before the ledger is touched.
    output_folder.read_previous(plan.out_dir)


def publish(
    connection: duckdb.DuckDBPyConnection,
    plan: ExportPlan,
    files: list[writer.WrittenFile],
    reviewed: review.Reviewed,
    spark_warehouse: Path | None,
) -> None:
    """Past the commit point: every file put in place, the run published, the review's snapshot kept, and after a
    Spark build the sent events copied where the next Spark build reads them."""
    output_folder.publish(plan.out_dir, plan.run_id, [f.name for f in files])
    ledger.mark_published(connection, plan.run_id, datetime.now(UTC).replace(tzinfo=None))
    reviewed.after_publish(connection)
    if spark_warehouse is not None:
        spark_ledger.write_missing(connection, spark_warehouse)
    say(f"export {plan.run_id}: {len(files)} files and {MANIFEST} in place in {plan.out_dir}")


def export(args: argparse.Namespace, plan: ExportPlan) -> list[tuple[str, str, str, int]] | None:
    """The export itself; returns the data-issue counts, or None for a dry run."""
    refuse_before_opening(args, plan)
    # A dry run after a Spark build may come before any ledger exists: nothing is recorded, so none is made.
    ledger_file = None if args.dry_run and not args.db.is_file() else str(args.db)
    with duckdb.connect(ledger_file or ":memory:", read_only=args.dry_run and ledger_file is not None) as connection:
        connection.execute("set preserve_insertion_order = true")
        # The same cap as the build (profiles.yml): sorting ten million events spills to disk instead.
        memory_limit = os.environ.get("TOTANGO_DUCKDB_MEMORY_LIMIT", "1500MB")
        connection.execute(f"set memory_limit = {sql_literal(memory_limit)}")
        outputs = (
            duckdb_outputs(args.db) if args.spark_warehouse is None else spark_outputs(connection, args.spark_warehouse)
        )
        build = check_last_build(connection, outputs)
        plan = dataclasses.replace(plan, outputs=outputs, build=build)
        for output in (ACCOUNTS, USERS, USAGE, DATA_ISSUES):
            mart_columns(connection, outputs, output.mart)
        refuse_another_ledger(connection, plan, same_feed=args.same_feed)
        if not args.dry_run:
            settle_earlier_runs(connection, args.spark_warehouse)
        send_all = plan.is_full or not ledger.has_ledger(connection)
        usage_columns = guarded_columns(USAGE, mart_columns(connection, outputs, USAGE.mart), plan.formula_guard)
        usage_rows = outputs.relation(usage.USAGE_ROWS)
        has_usage = usage.stage(connection, usage_rows, usage_columns, send_all, plan.counted) > 0
        previous = output_folder.read_previous(plan.out_dir)
        output_folder.check_can_write(plan.out_dir, planned_names(plan, has_usage), previous, has_usage)
        # Said once nothing can refuse any more (a refusal is one line on stderr, nothing on stdout).
        say(build.describe(outputs.where, datetime.now(UTC).replace(tzinfo=None)))
        if args.dry_run:
            dry_run(connection, plan)
        created = not plan.out_dir.exists()
        # Look before it goes: the review is written, and a tripped brake stops the export here (BrakesHeld),
        # before anything is recorded or published.
        reviewed = review.before_publish(connection, review_contents(connection, plan), out_dir=plan.out_dir,
                                         previous=previous, dry_run=args.dry_run, accept_reason=args.accept_changes,
                                         say=say)  # fmt: skip
        if args.dry_run:
            return None
        plan = dataclasses.replace(plan, review=reviewed.manifest_entry)
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            files = write_and_record(connection, plan, previous, has_usage, reviewed)
        except Exception:
            if created and not any(plan.out_dir.iterdir()):
                plan.out_dir.rmdir()  # a folder this export made and left empty is not left behind
            raise
        publish(connection, plan, files, reviewed, args.spark_warehouse)
        return issue_counts(connection, outputs)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    started_at = datetime.now(UTC)
    plan = ExportPlan(
        run_id=started_at.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3),
        started_at=started_at.replace(tzinfo=None),
        # Absolute: the ledger keeps it, so that a later export run from elsewhere can find the folder again.
        out_dir=args.out.absolute(),
        is_full=args.full,
        counted=args.counted,
        formula_guard=args.formula_guard,
        # Checked in export(), which refuses a limit that is not a number more than 0.
        max_bytes=int(args.max_file_mb * 1_000_000) if 0 < args.max_file_mb <= MAX_FILE_MB else 0,
        # Known once the database is open (export()).
        outputs=duckdb_outputs(args.db),
    )
    try:
        counts = export(args, plan)
    except (ExportRefused, output_folder.FolderRefused, review.BrakeSettingsRefused) as refusal:
        print(f"export refused: {refusal}", file=sys.stderr)
        return 1
    except review.BrakesHeld as held:
        for line in held.lines:
            print(line, file=sys.stderr)
        return review.EXIT_HELD
    except (duckdb.Error, OSError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"export failed: {first_line}", file=sys.stderr)
        return 1
    if counts is not None:
        say("data issues (source, issue, outcome: rows):")
        for source, issue, outcome, count in counts:
            say(f"  {source:<22} {issue:<24} {outcome:<8} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
