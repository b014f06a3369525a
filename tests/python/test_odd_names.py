"""Names the project does not choose (review of issues 9-11, sections 4, 5 and 7): quotes in the configuration
(attribute names and columns, mapped raw headers, statuses), raw columns that share a name with the build's own
(filename, source_file), and headers of one file that differ only in case."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from pipeline import PROJECT_DIR, PipelineRun, build_and_export, dbt, export, read_csv, read_header, write_raw_exports
from raw_files import csv_to_parquet
from test_folder_mode import small_exports

OUTPUT_NAMES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]
LONG = "x" * 600
# An attribute name written to break out of a quoted identifier: it must come out as a column name.
INJECTED = 'x", (select 1) as "y'


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT_DIR / "check_exports.py"), str(folder)],
                          capture_output=True, text=True, check=False)  # fmt: skip


def rewrite(path: Path, change) -> None:
    """Rewrite a CSV file's rows (header first) through change(rows) -> rows."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(change(rows))


def add_columns(path: Path, columns: dict[str, list[str]]) -> None:
    """Extra columns at the end of a CSV file, each with its values row by row."""
    rewrite(path, lambda rows: [row + [columns[name][index - 1] if index else name for name in columns]
                                for index, row in enumerate(rows)])  # fmt: skip


def rename_header(path: Path, old: str, new: str) -> None:
    rewrite(path, lambda rows: [[new if name == old else name for name in rows[0]], *rows[1:]])


QUOTED_VARS = {
    "raw_column_names": {"raw_crm_accounts": {"account_name": 'Account\'s "Name"'}},
    "account_attributes": [
        {"column": "Owner's Tier", "name": "Owner's Tier", "type": "number"},
        {"column": 'Nick "Q"', "name": 'Nick "Q"', "type": "text"},
        {"column": "tier", "name": INJECTED, "type": "text"},
    ],
    "user_attributes": [{"column": "Champion's", "name": "Champion's", "type": "yes_no"}],
    "subscription_statuses": ["active", "trial", "cancelled", "expired", "won't renew", 'on "hold"'],
    # A live status with quotes, other than active and trial: its line counts, and its product account is active.
    "live_statuses": ["active", "trial", 'on "hold"'],
}


def quoted_world(folder: Path) -> None:
    write_raw_exports(folder, {
        "raw_crm_accounts": [{"account_id": "A1", "account_name": "Acme"},
                             {"account_id": "A2", "account_name": "Beta", "parent_account_id": "A1"}],
        "raw_crm_subscriptions": [
            {"subscription_id": "S1", "account_id": "A1", "product": "Analytics", "status": "won't renew",
             "seats": "7", "contract_value": "700", "currency": "USD"},
            {"subscription_id": "S4", "account_id": "A1", "product": "Analytics", "status": "active",
             "seats": "5", "contract_value": "100", "currency": "USD"},
            {"subscription_id": "S2", "account_id": "A2", "product": "Analytics", "status": 'on "hold"'},
            {"subscription_id": "S3", "account_id": "A2", "product": "Reports", "status": "bogus"},
        ],
        "raw_app_users": [{"user_id": "U1", "email": "u1@x.com", "account_id": "A1", "product": "Analytics"},
                          {"user_id": "U2", "email": "u2@x.com", "account_id": "A1", "product": "Analytics"}],
        "raw_app_events": [{"event_id": "E1", "user_id": "U1", "account_id": "A1", "product": "Analytics",
                            "module": "m", "action": "a", "occurred_at": "2026-11-01T00:00:00Z"}],
    })  # fmt: skip
    rename_header(folder / "raw_crm_accounts.csv", "account_name", 'Account\'s "Name"')
    add_columns(folder / "raw_crm_accounts.csv",
                {"Owner's Tier": ["42", "4,2"], 'Nick "Q"': ["Gold", LONG], "tier": ["t1", "t2"]})  # fmt: skip
    add_columns(folder / "raw_app_users.csv", {"Champion's": ["yes", "maybe"]})


