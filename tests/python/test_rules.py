"""Each rule of docs/contract/raw-exports.md on a small hand-made raw export: what the outputs hold, and what the
data-issues record says. One build (folder mode) serves every test in this file."""

from __future__ import annotations

import pytest
from pipeline import PipelineRun, build_and_export, read_csv
from raw_files import write_raw_texts

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

ACCOUNTS = """\
account_id,account_name,parent_account_id,industry,region,segment,csm_email,created_at,updated_at
TOP,Top Co,,Software,NA,Enterprise, CSM@Ours.com ,2020-01-01,2026-01-01T00:00:00Z
DUP,Old Name,TOP,,,,,,2025-01-01T00:00:00Z
 DUP ,New Name,TOP,,,,,,2026-01-01T00:00:00Z
  ,No Id,,,,,,,
ORPH,Orphan,GONE,,,,,,
CYA,Cycle A,CYB,,,,,,
CYB,Cycle B,CYA,,,,,,
PROS,Prospect,,,,,,,
BADDATE,Bad Date,,,,,,31/12/2020,
NONAME,,,,,,,,
"""
SUBSCRIPTIONS = """\
subscription_id,account_id,product,plan,seats,contract_value,currency,start_date,renewal_date,status
S1,DUP,Analytics,Pro,10,100.00,USD,2025-01-01,2026-01-01,active
S1,DUP,Analytics,Pro,99,999.00,USD,2025-01-01,2026-01-01,active
,DUP,Analytics,Pro,10,100.00,USD,2025-01-01,2026-01-01,active
S2,NOPE,Analytics,Pro,10,100.00,USD,2025-01-01,2026-01-01,active
S3,DUP,Engage,Pro,10,100.00,USD,2025-01-01,2026-01-01,pending
S4,ORPH, analytics ,Pro,10,100.00,,2025-01-01,2026-01-01,ACTIVE
S5,CYA,Analytics,Pro,10,100.00,USD,2025-01-01,2026-01-01,Trial
S6,CYB,Analytics,Pro,10,100.00,USD,2025-01-01,2026-01-01,expired
S7,BADDATE,Analytics,Pro,ten,$5,USD,2025-01-01,01/06/2026,active
S8,NONAME,Analytics,Pro,1,1.00,USD,2025-01-01,2026-01-01,active
S9,TOP,,Pro,1,1.00,USD,2025-01-01,2026-01-01,active
S10,DUP,Analytics,Pro,5,50.00,EUR,2025-01-01,2026-01-01,active
"""
USERS = """\
user_id,email,account_id,product,first_name,last_name,role,title,is_key_contact,created_at,last_login_at
U1,Ann@X.com,DUP,Analytics,Ann,Lee,admin,=SUM(A1),yes,2025-01-01T00:00:00Z,2026-01-01T00:00:00Z
U1,ann@x.com,DUP,Analytics,Ann,Old,admin,,no,2025-01-01T00:00:00Z,2025-01-01T00:00:00Z
,b@x.com,DUP,Analytics,,,,,,,
U2,bad@,DUP,Analytics,,,,,,,
U3,c@x.com,PROS,Analytics,,,,,,,
U4, ANN@x.com ,DUP,Analytics,Ann,Dup,,,maybe,,2024-01-01T00:00:00Z
U5,d@x.com,ORPH,Analytics,Dee,,,,1,12/03/2024,
"""
EVENTS = """\
event_id,user_id,account_id,product,module,action,occurred_at
E1,U1,DUP,Analytics,Reports,View report,2026-11-01T10:00:00+02:00
E1,U1,DUP,Analytics,Reports,View report,2026-11-01T10:00:00+02:00
,U1,DUP,Analytics,Reports,View report,2026-11-01T10:00:00Z
E2,U9,DUP,Analytics,Reports,View report,2026-11-01T10:00:00Z
E3,U2,DUP,Analytics,Reports,View report,2026-11-01T10:00:00Z
E4,U1,DUP,Analytics,Reports,View report,11/01/2026 10:00
E5,U1,DUP,Analytics,,View report,2026-11-01T10:00:00Z
E6,U1,DUP,Analytics,Reports,  ,2026-11-01T10:00:00Z
E7,U4,DUP,Analytics,Reports,Export report,2026-11-01T11:00:00
E8,U5,TOP,Engage,Reports,+Run,2026-11-01T12:00:00.5-01:00
"""


@pytest.fixture(scope="module")
def rules_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    base = tmp_path_factory.mktemp("rules")
    return build_and_export(base, raw_dir=write_raw_texts(base / "raw", ACCOUNTS, SUBSCRIPTIONS, USERS, EVENTS))


def issues(run: PipelineRun) -> set[tuple[str, str, str, str]]:
    return {(r["source"], r["source_key"], r["issue"], r["outcome"]) for r in read_csv(run.out / "data_issues.csv")}


def accounts(run: PipelineRun) -> dict[str, dict[str, str]]:
    return {row["Account ID"]: row for row in read_csv(run.out / "accounts.csv")}


def test_duplicate_account_keeps_the_latest_update(rules_run: PipelineRun) -> None:
    assert accounts(rules_run)["DUP"]["Account Name"] == "New Name"
    assert ("raw_crm_accounts", "DUP", "duplicate", "dropped") in issues(rules_run)


def test_blank_ids_are_dropped_and_recorded(rules_run: PipelineRun) -> None:
    recorded = issues(rules_run)
    for source, key in [
        ("raw_crm_accounts", "  "),
        ("raw_crm_subscriptions", ""),
        ("raw_app_users", ""),
        ("raw_app_events", ""),
    ]:
        assert (source, key, "blank_id", "dropped") in recorded, source
    assert "No Id" not in {row["Account Name"] for row in accounts(rules_run).values()}


