"""The exported files of the sample run, checked against docs/contract/output-files.md with independent logic."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

import pytest
from pipeline import PipelineRun, read_csv, read_header, starts_like_a_formula

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)

HEADERS = {
    "accounts.csv": [
        "Account ID", "Account Name", "Parent ID", "Account Type", "Status", "Product ID", "Industry", "Region",
        "Segment", "CSM", "Contract Value", "Currency", "Seats", "Plan", "Contract Start Date",
        "Contract Renewal Date", "Created Date",
    ],
    "users.csv": [
        "User ID", "Account ID", "Email", "First Name", "Last Name", "Role", "Title", "Key Contact", "Created Date",
        "Last Login",
    ],
    "usage.csv": ["User ID", "Account ID", "Action", "Module", "Timestamp"],
    "data_issues.csv": ["source", "source_key", "issue", "detail", "outcome"],
}  # fmt: skip
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LIVE = {"active", "trial"}


def files(run: PipelineRun) -> dict[str, list[dict[str, str]]]:
    return {name: read_csv(run.out / name) for name in HEADERS}


@pytest.mark.parametrize("file_name", HEADERS)
def test_headers_are_exactly_the_contract(sample_run: PipelineRun, file_name: str) -> None:
    assert read_header(sample_run.out / file_name) == HEADERS[file_name]


@pytest.mark.parametrize("file_name", HEADERS)
def test_file_is_plain_utf8_csv_with_nothing_after_the_last_row(sample_run: PipelineRun, file_name: str) -> None:
    content = (sample_run.out / file_name).read_bytes()
    assert not content.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    content.decode("utf-8")
    assert b"\r\n" not in content
    assert content.endswith(b"\n") and not content.endswith(b"\n\n")
    rows = read_csv(sample_run.out / file_name)
    assert rows, "the sample gives rows in every file"
    assert all(None not in row and all(value is not None for value in row.values()) for row in rows), "ragged row"


def test_account_ids_are_unique_and_parents_come_first(sample_run: PipelineRun) -> None:
    accounts = read_csv(sample_run.out / "accounts.csv")
    ids = [row["Account ID"] for row in accounts]
    assert len(ids) == len(set(ids))
    position = {account_id: index for index, account_id in enumerate(ids)}
    for index, row in enumerate(accounts):
        if row["Account Type"] == "Product":
            assert row["Parent ID"], f"product account {row['Account ID']} has no parent"
            assert row["Product ID"] and row["Product ID"] == row["Product ID"].lower()
        if row["Parent ID"]:
            assert row["Parent ID"] in position, f"{row['Parent ID']} is not in accounts.csv"
            assert position[row["Parent ID"]] < index, f"{row['Account ID']} comes before its parent"


def test_account_types_follow_depth(sample_run: PipelineRun) -> None:
    accounts = read_csv(sample_run.out / "accounts.csv")
    parent_of = {row["Account ID"]: row["Parent ID"] for row in accounts}
    names = ["Organization", "Division", "Subsidiary"]
    for row in accounts:
        if row["Account Type"] == "Product":
            owner = next(r for r in accounts if r["Account ID"] == row["Parent ID"])
            assert owner["Account Type"] != "Product", f"{row['Account ID']} hangs under a product account"
            continue
        depth, current = 0, row["Parent ID"]
        while current:
            depth, current = depth + 1, parent_of[current]
        assert row["Account Type"] == names[min(depth, len(names) - 1)], row["Account ID"]


def test_product_account_names_and_attributes_come_from_the_owner(sample_run: PipelineRun) -> None:
    accounts = read_csv(sample_run.out / "accounts.csv")
    by_id = {row["Account ID"]: row for row in accounts}
    products = [row for row in accounts if row["Account Type"] == "Product"]
    assert products
    for row in products:
        owner = by_id[row["Parent ID"]]
        assert owner["Account Type"] != "Product"
        assert row["Account Name"].startswith(owner["Account Name"] + " - ")
        for header in ("Industry", "Region", "Segment", "CSM"):
            assert row[header] == owner[header]
        assert row["Created Date"] == ""


def test_crm_status_rolls_up_from_every_product_account_below(sample_run: PipelineRun) -> None:
    accounts = read_csv(sample_run.out / "accounts.csv")
    parent_of = {row["Account ID"]: row["Parent ID"] for row in accounts}
    below: dict[str, set[str]] = {row["Account ID"]: set() for row in accounts}
    for row in accounts:
        if row["Account Type"] == "Product":
            current = row["Parent ID"]
            while current:
                below[current].add(row["Status"])
                current = parent_of[current]
    for row in accounts:
        if row["Account Type"] != "Product":
            statuses = below[row["Account ID"]]
            assert statuses, f"{row['Account ID']} is sent without a product account below it"
            expected = "active" if "active" in statuses else "trial" if "trial" in statuses else "churned"
            assert row["Status"] == expected, row["Account ID"]


def parse_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def expected_product_accounts(raw_sample: dict) -> dict[tuple[str, str], dict]:
    """The roll-up of docs/contract/raw-exports.md, computed here in Python from the raw files, independently of the
    SQL."""
    account_ids = {row["account_id"].strip() for row in raw_sample["raw_crm_accounts"] if row["account_id"].strip()}
    seen_ids: set[str] = set()
    lines: dict[tuple[str, str], list[dict]] = {}
    for row in raw_sample["raw_crm_subscriptions"]:
        subscription_id = row["subscription_id"].strip()
        if not subscription_id or subscription_id in seen_ids:
            seen_ids.add(subscription_id)
            continue
        seen_ids.add(subscription_id)
        product = re.sub(r"[^a-z0-9]+", "-", row["product"].strip().lower()).strip("-")
        status = row["status"].strip().lower()
        if not product or row["account_id"].strip() not in account_ids:
            continue
        if status not in {"active", "trial", "cancelled", "expired"}:
            continue
        lines.setdefault((row["account_id"].strip(), product), []).append(dict(row, status=status))
    expected = {}
    for key, group in lines.items():
        live = [line for line in group if line["status"] in LIVE]
        currencies = {(line["currency"].strip().upper() or "USD") for line in live}
        values = [parse_decimal(line["contract_value"]) for line in live]
        seats = [parse_int(line["seats"]) for line in live]
        live_renewals = [d for d in (parse_date(line["renewal_date"]) for line in live) if d]
        all_renewals = [d for d in (parse_date(line["renewal_date"]) for line in group) if d]
        statuses = {line["status"] for line in group}
        expected[key] = {
            "Status": "active" if "active" in statuses else "trial" if "trial" in statuses else "churned",
            "Contract Value": (
                "0.00"
                if not live
                else ""
                if len(currencies) > 1 or all(v is None for v in values)
                else f"{sum(v for v in values if v is not None):.2f}"
            ),
            "Seats": "0" if not live else str(sum(s for s in seats if s is not None)),
            "Contract Renewal Date": str(min(live_renewals) if live_renewals else max(all_renewals, default="")),
        }
    return expected


def test_product_accounts_roll_up_subscriptions(sample_run: PipelineRun, raw_sample: dict) -> None:
    accounts = read_csv(sample_run.out / "accounts.csv")
    products = {(row["Parent ID"], row["Product ID"]): row for row in accounts if row["Account Type"] == "Product"}
    expected = expected_product_accounts(raw_sample)
    assert set(products) == set(expected)
    for key, values in expected.items():
        for header, value in values.items():
            assert products[key][header] == value, f"{key} {header}"
    assert {row["Status"] for row in products.values()} == {"active", "trial", "churned"}


def test_dates_and_timestamps_have_the_contract_format(sample_run: PipelineRun) -> None:
    out = files(sample_run)
    date_cells = [
        *(row[h] for row in out["accounts.csv"] for h in ("Contract Start Date", "Contract Renewal Date")),
        *(row["Created Date"] for row in out["accounts.csv"]),
        *(row["Created Date"] for row in out["users.csv"]),
    ]
    assert all(DATE.fullmatch(cell) for cell in date_cells if cell)
    assert all(TIMESTAMP.fullmatch(row["Timestamp"]) for row in out["usage.csv"])
    assert all(TIMESTAMP.fullmatch(row["Last Login"]) for row in out["users.csv"] if row["Last Login"])


def to_totango_utc(text: str) -> str | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_usage_timestamps_are_the_raw_moments_in_utc(sample_run: PipelineRun, raw_sample: dict) -> None:
    out = files(sample_run)
    dropped_keys = {row["source_key"] for row in out["data_issues.csv"] if row["source"] == "raw_app_events"}
    id_counts = Counter(row["event_id"] for row in raw_sample["raw_app_events"])
    expected = Counter(
        to_totango_utc(row["occurred_at"])
        for row in raw_sample["raw_app_events"]
        if id_counts[row["event_id"]] == 1 and row["event_id"] not in dropped_keys
    )
    sent = Counter(row["Timestamp"] for row in out["usage.csv"])
    assert sum(expected.values()) > 2500
    assert not expected - sent, "every kept event is sent at its UTC moment"
    offsets = {row["occurred_at"][-6:] for row in raw_sample["raw_app_events"]}
    assert "+02:00" in offsets and "-05:00" in offsets, "the sample has offsets to convert"


def test_usage_is_in_time_order(sample_run: PipelineRun) -> None:
    stamps = [row["Timestamp"] for row in read_csv(sample_run.out / "usage.csv")]
    assert stamps == sorted(stamps)


def test_emails_are_trimmed_lower_case_user_ids(sample_run: PipelineRun) -> None:
    out = files(sample_run)
    for row in out["users.csv"]:
        assert row["User ID"] == row["Email"] == row["Email"].strip().lower()
        assert row["Key Contact"] in {"yes", "no"}
    pairs = [(row["User ID"], row["Account ID"]) for row in out["users.csv"]]
    assert len(pairs) == len(set(pairs))
    assert "mixed.case@example.com" in {row["User ID"] for row in out["users.csv"]}


def test_users_and_usage_reference_what_is_exported(sample_run: PipelineRun) -> None:
    out = files(sample_run)
    product_ids = {row["Account ID"] for row in out["accounts.csv"] if row["Account Type"] == "Product"}
    assert {row["Account ID"] for row in out["users.csv"]} <= product_ids
    user_pairs = {(row["User ID"], row["Account ID"]) for row in out["users.csv"]}
    assert {(row["User ID"], row["Account ID"]) for row in out["usage.csv"]} <= user_pairs


def test_free_text_that_looks_like_a_formula_is_guarded(sample_run: PipelineRun) -> None:
    out = files(sample_run)
    free_text = {
        "accounts.csv": ("Account Name", "Industry", "Region", "Segment", "Plan"),
        "users.csv": ("First Name", "Last Name", "Role", "Title"),
        "usage.csv": ("Action", "Module"),
    }
    for file_name, headers in free_text.items():
        for row in out[file_name]:
            for header in headers:
                assert not starts_like_a_formula(row[header]), f"{file_name} {header}: {row[header]!r}"
    assert "'=cmd|' /C calc'!A0" in {row["Action"] for row in out["usage.csv"]}
    assert {"'+Plus", "'-Minus"} <= {row["First Name"] for row in out["users.csv"]} | {
        row["Last Name"] for row in out["users.csv"]
    }
    assert any(row["Account Name"].startswith("'=HYPERLINK") for row in out["accounts.csv"])


SAMPLE_ISSUE_CODES = {
    ("raw_crm_accounts", "duplicate"), ("raw_crm_accounts", "blank_id"), ("raw_crm_accounts", "missing_parent"),
    ("raw_crm_accounts", "parent_cycle"), ("raw_crm_accounts", "no_product"), ("raw_crm_accounts", "missing_value"),
    ("raw_crm_accounts", "invalid_value"),
    ("raw_crm_subscriptions", "duplicate"), ("raw_crm_subscriptions", "blank_id"),
    ("raw_crm_subscriptions", "unknown_account"), ("raw_crm_subscriptions", "unknown_status"),
    ("raw_crm_subscriptions", "missing_product"), ("raw_crm_subscriptions", "invalid_value"),
    ("raw_crm_subscriptions", "mixed_currency"),
    ("raw_app_users", "duplicate"), ("raw_app_users", "blank_id"), ("raw_app_users", "invalid_email"),
    ("raw_app_users", "unknown_product_account"), ("raw_app_users", "duplicate_email"),
    ("raw_app_users", "invalid_value"),
    ("raw_app_events", "duplicate"), ("raw_app_events", "blank_id"), ("raw_app_events", "unknown_user"),
    ("raw_app_events", "invalid_timestamp"), ("raw_app_events", "missing_value"),
    ("raw_app_events", "user_account_mismatch"),
}  # fmt: skip


def test_sample_data_issues_show_every_rule(sample_run: PipelineRun) -> None:
    issues = read_csv(sample_run.out / "data_issues.csv")
    assert {(row["source"], row["issue"]) for row in issues} == SAMPLE_ISSUE_CODES
    assert {row["outcome"] for row in issues} == {"dropped", "kept"}
    assert all(row["detail"].endswith(".") for row in issues)
    cycle = {row["source_key"] for row in issues if row["issue"] == "parent_cycle"}
    assert cycle == {"ACC-910", "ACC-911"}