def odd_world(folder: Path) -> None:
    """The quoted world, whose users and events also hold columns named filename and source_file (the Spark test
    builds it too)."""
    quoted_world(folder)
    for name in ["raw_app_users", "raw_app_events"]:
        rows = len(read_csv(folder / f"{name}.csv"))
        add_columns(folder / f"{name}.csv", {"filename": ["attachment.pdf"] * rows, "source_file": ["x.log"] * rows})


def test_quotes_in_names_columns_headers_and_statuses_reach_the_files(tmp_path: Path) -> None:
    odd_world(tmp_path / "raw")
    run = build_and_export(tmp_path, raw_dir=tmp_path / "raw", dbt_vars=QUOTED_VARS)
    assert read_header(run.out / "accounts.csv")[-3:] == ["Owner's Tier", 'Nick "Q"', INJECTED]
    assert read_header(run.out / "users.csv")[-1] == "Champion's"
    accounts = {row["Account ID"]: row for row in read_csv(run.out / "accounts.csv")}
    assert accounts["A1"]["Account Name"] == "Acme", "the mapped header with quotes is read"
    first = accounts["A1"]
    assert (first["Owner's Tier"], first['Nick "Q"'], first[INJECTED]) == ("42", "Gold", "t1")
    assert (accounts["A2"]["Owner's Tier"], accounts["A2"][INJECTED]) == ("", "t2")
    assert accounts["A1__analytics"]["Seats"] == "5", "a known status with a quote, not live"
    assert accounts["A2__analytics"]["Status"] == "active", "a live status other than active or trial"
    users = {row["User ID"]: row["Champion's"] for row in read_csv(run.out / "users.csv")}
    assert users == {"u1@x.com": "yes", "u2@x.com": ""}
    issues = {(r["source_key"], r["issue"]): r["detail"] for r in read_csv(run.out / "data_issues.csv")}
    assert "Owner's Tier '4,2' is not a number" in issues[("A2", "invalid_value")]
    assert "the attribute Owner's Tier is left blank" in issues[("A2", "invalid_value")]
    assert issues[("A2", "too_long")].startswith('Nick "Q" is 600 characters long')
    assert "Champion's 'maybe'" in issues[("U2", "invalid_value")]
    assert 'won\'t renew, on "hold".' in issues[("S3", "unknown_status")]
    assert ("S1", "unknown_status") not in issues and ("S2", "unknown_status") not in issues


def events_world(folder: Path, extra: bool) -> None:
    """Events as a folder of two daily files, one event in both (a duplicate whose detail names the files), and
    subscriptions as Parquet; with extra, every export also has columns named filename and source_file."""
    write_raw_exports(folder, {
        "raw_crm_accounts": [{"account_id": "A1", "account_name": "Acme"}],
        "raw_crm_subscriptions": [{"subscription_id": "S1", "account_id": "A1", "product": "Analytics",
                                   "status": "active"}],
        "raw_app_users": [{"user_id": "U1", "email": "u1@x.com", "account_id": "A1", "product": "Analytics"}],
    })  # fmt: skip
    (folder / "raw_app_events").mkdir()
    for day, ids in [("2026-11-01", ["E1", "E2"]), ("2026-11-02", ["E2", "E3"])]:
        write_raw_exports(folder / "raw_app_events", {"raw_app_events": [
            {"event_id": event_id, "user_id": "U1", "account_id": "A1", "product": "Analytics", "module": "m",
             "action": "a", "occurred_at": f"{day}T00:00:00Z"} for event_id in ids]})  # fmt: skip
        (folder / "raw_app_events" / "raw_app_events.csv").rename(folder / "raw_app_events" / f"{day}.csv")
    if extra:
        for path in [folder / "raw_crm_accounts.csv", folder / "raw_crm_subscriptions.csv",
                     folder / "raw_app_users.csv", *(folder / "raw_app_events").glob("*.csv")]:  # fmt: skip
            add_columns(path, {"filename": ["attachment.pdf"] * 2, "source_file": ["app-server-3.log"] * 2})
    csv_to_parquet(folder / "raw_crm_subscriptions.csv")


