"""Which published exports are still to be delivered, and which of their files go to the drop.

The drop gets what Totango loads: accounts.csv, users.csv and the usage file(s) (usage.csv or usage_counted.csv,
or their numbered parts), then the export's manifest.json last, which says the folder is complete and what each
file holds. data_issues.csv and the review files are for people (they quote raw rows, which are not Totango's
to keep) and stay in the local export folder.

A file is sent only if it is still exactly what its export recorded (ledger.export_files: bytes and SHA-256).
An accounts or users file that a later export into the same local folder replaced is not sent (the newer export
sends the newer snapshot); a usage file that is missing or changed stops the delivery, since its events would be
lost or sent twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from totango_feed import ledger
from totango_feed.delivery.destination import DeliveryRefused
from totango_feed.output_folder import MANIFEST, is_usage
from totango_feed.writer import file_sha256

# The files Totango loads, whole or as numbered parts (export.py's names).
TOTANGO_FILE = re.compile(r"(accounts|users|usage|usage_counted)(-[0-9]{3})?\.csv")
# Totango's order: accounts before the users that belong to them, users before their usage.
KINDS = ("accounts", "users", "usage")


def kind_of(name: str) -> str | None:
    match = TOTANGO_FILE.fullmatch(name)
    if not match:
        return None
    return "usage" if match.group(1).startswith("usage") else match.group(1)


@dataclass(frozen=True)
class ExportRun:
    run_id: str
    started_at: datetime
    out_dir: Path
    is_full: bool = False


@dataclass(frozen=True)
class DropFile:
    name: str
    local: Path
    size: int
    sha256: str
    # Replaced locally by a later export into the same folder: recorded as superseded, not sent.
    superseded: bool = False


# The order the exports were made in: the ledger's own order of insertion (export.py adds a run's row when it
# starts, and no row is ever deleted), never started_at, the wall clock, which a clock that was fast for a day
# would turn around: yesterday's accounts.csv would then replace today's in a fixed folder.
PUBLISHED_SQL = """
select run_id, started_at, out_dir, is_full from ledger.export_runs where status = 'published' order by rowid
"""


def published_runs(connection: duckdb.DuckDBPyConnection) -> list[ExportRun]:
    """Every published export, in the order they were made."""
    if not ledger.has_ledger(connection):
        return []
    rows = connection.execute(PUBLISHED_SQL).fetchall()
    return [ExportRun(run_id, started_at, Path(out_dir), bool(full)) for run_id, started_at, out_dir, full in rows]


def pending_runs(connection: duckdb.DuckDBPyConnection, destination: str) -> tuple[list[ExportRun], dict[str, str]]:
    """The published exports not yet delivered (nor skipped), in the order they were made; and those of them
    part-way delivered to another destination, with that destination (finishing one here could put its usage in
    two drops: the engine refuses it, unless it is left out)."""
    taken = {
        run_id: (where, status)
        for run_id, where, status in connection.execute(
            "select run_id, destination, status from delivery.runs"
        ).fetchall()
    }
    pending, elsewhere = [], {}
    for run in published_runs(connection):
        where, status = taken.get(run.run_id, (None, None))
        if status in ("delivered", "skipped"):
            continue
        if status == "delivering" and where != destination:
            elsewhere[run.run_id] = where
        pending.append(run)
    return pending, elsewhere


def part_way_elsewhere(run: ExportRun, where: str) -> DeliveryRefused:
    return DeliveryRefused(
        f"export {run.run_id} is part-way delivered to {where}: finish it there (deliver.py {where}), "
        f"or, if it reached Totango another way, leave it out with --skip {run.run_id}."
    )


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DeliveryRefused(f"cannot read {path} ({error}): the export folder is not as it was exported.") from error
    if not isinstance(content, dict) or not isinstance(content.get("run_id"), str):
        raise DeliveryRefused(f"{path} is not a manifest of this project's export.")
    return content


# What manifest.json says of an export whose build recorded no raw folder (a build of an older version).
UNKNOWN = "unknown"


def built_from(run: ExportRun, manifest: dict) -> str | None:
    """The raw folder the export was built from, None for the sample seeds, UNKNOWN when not recorded. (For an
    export replaced locally by a later one, the later one's manifest: it carried over this export's usage.)"""
    value = manifest.get("built_from", UNKNOWN)
    return value if value is None or isinstance(value, str) else UNKNOWN


def check_full(run: ExportRun, allow_full: bool) -> None:
    """Refuse an export made with --full unless told outright: it holds every valid event again, those already
    delivered included, and Totango counts an event each time a file brings it."""
    if run.is_full and not allow_full:
        raise DeliveryRefused(
            f"export {run.run_id} ({run.out_dir}) was made with --full: it sends every event again, those already "
            f"delivered included, which Totango would count twice; nothing was sent. Leave it out with --skip "
            f"{run.run_id}, or send it on purpose with --allow-full."
        )


def check_source(run: ExportRun, manifest: dict, allow_sample: bool) -> None:
    """Refuse an export of the sample seeds (a scheduled run that lost its RAW_DIR), unless told outright."""
    if allow_sample:
        return
    source = built_from(run, manifest)
    if source is None:
        raise DeliveryRefused(
            f"export {run.run_id} ({run.out_dir}) was built from the sample seeds, not from your raw exports (was "
            f"RAW_DIR lost?): nothing was sent. Leave it out with --skip {run.run_id}, or send it on purpose with "
            "--allow-sample."
        )
    if source == UNKNOWN:
        raise DeliveryRefused(
            f"export {run.run_id} ({run.out_dir}) does not say what it was built from (it was made before exports "
            f"recorded it): leave it out with --skip {run.run_id} (or start later with --from RUN_ID), or, if it "
            "was built from your raw exports, send it with --allow-sample."
        )


def drop_files(connection: duckdb.DuckDBPyConnection, run: ExportRun, manifest: dict) -> list[DropFile]:
    """The files of an export that go to the drop, in the order they go: data files, then manifest.json."""
    superseded = manifest["run_id"] != run.run_id
    files = []
    for recorded in ledger.run_files(connection, run.run_id):
        if kind_of(recorded.name) is None:
            continue
        local = run.out_dir / recorded.name
        intact = local.is_file() and local.stat().st_size == recorded.bytes and file_sha256(local) == recorded.sha256
        if intact:
            files.append(DropFile(recorded.name, local, recorded.bytes, recorded.sha256))
        elif superseded and not is_usage(recorded.name):
            files.append(DropFile(recorded.name, local, recorded.bytes, recorded.sha256, superseded=True))
        else:
            state = "changed" if local.is_file() else "missing"
            raise DeliveryRefused(
                f"{local}, a file of export {run.run_id}, is {state} since the export wrote it: it cannot be sent "
                f"as exported. Restore it; or, if it reached Totango another way, leave the export out with "
                f"--skip {run.run_id}."
            )
    files.sort(key=lambda f: (KINDS.index(kind_of(f.name) or "usage"), f.name))
    if not superseded:
        manifest_path = run.out_dir / MANIFEST
        files.append(DropFile(MANIFEST, manifest_path, manifest_path.stat().st_size, file_sha256(manifest_path)))
    return files
