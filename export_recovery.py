"""What the next export does about earlier exports that a crash or a kill cut short, before it sends anything.

It looks at what was actually published, never at what should have been: a run that never recorded its events
is undone (its temporaries removed, wherever they are), and a recorded run is finished (its publish completed),
except for a usage file that can no longer be put in place, whose events are un-recorded so a later export
sends them. See export_ledger.py for the states of a run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import export_folder
import export_ledger
from export_writer import file_sha256


def recover(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Settle every unfinished run; returns one line per run for the person exporting."""
    said = []
    for run_id, out_dir in export_ledger.runs_in_state(connection, "started"):
        removed = export_folder.remove_temporaries(Path(out_dir), run_id)
        export_ledger.set_status(connection, run_id, "abandoned")
        said.append(f"export {run_id} was stopped before it recorded anything: removed its {removed} temporary "
                    f"file(s) in {out_dir}; its events will be sent now")  # fmt: skip
    for run_id, out_dir in export_ledger.runs_in_state(connection, "recorded"):
        said.append(finish(connection, run_id, Path(out_dir)))
    return said


def is_in_place(out_dir: Path, run_id: str, entry: export_ledger.RecordedFile) -> bool:
    """The file is (or can still be put) in place: its temporary is there, or its final name holds its content."""
    if export_folder.temporary_path(out_dir, entry.name, run_id).exists():
        return True
    final = out_dir / entry.name
    return final.is_file() and file_sha256(final) == entry.sha256


def finish(connection: duckdb.DuckDBPyConnection, run_id: str, out_dir: Path) -> str:
    """Complete the publish of a run that recorded its events and then stopped."""
    files = export_ledger.run_files(connection, run_id)
    lost = [entry.name for entry in files if not is_in_place(out_dir, run_id, entry)]
    lost_usage = [name for name in lost if export_folder.is_usage(name)]
    unrecorded = export_ledger.unrecord_file_events(connection, run_id, lost_usage) if lost_usage else 0
    manifest_temporary = export_folder.temporary_path(out_dir, export_folder.MANIFEST, run_id)
    if lost and manifest_temporary.exists():
        # The manifest must not list a file that is not there.
        manifest = json.loads(manifest_temporary.read_text(encoding="utf-8"))
        manifest["files"] = [entry for entry in manifest["files"] if entry["name"] not in lost]
        manifest_temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    kept = [entry.name for entry in files if entry.name not in lost]
    export_folder.publish(out_dir, run_id, kept)
    published = export_folder.read_previous(out_dir).run_id == run_id
    export_ledger.set_status(connection, run_id, "published" if published else "incomplete",
                             datetime.now(UTC).replace(tzinfo=None) if published else None)  # fmt: skip
    said = f"export {run_id} was recorded but its publish did not finish: completed it in {out_dir}"
    if lost:
        said += f"; {', '.join(lost)} could not be put in place"
    if unrecorded:
        said += f" ({unrecorded} usage events will be sent again)"
    if not published:
        said += "; its manifest.json is lost, so the folder is incomplete"
    return said
