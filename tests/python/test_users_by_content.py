"""Users checked by content (issue 17): the users export is re-delivered whole every day, and a daily build cleans
again only the rows new or changed since the last build (stg_app__users, by each raw row's fingerprint at its
position) and checks again only the user ids whose rows changed (new, edited, gone, moved in the file, or
resolved to another product account) and the user ids in the same email groups (int_users_checked); every other
stored row stays as it was. After every day the incremental build must hold what a build of the same exports from
nothing holds: the staged and checked user rows (all but the build that wrote them), the users file, the data
issues and the events to send.

One world plays a day of each kind of change to the users export, in an order where they meet (a merge by email
undone by an edit, rows shifting under a removal, the export cut short, emptied and refilled, a product account
gone and back, Totango's User ID limit changed); a second test plays random days of the same changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pipeline import DAILY_BUILD, PipelineRun, assert_as_built_from_nothing, dbt, query
from test_exactly_once import ACCOUNT_COLUMNS, EVENT_COLUMNS, SUBSCRIPTION_COLUMNS, USER_COLUMNS, write_csv

from totango_feed import hash_cache

pytestmark = pytest.mark.slow  # left out by make test-fast

COMPARED = {
    "staged users": "select * exclude (staged_in_build, staged_content) from staging.stg_app__users order by all",
    "checked users": "select * exclude (checked_in_build) from intermediate.int_users_checked order by all",
    "users": "select * from marts.totango_users order by rowid",  # the stored order: the file's
    "data issues": "select * from marts.data_issues order by all",
    "events to send": "select * from intermediate.int_usage_rows_formatted where not was_sent order by all",
}


def user(user_id: str, email: str, product: str = "Analytics", login: str = "2026-11-01T00:00:00Z") -> dict:
    return {"user_id": user_id, "email": email, "account_id": "A1", "product": product, "first_name": user_id,
            "last_login_at": login}  # fmt: skip


# The first day's users: a merge by email (U2 into U1, same email and product account), a repeated id (U3), a
# blank id, an invalid email, and users in both product accounts.
FIRST_USERS = [
    user("U1", "a@x.com", login="2026-11-05T00:00:00Z"),
    user("U2", "a@x.com", login="2026-11-01T00:00:00Z"),
    user("U3", "b@x.com", login="2026-11-01T00:00:00Z"),
    user("U3", "b@x.com", login="2026-11-03T00:00:00Z"),
    user("", "blank@x.com"),
    user("U4", "not an email"),
    user("U5", "c@x.com", product="Engage"),
    user("U6", "d@x.com"),
    user("U7", "e@x.com", product="Engage"),
]


class UsersWorld:
    """Folder mode: one account with two product accounts, one day file of events, and a users export that the
    test edits day by day."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.raw = base / "raw"
        self.run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "out")
        self.users = [dict(row) for row in FIRST_USERS]
        self.products = ["Analytics", "Engage"]
        self.vars: tuple[str, ...] = ()
        self.day = 0
        write_csv(self.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, [{"account_id": "A1", "account_name": "Acme"}])
        write_csv(self.raw / "raw_app_events" / "day-1.csv", EVENT_COLUMNS, [
            {"event_id": f"E{user_id}", "user_id": user_id, "account_id": "A1", "product": "Analytics",
             "module": "m", "action": "a", "occurred_at": "2026-11-20T10:00:00Z"}
            for user_id in ("U1", "U2", "U3", "U5", "U6", "U7", "U8", "U9")
        ])  # fmt: skip

    def write(self) -> None:
        write_csv(self.raw / "raw_app_users.csv", USER_COLUMNS, self.users)
        write_csv(self.raw / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, [
            {"subscription_id": f"S-{product}", "account_id": "A1", "product": product, "status": "active"}
            for product in self.products
        ])  # fmt: skip

    def build(self) -> None:
        self.day += 1
        self.write()
        built = dbt(self.run, *DAILY_BUILD, *self.vars, raw_dir=self.raw)
        assert built.returncode == 0, built.stdout[-4000:]

    def checked_again(self, table: str = "intermediate.int_users_checked", column: str = "checked_in_build") -> list:
        """The user ids of the rows the last build checked (or, of stg_app__users, staged: column staged_in_build),
        a row each; it kept the others as stored."""
        last = "(select invocation_id from audit.build_outcomes order by build_number desc limit 1)"
        return [row[0] for row in query(self.run.db, f"select user_id from {table} where {column} = {last} "
                                                     "order by all")]  # fmt: skip

    def assert_as_built_from_nothing(self) -> None:
        assert_as_built_from_nothing(self.run, self.base / "ref", self.raw, COMPARED,
                                     dbt_args=("--no-write-json", *self.vars), label=f"day {self.day}")  # fmt: skip


