"""A file's hash is kept with its stamp (device, inode, size, modification and change times) and reused while the
stamp stands (totango_feed/hash_cache.py): an unchanged file is not read again, and every way of changing a file's
bytes, even one that puts its size and modification time back, makes it read again."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from totango_feed import duckdb_functions, hash_cache

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files hash_cache opens to read, in order."""
    seen: list[str] = []

    def counting_open(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - open's own signature
        seen.append(os.path.basename(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(hash_cache, "open", counting_open, raising=False)
    return seen


def hashed_later(monkeypatch: pytest.MonkeyPatch, seconds: float = 3) -> None:
    """Hashing from now on happens, by hash_cache's clock, this long after now: as in a daily run, where the files
    were written well before the build hashes them (the racy-write guard then trusts what it keeps)."""
    real_time_ns = time.time_ns
    monkeypatch.setattr(hash_cache, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + int(seconds * 1e9)))


def hash_with(path: Path, kept: dict | None, prefix_bytes: int | None = None) -> hash_cache.Hashed:
    return hash_cache.hash_file(str(path), prefix_bytes, kept)


def test_an_unchanged_file_is_not_read_again(tmp_path: Path, opened: list[str], monkeypatch) -> None:
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    hashed_later(monkeypatch)
    first = hash_with(path, None)
    assert opened == ["day-1.csv"] and first.file_hash == hashlib.sha256(b"event_id\nE1\n").hexdigest()
    again = hash_with(path, first.entry())
    assert opened == ["day-1.csv"], "an unchanged file was read again"
    assert (again.file_hash, again.ends_with_newline, again.size, again.from_cache) == (first.file_hash, True, 12, True)
    assert again.entry() is None, "a hash taken from the cache is kept already"


def test_a_same_size_rewrite_with_its_time_put_back_is_read_again(tmp_path: Path, opened, monkeypatch) -> None:
    """The rewrite keeps size and modification time (as `touch -r` or `cp -p` would leave them): the change time,
    which no user tool can set, still moves."""
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    before = path.stat()
    time.sleep(0.05)  # a later clock tick than the first write, as a rewrite after a build always is
    path.write_bytes(b"event_id\nE2\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    rehashed = hash_with(path, kept)
    assert opened == ["day-1.csv", "day-1.csv"]
    assert rehashed.file_hash == hashlib.sha256(b"event_id\nE2\n").hexdigest() and not rehashed.from_cache


def test_a_file_replaced_by_another_is_read_again(tmp_path: Path, opened, monkeypatch) -> None:
    """Another file renamed into the path (a new inode), with the same size and modification time."""
    path, other = tmp_path / "day-1.csv", tmp_path / "incoming.csv"
    path.write_bytes(b"event_id\nE1\n")
    other.write_bytes(b"event_id\nE2\n")
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    other.replace(path)
    assert hash_with(path, kept).file_hash == hashlib.sha256(b"event_id\nE2\n").hexdigest()
    assert opened == ["day-1.csv", "day-1.csv"]


def test_a_hash_taken_just_after_a_write_is_not_trusted(tmp_path: Path, opened: list[str]) -> None:
    """Hashed within the racy window of the file's last write (timestamps can be coarse): kept, and read again the
    next time rather than trusted, since a second write in the same tick would leave the stamp as it was."""
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    kept = hash_with(path, None).entry()
    assert kept is not None
    assert not hash_with(path, kept).from_cache
    assert opened == ["day-1.csv", "day-1.csv"]


def test_a_prefix_shorter_than_the_file_is_read(tmp_path: Path, opened: list[str], monkeypatch) -> None:
    """The cache keeps whole-file hashes only: asked whether the file grew from its first bytes, it reads."""
    path = tmp_path / "day-1.csv"
    old = b"event_id\nE1\n"
    path.write_bytes(old + b"E2\n")
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    grown = hash_with(path, kept, prefix_bytes=len(old))
    assert grown.prefix_hash == hashlib.sha256(old).hexdigest() and not grown.from_cache
    whole = hash_with(path, kept, prefix_bytes=path.stat().st_size)
    assert whole.from_cache and whole.prefix_hash is None, "a prefix as long as the file needs no read"
    assert opened == ["day-1.csv", "day-1.csv"]


def test_a_file_that_changes_while_it_is_read_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    real_open = open

    def open_then_append(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - open's own signature
        handle = real_open(name, *args, **kwargs)
        with real_open(name, "ab") as writer:
            writer.write(b"E2\n")
        return handle

    monkeypatch.setattr(hash_cache, "open", open_then_append, raising=False)
    assert hash_with(path, None).entry() is None


def test_a_kept_entry_of_another_path_is_not_used(tmp_path: Path, opened, monkeypatch) -> None:
    """A hard link shares the stamp; the entry still only answers for the path it was kept under."""
    path, link = tmp_path / "day-1.csv", tmp_path / "day-1-link.csv"
    path.write_bytes(b"event_id\nE1\n")
    os.link(path, link)
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    assert not hash_with(link, kept).from_cache
    assert opened == ["day-1.csv", "day-1-link.csv"]


def test_stamps_can_be_distrusted_for_file_systems_that_keep_no_change_time(
    tmp_path: Path, opened: list[str], monkeypatch
) -> None:
    """TOTANGO_TRUST_FILE_STAMPS=0 (FAT, NFS, files written through memory maps): every file read, every time."""
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    monkeypatch.setenv("TOTANGO_TRUST_FILE_STAMPS", "0")
    assert not hash_with(path, kept).from_cache
    monkeypatch.setenv("TOTANGO_TRUST_FILE_STAMPS", "1")
    assert hash_with(path, kept).from_cache
    assert opened == ["day-1.csv", "day-1.csv"]


def test_the_same_file_by_another_spelling_of_its_path_is_not_read_again(
    tmp_path: Path, opened: list[str], monkeypatch
) -> None:
    """The check is given the folder as the user typed it (daily.py: relative), the build as dbt lists it ('./...'),
    and a feed's folder may be reached through a symlink: one file, one entry, read once."""
    (tmp_path / "raw").mkdir()
    path = tmp_path / "raw" / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    (tmp_path / "linked").symlink_to(tmp_path / "raw")
    hashed_later(monkeypatch)
    kept = hash_with(path, None).entry()
    monkeypatch.chdir(tmp_path)
    spellings = ["raw/day-1.csv", "./raw/day-1.csv", "raw/../raw/day-1.csv", str(tmp_path / "linked" / "day-1.csv")]
    assert [hash_cache.hash_file(spelling, None, kept).from_cache for spelling in spellings] == [True] * 4
    assert opened == ["day-1.csv"]


def test_a_file_listed_twice_through_a_symlink_is_kept_once(tmp_path: Path, monkeypatch) -> None:
    """A symlink beside its target in an events folder (a copy of the file, to the feed): both are hashed, one
    entry is kept, so the table never holds two rows for one file."""
    path = tmp_path / "day-1.csv"
    path.write_bytes(b"event_id\nE1\n")
    (tmp_path / "day-1-copy.csv").symlink_to(path)
    hashed_later(monkeypatch)
    found = duckdb_functions.files_sha256_with_prefix([str(path), str(tmp_path / "day-1-copy.csv")], None, None)
    assert found[0]["file_hash"] == found[1]["file_hash"]
    assert [row["entry"]["path"] for row in found if row["entry"] is not None] == [str(path.resolve())]
