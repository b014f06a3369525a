"""Functions the dbt build calls in DuckDB SQL that DuckDB lacks, registered on every connection dbt-duckdb opens
(profiles.yml: plugins): the SHA-256 of files' bytes, the identity of a raw event file (a file is checked once per
content, never by its name or date: macros/events/); and, in the same pass over each file, the SHA-256 of its first
bytes, to tell a file that grew (yesterday's bytes with rows appended) from one that changed. A file whose stamp
(device, inode, size, modification and change times) is the one kept with its hash is not read again
(hash_cache.py: why that is safe); and what keeps line 1 of a CSV file from being its header row, as the check
judges it (sql.csv_start_problem: an empty file, a blank line 1).

DuckDB has sha256(), but over read_blob it hashes one file at a time at about 0.4 GB/s here; hashlib, in two
threads (it releases the GIL while hashing), does several times that, which is what a daily build that reads the
new day files to learn which are new can afford.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from totango_feed import hash_cache
from totango_feed.sql import csv_start_problem


def file_sha256_with_prefix(path: str, prefix_bytes: int | None, kept: dict[str, object] | None = None) -> dict:
    """hash_cache.hash_file as one row for SQL: the hashes, whether the file ends with a line feed, its size (the
    bytes hashed), and the entry to keep for it (null when the file was not read, or changed while it was)."""
    hashed = hash_cache.hash_file(path, prefix_bytes, kept)
    return {
        "file_hash": hashed.file_hash,
        "prefix_hash": hashed.prefix_hash,
        "ends_with_newline": hashed.ends_with_newline,
        "size": hashed.size,
        "entry": hashed.entry(),
    }


def files_sha256_with_prefix(
    paths: list[str] | None, prefix_bytes: list[int | None] | None, kept: list[str] | None = None
) -> list[dict[str, object]] | None:
    """file_sha256_with_prefix of each file (prefix_bytes: one size or null per path; kept: the kept entries, as
    JSON objects, of any of the paths), in parallel."""
    if paths is None:
        return None
    sizes = prefix_bytes if prefix_bytes is not None else [None] * len(paths)
    if len(sizes) != len(paths):
        raise ValueError("totango_files_sha256_with_prefix: one prefix size per path is needed")
    entries = [hash_cache.parse_entry(text) for text in kept or []]
    kept_by_place = {entry["path"]: entry for entry in entries if entry is not None}
    known = [kept_by_place.get(hash_cache.place_of(path)) for path in paths]
    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        hashed = list(pool.map(file_sha256_with_prefix, paths, sizes, known))
    # One entry per file: a file listed twice (a symlink beside its target) is kept once.
    places_kept = set()
    for found in hashed:
        if found["entry"] is not None and found["entry"]["path"] in places_kept:
            found["entry"] = None
        elif found["entry"] is not None:
            places_kept.add(found["entry"]["path"])
    return hashed


def file_places(paths: list[str] | None) -> list[str] | None:
    """The key each file's hash is kept under (hash_cache.place_of), for the lookup of kept entries in SQL."""
    return None if paths is None else [hash_cache.place_of(path) for path in paths]


def file_hashes_table_sql(found_columns: list[str] | None) -> str:
    """The statements that make the table of kept hashes, given the columns found under its name (stated once, in
    hash_cache.py)."""
    return hash_cache.table_sql(found_columns)


def file_hashes_found_columns_sql() -> str:
    """The query of the columns the database has under the kept hashes' table name (hash_cache.py)."""
    return hash_cache.FOUND_COLUMNS_SQL


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        conn.create_function(
            "totango_files_sha256_with_prefix",
            files_sha256_with_prefix,
            ["VARCHAR[]", "BIGINT[]", "VARCHAR[]"],
            "STRUCT(file_hash VARCHAR, prefix_hash VARCHAR, ends_with_newline BOOLEAN, size BIGINT, entry "
            f"{hash_cache.ENTRY_TYPE})[]",
            null_handling="special",
            side_effects=True,
        )
        conn.create_function("totango_file_places", file_places, ["VARCHAR[]"], "VARCHAR[]", side_effects=True)
        # A file of blank space, or a blank line 1: the check's judgement (sql.csv_start_problem), in its words.
        conn.create_function(
            "totango_csv_start_problem",
            csv_start_problem,
            ["VARCHAR"],
            "VARCHAR",
            null_handling="special",  # None: no problem
            side_effects=True,
        )
        conn.create_function("totango_file_hashes_table_sql", file_hashes_table_sql, ["VARCHAR[]"], "VARCHAR")
        conn.create_function("totango_file_hashes_found_columns_sql", file_hashes_found_columns_sql, [], "VARCHAR")
