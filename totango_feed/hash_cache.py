"""The SHA-256 of raw files without reading them again when nothing about them changed: a daily check and build
would otherwise read every byte of a year of day files twice a day, only to learn that they are the ones seen
before (at 60 day files of 1M events, on a cold page cache, 191 s for the check and 409 s for the build's hashing,
docs/benchmark.md).

A file's hash is kept with its stamp: device, inode, size, modification time and change time (st_ctime, in
nanoseconds). It is reused while all five are the same. The change time is what makes this safe: the system sets
it on every write, rename into place or chmod, to the current clock, and no user tool (touch, cp -p, rsync -t, tar,
os.utime) can set it back, so a file rewritten with the same size and its modification time put back still shows
a new stamp. Git's index trusts the same fields for the same purpose.

One hole is left by clocks, not by users: a write in the same clock tick as the hashing (timestamps are coarse on
some file systems, up to two seconds) could leave the stamp as it was. So an entry is trusted only when the file's
times are more than RACY_NANOSECONDS before the hashing began; an entry hashed too soon after a write is hashed
again next time (and then trusted). The stamp is also taken before and after the read: a file that changed while
it was read is not remembered at all.

What stamps cannot see, where TOTANGO_TRUST_FILE_STAMPS=0 makes every run read every file (as --full-refresh and
check_exports --recheck do once): a file system that keeps no real change time (FAT, exFAT, some FUSE mounts); NFS,
whose attribute cache may give a stamp up to a minute old (the file is then read by a later run); and a file
written again through a memory map while its pages are still unwritten to disk (Linux moves its times at the first
write to a clean page only).

The identity of a file for everything else stays its content: the cache only saves the reading.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass

from totango_feed.sql import schema_sql

CHUNK_BYTES = 1 << 20
# A write this close to the start of the hashing may not have moved the file's times (coarse timestamps).
RACY_NANOSECONDS = 2_000_000_000

# The table where the hashes are kept, in the feed's DuckDB database (both check_exports.py and the build's on-run-
# start hook use it). Keyed by the file's canonical path (place_of): the check is given a folder as the user typed
# it, the build lists it as dbt does ('./raw/...'), a feed's folder may be a symlink; one file keeps one entry. The
# stamp, not the path, tells whether the file there is still the one hashed.
TABLE = "audit.file_hashes"
COLUMNS = {
    "path": "varchar not null",
    "device": "ubigint not null",
    "inode": "ubigint not null",
    "size": "bigint not null",
    "mtime_ns": "bigint not null",
    "ctime_ns": "bigint not null",
    "file_hash": "varchar not null",
    "ends_with_newline": "boolean not null",
    "hashed_at_ns": "bigint not null",
}
TABLE_SQL = schema_sql("audit", {"file_hashes": COLUMNS})
# The columns the database has under the table's name, as "name TYPE nullable" texts (none: no such table).
FOUND_COLUMNS_SQL = (
    "select coalesce(list(concat_ws(' ', column_name, data_type, is_nullable) order by ordinal_position), []) "
    "from information_schema.columns where table_catalog = current_database() and table_schema = 'audit' "
    "and table_name = 'file_hashes'"
)
# What bigint holds: a file dated after 2262 (a broken clock, a tool's garbage date) has a stamp it cannot.
BIGINT_RANGE = range(-(1 << 63), 1 << 63)
# One kept entry as DuckDB's type, for the functions that pass entries through SQL (duckdb_functions.py).
ENTRY_TYPE = "STRUCT(" + ", ".join(f"{name} {kind.split()[0].upper()}" for name, kind in COLUMNS.items()) + ")"


@dataclass(frozen=True)
class Stamp:
    """What the file system says of a file without reading it."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(frozen=True)
class Hashed:
    """A file's hash, as read now or as remembered; stamp is None when the file changed while it was read (then it
    must not be remembered)."""

    path: str
    file_hash: str
    prefix_hash: str | None
    ends_with_newline: bool
    size: int
    stamp: Stamp | None
    hashed_at_ns: int
    from_cache: bool

    def entry(self) -> dict[str, object] | None:
        """The row to keep for this file, or None when there is nothing safe to keep."""
        if self.stamp is None or self.from_cache:
            return None
        if not all(value in BIGINT_RANGE for value in (self.stamp.mtime_ns, self.stamp.ctime_ns)):
            return None  # not storable: the file is read each time, and keeping the others goes on
        return {"path": self.path, **asdict(self.stamp), "file_hash": self.file_hash,
                "ends_with_newline": self.ends_with_newline, "hashed_at_ns": self.hashed_at_ns}  # fmt: skip


