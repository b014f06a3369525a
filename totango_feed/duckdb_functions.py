"""Functions the dbt build calls in DuckDB SQL that DuckDB lacks, registered on every connection dbt-duckdb opens
(profiles.yml: plugins): the SHA-256 of files' bytes, the identity of a raw event file (a file is checked once per
content, never by its name or date: macros/events/); and, in the same pass over each file, the SHA-256 of its first
bytes, to tell a file that grew (yesterday's bytes with rows appended) from one that changed.

DuckDB has sha256(), but over read_blob it hashes one file at a time at about 0.4 GB/s here; hashlib, in two
threads (it releases the GIL while hashing), does several times that, which is what a daily build that re-reads a
year of day files to learn which are new can afford.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

CHUNK_BYTES = 1 << 20


def file_sha256_with_prefix(path: str, prefix_bytes: int | None) -> dict[str, object]:
    """The SHA-256 of the file, of its first prefix_bytes bytes (null when there is no prefix to check, or the file
    is not longer than it), and whether its last byte is a line feed (its last record is whole), in one read."""
    whole = hashlib.sha256()
    prefix = hashlib.sha256() if prefix_bytes is not None and prefix_bytes >= 0 else None
    size = 0
    last_byte = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if prefix is not None and size < prefix_bytes:
                prefix.update(chunk[: prefix_bytes - size])
            whole.update(chunk)
            size += len(chunk)
            last_byte = chunk[-1:]
    longer = prefix is not None and size > prefix_bytes
    return {
        "file_hash": whole.hexdigest(),
        "prefix_hash": prefix.hexdigest() if longer else None,
        "ends_with_newline": last_byte == b"\n",
    }


def files_sha256_with_prefix(
    paths: list[str] | None, prefix_bytes: list[int | None] | None
) -> list[dict[str, object]] | None:
    """file_sha256_with_prefix of each file (prefix_bytes: one size or null per path), in parallel."""
    if paths is None:
        return None
    sizes = prefix_bytes if prefix_bytes is not None else [None] * len(paths)
    if len(sizes) != len(paths):
        raise ValueError("totango_files_sha256_with_prefix: one prefix size per path is needed")
    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        return list(pool.map(file_sha256_with_prefix, paths, sizes))


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        conn.create_function(
            "totango_files_sha256_with_prefix",
            files_sha256_with_prefix,
            ["VARCHAR[]", "BIGINT[]"],
            "STRUCT(file_hash VARCHAR, prefix_hash VARCHAR, ends_with_newline BOOLEAN)[]",
            null_handling="special",
            side_effects=True,
        )
