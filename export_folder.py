"""An output folder as export.py sees it: which files in it are ours, which usage files may still be waiting to be
collected, and how a new export is put in place without touching anything else.

Ours means listed in the folder's manifest.json, which every export writes last: a file no manifest of ours lists
was not written by us and is never removed or overwritten (the export refuses instead). Usage files are never
removed either: Totango counts an activity when it loads the file, so a usage file that may not have been
collected yet is kept (and listed again, as carried over, by the next manifest) until the collector or the user
removes it; an export with new usage refuses to write into a folder that still holds one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
TEMPORARY_SUFFIX = ".partial"
USAGE_PREFIX = "usage"


class FolderRefused(Exception):
    """The folder holds something an export must not overwrite or destroy; worded for the person exporting."""


def temporary_path(out_dir: Path, name: str, run_id: str) -> Path:
    """A hidden name in the output folder itself, so that the final rename never crosses file systems, and one
    that names its run, so that only that run's leftovers are ever removed."""
    return out_dir / f".{name}.{run_id}{TEMPORARY_SUFFIX}"


def remove_temporaries(out_dir: Path, run_id: str) -> int:
    """Remove what one run left behind (never anything else); returns how many files."""
    stale = list(out_dir.glob(f".*.{run_id}{TEMPORARY_SUFFIX}")) if out_dir.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def is_usage(name: str) -> bool:
    return name.startswith(USAGE_PREFIX)


@dataclass(frozen=True)
class PreviousExport:
    """The export of ours a folder holds now, from its manifest.json (none: an empty or foreign folder)."""

    run_id: str | None = None
    entries: list[dict] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {entry["name"] for entry in self.entries}

    def waiting_usage(self, out_dir: Path) -> list[dict]:
        """Its usage files still in the folder: they may not have been collected."""
        return [e for e in self.entries if is_usage(e["name"]) and (out_dir / e["name"]).is_file()]


def read_previous(out_dir: Path) -> PreviousExport:
    path = out_dir / MANIFEST
    if not path.exists():
        return PreviousExport()
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        entries = [dict(entry) for entry in content["files"]]
        if not isinstance(content["run_id"], str) or not all(isinstance(e["name"], str) for e in entries):
            raise TypeError("unexpected manifest shape")
    except (ValueError, KeyError, TypeError) as error:
        raise FolderRefused(
            f"{path} was not written by this project's export ({type(error).__name__}): "
            "export into another folder (--out), or move that file away."
        ) from error
    return PreviousExport(content["run_id"], entries)


def check_can_write(out_dir: Path, names: list[str], previous: PreviousExport, has_usage: bool) -> None:
    """Refuse before anything is recorded when the export would overwrite a file that is not ours, or put new
    usage next to usage that may not have been collected."""
    ours = previous.names | ({MANIFEST} if previous.run_id else set())
    for name in [*names, MANIFEST]:
        if (out_dir / name).exists() and name not in ours:
            raise FolderRefused(
                f"{out_dir / name} exists and was not written by an export of ours (no manifest.json lists it): "
                "move it away or export into another folder (--out)."
            )
    waiting = previous.waiting_usage(out_dir)
    if has_usage and waiting:
        listed = ", ".join(entry["name"] for entry in waiting)
        raise FolderRefused(
            f"{out_dir} still holds {listed} of export {previous.run_id}, which may not have been collected; new "
            "usage here would overwrite or mix with it. Export into a new folder (e.g. --out output/$(date +%F)), "
            "or remove those files once Totango has loaded them."
        )


def carried_usage(out_dir: Path, previous: PreviousExport) -> list[dict]:
    """The manifest entries of usage files an export without usage leaves in place: listed again, with the run
    they came from, so that the folder's manifest always names every file of ours in it."""
    return [
        {**entry, "carried_over_from": entry.get("carried_over_from", previous.run_id)}
        for entry in previous.waiting_usage(out_dir)
    ]


def publish(out_dir: Path, run_id: str, names: list[str]) -> None:
    """Put a recorded run's files in place: each temporary still there is renamed over its final name, then the
    files of the earlier export that this one replaces are removed (never a usage file), then manifest.json last.

    Idempotent, so that the next export can finish a publish that a crash cut short: a run whose manifest is
    already in place is complete."""
    previous = read_previous(out_dir)
    if previous.run_id == run_id:
        return
    for name in names:
        temporary = temporary_path(out_dir, name, run_id)
        if temporary.exists():
            os.replace(temporary, out_dir / name)
    for name in previous.names - set(names):
        if not is_usage(name):
            (out_dir / name).unlink(missing_ok=True)
    manifest_temporary = temporary_path(out_dir, MANIFEST, run_id)
    if manifest_temporary.exists():
        os.replace(manifest_temporary, out_dir / MANIFEST)