def _other_user_id_limit(world: UsersWorld) -> None:
    limits = "{account_name: 128, account_text: 512, user_text: 255, user_id: 7, action: 190, module: 100}"
    world.vars = () if world.vars else ("--vars", "{totango_limits: " + limits + "}")


def _same_email_as_the_next(users: list[dict], row: dict, number: int) -> None:
    if len(users) > 1:
        row["email"] = users[(number + 1) % len(users)]["email"]
        row["product"] = users[(number + 1) % len(users)]["product"]


def _login_of_the_day(world: UsersWorld) -> str:
    return f"2026-11-{10 + world.day:02d}T00:00:00Z"


# Each kind of change to the world's exports: a function of the world, the row it touches (None when the export
# is empty) and number, which picked that row.
CHANGES = {
    "add user": lambda world, row, number: world.users.append(
        user(f"U{10 + world.day}", f"new{world.day}@x.com", product=world.products[0])
    ),
    "newer login": lambda world, row, number: row and row.update(last_login_at=_login_of_the_day(world)),
    "repeat a row": lambda world, row, number: (
        row and world.users.append(dict(row, last_login_at=_login_of_the_day(world)))
    ),
    "same email as another": lambda world, row, number: row and _same_email_as_the_next(world.users, row, number),
    "new email": lambda world, row, number: row and row.update(email=f"changed{world.day}@x.com"),
    "remove a row": lambda world, row, number: row and world.users.remove(row),
    "cut the end": lambda world, row, number: world.users.__delitem__(slice(len(world.users) // 2, None)),
    "blank id": lambda world, row, number: row and row.update(user_id=""),
    "reverse the file": lambda world, row, number: world.users.reverse(),
    "drop a product": lambda world, row, number: setattr(
        world, "products", world.products[:1] if len(world.products) == 2 else ["Analytics", "Engage"]
    ),
    "empty the export": lambda world, row, number: world.users.clear(),
    "refill the export": lambda world, row, number: world.users.__setitem__(
        slice(None), [dict(first) for first in FIRST_USERS]
    ),
    "other user id limit": lambda world, row, number: _other_user_id_limit(world),
}
KINDS = list(CHANGES)


def change(world: UsersWorld, kind: str, number: int) -> None:
    """One change of the given kind to the world's exports; number picks the row it touches."""
    row = world.users[number % len(world.users)] if world.users else None
    CHANGES[kind](world, row, number)


def test_each_kind_of_change_to_the_users_export_gives_what_a_build_from_nothing_gives(tmp_path: Path) -> None:
    world = UsersWorld(tmp_path)
    world.build()
    world.assert_as_built_from_nothing()
    assert len(world.checked_again()) == len(FIRST_USERS)
    # Nothing changed: only the export's last row (U7, alone in its email group) and the row without an id are
    # checked again.
    world.build()
    assert world.checked_again() == ["U7", None]
    # And only the last row is cleaned and typed again.
    assert world.checked_again("staging.stg_app__users", "staged_in_build") == ["U7"]
    world.assert_as_built_from_nothing()
    for number, kind in enumerate(KINDS):
        change(world, kind, number)
        world.build()
        world.assert_as_built_from_nothing()


def reads_the_users_export(world: UsersWorld) -> bool:
    """Whether the last build's stg_app__users read the users export (its compiled SQL names the raw view)."""
    compiled = world.run.target / "compiled" / "totango_feed" / "models" / "staging" / "app" / "stg_app__users.sql"
    return '"raw"."raw_app_users"' in compiled.read_text(encoding="utf-8")


def test_a_users_export_of_the_same_bytes_is_not_read_again(tmp_path: Path) -> None:
    """The users export comes whole every day, mostly as it was. When it holds the same bytes as the export the last
    build staged (by hash: users_export_content), stg_app__users does not read it at all: it keeps its rows and
    writes the last row again, as on a day where no row changed. A change of one value is read, and built."""
    world = UsersWorld(tmp_path)
    world.build()
    assert reads_the_users_export(world)
    world.build()  # the same users written again: another stamp, the same bytes
    assert not reads_the_users_export(world), "the same users export was read again"
    assert world.checked_again("staging.stg_app__users", "staged_in_build") == ["U7"]
    world.assert_as_built_from_nothing()
    world.users[0]["first_name"] = "Ann"
    world.build()
    assert reads_the_users_export(world)
    names = query(world.run.db, "select first_name from staging.stg_app__users where user_id = 'U1'")
    assert names == [("Ann",)]
    world.assert_as_built_from_nothing()


def test_a_users_export_replaced_while_the_build_reads_it_is_read_again_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delivery lands during the build: the export is hashed as X, then the build reads Y. The rows are Y's, so
    they must not name X as what they were staged from, or a later return to exactly X (a rolled back export) would
    be taken as unchanged and keep Y's rows (macro forget_users_content_read_changed)."""
    world = UsersWorld(tmp_path)
    world.build()
    world.users[0]["first_name"] = "Ann"  # X: what the build hashes
    replaced = [dict(row) for row in world.users]
    replaced[0]["first_name"] = "Bob"  # Y: what lands right after
    real_hash_file = hash_cache.hash_file

    def hash_then_replace(path: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - hash_file's own signature
        hashed = real_hash_file(path, *args, **kwargs)
        if path.endswith("raw_app_users.csv") and replaced:
            write_csv(world.raw / "raw_app_users.csv", USER_COLUMNS, replaced)
            replaced.clear()
        return hashed

    monkeypatch.setattr(hash_cache, "hash_file", hash_then_replace)
    world.build()
    monkeypatch.undo()
    assert query(world.run.db, "select first_name from staging.stg_app__users where user_id = 'U1'") == [("Bob",)]
    world.build()  # X again
    assert reads_the_users_export(world), "rows read from other bytes were kept as the export's"
    world.assert_as_built_from_nothing()


def test_a_changed_login_checks_again_that_user_and_its_email_group_only(tmp_path: Path) -> None:
    """U2's login becomes the latest for a@x.com: U1 and U2 swap (U2 kept, U1 merged into it); the build checks
    again U1's and U2's rows, the export's last row and the row without an id, not the others."""
    world = UsersWorld(tmp_path)
    world.build()
    world.users[1]["last_login_at"] = "2026-11-30T00:00:00Z"
    world.build()
    assert world.checked_again() == ["U1", "U2", "U7", None]
    kept = query(world.run.db, "select user_id, rejection_code from intermediate.int_users_checked "
                               "where email = 'a@x.com' order by user_id")  # fmt: skip
    assert kept == [("U1", "duplicate_email"), ("U2", None)]
    world.assert_as_built_from_nothing()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 20)), min_size=2, max_size=4))
def test_random_days_of_users_give_what_a_build_from_nothing_gives(
    tmp_path_factory: pytest.TempPathFactory, days: list[tuple[str, int]]
) -> None:
    world = UsersWorld(tmp_path_factory.mktemp("users"))
    world.build()
    for kind, number in days:
        change(world, kind, number)
        world.build()
        world.assert_as_built_from_nothing()
