"""What the next export does about earlier exports that a crash or a kill cut short, before it sends anything.

A run that never recorded its events is undone: its temporaries are removed, wherever they are, and its events
are sent by a later export. A recorded run is finished: recording is the commit point, so each of its files still
under its temporary name is renamed into place and manifest.json last (output_folder.publish, which is
idempotent). A file of a recorded run whose temporary is gone was renamed into place before the crash, so it
counts as sent, even if it is no longer there (a collector may have taken it): sending its events again could
count them twice. See ledger.py for the states of a run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from totango_feed import ledger, output_folder


def recover(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Settle every unfinished run; returns one line per run for the person exporting."""
    said = []
    for run_id, out_dir in ledger.runs_in_state(connection, "started"):
        removed = output_folder.remove_temporaries(Path(out_dir), run_id)
        ledger.set_status(connection, run_id, "abandoned")
        said.append(f"export {run_id} was stopped before it recorded anything: removed its {removed} temporary "
                    f"file(s) in {out_dir}; its events will be sent now")  # fmt: skip
    for run_id, out_dir in ledger.runs_in_state(connection, "recorded"):
        names = [entry.name for entry in ledger.run_files(connection, run_id)]
        output_folder.publish(Path(out_dir), run_id, names)
        ledger.mark_published(connection, run_id, datetime.now(UTC).replace(tzinfo=None))
        said.append(f"export {run_id} was recorded but its publish did not finish: completed it in {out_dir}")
    return said
