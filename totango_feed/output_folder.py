"""An output folder as export.py sees it: which files in it are ours, which usage files may still be waiting to be
collected, and how a new export is put in place without touching anything else.

Ours means listed in the folder's manifest.json, which every export writes last: a file no manifest of ours lists
was not written by us and is never removed or overwritten (the export refuses instead). Usage files are never
removed either: Totango counts an activity when it loads the file, so a usage file that may not have been
collected yet is kept (the next manifest names it under `carried_over`, apart from the files it sends) until the
collector or the user removes it; an export with new usage refuses to write into a folder that still holds one.
A manifest is trusted only as far as its names are ones an export of ours writes: a plain file name, never a
path, so that no manifest can make an export remove anything else.

The review (review.html, review.md: totango_feed/review/) is written before anything is published, also by a dry
run and by an export the brakes hold, which leave no manifest. So a review file is ours when a manifest lists it
(under review.files) or when it begins with our mark; any other file of that name is left alone (the export
refuses). Review files are replaced by every export into the folder, and never removed: they are not loaded
into Totango, so they are not in the manifest's files.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
TEMPORARY_SUFFIX = ".partial"
USAGE_PREFIX = "usage"
# Every name an export of ours writes: a file of export.py's OutputFiles, whole or as a numbered part.
OUR_FILE_NAME = re.compile(r"(accounts|users|usage|usage_counted|data_issues)(-[0-9]{3})?\.csv")
REVIEW_FILES = ("review.html", "review.md")
# Within the first lines of both review files (an HTML comment, which Markdown viewers do not show either).
REVIEW_MARK = "totango-feed review"


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
    # The files it sent, and the usage files of earlier exports it left in place (carried over).
    entries: list[dict] = field(default_factory=list)
    carried_over: list[dict] = field(default_factory=list)
    review_files: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {entry["name"] for entry in [*self.entries, *self.carried_over]}

    def waiting_usage(self, out_dir: Path) -> list[dict]:
        """Its usage files, and those it carried over, still in the folder: they may not have been collected."""
        return [
            e for e in [*self.entries, *self.carried_over] if is_usage(e["name"]) and (out_dir / e["name"]).is_file()
        ]


def read_previous(out_dir: Path) -> PreviousExport:
    path = out_dir / MANIFEST
    if not path.exists():
        return PreviousExport()
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        entries = [dict(entry) for entry in content["files"]]
        carried_over = [dict(entry) for entry in content.get("carried_over", [])]
        review_files = list((content.get("review") or {}).get("files", []))
        if not isinstance(content["run_id"], str):
            raise TypeError("no run id")
        for entry in [*entries, *carried_over]:
            if not isinstance(entry["name"], str) or not OUR_FILE_NAME.fullmatch(entry["name"]):
                raise ValueError(f"it lists {entry['name']!r}, which is not a file an export of ours writes")
        for name in review_files:
            if name not in REVIEW_FILES:
                raise ValueError(f"it lists {name!r} as a review file, which is not one an export of ours writes")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise FolderRefused(
            f"{path} was not written by this project's export ({error}): export into another folder (--out), or "
            "move that file away."
        ) from error
    except OSError as error:
        raise FolderRefused(
            f"{path}: this user cannot read it ({error.strerror}), and the export must know what the folder holds: "
            "run as the user who owns it, or export into another folder (--out)."
        ) from error
    return PreviousExport(content["run_id"], entries, carried_over, review_files)


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
    """The manifest entries of usage files an export without usage leaves in place, with the run they came from,
    so that the folder's manifest always names every file of ours in it (under carried_over: not files to load
    again)."""
    return [{**entry, "from_run": entry.get("from_run", previous.run_id)} for entry in previous.waiting_usage(out_dir)]


def publish(out_dir: Path, run_id: str, names: list[str]) -> None:
    """Put a recorded run's files in place: each temporary still there (its review's too) is renamed over its final
    name, then the files of the earlier export that this one replaces are removed (never a usage file), then
    manifest.json last.

    Idempotent, so that the next export can finish a publish that a crash cut short: a run whose manifest is
    already in place is complete."""
    previous = read_previous(out_dir)
    if previous.run_id == run_id:
        return
    # The run's review files too, where it wrote them (an export from before reviews, or recovery, has none).
    for name in [*names, *REVIEW_FILES]:
        temporary = temporary_path(out_dir, name, run_id)
        if temporary.exists():
            os.replace(temporary, out_dir / name)
    for name in previous.names - set(names):
        if not is_usage(name):
            (out_dir / name).unlink(missing_ok=True)
    manifest_temporary = temporary_path(out_dir, MANIFEST, run_id)
    if manifest_temporary.exists():
        os.replace(manifest_temporary, out_dir / MANIFEST)


def is_our_review(path: Path) -> bool:
    """A review file an export of ours wrote: it carries our mark near its start."""
    try:
        with path.open("rb") as handle:
            head = handle.read(400)
    except OSError:
        return False
    return f"<!-- {REVIEW_MARK}".encode() in head


def check_can_write_review(out_dir: Path, previous: PreviousExport) -> None:
    for name in REVIEW_FILES:
        path = out_dir / name
        if path.exists() and not (path.is_file() and (name in previous.review_files or is_our_review(path))):
            raise FolderRefused(
                f"{path} exists and was not written by an export of ours (no manifest.json lists it, and it is not "
                "one of our reviews): move it away or export into another folder (--out)."
            )


def write_review(out_dir: Path, run_id: str, contents: dict[str, str], in_place: bool) -> None:
    """Write the review files: in place (a dry run, a held export), or under their temporary names only, for
    publish to put in place with the export's files (an export that goes on: a review that says "published" is
    never seen beside an export that failed). Each is written whole under its temporary name first, so that a
    reader never sees half a page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        temporary = temporary_path(out_dir, name, run_id)
        temporary.write_text(text, encoding="utf-8")
        if in_place:
            os.replace(temporary, out_dir / name)
