"""An event id is sent once, as its first row that can be sent (issue 16): a row that cannot be sent (its user
unknown, its timestamp unreadable, its module blank) never hides a later row of the same id that can; rows before
the one sent keep their own issue, rows after it are repeats. A corrected row that arrives after the bad one was
recorded is sent then."""

from __future__ import annotations

import csv
from pathlib import Path

from test_exactly_once import World, event, sent_counts


def issues_of(folder: Path) -> list[tuple[str, str]]:

    with (folder / "data_issues.csv").open(newline="", encoding="utf-8") as handle:
        return [
            (row["source_key"], row["issue"]) for row in csv.DictReader(handle) if row["source"] == "raw_app_events"
        ]


def test_within_one_file_the_first_row_that_can_be_sent_is_sent(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.deliver([
        {**event("E1"), "occurred_at": "not a time"},   # cannot be sent: its own issue
        event("E1", "U-NOBODY"),                         # cannot be sent: its own issue
        {**event("E1"), "module": ""},                   # cannot be sent: its own issue
        {**event("E1"), "action": "act-E1"},             # the first that can: sent
        event("E1"),                                     # a repeat
    ])  # fmt: skip
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    assert sent_counts(tmp_path / "day1") == {"E1": 1}
    assert issues_of(tmp_path / "day1") == [
        ("E1", "invalid_timestamp"), ("E1", "unknown_user"), ("E1", "missing_value"), ("E1", "duplicate"),
    ]  # fmt: skip


def test_a_corrected_row_in_a_later_file_is_sent_after_the_bad_one_was_recorded(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.deliver_day_file("2026-11-24.csv", [event("E1"), {**event("E2"), "occurred_at": "31/12/2026"}])
    world.build_ok()
    assert world.export(tmp_path / "day1") == 0
    assert sent_counts(tmp_path / "day1") == {"E1": 1}
    assert issues_of(tmp_path / "day1") == [("E2", "invalid_timestamp")]
    # Day 2: E2 again, corrected; E1 again (a re-delivery).
    world.deliver_day_file("2026-11-25.csv", [event("E2"), event("E1")])
    world.build_ok()
    assert world.export(tmp_path / "day2") == 0
    assert sent_counts(tmp_path / "day2") == {"E2": 1}
    assert issues_of(tmp_path / "day2") == [("E2", "invalid_timestamp"), ("E1", "duplicate")]
