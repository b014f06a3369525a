"""Attacks on the users built by content (stg_app__users and int_users_checked built on from one build to the
next): inputs a hostile day could bring, each compared with a build of the same exports from nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline import dbt
from test_users_by_content import UsersWorld, user

pytestmark = pytest.mark.slow  # left out by make test-fast


def test_a_user_whose_used_row_moves_to_another_email_group_meets_that_group(tmp_path: Path) -> None:
    """X's used row (latest login) is b@x.com; its other row is a@x.com, Z's email. X's b@x.com row gets an older
    login: X is now used as a@x.com, and meets Z there, whose later login keeps it: X is merged into Z. The rows
    that changed are in the group of b@x.com only, so the group of a@x.com must be opened too."""
    world = UsersWorld(tmp_path)
    world.users = [
        user("X", "a@x.com", login="2026-11-01T00:00:00Z"),
        user("X", "b@x.com", login="2026-11-05T00:00:00Z"),
        user("Z", "a@x.com", login="2026-11-03T00:00:00Z"),
        user("W", "w@x.com"),
    ]
    world.build()
    world.assert_as_built_from_nothing()
    world.users[1]["last_login_at"] = "2026-10-01T00:00:00Z"
    world.build()
    world.assert_as_built_from_nothing()


def test_a_user_opened_by_a_row_it_does_not_use_keeps_the_group_of_the_row_it_uses(tmp_path: Path) -> None:
    """Q is used as q@x.com (its latest login), merged there into R (a later login); Q's older row is a@x.com,
    P's email. P's row changes: the group of a@x.com is opened, and Q with it, but Q's outcome is decided in the
    group of q@x.com, where R is: Q must stay merged into R, not be checked without R and kept."""
    world = UsersWorld(tmp_path)
    world.users = [
        user("Q", "q@x.com", login="2026-11-05T00:00:00Z"),
        user("Q", "a@x.com", login="2026-11-01T00:00:00Z"),
        user("R", "q@x.com", login="2026-11-09T00:00:00Z"),
        user("P", "a@x.com", login="2026-11-02T00:00:00Z"),
        user("W", "w@x.com"),
    ]
    world.build()
    world.users[3]["first_name"] = "Pat"
    world.build()
    world.assert_as_built_from_nothing()


def test_rows_staged_under_other_rules_are_checked_again_once_staged_under_these(tmp_path: Path) -> None:
    """stg_app__users is run alone under another date range (Z's login, now before it, staged blank), then
    int_users_checked alone under the project's (it checks Z's changed row, blank login and all). The next daily
    build stages every row again under the project's range, Z's login is a date again, but Z's raw row is the
    one int_users_checked saw: it must be checked again all the same, not kept with the blank login."""
    world = UsersWorld(tmp_path)
    world.users = [user("X", "a@x.com"), user("Z", "z@x.com"), user("W", "w@x.com")]
    world.build()
    world.users[1]["last_login_at"] = "2026-11-02T00:00:00Z"
    world.write()
    other_range = ("--vars", "{earliest_valid_date: '2026-11-03'}")
    assert dbt(world.run, "run", "-s", "stg_app__users", *other_range, raw_dir=world.raw).returncode == 0
    assert dbt(world.run, "run", "-s", "int_users_checked", raw_dir=world.raw).returncode == 0
    world.build()
    world.assert_as_built_from_nothing()
