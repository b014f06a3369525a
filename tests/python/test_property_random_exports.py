"""Property: whatever rows the raw exports hold (bad ones included), the build passes every mart test, and for
each raw export rows in = rows used + rows dropped, checked again here on the exported files."""

from __future__ import annotations

import csv
import re
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pipeline import RAW_EXPORTS, PipelineRun, build_and_export, read_csv, seed_mode_build_and_export

ACCOUNT_IDS = ["A1", "A2", "A3", "A4", " A1 ", "", "ZZ"]
PRODUCTS = ["Analytics", " analytics", "Engage", ""]
STATUSES = ["active", "Trial", "cancelled", "EXPIRED", "pending", ""]
USER_IDS = ["U1", "U2", "U3", "U4", "", "U9"]
EMAILS = ["a@x.com", "A@X.com ", "b@x.com", "bad@", ""]
STAMPS = ["2026-11-01T10:00:00Z", "2026-11-01 10:00:00+02:00", "2026-11-01T10:00:00", "01/11/2026", "", "x"]
DATES = ["2025-01-01", "2026-06-30", "31/12/2020", ""]
TEXT = ["", "Reports", "=SUM(A1)", "a, b", 'say "hi"', "Zoë"]

accounts = st.fixed_dictionaries(
    {
        "account_id": st.sampled_from(ACCOUNT_IDS),
        "account_name": st.sampled_from(["Acme", "", "=HACK", "Beta, Inc."]),
        "parent_account_id": st.sampled_from(["", "", *ACCOUNT_IDS]),
        "industry": st.sampled_from(TEXT),
        "region": st.sampled_from(["NA", "EMEA", ""]),
        "segment": st.sampled_from(["SMB", ""]),
        "csm_email": st.sampled_from(EMAILS),
        "created_at": st.sampled_from(DATES),
        "updated_at": st.sampled_from(STAMPS),
    }
)
subscriptions = st.fixed_dictionaries(
    {
        "subscription_id": st.sampled_from(["S1", "S2", "S3", "S4", "S5", ""]),
        "account_id": st.sampled_from(ACCOUNT_IDS),
        "product": st.sampled_from(PRODUCTS),
        "plan": st.sampled_from(["Pro", ""]),
        "seats": st.sampled_from(["1", "10", "ten", ""]),
        "contract_value": st.sampled_from(["100.00", "5", "$1,200", ""]),
        "currency": st.sampled_from(["USD", "EUR", ""]),
        "start_date": st.sampled_from(DATES),
        "renewal_date": st.sampled_from(DATES),
        "status": st.sampled_from(STATUSES),
    }
)
users = st.fixed_dictionaries(
    {
        "user_id": st.sampled_from(USER_IDS),
        "email": st.sampled_from(EMAILS),
        "account_id": st.sampled_from(ACCOUNT_IDS),
        "product": st.sampled_from(PRODUCTS),
        "first_name": st.sampled_from(TEXT),
        "last_name": st.sampled_from(TEXT),
        "role": st.sampled_from(["admin", ""]),
        "title": st.sampled_from(TEXT),
        "is_key_contact": st.sampled_from(["yes", "0", "maybe", ""]),
        "created_at": st.sampled_from(STAMPS),
        "last_login_at": st.sampled_from(STAMPS),
    }
)
events = st.fixed_dictionaries(
    {
        "event_id": st.sampled_from(["E1", "E2", "E3", "E4", "E5", "E6", "E7", ""]),
        "user_id": st.sampled_from(USER_IDS),
        "account_id": st.sampled_from(ACCOUNT_IDS),
        "product": st.sampled_from(PRODUCTS),
        "module": st.sampled_from(TEXT),
        "action": st.sampled_from(TEXT),
        "occurred_at": st.sampled_from(STAMPS),
    }
)
COLUMNS = {
    "raw_crm_accounts": ["account_id", "account_name", "parent_account_id", "industry", "region", "segment",
                         "csm_email", "created_at", "updated_at"],
    "raw_crm_subscriptions": ["subscription_id", "account_id", "product", "plan", "seats", "contract_value",
                              "currency", "start_date", "renewal_date", "status"],
    "raw_app_users": ["user_id", "email", "account_id", "product", "first_name", "last_name", "role", "title",
                      "is_key_contact", "created_at", "last_login_at"],
    "raw_app_events": ["event_id", "user_id", "account_id", "product", "module", "action", "occurred_at"],
}  # fmt: skip
raw_exports = st.tuples(
    st.lists(accounts, max_size=8),
    st.lists(subscriptions, max_size=8),
    st.lists(users, max_size=8),
    st.lists(events, max_size=12),
)


