"""Writing export files with DuckDB: under temporary names first, split into parts when over a size limit.

Nothing here publishes anything: output_folder.publish renames the temporaries into place once the whole export
is written and recorded (see ledger.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb

from totango_feed.output_folder import temporary_path
from totango_feed.sql import read_csv_text, sql_literal


@dataclass(frozen=True)
class WrittenFile:
    name: str
    temporary: Path
    rows: int
    size: int
    sha256: str


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


def records_in(connection: duckdb.DuckDBPyConnection, records: bytearray, end: int, path: Path, header: bytes) -> int:
    """The CSV records in records[:end], a run of whole records (path: the same bytes after the header line header).
    Without a quote character no line break can be inside a value, so each newline ends one record: counted at
    memory speed, where parsing the part again would cost seconds for a file of hundreds of megabytes. With quotes,
    DuckDB reads it."""
    if records.find(b'"', 0, end) == -1:
        return records.count(b"\n", 0, end) + (0 if end == 0 or records.endswith(b"\n", 0, end) else 1)
    return count_csv_rows(connection, path, header)


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


def record_boundary_before(chunk: bytes) -> int | None:
    """The end (after its newline) of the last whole CSV record in chunk, which starts at a record boundary.

    A newline ends a record only outside quotes, that is after an even number of quote characters: with
    quotes doubled inside quoted values (standard CSV), the parity of the count tells inside from outside."""
    quotes = chunk.count(b'"')
    position = chunk.rfind(b"\n")
    while position != -1:
        if (quotes - chunk.count(b'"', position)) % 2 == 0:
            return position + 1
        position = chunk.rfind(b"\n", 0, position)
    return None


def count_csv_rows(connection: duckdb.DuckDBPyConnection, path: Path, header: bytes) -> int:
    """The records of a file written here, read as written (header: its header line): a guessing reader could
    take a value starting with # for a comment and count one row less (totango_feed.sql.read_csv_text)."""
    columns = next(csv.reader(io.StringIO(header.decode("utf-8"), newline="")))
    return connection.execute(f"select count(*) from {read_csv_text(str(path), columns)}").fetchone()[0]


def write_csv_parts(connection: duckdb.DuckDBPyConnection, query: str, target: Target) -> list[WrittenFile]:
    """Write the (ordered) query as file_name, or as file_name-001, -002... each under max_bytes with its header.

    DuckDB writes the whole file once; when it is over the limit it is cut at record boundaries into parts,
    each given the header, in order, and the whole file is removed."""
    whole = temporary_path(target.out_dir, target.file_name, target.run_id)
    rows = copy_csv(connection, query, whole)
    if whole.stat().st_size <= target.max_bytes:
        return [written(target.file_name, whole, rows)]

    parts: list[WrittenFile] = []
    total_rows = rows
    with whole.open("rb") as source:
        header = source.readline()
        room = target.max_bytes - len(header)
        if room <= 0:
            raise ValueError(
                f"the header of {target.file_name} alone is {len(header)} bytes, not less than the file size limit "
                f"({target.max_bytes} bytes): raise --max-file-mb"
            )
        # One buffer for every part, read into and written and hashed from in place: at 900 MB of usage, copying
        # each part's bytes into new objects (the part with its header, the rest carried over) cost seconds. Each
        # part is read from where the last one ended, so the bytes of a record cut at the buffer's end are read
        # again with the next part.
        buffer = bytearray(min(room, whole.stat().st_size))
        start = len(header)
        while True:
            source.seek(start)
            read = source.readinto(buffer)
            if not read:
                break
            at_end = read < len(buffer) or not source.peek(1)
            end = read if at_end else record_boundary_before(buffer)
            if not end:
                raise ValueError(
                    f"a row of {target.file_name} is larger than the file size limit ({target.max_bytes} bytes)"
                )
            name = part_name(target.file_name, len(parts) + 1)
            path = temporary_path(target.out_dir, name, target.run_id)
            records = memoryview(buffer)[:end]
            with path.open("wb") as part:
                part.write(header)
                part.write(records)
            # Hashed from memory: the part is not read back.
            digest = hashlib.sha256(header)
            digest.update(records)
            records.release()
            rows = records_in(connection, buffer, end, path, header)
            parts.append(WrittenFile(name, path, rows, len(header) + end, digest.hexdigest()))
            start += end
    whole.unlink()
    if sum(part.rows for part in parts) != total_rows:
        raise ValueError(
            f"splitting {target.file_name} lost rows: {total_rows} written, {sum(p.rows for p in parts)} in parts"
        )
    return parts