def test_raw_columns_named_filename_or_source_file_are_ignored(tmp_path: Path) -> None:
    events_world(tmp_path / "plain-raw", extra=False)
    events_world(tmp_path / "extra-raw", extra=True)
    assert check(tmp_path / "extra-raw").returncode == 0
    plain = build_and_export(tmp_path / "plain", raw_dir=tmp_path / "plain-raw")
    extra = build_and_export(tmp_path / "extra", raw_dir=tmp_path / "extra-raw")
    for name in OUTPUT_NAMES:
        assert (extra.out / name).read_bytes() == (plain.out / name).read_bytes(), name
    duplicate = next(r["detail"] for r in read_csv(extra.out / "data_issues.csv") if r["issue"] == "duplicate")
    assert "2026-11-01.csv" in duplicate and "app-server-3.log" not in duplicate, duplicate


def case_twins_folder(folder: Path) -> Path:
    """A valid export whose accounts file has an extra column Account_Name before the contract's account_name."""
    quoted_world(folder)
    rename_header(folder / "raw_crm_accounts.csv", 'Account\'s "Name"', "account_name")
    rewrite(folder / "raw_crm_accounts.csv",
            lambda rows: [["Account_Name", *rows[0]], *[["LEGAL NAME INC", *row] for row in rows[1:]]])  # fmt: skip
    return folder / "raw_crm_accounts.csv"


def test_the_check_refuses_headers_that_differ_only_in_case(tmp_path: Path) -> None:
    path = case_twins_folder(tmp_path / "raw")
    result = check(tmp_path / "raw")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"raw export error: {path}: line 1:"), result.stderr
    assert "Account_Name" in lines[0] and "account_name" in lines[0] and "differ only in case" in lines[0], lines[0]


def test_a_build_refuses_headers_that_differ_only_in_case(tmp_path: Path) -> None:
    """dbt run directly, without the check: it stops, naming the file and both headers, and nothing is exported
    (it must not send the extra column's values as the account names)."""
    case_twins_folder(tmp_path / "raw")
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=tmp_path / "raw")
    assert built.returncode != 0
    output = built.stdout + built.stderr
    assert "Traceback" not in output
    assert "raw_crm_accounts.csv" in output and "Account_Name and account_name" in output, output[-3000:]
    assert "differ only in case" in output
    exported = export(run)
    assert exported.returncode == 1 and "export refused" in exported.stderr
    assert not run.out.exists()


def test_a_build_refuses_headers_that_differ_only_in_spaces(tmp_path: Path) -> None:
    """` module` beside `module`: DuckDB keeps both, and which one the build would read is not the user's
    choice; dbt run directly stops, naming the file and the headers, as check_exports does."""
    write_raw_exports(tmp_path / "raw", small_exports(["E1"]))
    add_columns(tmp_path / "raw" / "raw_app_events.csv", {" module": ["Other"]})
    run = PipelineRun(db=tmp_path / "db.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    built = dbt(run, "build", raw_dir=tmp_path / "raw")
    output = built.stdout + built.stderr
    assert built.returncode != 0 and "raw_app_events.csv" in output and "module" in output, output[-3000:]


def test_mapped_event_headers_and_a_header_with_a_double_quote_build(tmp_path: Path) -> None:
    """The events' own headers mapped by raw_column_names (module is `area` in this export), and an extra column
    whose header holds a double quote: the build (its unit tests included) passes and sends the mapped values."""
    write_raw_exports(tmp_path / "raw", small_exports(["E1"]))
    rename_header(tmp_path / "raw" / "raw_app_events.csv", "module", "area")
    add_columns(tmp_path / "raw" / "raw_app_events.csv", {'a"b': ["x"]})
    run = build_and_export(tmp_path, raw_dir=tmp_path / "raw",
                           dbt_vars={"raw_column_names": {"raw_app_events": {"module": "area"}}})  # fmt: skip
    assert [row["Module"] for row in read_csv(run.out / "usage.csv")] == ["Reports"]
