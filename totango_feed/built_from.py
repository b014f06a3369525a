"""What the build that export.py exports was built from: the raw folder it read, or None for the sample seeds.

The build appends it to audit.build_sources (macros/record_build_outcome.sql), one row per dbt invocation, beside
its outcome in audit.build_outcomes. export.py writes it into manifest.json as `built_from`; deliver.py refuses an
export built from the sample unless told outright, so that a scheduled run that lost its RAW_DIR never sends the
sample to Totango.
"""

from __future__ import annotations

import duckdb

from totango_feed.build_outputs import BuildOutputs

# In manifest.json when the build recorded nothing (a database built before builds recorded their source).
UNKNOWN = "unknown"


def built_from(connection: duckdb.DuckDBPyConnection, outputs: BuildOutputs) -> str | None:
    """The raw folder of the last build (the one check_last_build let through), None for the seeds, UNKNOWN when
    that build left no record of it."""
    if not outputs.exists(connection, "audit.build_sources"):
        return UNKNOWN
    found = connection.execute(
        f"select sources.raw_dir from {outputs.relation('audit.build_sources')} as sources "
        f"where sources.invocation_id = (select outcomes.invocation_id "
        f"from {outputs.relation('audit.build_outcomes')} as outcomes order by outcomes.build_number desc limit 1)"
    ).fetchall()
    if not found:
        return UNKNOWN
    return found[0][0] or None
