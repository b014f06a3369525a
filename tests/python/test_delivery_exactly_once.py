"""Exactly once, end to end: test_exactly_once's five days, each export killed at a different step and run again,
now each followed by a delivery killed at a different step and run again. At the drop, every valid event is in
exactly one delivered usage file, and every other event is in data_issues.csv (which stays local).

Two drops: one folder per export ({run_id}), and one fixed folder that Totango empties of its usage file after
each day's delivery (the collected files are kept aside and counted with what is left).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from delivery_world import Exports, deliver, folder_files, usage_events
from test_exactly_once import BAD_IDS, VALID_IDS, World, dropped_events, five_days_each_export_killed_once

pytestmark = pytest.mark.slow  # left out by make test-fast

# A different step of the delivery for each day (module, class, function, call); see test_deliver_file.py.
DELIVERY_KILLS = {
    "folder per export": [
        ("engine", "Delivery", "deliver_file", 2),
        ("stores", "FileStore", "commit", 3),
        ("records", "None", "set_file_status", 9),
        ("engine", "Delivery", "deliver_file", 4),
        ("records", "None", "finish_run", 1),
    ],
    # In one folder, files that did not change since the day before are already there and are not written again:
    # steps that every day takes (the usage file and the manifest are always new).
    "one folder, usage collected daily": [
        ("engine", "Delivery", "deliver_file", 2),
        ("stores", "FileStore", "commit", 1),
        ("stores", "FileStore", "stage", 1),
        ("engine", "Delivery", "deliver_file", 4),
        ("records", "None", "finish_run", 1),
    ],
}


@pytest.mark.parametrize("layout", DELIVERY_KILLS.keys())
def test_five_days_with_a_crash_at_each_step_end_at_the_drop_with_every_valid_event_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    world = World(tmp_path)
    exports = Exports(tmp_path, world.run.db, ())
    drop = tmp_path / "drop"
    url = f"file://{drop}/{{run_id}}" if layout == "folder per export" else f"file://{drop}"
    collected: list[tuple[str, bytes]] = []
    days = five_days_each_export_killed_once(world, tmp_path, monkeypatch)
    for _, kill_at in zip(days, DELIVERY_KILLS[layout], strict=True):
        killed = deliver(exports, url, kill_at=kill_at)
        assert killed.returncode == -9, killed.stdout + killed.stderr
        finished = deliver(exports, url)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        if layout != "folder per export":
            for path in drop.glob("usage*.csv"):  # Totango's daily pull takes the usage file
                collected.append((path.name, path.read_bytes()))
                path.unlink()

    assert usage_events([*collected, *folder_files(drop)]) == dict.fromkeys(VALID_IDS, 1)
    assert not [p for p in drop.rglob("*") if p.name.endswith(".partial")]
    assert not [p for p in drop.rglob("data_issues.csv")], "data_issues.csv is for people, not for the drop"
    assert dropped_events(tmp_path / "day5") == BAD_IDS
    published = exports.query("select count(*) from ledger.export_runs where status = 'published'")[0][0]
    statuses = exports.query("select status, count(*) from delivery.runs group by status")
    assert statuses == [("delivered", published)]
