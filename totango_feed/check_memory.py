"""What check_exports.py remembers between runs: the raw files it has already found sound, known by the SHA-256 of
their bytes (never their name or date), so that a daily check reads only the new day's file, not the year of
files beside it. Kept in the DuckDB database the build writes (table audit.checked_raw_files), keyed also by what
the check expected of the file (its headers, from the project's vars) and by the checks' own revision: a file is
checked again when either changes.

The memory only saves time: when the database cannot be opened (a build running, a read-only file), every file is
checked, as on a first run. A file found bad is never remembered. The hashes themselves come from the same database's
kept hashes where a file's stamp did not change (hash_cache.py), so that an unchanged file is not even read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from totango_feed import hash_cache
from totango_feed.sql import schema_sql

# Bump when a check changes what it accepts, so that files found sound by the old checks are checked again.
CHECKS_REVISION = 1

TABLE_SQL = schema_sql(
    "audit",
    {
        "checked_raw_files": {
            "content_hash": "varchar not null",
            "expectation": "varchar not null",
            "row_count": "bigint not null",
            "checked_at": "timestamp not null default current_timestamp",
        }
    },
)


def expectation(file_format: str, expected_headers: list[tuple[str, str]]) -> str:
    """What a check of a file depends on besides its bytes."""
    return json.dumps([CHECKS_REVISION, file_format, [name for name, _ in expected_headers]])


class CheckMemory:
    """The files found sound before; a memory that forgets everything when its database cannot be used."""

    def __init__(self, database: Path | None) -> None:
        self._connection: duckdb.DuckDBPyConnection | None = None
        if database is None or not database.parent.is_dir():
            return
        try:
            self._connection = duckdb.connect(str(database))
            found_columns = self._connection.execute(hash_cache.FOUND_COLUMNS_SQL).fetchone()[0]
            self._connection.execute(TABLE_SQL + hash_cache.table_sql(found_columns))
        except (duckdb.Error, OSError):
            self._connection = None

    def content_hashes(self, paths: Iterable[Path]) -> dict[Path, str]:
        """The SHA-256 of each file, two files at a time (hashlib releases the GIL while it hashes): a file whose
        stamp is the one kept with its hash is not read; every file read is kept for the next run."""
        paths = list(paths)
        places = [hash_cache.place_of(str(path)) for path in paths]
        kept = self._kept_entries(places)
        with ThreadPoolExecutor(max_workers=2) as pool:
            hashed = list(pool.map(lambda path, place: hash_cache.hash_file(str(path), None, kept.get(place)),
                                   paths, places))  # fmt: skip
        self._keep([entry for found in hashed if (entry := found.entry()) is not None])
        return {path: found.file_hash for path, found in zip(paths, hashed, strict=True)}

    def _kept_entries(self, places: list[str]) -> dict[str, dict[str, object]]:
        if self._connection is None or not places:
            return {}
        columns = ", ".join(hash_cache.COLUMNS)
        rows = self._connection.execute(
            f"select {columns} from {hash_cache.TABLE} where path in (select unnest(?::varchar[]))", [places]
        ).fetchall()
        return {row[0]: dict(zip(hash_cache.COLUMNS, row, strict=True)) for row in rows}

    def _keep(self, entries: list[dict[str, object]]) -> None:
        if self._connection is None or not entries:
            return
        columns = list(hash_cache.COLUMNS)
        entries = list({entry["path"]: entry for entry in entries}.values())  # one file listed twice (a symlink)
        try:
            self._connection.execute(f"delete from {hash_cache.TABLE} where path in (select unnest(?::varchar[]))",
                                     [[entry["path"] for entry in entries]])  # fmt: skip
            self._connection.executemany(
                f"insert into {hash_cache.TABLE} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
                [[entry[column] for column in columns] for entry in entries],
            )
        except duckdb.Error:
            return

    def rows(self, digest: str, what: str) -> int | None:
        """The rows of a file with these bytes, if it was found sound under the same expectation."""
        if self._connection is None:
            return None
        found = self._connection.execute(
            "select row_count from audit.checked_raw_files where content_hash = ? and expectation = ? limit 1",
            [digest, what],
        ).fetchone()
        return None if found is None else found[0]

    def remember(self, digest: str, what: str, rows: int) -> None:
        if self._connection is None or self.rows(digest, what) is not None:
            return
        try:
            self._connection.execute(
                "insert into audit.checked_raw_files (content_hash, expectation, row_count) values (?, ?, ?)",
                [digest, what, rows],
            )
        except duckdb.Error:
            return

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
