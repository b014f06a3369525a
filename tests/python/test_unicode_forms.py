"""Unicode's two spellings of one text are one text (issue 16, defect 5): é written as one character and as e plus a
combining accent (as macOS writes it), Ω as the Greek letter and as the Ohm sign. Every raw value is read in the
composed form (NFC): one product, one account, one user, whatever the spelling; an id that reading changed is
recorded (unicode_normalized / kept, keyed by the id as written). Seed mode and folder mode give the same bytes;
test_spark.py builds these rows on Spark too (they join the hostile values there)."""

from __future__ import annotations

import unicodedata

import pytest
from pipeline import PipelineRun, build_and_export, read_csv, write_raw_exports
from raw_files import assert_seed_mode_gives_the_same_files

from totango_feed.raw_checks import header_problem

CAFE = "Caf\u00e9"  # one character
CAFE_MAC = "Cafe\u0301"  # e + combining acute accent
JOSE = "Jos\u00e9-1"
JOSE_MAC = "Jose\u0301-1"
RENE = "ren\u00e9@x.com"
RENE_MAC = "rene\u0301@x.com"
ZOE = "Zo\u00eb"
ZOE_MAC = "Zoe\u0308"

ACCOUNTS = [
    {"account_id": "ACC-130", "account_name": f"{CAFE_MAC} Corp"},
    {"account_id": JOSE, "account_name": "Jose One", "updated_at": "2026-01-01T00:00:00Z"},
    {"account_id": JOSE_MAC, "account_name": "Jose Two", "updated_at": "2026-02-01T00:00:00Z"},
]
SUBSCRIPTIONS = [
    {"subscription_id": "S30", "account_id": "ACC-130", "product": CAFE, "status": "active", "seats": "1"},
    {"subscription_id": "S31", "account_id": "ACC-130", "product": CAFE_MAC, "status": "active", "seats": "2"},
    {"subscription_id": "S32", "account_id": JOSE_MAC, "product": "Analytics", "status": "active", "seats": "4"},
    {"subscription_id": "S33", "account_id": "ACC-130", "product": "\u03a9-Tools", "status": "active", "seats": "8"},
    {"subscription_id": "S34", "account_id": "ACC-130", "product": "\u2126-Tools", "status": "active", "seats": "16"},
]
USERS = [
    {"user_id": "U30", "email": RENE_MAC, "account_id": "ACC-130", "product": CAFE,
     "last_login_at": "2026-01-01T00:00:00Z"},
    {"user_id": "U31", "email": RENE, "account_id": "ACC-130", "product": CAFE_MAC,
     "last_login_at": "2026-02-01T00:00:00Z"},
    {"user_id": ZOE_MAC, "email": "z@x.com", "account_id": "ACC-130", "product": CAFE},
]  # fmt: skip
EVENTS = [
    {"event_id": "E30", "user_id": ZOE, "account_id": "ACC-130", "product": CAFE_MAC, "module": "M", "action": "A",
     "occurred_at": "2026-11-01T10:00:00Z"},
    {"event_id": "E31", "user_id": "U30", "account_id": "ACC-130", "product": CAFE, "module": "M", "action": "A",
     "occurred_at": "2026-11-01T11:00:00Z"},
]  # fmt: skip
EXPORTS = {"raw_crm_accounts": ACCOUNTS, "raw_crm_subscriptions": SUBSCRIPTIONS, "raw_app_users": USERS,
           "raw_app_events": EVENTS}  # fmt: skip


@pytest.fixture(scope="module")
def unicode_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    base = tmp_path_factory.mktemp("unicode")
    write_raw_exports(base / "raw", EXPORTS)
    return build_and_export(base, raw_dir=base / "raw")


def issue_keys(run: PipelineRun, source: str, issue: str) -> list[str]:
    return sorted(r["source_key"] for r in read_csv(run.out / "data_issues.csv")
                  if r["source"] == source and r["issue"] == issue)  # fmt: skip


def test_a_product_written_in_two_forms_is_one_product_account(unicode_run: PipelineRun) -> None:
    products = [r for r in read_csv(unicode_run.out / "accounts.csv") if r["Parent ID"] == "ACC-130"]
    assert sorted((r["Account Name"], r["Seats"]) for r in products) == [
        (f"{CAFE} Corp - {CAFE}", "3"),
        ("Caf\u00e9 Corp - \u03a9-Tools", "24"),
    ]


def test_an_account_id_written_in_two_forms_is_one_account(unicode_run: PipelineRun) -> None:
    accounts = {r["Account ID"]: r for r in read_csv(unicode_run.out / "accounts.csv")}
    assert JOSE in accounts and JOSE_MAC not in accounts
    assert accounts[JOSE]["Account Name"] == "Jose Two", "the later update wins, whichever form it was written in"
    assert f"{JOSE}__analytics" in accounts, "a subscription naming the account in the other form is its line"
    assert issue_keys(unicode_run, "raw_crm_accounts", "duplicate") == [JOSE]
    assert issue_keys(unicode_run, "raw_crm_subscriptions", "unknown_account") == []


def test_an_email_written_in_two_forms_is_one_user_and_ids_match_their_events(unicode_run: PipelineRun) -> None:
    users = read_csv(unicode_run.out / "users.csv")
    assert sorted(u["User ID"] for u in users) == sorted([RENE, "z@x.com"])
    assert issue_keys(unicode_run, "raw_app_users", "duplicate_email") == ["U30"]
    usage = [(u["User ID"], u["Timestamp"]) for u in read_csv(unicode_run.out / "usage.csv")]
    assert usage == [("z@x.com", "2026-11-01T10:00:00.000Z"), (RENE, "2026-11-01T11:00:00.000Z")]


def test_ids_changed_by_normalization_are_recorded_under_their_written_form(unicode_run: PipelineRun) -> None:
    assert issue_keys(unicode_run, "raw_crm_accounts", "unicode_normalized") == [JOSE_MAC]
    assert issue_keys(unicode_run, "raw_crm_subscriptions", "unicode_normalized") == ["S31", "S32", "S34"]
    assert issue_keys(unicode_run, "raw_app_users", "unicode_normalized") == ["U30", "U31", ZOE_MAC]
    details = {r["source_key"]: r for r in read_csv(unicode_run.out / "data_issues.csv")
               if r["issue"] == "unicode_normalized"}  # fmt: skip
    assert "product" in details["S31"]["detail"] and "account_id" in details["S32"]["detail"]
    assert all(r["outcome"] == "kept" for r in details.values())


def test_every_value_written_is_composed(unicode_run: PipelineRun) -> None:
    for name in ["accounts.csv", "users.csv", "usage.csv"]:
        text = (unicode_run.out / name).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), name


def test_seed_mode_gives_the_folder_mode_bytes(unicode_run: PipelineRun, tmp_path_factory) -> None:
    base = tmp_path_factory.mktemp("unicode_seed")
    write_raw_exports(base / "raw", EXPORTS)
    assert_seed_mode_gives_the_same_files(base / "raw", base / "seed", unicode_run)


def test_a_header_in_another_unicode_form_is_named_by_the_check() -> None:
    """A mapped header (var raw_column_names) typed as Région and written in the file as Re + combining accent +
    gion: the build compares names as written and would not find it; the check says why it looks present."""
    problem = header_problem(["account_id", "Re\u0301gion"], [("account_id", ""), ("R\u00e9gion", "region")])
    assert problem is not None and "another Unicode form" in problem and "Re\u0301gion" in problem, problem
    assert header_problem(["account_id", "R\u00e9gion"], [("account_id", ""), ("R\u00e9gion", "region")]) is None
