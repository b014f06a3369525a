"""Odd and hostile values (issue 9): each is repaired or left out, and recorded in data_issues.csv; none stops the
build or the export, changes data silently, or reaches a spreadsheet as a formula. One build (folder mode) of a
hand-made export holding all of them serves most tests here."""

from __future__ import annotations

import csv
import re

import pytest
from pipeline import PipelineRun, build_and_export, read_csv, starts_like_a_formula, write_raw_exports

TOTANGO_ID = re.compile(r"[\w-]{1,480}")  # letters (any script), digits, _ and -

ACCOUNTS = [
    {"account_id": "ACC-120", "account_name": "Acme", "csm_email": "@sum(1)", "created_at": "infinity",
     "updated_at": "epoch"},
    # The id of ACC-120's Analytics product account, typed in as a CRM account.
    {"account_id": "ACC-120__analytics", "account_name": "Impostor"},
    {"account_id": "=ACC-9", "account_name": "Formula id"},
    {"account_id": "ACC-121", "account_name": "Beta\x00Corp", "created_at": "0001-01-01"},
    {"account_id": "ACC-122", "account_name": "Gamma", "created_at": "2026-02-30"},
]  # fmt: skip
SUBSCRIPTIONS = [
    {"subscription_id": "S1", "account_id": "ACC-120", "product": "Analytics", "status": "active", "seats": "5.7",
     "contract_value": "100.555", "currency": "usd"},
    {"subscription_id": "S2", "account_id": "ACC-120\t", "product": "C++", "status": "active", "seats": "-3",
     "contract_value": "-500"},
    {"subscription_id": "S3", "account_id": "\r\nACC-120\r\n", "product": "C#", "status": "active",
     "seats": "1_000", "currency": "=USD", "contract_value": "10"},
    {"subscription_id": "S4", "account_id": "ACC-121", "product": "日本語", "status": "active",
     "seats": "999999999", "contract_value": "9999999999999.99"},
    {"subscription_id": "S5", "account_id": "ACC-121", "product": "日本語", "status": "active",
     "seats": "999999999", "contract_value": "9999999999999.99"},
    {"subscription_id": "S6", "account_id": "ACC-121", "product": "Ünïcode Prödukt", "status": "trial",
     "start_date": "-infinity", "renewal_date": "9999-12-31T23:00:00-05:00"},
    {"subscription_id": "S7", "account_id": "ACC-122", "product": "Data Hub", "status": "active", "seats": "1e3"},
    {"subscription_id": "S8", "account_id": "ACC-122", "product": " data\u00a0 hub ", "status": "active",
     "seats": "2", "contract_value": "1_000"},
]  # fmt: skip
USERS = [
    {"user_id": "U1", "email": "a@x.com", "account_id": "ACC-120", "product": "Analytics", "last_name": "Null",
     "title": "=cmd", "created_at": "2026-01-01T00:00:00+25:00"},
    {"user_id": "U2", "email": "c@x.com", "account_id": "ACC-120", "product": "C++"},
    {"user_id": "U3", "email": "c@x.com", "account_id": "ACC-120", "product": "C#"},
    {"user_id": "U4", "email": "j@x.com", "account_id": "ACC-121", "product": "日本語", "first_name": "Ji\x01n"},
    {"user_id": "U5", "email": "u@x.com", "account_id": "ACC-121\n", "product": "ünïcode  prödukt"},
    {"user_id": "@U6", "email": "-bad@x.com", "account_id": "ACC-120", "product": "Analytics"},
]  # fmt: skip
EVENTS = [
    {"event_id": "E1", "user_id": "U1", "occurred_at": "2026-11-01T10:00:00Z"},
    {"event_id": "E2", "user_id": "U1", "occurred_at": "infinity"},
    {"event_id": "E3", "user_id": "U2", "occurred_at": "2026-11-01T10:00:00+25:00"},
    {"event_id": "E4", "user_id": "U3", "occurred_at": "0000-01-01"},
    {"event_id": "E5", "user_id": "U4", "occurred_at": "9999-12-31T23:00:00-05:00"},
    {"event_id": "=EV1", "user_id": "U5", "module": "NULL", "action": "Cl\x00ick", "occurred_at": "2026-11-02"},
    {"event_id": "E7", "user_id": "U2", "occurred_at": "epoch"},
    {"event_id": "E8", "user_id": "U1\t", "occurred_at": "2026-11-03T00:00:00-01:00"},
    {"event_id": "E9", "user_id": "U3", "occurred_at": "-infinity"},
    {"event_id": "E10", "user_id": "U1", "occurred_at": "2026-11-01T10:00:00+14:59"},
    {"event_id": "E11", "user_id": "U1", "occurred_at": "2026-11-04T10:00:00+14:00"},
]  # fmt: skip