def test_unknown_parent_is_kept_at_the_top(rules_run: PipelineRun) -> None:
    orphan = accounts(rules_run)["ORPH"]
    assert orphan["Parent ID"] == "" and orphan["Account Type"] == "Organization"
    assert ("raw_crm_accounts", "ORPH", "missing_parent", "kept") in issues(rules_run)


def test_parent_cycle_links_are_cleared(rules_run: PipelineRun) -> None:
    out = accounts(rules_run)
    assert out["CYA"]["Parent ID"] == "" and out["CYB"]["Parent ID"] == ""
    recorded = issues(rules_run)
    assert ("raw_crm_accounts", "CYA", "parent_cycle", "kept") in recorded
    assert ("raw_crm_accounts", "CYB", "parent_cycle", "kept") in recorded


def test_prospects_are_not_sent_but_recorded(rules_run: PipelineRun) -> None:
    assert "PROS" not in accounts(rules_run)
    assert ("raw_crm_accounts", "PROS", "no_product", "dropped") in issues(rules_run)


def test_unreadable_optional_values_are_blanked_and_recorded(rules_run: PipelineRun) -> None:
    out = accounts(rules_run)
    assert out["BADDATE"]["Created Date"] == ""
    product = out["BADDATE__analytics"]
    assert product["Seats"] == "" and product["Contract Value"] == "" and product["Contract Renewal Date"] == ""
    recorded = issues(rules_run)
    assert ("raw_crm_accounts", "BADDATE", "invalid_value", "kept") in recorded
    assert ("raw_crm_subscriptions", "S7", "invalid_value", "kept") in recorded
    assert ("raw_app_users", "U5", "invalid_value", "kept") in recorded


def test_blank_account_name_is_kept_under_its_id(rules_run: PipelineRun) -> None:
    assert accounts(rules_run)["NONAME"]["Account Name"] == "NONAME"
    assert ("raw_crm_accounts", "NONAME", "missing_value", "kept") in issues(rules_run)


def test_rejected_subscriptions_say_why(rules_run: PipelineRun) -> None:
    recorded = issues(rules_run)
    assert ("raw_crm_subscriptions", "S1", "duplicate", "dropped") in recorded
    assert ("raw_crm_subscriptions", "S2", "unknown_account", "dropped") in recorded
    assert ("raw_crm_subscriptions", "S3", "unknown_status", "dropped") in recorded
    assert ("raw_crm_subscriptions", "S9", "missing_product", "dropped") in recorded
    assert "DUP__engage" not in accounts(rules_run)


def test_product_names_are_compared_trimmed_and_statuses_in_any_case(rules_run: PipelineRun) -> None:
    out = accounts(rules_run)
    assert out["ORPH__analytics"]["Status"] == "active"
    assert out["ORPH__analytics"]["Currency"] == "USD", "a blank currency is USD"
    assert out["CYA__analytics"]["Status"] == "trial"
    assert out["CYB__analytics"]["Status"] == "churned" and out["CYB__analytics"]["Contract Value"] == "0.00"


def test_live_lines_in_two_currencies_leave_the_value_blank(rules_run: PipelineRun) -> None:
    product = accounts(rules_run)["DUP__analytics"]
    assert product["Contract Value"] == "" and product["Currency"] == ""
    assert product["Seats"] == "15", "S1 (the first of its id) and S10; the repeat of S1 does not count"
    assert ("raw_crm_subscriptions", "S10", "mixed_currency", "kept") in issues(rules_run)


def test_users_are_deduplicated_validated_and_merged_by_email(rules_run: PipelineRun) -> None:
    users = read_csv(rules_run.out / "users.csv")
    assert [(u["User ID"], u["Account ID"], u["Last Name"]) for u in users] == [
        ("ann@x.com", "DUP__analytics", "Lee"),
        ("d@x.com", "ORPH__analytics", ""),
    ]
    assert users[0]["Key Contact"] == "yes" and users[1]["Key Contact"] == "yes"
    recorded = issues(rules_run)
    assert ("raw_app_users", "U1", "duplicate", "dropped") in recorded
    assert ("raw_app_users", "U2", "invalid_email", "dropped") in recorded
    assert ("raw_app_users", "U3", "unknown_product_account", "dropped") in recorded
    assert ("raw_app_users", "U4", "duplicate_email", "dropped") in recorded


def test_events_are_sent_once_in_utc_under_their_user(rules_run: PipelineRun) -> None:
    usage = read_csv(rules_run.out / "usage.csv")
    assert [(u["User ID"], u["Account ID"], u["Action"], u["Timestamp"]) for u in usage] == [
        ("ann@x.com", "DUP__analytics", "View report", "2026-11-01T08:00:00.000Z"),
        ("ann@x.com", "DUP__analytics", "Export report", "2026-11-01T11:00:00.000Z"),
        ("d@x.com", "ORPH__analytics", "'+Run", "2026-11-01T13:00:00.500Z"),
    ]
    recorded = issues(rules_run)
    for key, code in [
        ("E1", "duplicate"),
        ("E2", "unknown_user"),
        ("E3", "unknown_user"),
        ("E4", "invalid_timestamp"),
        ("E5", "missing_value"),
        ("E6", "missing_value"),
    ]:
        assert ("raw_app_events", key, code, "dropped") in recorded, key
    assert ("raw_app_events", "E8", "user_account_mismatch", "kept") in recorded


def test_formula_guard_leaves_ids_and_emails_alone(rules_run: PipelineRun) -> None:
    users = read_csv(rules_run.out / "users.csv")
    assert users[0]["Title"] == "'=SUM(A1)"
    assert all(not u["User ID"].startswith("'") for u in users)
