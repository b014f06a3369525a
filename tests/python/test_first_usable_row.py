"""A key is used once, as its first row that can be used (issue 16, defect 1), for every export but the events:
subscriptions first in the file, users the latest login (a tie: first in the file), accounts the latest update.
A row that cannot be used keeps its own issue and never shadows a good row of its key; a usable row that is not
the one used is a duplicate naming the row used, never a row that was itself dropped. One build (folder mode)
of small hand-made exports serves every test here."""

from __future__ import annotations

import re

import duckdb
import pytest
from pipeline import PipelineRun, build_and_export, read_csv
from raw_files import write_raw_texts

ACCOUNTS = """\
account_id,account_name,parent_account_id,industry,region,segment,csm_email,created_at,updated_at
A1,Alpha,,,,,,,2026-01-01T00:00:00Z
A2,Beta,,,,,,,2026-01-01T00:00:00Z
BAD ID,Bad One,,,,,,,2026-01-01T00:00:00Z
BAD ID,Bad Two,,,,,,,2026-02-01T00:00:00Z
A1__analytics,Conflict One,,,,,,,2026-01-01T00:00:00Z
A1__analytics,Conflict Two,,,,,,,2025-01-01T00:00:00Z
A3__engage,Not A Conflict,,,,,,,
A3,Gamma,,,,,,,
A4,Delta Old,,,,,,,2026-01-01T00:00:00Z
A4,Delta New,,,,,,,2026-03-01T00:00:00Z
"""
SUBSCRIPTIONS = """\
subscription_id,account_id,product,plan,seats,contract_value,currency,start_date,renewal_date,status
S1,NOPE,Analytics,Pro,1,1.00,USD,2025-01-01,2027-01-01,active
S1,A1,Analytics,Pro,11,1.00,USD,2025-01-01,2027-01-01,active
S2,A1,Engage,Pro,1,1.00,USD,2025-01-01,2027-01-01,pending
S2,A1,Engage,Pro,12,1.00,USD,2025-01-01,2027-01-01,active
S3,A2,,Pro,1,1.00,USD,2025-01-01,2027-01-01,active
S3,A2,Analytics,Pro,13,1.00,USD,2025-01-01,2027-01-01,active
S4,A2,Engage,Pro,14,1.00,USD,2025-01-01,2027-01-01,active
S4,A2,Engage,Pro,99,1.00,USD,2025-01-01,2027-01-01,active
S4,NOPE,Engage,Pro,99,1.00,USD,2025-01-01,2027-01-01,active
S5,NOPE,Analytics,Pro,1,1.00,USD,2025-01-01,2027-01-01,active
S5,A2,Analytics,Pro,1,1.00,USD,2025-01-01,2027-01-01,bogus
S6,A3,Engage,Pro,1,1.00,USD,2025-01-01,2027-01-01,pending
S7,A4,Analytics,Pro,1,1.00,USD,2025-01-01,2027-01-01,active
"""
USERS = """\
user_id,email,account_id,product,first_name,last_name,role,title,is_key_contact,created_at,last_login_at
U1,bad@,A1,Analytics,,,,,,,2026-06-01T00:00:00Z
U1,u1@x.com,A1,Analytics,,,,,,,2026-01-01T00:00:00Z
U2,u2+tag@x.com,A1,Analytics,,,,,,,2026-06-01T00:00:00Z
U2,u2@x.com,A1,Analytics,,,,,,,2026-01-01T00:00:00Z
U3,u3@x.com,A1,Nothing,,,,,,,2026-06-01T00:00:00Z
U3,u3@x.com,A1,Analytics,,,,,,,2026-01-01T00:00:00Z
U4,u4@x.com,A1,Analytics,First,,,,,,2026-01-01T00:00:00Z
U4,u4@x.com,A1,Analytics,Second,,,,,,2026-02-01T00:00:00Z
U4,bad@,A1,Analytics,Third,,,,,,2026-03-01T00:00:00Z
U5,shared@x.com,A1,Analytics,,,,,,,2026-01-01T00:00:00Z
U6,nope@,A1,Analytics,,,,,,,2026-06-01T00:00:00Z
U6,shared@x.com,A1,Analytics,,,,,,,2025-01-01T00:00:00Z
U7,merge@x.com,A1,Analytics,,,,,,,2025-01-01T00:00:00Z
U7,merge@x.com,A1,Analytics,,,,,,,2025-02-01T00:00:00Z
U8,merge@x.com,A1,Analytics,,,,,,,2026-01-01T00:00:00Z
"""
EVENTS = """\
event_id,user_id,account_id,product,module,action,occurred_at
E1,U1,A1,Analytics,Reports,View,2026-11-01T10:00:00Z
E2,U6,A1,Analytics,Reports,View,2026-11-01T11:00:00Z
E3,U4,A1,Analytics,Reports,View,2026-11-01T12:00:00Z
E4,U7,A1,Analytics,Reports,View,2026-11-01T13:00:00Z
"""
CHECKED_MODELS = {
    "raw_crm_accounts": "int_accounts_checked",
    "raw_crm_subscriptions": "int_subscriptions_checked",
    "raw_app_users": "int_users_checked",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    base = tmp_path_factory.mktemp("first_usable")
    return build_and_export(base, raw_dir=write_raw_texts(base / "raw", ACCOUNTS, SUBSCRIPTIONS, USERS, EVENTS))


def issues_of(run: PipelineRun, source: str, key: str) -> list[tuple[str, str]]:
    """(issue, detail) of every data issue of one raw key, in file order."""
    return [
        (row["issue"], row["detail"])
        for row in read_csv(run.out / "data_issues.csv")
        if row["source"] == source and row["source_key"] == key
    ]


def codes_of(run: PipelineRun, source: str, key: str) -> list[str]:
    return sorted(issue for issue, _ in issues_of(run, source, key))


def assert_codes(run: PipelineRun, source: str, expected: dict[str, list[str]]) -> None:
    """Each raw key's issue codes (sorted) are these: all keys compared at once, so a failure shows every one."""
    assert {key: codes_of(run, source, key) for key in expected} == expected


def detail_of(run: PipelineRun, source: str, key: str, code: str) -> str:
    """The detail of a raw key's first data issue with this code."""
    return next(detail for issue, detail in issues_of(run, source, key) if issue == code)


def test_a_subscription_is_its_first_line_that_can_be_used(run: PipelineRun) -> None:
    accounts = {row["Account ID"]: row for row in read_csv(run.out / "accounts.csv")}
    # Each id's first line cannot be used (unknown account, unknown status, blank product): the second is.
    assert accounts["A1__analytics"]["Seats"] == "11"
    assert accounts["A1__engage"]["Seats"] == "12"
    assert accounts["A2__analytics"]["Seats"] == "13"
    assert accounts["A2__engage"]["Seats"] == "14"
    assert_codes(run, "raw_crm_subscriptions", {
        "S1": ["unknown_account"],
        "S2": ["unknown_status"],
        "S3": ["missing_product"],
        # A usable repeat is a duplicate of the line used; an unusable one after it keeps its own issue.
        "S4": ["duplicate", "unknown_account"],
        # No line of S5 can be used: each keeps its own issue, none is a duplicate.
        "S5": ["unknown_account", "unknown_status"],
    })  # fmt: skip
    duplicate = detail_of(run, "raw_crm_subscriptions", "S4", "duplicate")
    assert "row 7," in duplicate and "is the one used" in duplicate, duplicate


def test_a_user_is_its_latest_login_that_can_be_used(run: PipelineRun) -> None:
    users = {row["User ID"]: row for row in read_csv(run.out / "users.csv")}
    assert sorted(users) == ["merge@x.com", "shared@x.com", "u1@x.com", "u2@x.com", "u3@x.com", "u4@x.com"]
    assert users["u4@x.com"]["First Name"] == "Second"
    assert_codes(run, "raw_app_users", {
        "U1": ["invalid_email"],
        "U2": ["invalid_user_id"],
        "U3": ["unknown_product_account"],
        "U4": ["duplicate", "invalid_email"],
    })  # fmt: skip
    duplicate = detail_of(run, "raw_app_users", "U4", "duplicate")
    assert "row 8," in duplicate, duplicate


def test_two_user_ids_of_one_email_merge_through_their_rows_that_can_be_used(run: PipelineRun) -> None:
    assert_codes(run, "raw_app_users", {
        # U6's latest row is invalid; its usable row has U5's email, and the older login merges into U5.
        "U6": ["duplicate_email", "invalid_email"],
        # U7's used row is merged into U8: its other row says so, rather than calling a dropped row "kept".
        "U7": ["duplicate", "duplicate_email"],
    })  # fmt: skip
    merged = detail_of(run, "raw_app_users", "U6", "duplicate_email")
    assert "is also user U5" in merged, merged
    duplicate = detail_of(run, "raw_app_users", "U7", "duplicate")
    assert "row 14," in duplicate and "merged by email into user U8" in duplicate, duplicate


def test_events_of_users_whose_first_row_was_bad_are_sent(run: PipelineRun) -> None:
    usage = [(row["User ID"], row["Timestamp"]) for row in read_csv(run.out / "usage.csv")]
    assert usage == [
        ("u1@x.com", "2026-11-01T10:00:00.000Z"),
        ("shared@x.com", "2026-11-01T11:00:00.000Z"),
        ("u4@x.com", "2026-11-01T12:00:00.000Z"),
        ("merge@x.com", "2026-11-01T13:00:00.000Z"),
    ]


def test_an_account_id_that_cannot_be_used_is_no_duplicate(run: PipelineRun) -> None:
    assert_codes(run, "raw_crm_accounts", {
        "BAD ID": ["invalid_id", "invalid_id"],
        "A1__analytics": ["id_conflict", "id_conflict"],
        "A4": ["duplicate"],
    })  # fmt: skip
    assert "row 10," in issues_of(run, "raw_crm_accounts", "A4")[0][1]
    accounts = {row["Account ID"]: row for row in read_csv(run.out / "accounts.csv")}
    assert accounts["A4"]["Account Name"] == "Delta New"


def test_a_line_that_cannot_be_used_makes_no_id_conflict(run: PipelineRun) -> None:
    # A3's only Engage line has an unknown status: no product account A3__engage is built, so the CRM account of
    # that name is no conflict (it is a prospect, recorded as such).
    assert codes_of(run, "raw_crm_accounts", "A3__engage") == ["no_product"]


def test_every_duplicate_names_a_row_that_was_used(run: PipelineRun) -> None:
    """Over every checked model: a duplicate's kept row is used (or merged into a user by email), and the detail
    names that row."""
    with duckdb.connect(str(run.db), read_only=True) as connection:
        for source, model in CHECKED_MODELS.items():
            rows = connection.execute(
                f"select duplicate.rejection_detail, duplicate.kept_row_number, kept.rejection_code "
                f"from intermediate.{model} as duplicate inner join intermediate.{model} as kept "
                "on duplicate.kept_row_number = kept.source_row_number "
                "where duplicate.rejection_code = 'duplicate'"
            ).fetchall()
            assert rows, source
            for detail, kept_row, kept_code in rows:
                assert kept_code in (None, "duplicate_email"), (source, detail, kept_code)
                assert re.search(rf"\brow {kept_row},", detail), (source, detail)