def event_row(event: dict[str, str]) -> dict[str, str]:
    """Events default to ACC-120 / Analytics, module Reports, action act-<id>."""
    return {"account_id": "ACC-120", "product": "Analytics", "module": "Reports", "action": f"act-{event['event_id']}",
            **event}  # fmt: skip


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    base = tmp_path_factory.mktemp("hostile")
    exports = {"raw_crm_accounts": ACCOUNTS, "raw_crm_subscriptions": SUBSCRIPTIONS, "raw_app_users": USERS,
               "raw_app_events": [event_row(e) for e in EVENTS]}  # fmt: skip
    write_raw_exports(base / "raw", exports)
    return build_and_export(base, raw_dir=base / "raw")


def issues(run: PipelineRun) -> list[dict[str, str]]:
    return read_csv(run.out / "data_issues.csv")


def has_issue(run: PipelineRun, source: str, key: str, issue: str, outcome: str, *words: str) -> bool:
    return any(
        (r["source"], r["source_key"], r["issue"], r["outcome"]) == (source, key, issue, outcome)
        and all(word in r["detail"] for word in words)
        for r in issues(run)
    )


def test_distinct_product_names_stay_distinct_and_every_name_gives_a_valid_key(hostile_run: PipelineRun) -> None:
    products = {r["Account Name"]: r for r in read_csv(hostile_run.out / "accounts.csv") if r["Product ID"]}
    assert {"Acme - C++", "Acme - C#", "Beta Corp - 日本語", "BetaCorp - 日本語"} & set(products)
    assert products["Acme - C++"]["Product ID"] != products["Acme - C#"]["Product ID"]
    japanese = next(r for name, r in products.items() if name.endswith("日本語"))
    unicode_product = next(r for name, r in products.items() if name.endswith("Ünïcode Prödukt"))
    assert unicode_product["Product ID"].startswith("unicode-produkt-")
    assert japanese["Product ID"] and japanese["Status"] == "active"
    # "Data Hub" and " data<NBSP> hub " are one product: names are compared lower-cased, white space folded.
    assert products["Gamma - Data Hub"]["Product ID"] == "data-hub" and products["Gamma - Data Hub"]["Seats"] == "2"
    for row in read_csv(hostile_run.out / "accounts.csv"):
        assert TOTANGO_ID.fullmatch(row["Account ID"]), row["Account ID"]
    users = {(u["User ID"], u["Account ID"]) for u in read_csv(hostile_run.out / "users.csv")}
    assert ("c@x.com", products["Acme - C++"]["Account ID"]) in users
    assert ("c@x.com", products["Acme - C#"]["Account ID"]) in users
    assert ("j@x.com", japanese["Account ID"]) in users and ("u@x.com", unicode_product["Account ID"]) in users


def test_special_date_words_and_out_of_range_dates_are_not_read(hostile_run: PipelineRun) -> None:
    accounts = {r["Account ID"]: r for r in read_csv(hostile_run.out / "accounts.csv")}
    assert accounts["ACC-120"]["Created Date"] == "" and accounts["ACC-121"]["Created Date"] == ""
    unicode_product = next(r for r in accounts.values() if r["Account Name"].endswith("Prödukt"))
    assert unicode_product["Contract Start Date"] == "" and unicode_product["Contract Renewal Date"] == ""
    for key, column in [("ACC-120", "created_at"), ("ACC-120", "updated_at"), ("ACC-121", "created_at"),
                        ("ACC-122", "created_at")]:  # fmt: skip
        assert has_issue(hostile_run, "raw_crm_accounts", key, "invalid_value", "kept", column), (key, column)
    for key in ["S6"]:
        assert has_issue(hostile_run, "raw_crm_subscriptions", key, "invalid_value", "kept", "start_date")
        assert has_issue(hostile_run, "raw_crm_subscriptions", key, "invalid_value", "kept", "renewal_date")
    assert has_issue(hostile_run, "raw_app_users", "U1", "invalid_value", "kept", "created_at")
    for key in ["E2", "E3", "E4", "E5", "E7", "E9", "E10"]:
        assert has_issue(hostile_run, "raw_app_events", key, "invalid_timestamp", "dropped"), key
    stamps = [r["Timestamp"] for r in read_csv(hostile_run.out / "usage.csv")]
    assert stamps == ["2026-11-01T10:00:00.000Z", "2026-11-02T00:00:00.000Z", "2026-11-03T01:00:00.000Z",
                      "2026-11-03T20:00:00.000Z"]  # fmt: skip


