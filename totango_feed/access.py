"""What this user may do with the files a run needs, asked of the operating system before anything is written or
recorded: a read-only database, an output folder or a raw file another user owns each stop a run with one line
naming the file and what to do, instead of an error from deep inside DuckDB after the ledger changed or a file was
half written. (A root session can write anything, so these faults only show for the user a scheduler runs as.)

os.access asks with the real user, as the run itself acts, and knows read-only file systems and access lists.
"""

from __future__ import annotations

import os
from pathlib import Path

FIX = "run as the user who owns it, or give this user access (chmod, chown)"


def existing_ancestor(path: Path) -> Path:
    """The path itself, or the nearest folder above it that exists (where a missing folder would be made)."""
    for candidate in [path, *path.parents]:
        if candidate.exists():
            return candidate
    return Path("/")


def folder_problem(folder: Path, purpose: str) -> str | None:
    """Why this user cannot create and replace files in folder (made if missing), or None."""
    target = existing_ancestor(folder.absolute())
    if not target.is_dir():
        return None  # a file in the way: the caller's own check words that
    if not os.access(target, os.W_OK | os.X_OK):
        where = "" if target == folder.absolute() else f" (it would be made in {target})"
        return f"{folder}: this user cannot write in the folder{where}, where {purpose}: {FIX}."
    return None


def database_problem(database: Path, read_only: bool = False) -> str | None:
    """Why this user cannot open the DuckDB database as a run needs it, or None. Writing needs the file (or, if it
    is missing, its folder) writable, and the folder too: DuckDB keeps its write-ahead log beside the file
    (<name>.wal)."""
    if database.exists():
        if not os.access(database, os.R_OK):
            return f"database {database}: this user cannot read it: {FIX}."
        if read_only:
            return None
        if not os.access(database, os.W_OK):
            return (
                f"database {database}: the file is read-only for this user, and a run writes to it (the build its "
                f"tables, the export its ledger): {FIX}."
            )
    elif read_only:
        return None
    folder = database.absolute().parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"database {database}: this user cannot write in its folder {folder}, where DuckDB keeps "
            f"{database.name}.wal beside the file: {FIX}."
        )
    return None


def unreadable_file(path: Path) -> str | None:
    """Why this user cannot read a raw file, or None."""
    if not os.access(path, os.R_OK):
        return f"{path}: this user cannot read the file: {FIX}; nothing was built."
    return None


def unreadable_folder(folder: Path) -> str | None:
    """Why this user cannot list a folder's files (which would make it look empty), or None."""
    if folder.is_dir() and not os.access(folder, os.R_OK | os.X_OK):
        return f"{folder}: this user cannot list the folder's files: {FIX}; nothing was built."
    return None
