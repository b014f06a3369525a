"""The review's queries written for scale give what their plain versions give.

The account tree past its limit (render.TREE_LIMIT accounts): compare.tree_rows picks in SQL the
accounts the page may show (those that may have a change, every account above them, the top levels down to the
limit), where the page used to read every account into Python (about 7 s at 560,000 accounts). The tree the page
draws from those rows must be the tree it draws from all of them: the same accounts, nesting, marks and note, on
any shape of tree (loops between then and now, removed and added accounts, changes deep down, a first export).
"""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from totango_feed.review import compare, render
from totango_feed.sql import sql_literal

pytestmark = pytest.mark.edit_loop

LIMIT = 12  # a small limit, so that small trees pass it (compare.TREE_LIMIT and render.TREE_LIMIT, patched)


@st.composite
def trees(draw: st.DrawFn) -> list[dict]:
    """Accounts A00..An, each with a parent then and now among them (or none, or one that is not an account),
    sent then, now or both; some with a changed status or other columns."""
    count = draw(st.integers(LIMIT + 1, 60))
    ids = [f"A{number:02d}" for number in range(count)]
    parents = st.one_of(st.none(), st.just("GONE"), st.sampled_from(ids))
    accounts = []
    for account_id in ids:
        parent_now = draw(parents)
        sent = draw(st.sampled_from(["both", "both", "both", "then", "now"]))
        accounts.append({
            "account_id": account_id, "name": draw(st.sampled_from(["x", "y", account_id])), "type": "Organization",
            "in_then": sent != "now", "in_now": sent != "then",
            "parent_then": draw(st.one_of(st.just(parent_now), parents)), "parent_now": parent_now,
            "status_then": "active", "status_now": draw(st.sampled_from(["active", "active", "active", "churned"])),
            "changed_columns": draw(st.sampled_from([None, None, None, None, "Industry", "Parent ID"])),
        })  # fmt: skip
    return accounts


def labels_table(accounts: list[dict]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(
        "create temp table review_account_labels (account_id varchar, name varchar, type varchar, in_then boolean, "
        "in_now boolean, parent_then varchar, parent_now varchar, status_then varchar, status_now varchar, "
        "changed_columns varchar)"
    )
    columns = compare.TREE_COLUMNS.split(", ")
    values = ", ".join(
        "(" + ", ".join(value_literal(account[column]) for column in columns) + ")" for account in accounts
    )
    connection.execute(f"insert into review_account_labels values {values}")  # executemany: seconds for 10,000 rows
    return connection


def value_literal(value: str | bool | None) -> str:
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else sql_literal(value)


@settings(max_examples=150, deadline=None)
@given(accounts=trees(), first=st.booleans())
def test_the_tree_from_the_picked_rows_is_the_tree_from_every_row(accounts: list[dict], first: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compare, "TREE_LIMIT", LIMIT)
        patch.setattr(render, "TREE_LIMIT", LIMIT)
        connection = labels_table(accounts)
        every_row = compare.rows(connection, compare.TREE_SQL)
        picked = compare.tree_rows(connection, first=first, accounts=len(accounts))
        assert render.account_tree(picked, first, len(accounts)) == render.account_tree(every_row, first)


def account(account_id: str, parent: str | None, **changes: str) -> dict:
    return {"account_id": account_id, "name": account_id, "type": "Organization", "in_then": True, "in_now": True,
            "parent_then": changes.get("parent_then", parent), "parent_now": parent, "status_then": "active",
            "status_now": "active", "changed_columns": None}  # fmt: skip


def test_past_the_limit_only_the_accounts_the_page_may_show_are_read() -> None:
    """One top account, 100 under it, 50 under each of those, one under each of the 5,000: the limit (3,000) is
    reached in the third level, so the fourth is not read, but for the one account there that changed."""
    accounts = [account("TOP", None)]
    for middle in range(100):
        accounts.append(account(f"M{middle:03d}", "TOP"))
        for low in range(50):
            accounts.append(account(f"L{middle:03d}-{low:02d}", f"M{middle:03d}"))
            accounts.append(account(f"Z{middle:03d}-{low:02d}", f"L{middle:03d}-{low:02d}"))
    accounts.append(account("ZZ-CHANGED", "L007-07", parent_then="L008-08"))
    connection = labels_table(accounts)
    picked = compare.tree_rows(connection, first=False, accounts=len(accounts))
    assert len(picked) == 1 + 100 + 5000 + 1
    roots, note = render.account_tree(picked, False, len(accounts))
    assert (roots, note) == render.account_tree(compare.rows(connection, compare.TREE_SQL), False)
    assert f"{len(accounts):,} accounts" in note


# The users' counts as sets (the query before it was one pass, the definition of each count).
USER_COUNTS_AS_SETS = """
with users_then as (select distinct user_id from review_user_keys where in_then),
users_now as (select distinct user_id from review_user_keys where in_now),
lost as (select distinct user_id from review_user_keys where in_then and not in_now),
gained as (select distinct user_id from review_user_keys where in_now and not in_then)
select
    (select count(*) from users_then) as then_users,
    (select count(*) from users_now) as now_users,
    (select count(*) from (select user_id from users_now except select user_id from users_then)) as added,
    (select count(*) from (select user_id from users_then except select user_id from users_now)) as removed,
    (select count(*) from (select user_id from lost intersect select user_id from gained)) as moved
"""


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(
        st.tuples(
            st.sampled_from(["u1", "u2", "u3", "u4"]),
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from([(True, True), (True, False), (False, True)]),
        ),  # fmt: skip
        unique_by=lambda key: key[:2],
        max_size=12,
    )
)
def test_the_users_counts_in_one_pass_are_the_counts_of_the_sets(keys: list[tuple[str, str, tuple]]) -> None:
    """Users then and now, added, removed and moved, over (user, account) keys kept, lost or gained."""
    connection = duckdb.connect()
    connection.execute(
        "create temp table review_user_keys (user_id varchar, account_id varchar, in_then boolean, in_now boolean)"
    )
    for user_id, account_id, (in_then, in_now) in keys:
        connection.execute("insert into review_user_keys values (?, ?, ?, ?)", [user_id, account_id, in_then, in_now])
    assert compare.one(connection, compare.USER_COUNTS_SQL) == compare.one(connection, USER_COUNTS_AS_SETS)
