"""Functions the dbt build calls in DuckDB SQL that DuckDB lacks, registered on every connection dbt-duckdb opens
(profiles.yml: plugins). Today one: the SHA-256 of files' bytes, the identity of a raw event file (a file is
checked once per content, never by its name or date: macros/events/).

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


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def files_sha256(paths: list[str] | None) -> list[str] | None:
    """The SHA-256 of each file, in the order given; one call for all the files of an export, so they are hashed
    in parallel."""
    if paths is None:
        return None
    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        return list(pool.map(file_sha256, paths))


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        conn.create_function(
            "totango_files_sha256",
            files_sha256,
            ["VARCHAR[]"],
            "VARCHAR[]",
            null_handling="special",
            side_effects=True,
        )
