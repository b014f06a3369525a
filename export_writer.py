"""Writing export files with DuckDB: under temporary names first, split into parts when over a size limit.

Nothing here publishes anything: export.py renames the temporaries into place once the whole export is
written and recorded (see export_ledger.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

TEMPORARY_SUFFIX = ".partial"


@dataclass(frozen=True)
class WrittenFile:
    name: str
    temporary: Path
    rows: int
    size: int
    sha256: str


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def temporary_path(out_dir: Path, name: str, run_id: str) -> Path:
    """A hidden name in the output folder itself, so that the final rename never crosses file systems."""
    return out_dir / f".{name}.{run_id}{TEMPORARY_SUFFIX}"


def remove_stale_temporaries(out_dir: Path) -> int:
    """Remove what a crashed export left behind; returns how many files."""
    stale = list(out_dir.glob(f".*{TEMPORARY_SUFFIX}")) if out_dir.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def copy_csv(connection: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """DuckDB writes the query's result as CSV with a header; returns the row count."""
    return connection.execute(f"copy ({query}) to {sql_literal(str(path))} (format csv, header true)").fetchone()[0]


def written(name: str, path: Path, rows: int) -> WrittenFile:
    return WrittenFile(name=name, temporary=path, rows=rows, size=path.stat().st_size, sha256=file_sha256(path))


def part_name(file_name: str, number: int) -> str:
    stem, _, extension = file_name.rpartition(".")
    return f"{stem}-{number:03d}.{extension}"


@dataclass(frozen=True)
class Target:
    """Where and how one output file is written."""

    out_dir: Path
    file_name: str
    run_id: str
    max_bytes: int


def write_csv_parts(connection: duckdb.DuckDBPyConnection, query: str, target: Target) -> list[WrittenFile]:
    """Write the (ordered) query as file_name, or as file_name-001, -002... each under max_bytes with its header.

    The whole file is written first; only when it is over the limit are its rows numbered once in a temporary
    table and copied out in slices, each slice shrunk and written again if it came out too large."""
    out_dir, file_name, run_id, max_bytes = target.out_dir, target.file_name, target.run_id, target.max_bytes
    whole = temporary_path(out_dir, file_name, run_id)
    rows = copy_csv(connection, query, whole)
    size = whole.stat().st_size
    if size <= max_bytes:
        return [written(file_name, whole, rows)]

    connection.execute(
        "create or replace temp table export_slices as "
        f"select row_number() over () as export_row_number, * from ({query})"
    )
    whole.unlink()
    parts: list[WrittenFile] = []
    rows_per_part = max(1, int(rows * max_bytes / size * 0.95))
    first_row = 1
    while first_row <= rows:
        name = part_name(file_name, len(parts) + 1)
        path = temporary_path(out_dir, name, run_id)
        slice_query = (
            "select * exclude (export_row_number) from export_slices "
            f"where export_row_number between {first_row} and {first_row + rows_per_part - 1} "
            "order by export_row_number"
        )
        part_rows = copy_csv(connection, slice_query, path)
        part_size = path.stat().st_size
        if part_size > max_bytes:
            if rows_per_part == 1:
                path.unlink()
                raise ValueError(f"one row of {file_name} is larger than the file size limit ({max_bytes} bytes)")
            rows_per_part = max(1, int(rows_per_part * max_bytes / part_size * 0.95))
            continue
        parts.append(written(name, path, part_rows))
        first_row += part_rows
    connection.execute("drop table export_slices")
    return parts


def publish(files: list[tuple[Path, Path]]) -> None:
    """Rename temporaries into place, in the order given (manifest.json last)."""
    for temporary, final in files:
        os.replace(temporary, final)