def test_ids_padded_with_tabs_and_line_breaks_match(hostile_run: PipelineRun) -> None:
    accounts = {r["Account Name"]: r for r in read_csv(hostile_run.out / "accounts.csv")}
    assert accounts["Acme - C++"]["Parent ID"] == "ACC-120" and accounts["Acme - C#"]["Parent ID"] == "ACC-120"
    usage = read_csv(hostile_run.out / "usage.csv")
    assert "act-E8" in {r["Action"] for r in usage}, "user_id 'U1<TAB>' is U1"
    recorded = {(r["source"], r["source_key"], r["issue"]) for r in issues(hostile_run)}
    assert not {issue for issue in recorded if issue[2] in ("unknown_account", "unknown_product_account")}


def test_numbers_are_never_changed_silently(hostile_run: PipelineRun) -> None:
    accounts = {r["Account Name"]: r for r in read_csv(hostile_run.out / "accounts.csv")}
    analytics, cpp, csharp = accounts["Acme - Analytics"], accounts["Acme - C++"], accounts["Acme - C#"]
    assert analytics["Seats"] == "" and analytics["Contract Value"] == "100.56" and analytics["Currency"] == "USD"
    assert cpp["Seats"] == "" and cpp["Contract Value"] == ""
    assert csharp["Seats"] == "" and csharp["Contract Value"] == "", "a value in an unknown currency is left out"
    for key, words in [("S1", ["seats", "5.7"]), ("S2", ["seats", "-3"]), ("S2", ["contract_value", "-500"]),
                       ("S3", ["seats", "1_000"]), ("S3", ["currency", "=USD"]), ("S7", ["seats", "1e3"]),
                       ("S8", ["contract_value", "1_000"])]:  # fmt: skip
        assert has_issue(hostile_run, "raw_crm_subscriptions", key, "invalid_value", "kept", *words), (key, words)
    assert has_issue(hostile_run, "raw_crm_subscriptions", "S1", "rounded_value", "kept", "100.555", "100.56")


def test_large_lines_are_summed_without_stopping_the_build(hostile_run: PipelineRun) -> None:
    japanese = next(r for r in read_csv(hostile_run.out / "accounts.csv") if r["Account Name"].endswith("日本語"))
    assert japanese["Seats"] == "1999999998" and japanese["Contract Value"] == "19999999999999.98"


def test_control_characters_are_removed_and_recorded(hostile_run: PipelineRun) -> None:
    for path in hostile_run.out.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), path.name
    names = {r["Account Name"] for r in read_csv(hostile_run.out / "accounts.csv")}
    assert "BetaCorp" in names
    assert has_issue(hostile_run, "raw_crm_accounts", "ACC-121", "control_characters", "kept", "account_name")
    assert has_issue(hostile_run, "raw_app_users", "U4", "control_characters", "kept", "first_name")
    assert has_issue(hostile_run, "raw_app_events", "'=EV1", "control_characters", "kept", "action")


def test_a_crm_id_in_the_form_of_a_product_account_id_is_left_out_and_recorded(hostile_run: PipelineRun) -> None:
    accounts = read_csv(hostile_run.out / "accounts.csv")
    assert [r["Account Name"] for r in accounts if r["Account ID"] == "ACC-120__analytics"] == ["Acme - Analytics"]
    assert has_issue(hostile_run, "raw_crm_accounts", "ACC-120__analytics", "id_conflict", "dropped")
    assert has_issue(hostile_run, "raw_crm_accounts", "'=ACC-9", "invalid_id", "dropped")


def test_text_is_kept_as_written_and_nothing_reaches_a_spreadsheet_as_a_formula(hostile_run: PipelineRun) -> None:
    users = {u["Email"]: u for u in read_csv(hostile_run.out / "users.csv")}
    assert users["a@x.com"]["Last Name"] == "Null" and users["a@x.com"]["Title"] == "'=cmd"
    assert "NULL" in {r["Module"] for r in read_csv(hostile_run.out / "usage.csv")}
    for path in hostile_run.out.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                assert not [value for value in row if starts_like_a_formula(value)], (path.name, row)
    assert has_issue(hostile_run, "raw_app_users", "'@U6", "invalid_email", "dropped")
    assert has_issue(hostile_run, "raw_crm_accounts", "ACC-120", "invalid_value", "kept", "csm_email")
    assert {r["Account ID"]: r for r in read_csv(hostile_run.out / "accounts.csv")}["ACC-120"]["CSM"] == ""
