"""shared_days.py, without dbt: a test starts from the days kept only when its past is the same, change for change,
on the same kind of world with the same probe; otherwise it plays its days itself."""

from __future__ import annotations

import pytest
import shared_days
from test_incremental_days import Days


class OtherDays(Days):
    """Another kind of world, changed by the same operations."""


@pytest.fixture
def played(tmp_path, monkeypatch) -> tuple[shared_days.SharedDays, list]:
    """A cache whose days only apply their changes and note what was played (a day's build, comparison and export,
    and play_days's last day, are what a test of the grown files runs)."""
    log = []

    def play_day(world, changes, _monkeypatch, after_build):
        for operation, argument in changes:
            world.apply(operation, argument)
        log.append(world.day)
        return after_build()

    def send_what_is_left(world, _monkeypatch):
        world.day += 1
        log.append("last")

    monkeypatch.setattr(shared_days, "play_day", play_day)
    monkeypatch.setattr(shared_days, "send_what_is_left", send_what_is_left)
    (tmp_path / "store").mkdir()
    return shared_days.SharedDays(place=tmp_path / "place" / "world", store=tmp_path / "store"), log


def users_of(world: Days) -> dict[str, str]:
    return dict(world.users)


FIRST = [("remove user", "U1")]
SECOND = [("move user", "U2")]


def test_a_test_starts_after_the_days_it_shares_and_plays_the_rest(played, monkeypatch) -> None:
    cache, log = played
    cache.play(Days, [FIRST, SECOND], monkeypatch, users_of)
    assert log == [1, 2, "last"]
    log.clear()
    world, seen = cache.play(Days, [FIRST, [("move user", "U3")]], monkeypatch, users_of)
    assert log == [2, "last"], "day 1 was played again"
    assert seen[0] == {"U2": "Analytics", "U3": "Analytics"}, "what the probe gave on the day kept is lost"
    assert world.users == {"U2": "Analytics", "U3": "Engage"} and world.day == 3
    assert (world.base / "raw" / "raw_crm_accounts.csv").is_file(), "the world's folder was not restored"


@pytest.mark.parametrize(
    ("kind", "probe", "first_day"),
    [
        pytest.param(Days, users_of, [("remove user", "U2")], id="another change"),
        pytest.param(OtherDays, users_of, FIRST, id="another kind of world"),
        pytest.param(Days, lambda world: None, FIRST, id="another probe"),
    ],
)
def test_a_test_whose_past_differs_plays_all_its_days(played, monkeypatch, kind, probe, first_day) -> None:
    cache, log = played
    cache.play(Days, [FIRST, SECOND], monkeypatch, users_of)
    log.clear()
    cache.play(kind, [first_day, SECOND], monkeypatch, probe)
    assert log == [1, 2, "last"]
