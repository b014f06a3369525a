"""Look before it goes: every export reviews what it is about to send against the last published export, and holds
itself when the change is past the brakes' limits.

export.py calls `before_publish` once the usage to send is staged and the folder checked, before it records or
publishes anything: this stages the snapshot of the export (snapshot.py), compares it with the last one in SQL
(compare.py), holds it against the brakes (brakes.py), writes review.html and review.md into the export folder
(a held export or a dry run) or keeps them for export.py to write under temporary names once the ledger knows the
run (an export that goes on: they are put in place with its files, and a kill leaves temporaries that the next
export finds through the ledger), and prints a few lines (render.py). A tripped brake then raises BrakesHeld:
nothing is published, nothing is recorded in the ledger (no run row, so recovery has nothing to settle and the
held events are simply not sent yet: the next accepted export sends them), and export.py exits with EXIT_HELD.
With --accept-changes the export goes on, and the reason and the brakes tripped go into manifest.json and
ledger.accepted_changes. Once the export is published, `Reviewed.after_publish` keeps its snapshot, against which
the next export is reviewed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from totango_feed import output_folder
from totango_feed.review import brakes, compare, render, snapshot
from totango_feed.review.brakes import BrakeSettingsRefused
from totango_feed.review.snapshot import ExportContents

__all__ = ["EXIT_HELD", "BrakeSettingsRefused", "BrakesHeld", "ExportContents", "Reviewed", "before_publish"]

# export.py's exit code for an export held by the brakes (1: refused or failed; check_exports.py uses 2), so that a
# scheduler can tell "look at the review" from "something is broken".
EXIT_HELD = 3


class BrakesHeld(Exception):
    """The export was held by the brakes; `lines` say which and by how much, for the person exporting."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines[0])
        self.lines = lines


@dataclass(frozen=True)
class Reviewed:
    """A reviewed export that may go on: what its manifest says of the review, and its snapshot to keep."""

    contents: ExportContents
    page: render.ReviewPage
    # review.html and review.md as written: by write_temporaries, once the run is in the ledger.
    files: dict[str, str]

    def write_temporaries(self, out_dir: Path) -> None:
        """Write the review under its temporary names, for output_folder.publish to put in place with the export's
        files. Called once ledger.start_run knows the run, so that the next export removes them if this one is
        killed: a review written before would be left for good."""
        output_folder.write_review(out_dir, self.contents.run_id, self.files, in_place=False)

    @property
    def manifest_entry(self) -> dict:
        comparison = self.page.comparison
        return {
            "files": list(output_folder.REVIEW_FILES),
            "compared_with": comparison.then["run_id"] if comparison.then else None,
            "brakes_tripped": [
                {"brake": c.brake, "label": c.label, "measured": c.measured, "limit": c.limit}
                for c in self.page.tripped
            ],
            "accepted_changes": self.page.acceptance.manifest_entry() if self.page.acceptance else None,
        }

    def after_publish(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Keep the export's snapshot. The export is published by now, so a failure here does not undo it: it is
        said, and the next export is compared with the snapshot before this one."""
        try:
            snapshot.record(connection, self.contents)
        except (duckdb.Error, OSError) as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(f"warning: the review snapshot of export {self.contents.run_id} was not kept ({first_line}); "
                  "the next review compares with the export before it", file=sys.stderr)  # fmt: skip


def outcome(dry_run: bool, tripped: bool, accepted: bool) -> str:
    if dry_run:
        return "dry run held" if tripped and not accepted else "dry run"
    if tripped:
        return "accepted" if accepted else "held"
    return "published"


def held_lines(page: render.ReviewPage, out_dir: Path) -> list[str]:
    verb = "would be held" if page.outcome == "dry run held" else "held"
    return [
        f"export {verb} by the brakes: nothing published, nothing recorded; see {out_dir / 'review.html'}",
        *(f"  {check.line()}" for check in page.tripped),
        'to publish it anyway: export again with --accept-changes "why these changes are right"',
    ]


def reason(text: str) -> str:
    """--accept-changes' argument: the reason, which must say something (argparse reports the error)."""
    if not text.strip():
        raise argparse.ArgumentTypeError('give the reason the changes are right, e.g. --accept-changes "CRM cleanup"')
    return text.strip()


def before_publish(
    connection: duckdb.DuckDBPyConnection,
    contents: ExportContents,
    *,
    out_dir: Path,
    previous: output_folder.PreviousExport,
    dry_run: bool,
    accept_reason: str | None,
    say: Callable[[str], None],
) -> Reviewed:
    """Review the export, write the review, and hold the export (BrakesHeld) if a brake tripped and no reason
    was given to accept it. Records the acceptance in the ledger (not in a dry run)."""
    limits = brakes.read_limits()
    output_folder.check_can_write_review(out_dir, previous)
    snapshot.stage(connection, contents)
    comparison = compare.compare(connection, limits["usage_median_exports"])
    checks = brakes.evaluate(comparison, limits, contents.is_full)
    tripped = [check for check in checks if check.tripped]
    acceptance = brakes.accept(accept_reason, tripped) if accept_reason else None
    tree, tree_note = render.account_tree(comparison.tree, comparison.first, comparison.tree_accounts)
    page = render.ReviewPage(
        run_id=contents.run_id,
        started_at=contents.started_at,
        outcome=outcome(dry_run, bool(tripped), acceptance is not None),
        comparison=comparison,
        checks=checks,
        acceptance=acceptance,
        tree=tree,
        tree_note=tree_note,
    )
    # A held export or a dry run puts its review in place now; an export that goes on leaves it to export.py
    # (Reviewed.write_temporaries), which writes it under temporary names once the ledger knows the run.
    held = bool(tripped) and acceptance is None
    files = {"review.html": render.render_html(page, out_dir), "review.md": render.render_markdown(page, out_dir)}
    if held or dry_run:
        output_folder.write_review(out_dir, contents.run_id, files, in_place=True)
    for line in render.terminal_lines(page, out_dir):
        say(line)
    if held:
        raise BrakesHeld(held_lines(page, out_dir))
    if acceptance and not dry_run:
        accepted_at = datetime.now(UTC).replace(tzinfo=None)
        brakes.record_acceptance(connection, contents.run_id, accepted_at, acceptance)
        if not tripped:
            say("  --accept-changes: no brake tripped; the reason is recorded all the same")
    return Reviewed(contents=contents, page=page, files=files)