def write_exports(folder: Path, tables: tuple[list[dict], ...]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in zip(RAW_EXPORTS, tables, strict=True):
        columns = COLUMNS[name]
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            # CRLF line ends, so that csv quotes a value holding a carriage return (a bare one is a broken file,
            # which check_exports.py reports; these tests are about values).
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=raw_exports)
def test_random_raw_exports_conserve_rows_and_pass_every_mart_test(tables: tuple[list[dict], ...]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        write_exports(base / "raw", tables)
        run: PipelineRun = build_and_export(base, raw_dir=base / "raw")  # asserts every dbt test passed
        dropped = Counter(r["source"] for r in read_csv(run.out / "data_issues.csv") if r["outcome"] == "dropped")
        out_accounts = read_csv(run.out / "accounts.csv")
        crm_rows = sum(1 for row in out_accounts if row["Account Type"] != "Product")
        assert len(tables[0]) == crm_rows + dropped["raw_crm_accounts"]
        assert len(tables[2]) == len(read_csv(run.out / "users.csv")) + dropped["raw_app_users"]
        # No usage.csv at all when no event is left to send (export.py writes no empty usage file).
        usage_path = run.out / "usage.csv"
        usage_rows = len(read_csv(usage_path)) if usage_path.exists() else 0
        assert usage_path.exists() == (usage_rows > 0)
        assert len(tables[3]) == usage_rows + dropped["raw_app_events"]
        ids = [row["Account ID"] for row in out_accounts]
        assert len(ids) == len(set(ids))


# Values real exports hold and a loader or a spreadsheet could get wrong: special words, extreme numbers, dates out
# of range, control characters, padded ids, formula starts, non-Latin product names.
HOSTILE = ["infinity", "-infinity", "epoch", "now", "NaN", "null", "NULL", "None", "N/A", "1e308", "-1", "5.7",
           "99999999999999999999", "1_000", "0x10", "100.555", "2026-01-01T00:00:00+25:00", "0000-01-01",
           "0001-01-01", "9999-12-31T23:59:59-05:00", "=1+1", "+1", "-x", "@a", "\tx", "x\x00y", "\x1b[31m",
           "\u00a0A1\u00a0", "A1\t", "A1\r\n", "日本語", "C++", "C#", "A1__analytics", "'quoted'", 'a"b',
           ""]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOTANGO_ID = r"[A-Za-z0-9_-]{1,480}"


def hostile(normal: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(normal), st.sampled_from(HOSTILE), st.text(max_size=8))


def hostile_rows(columns: list[str], keys: dict[str, list[str]]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({column: hostile(keys.get(column, TEXT)) for column in columns})


hostile_exports = st.tuples(
    st.lists(hostile_rows(COLUMNS["raw_crm_accounts"], {"account_id": ACCOUNT_IDS, "parent_account_id": ACCOUNT_IDS,
                                                        "created_at": DATES, "updated_at": STAMPS}), max_size=5),
    st.lists(hostile_rows(COLUMNS["raw_crm_subscriptions"], {"account_id": ACCOUNT_IDS, "product": PRODUCTS,
                                                             "status": STATUSES, "seats": ["1", "10"],
                                                             "contract_value": ["100.00"], "currency": ["USD"]}),
             max_size=6),
    st.lists(hostile_rows(COLUMNS["raw_app_users"], {"user_id": USER_IDS, "email": EMAILS, "account_id": ACCOUNT_IDS,
                                                     "product": PRODUCTS, "last_login_at": STAMPS}), max_size=6),
    st.lists(hostile_rows(COLUMNS["raw_app_events"], {"user_id": USER_IDS, "account_id": ACCOUNT_IDS,
                                                      "product": PRODUCTS, "occurred_at": STAMPS}), max_size=8),
)  # fmt: skip


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=hostile_exports)
def test_hostile_values_in_every_column_never_stop_the_feed_and_both_modes_agree(
    tables: tuple[list[dict], ...],
) -> None:
    """Issue 9: random unicode, control characters, special words and extreme numbers in every column of every raw
    export: the build and the export pass, rows are conserved, seed and folder mode give the same bytes, nothing
    in any file starts like a formula, and every account id meets Totango's id rules."""
    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        write_exports(base / "raw", tables)
        folder_run = build_and_export(base / "folder", raw_dir=base / "raw")
        seed_run = seed_mode_build_and_export(base / "seed", base / "raw")
        names = sorted(path.name for path in folder_run.out.glob("*.csv"))
        assert names == sorted(path.name for path in seed_run.out.glob("*.csv"))
        for name in names:
            assert (seed_run.out / name).read_bytes() == (folder_run.out / name).read_bytes(), name
            with (folder_run.out / name).open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    assert not [value for value in row if value.startswith(FORMULA_START)], (name, row)
        dropped = Counter(
            r["source"] for r in read_csv(folder_run.out / "data_issues.csv") if r["outcome"] == "dropped"
        )
        out_accounts = read_csv(folder_run.out / "accounts.csv")
        assert len(tables[0]) == sum(1 for r in out_accounts if r["Account Type"] != "Product") + dropped[
            "raw_crm_accounts"]  # fmt: skip
        usage_path = folder_run.out / "usage.csv"
        assert len(tables[3]) == (len(read_csv(usage_path)) if usage_path.exists() else 0) + dropped["raw_app_events"]
        for row in out_accounts:
            assert re.fullmatch(TOTANGO_ID, row["Account ID"]), row["Account ID"]
