"""What every kind of drop does for the delivery engine (engine.py), and the plain one: a folder on this machine.

A file never appears under its final name half-written. Where the drop has renames (a folder, SFTP) it goes in
under a temporary name in the same folder (`.usage.csv.<run>.partial`, hidden, the export's own convention, so
that no pattern for usage*.csv matches it), is verified, then is put in place in one step. S3 has no rename; an
object appears only once its upload is complete, so there the upload itself is the temporary (see s3_store.py).
The engine records each step, so that a retry knows what a crash left.

Put in place means: under a name that is free, by a step that fails if the name is taken (a hard link, else a
rename that does not replace), never a look followed by a rename, between which another writer's file could
appear and be overwritten. Only a file the engine has checked is ours (an accounts or users snapshot, a manifest)
is replaced, by a plain rename.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from totango_feed.delivery.destination import DeliveryFailed, DeliveryRefused

BLOCK = 1 << 20
# Linux's renameat2 flag: fail with EEXIST rather than replace the target.
RENAME_NOREPLACE = 1
AT_FDCWD = -100
# What a file system answers when it has no hard links (a CIFS share, FAT) or no renameat2 flags (NFS).
UNSUPPORTED = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS, errno.EXDEV}


def rename_without_replacing(source: Path, target: Path) -> None:
    """Linux's renameat2(RENAME_NOREPLACE), through the C library; OSError as rename raises it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError) as error:
        raise OSError(errno.ENOSYS, "renameat2 is not available") from error
    if renameat2(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), RENAME_NOREPLACE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def place_without_replacing(source: Path, target: Path) -> None:
    """Put source in place under target, which must be free: FileExistsError if it is taken, whatever appeared
    there the moment before. A hard link, then the temporary's name removed (a crash between leaves both, the same
    bytes: the engine finds the file in place byte for byte); where the file system has no hard links, a rename
    that does not replace."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in UNSUPPORTED:
            raise
        try:
            rename_without_replacing(source, target)
        except OSError as second:
            if second.errno == errno.EEXIST:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from second
            if second.errno in UNSUPPORTED:
                raise DeliveryRefused(
                    f"the file system of {target.parent} can neither hard-link a file nor rename one without "
                    "replacing another: a file could not be put in place without the risk of overwriting one that "
                    "appeared meanwhile. Deliver to another kind of drop (a local disk, SFTP, S3)."
                ) from second
            raise
        return
    os.unlink(source)


@dataclass(frozen=True)
class Existing:
    """A file already in the drop under a name this delivery writes."""

    size: int
    # What a conditional write compares to replace exactly this file (S3's ETag); None where a rename replaces.
    version: str | None = None


class Store(Protocol):
    """One folder of a drop, open for one delivery."""

    # Whether a file is first written under a temporary name that a rename then puts in place (folder, SFTP).
    renames: bool

    def describe(self, name: str) -> str:
        """Where a file of this folder is, for messages (never a secret)."""
        ...

    def prepare(self) -> None:
        """Make the folder, with its parents, if need be."""
        ...

    def existing(self, name: str) -> Existing | None: ...

    def sha256(self, name: str) -> str:
        """The SHA-256 of a file in place, as hex."""
        ...

    def stage(self, local: Path, temporary: str, size: int, sha256: str) -> None:
        """Write local under the temporary name and verify it (size, and a checksum where the drop gives one).
        A store without renames writes nothing here."""
        ...

    def has_staged(self, temporary: str) -> bool: ...

    def discard(self, temporary: str) -> None: ...

    def commit(self, local: Path, temporary: str, name: str, replacing: Existing | None, sha256: str) -> None:
        """Put the file in place under its name, in one step: never over a file unless replacing says which one
        (a file that appeared meanwhile refuses, DeliveryRefused, the temporary left for the engine to remove once
        it has recorded that nothing was put in place)."""
        ...

    def close(self) -> None: ...


def hash_stream(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(BLOCK), b""):
        digest.update(block)
    return digest.hexdigest()


class FileStore:
    """A folder on this machine (file:///path), such as a mounted share."""

    renames = True

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def describe(self, name: str) -> str:
        return str(self.folder / name)

    def prepare(self) -> None:
        blocking = next((p for p in [self.folder, *self.folder.parents] if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise DeliveryRefused(f"{blocking} is a file, not a folder: the destination must be a folder.")
        self.folder.mkdir(parents=True, exist_ok=True)

    def existing(self, name: str) -> Existing | None:
        path = self.folder / name
        return Existing(path.stat().st_size) if path.is_file() else None

    def sha256(self, name: str) -> str:
        with (self.folder / name).open("rb") as handle:
            return hash_stream(handle)

    def stage(self, local: Path, temporary: str, size: int, sha256: str) -> None:
        target = self.folder / temporary
        try:
            with local.open("rb") as source, target.open("wb") as copy:
                for block in iter(lambda: source.read(BLOCK), b""):
                    copy.write(block)
                copy.flush()
                # On disk before the rename makes it visible: a machine crash never leaves a short file in place.
                os.fsync(copy.fileno())
        except OSError as error:
            raise DeliveryFailed(f"writing {target} failed: {error.strerror or error}.") from error
        if target.stat().st_size != size or self.sha256(temporary) != sha256:
            raise DeliveryFailed(f"{target} does not hold what was written (size or SHA-256 differs): run again.")

    def has_staged(self, temporary: str) -> bool:
        return (self.folder / temporary).is_file()

    def discard(self, temporary: str) -> None:
        (self.folder / temporary).unlink(missing_ok=True)

    def commit(self, local: Path, temporary: str, name: str, replacing: Existing | None, sha256: str) -> None:
        del local, sha256  # verified when staged; a rename does not change the bytes
        if replacing is not None:
            os.replace(self.folder / temporary, self.folder / name)  # a file of ours, checked by the engine
            return
        try:
            place_without_replacing(self.folder / temporary, self.folder / name)
        except FileExistsError as error:
            raise DeliveryRefused(
                f"{self.folder / name} appeared while this delivery ran: it is left as it is, nothing was overwritten."
            ) from error

    def close(self) -> None:
        pass