def table_sql(found_columns: list[str] | None) -> str:
    """The statements that make the table, given the columns the database has under its name (FOUND_COLUMNS_SQL):
    a table of another shape (an older layout, a damaged database) holds nothing the cache can trust, so it is
    dropped and made again rather than stopping the check or the build."""
    wanted = [f"{name} {kind.split()[0].upper()} {'NO' if 'not null' in kind else 'YES'}"
              for name, kind in COLUMNS.items()]  # fmt: skip
    misshapen = bool(found_columns) and list(found_columns) != wanted
    return (f"drop table {TABLE};\n" if misshapen else "") + TABLE_SQL


def place_of(path: str) -> str:
    """The key a file's hash is kept under: its absolute path with symlinks, '.' and '..' resolved. Safe whatever
    the path leads to later: an entry only stands for the file whose device, inode and times it holds."""
    return os.path.realpath(path)


def stamps_trusted() -> bool:
    """Whether kept hashes may stand for unchanged stamps at all (TOTANGO_TRUST_FILE_STAMPS=0: never)."""
    return os.environ.get("TOTANGO_TRUST_FILE_STAMPS", "1").strip() != "0"


def stamp_of(path: str | int) -> Stamp:
    """The stamp of the file at a path, or of an open file (its descriptor)."""
    found = os.stat(path)
    return Stamp(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def trusted(entry: dict[str, object] | None, stamp: Stamp) -> bool:
    """Whether a kept entry still stands for the file with this stamp."""
    if entry is None:
        return False
    kept = Stamp(*(int(entry[name]) for name in ("device", "inode", "size", "mtime_ns", "ctime_ns")))
    written_before_hashing = max(stamp.mtime_ns, stamp.ctime_ns) < int(entry["hashed_at_ns"]) - RACY_NANOSECONDS
    return kept == stamp and written_before_hashing


def read_and_hash(path: str, prefix_bytes: int | None) -> Hashed:
    """The SHA-256 of the file, of its first prefix_bytes bytes (None when there is no prefix to check, or the file
    is not longer than it), and whether its last byte is a line feed (its last record is whole), in one read."""
    hashed_at_ns = time.time_ns()
    place = place_of(path)
    before = stamp_of(path)
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
        # The file read, by its descriptor: a folder or symlink switched around the open and back would leave the
        # path's stamp as it was while another file's bytes were read.
        unchanged = stamp_of(handle.fileno()) == before and before.size == size
    longer = prefix is not None and size > prefix_bytes
    return Hashed(place, whole.hexdigest(), prefix.hexdigest() if longer else None, last_byte == b"\n", size,
                  before if unchanged else None, hashed_at_ns, from_cache=False)  # fmt: skip


def hash_file(path: str, prefix_bytes: int | None = None, kept: dict[str, object] | None = None) -> Hashed:
    """The file's hash, from its kept entry when that still stands and can answer the question asked: a prefix
    hash is needed only when the file is longer than the prefix, and the cache keeps no prefix hashes, so a file
    asked about a prefix shorter than itself is read."""
    place = place_of(path)
    if kept is not None and str(kept.get("path")) == place and stamps_trusted():
        stamp = stamp_of(path)
        needs_prefix = prefix_bytes is not None and 0 <= prefix_bytes < stamp.size
        if not needs_prefix and trusted(kept, stamp):
            return Hashed(place, str(kept["file_hash"]), None, bool(kept["ends_with_newline"]), stamp.size, stamp,
                          int(kept["hashed_at_ns"]), from_cache=True)  # fmt: skip
    return read_and_hash(path, prefix_bytes)


def parse_entry(text: str | None) -> dict[str, object] | None:
    """A kept entry as passed through SQL (a JSON object), or None."""
    return None if text is None else json.loads(text)
