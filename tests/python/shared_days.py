"""Worlds of days played once for the tests of a class whose first days are the same: a world's folder (its
database, raw folder, exports and references) and its Python state are kept after each day, and a test whose days
begin with days already played starts from the copy kept after them, played on from there.

Only a truly identical past is shared: a kept day is found by the world's kind, what is asked of it after each
build (the probe), and every change of every day before it, written out in full. Every world of a cache plays in
one folder, restored there before a test plays on, so that every path a build or an export recorded (in the
database, the ledger, the export folders) is the path it had when it was played: a test continues the world
exactly as if it had played the shared days itself, and the checks of those days (the build from nothing after
each, what the probe gave) ran once, when they were played.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from test_incremental_days import Days, play_day, send_what_is_left


@dataclass
class Kept:
    folder: Path
    world: Days
    seen: list


@dataclass
class SharedDays:
    """The days played by a class's tests, kept by their past (see the module's docstring)."""

    place: Path  # where each world of the cache lives while a test plays it
    store: Path  # the copies kept after each day
    kept: dict[tuple, Kept] = field(default_factory=dict)

    def play(
        self,
        make_world: Callable[[Path], Days],
        days: list[list[tuple[str, object]]],
        monkeypatch: pytest.MonkeyPatch,
        probe: Callable[[Days], object] = lambda world: None,
        send_the_rest: bool = True,
    ) -> tuple[Days, list]:
        """The world after `days` (and, with send_the_rest, after play_days's last day with nothing new and its
        checks), and what the probe gave after each day's build: as play_days would give them, starting from the
        longest past kept."""
        steps = [repr(changes) for changes in days] + (["send what is left"] if send_the_rest else [])
        key = (make_world.__qualname__, probe.__qualname__)
        done = next((n for n in range(len(steps), 0, -1) if (*key, *steps[:n]) in self.kept), 0)
        shutil.rmtree(self.place, ignore_errors=True)
        if done:
            kept = self.kept[(*key, *steps[:done])]
            shutil.copytree(kept.folder, self.place)
            world, seen = copy.deepcopy(kept.world), list(kept.seen)
        else:
            world, seen = make_world(self.place), []
        world.attach(monkeypatch)
        for number in range(done, len(steps)):
            if number < len(days):
                world.day = number + 1
                seen.append(play_day(world, days[number], monkeypatch, lambda: probe(world)))
            else:
                send_what_is_left(world, monkeypatch)
            self.keep((*key, *steps[: number + 1]), world, seen)
        return world, seen

    def keep(self, key: tuple, world: Days, seen: list) -> None:
        folder = self.store / f"kept-{len(self.kept)}"
        # The build from nothing's folder is made again for each comparison: not kept.
        shutil.copytree(self.place, folder, ignore=shutil.ignore_patterns("reference"))
        self.kept[key] = Kept(folder, copy.deepcopy(world), list(seen))


def shared_days_of_a_class(tmp_path_factory: pytest.TempPathFactory):
    """A cache of played days for the tests of one class (xdist's loadscope runs a class on one process, in order);
    its copies are removed with the class. A test file makes it its fixture:
    `shared_days = pytest.fixture(scope="class")(shared_days_of_a_class)`."""
    store = tmp_path_factory.mktemp("kept-days")
    yield SharedDays(place=tmp_path_factory.mktemp("shared-world") / "world", store=store)
    shutil.rmtree(store, ignore_errors=True)
