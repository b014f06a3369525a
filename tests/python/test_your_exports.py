"""Your exports, your attributes (issue 11): a CRM's own column names, custom Totango attributes of every type,
Totango's limits, and an Account Type for every level of the tree."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from pipeline import SEEDS_DIR, PipelineRun, build_and_export, dbt, read_csv, read_header, write_raw_exports

from totango_feed.project import contract_columns

OUTPUT_NAMES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]

# The worked example of docs/your-exports.md: a Salesforce Account export, its API names for headers.
SALESFORCE_HEADERS = {
    "account_id": "Id", "account_name": "Name", "parent_account_id": "ParentId", "industry": "Industry",
    "region": "Region__c", "segment": "Segment__c", "csm_email": "CSM_Email__c", "created_at": "CreatedDate",
    "updated_at": "LastModifiedDate",
}  # fmt: skip
SALESFORCE_VARS = {
    "raw_column_names": {"raw_crm_accounts": SALESFORCE_HEADERS},
    "account_attributes": [
        {"column": "Health_Score__c", "name": "Health Score", "type": "number"},
        {"column": "Tier__c", "name": "Tier", "type": "text"},
    ],
}


def salesforce_folder(base: Path, with_attributes: bool) -> Path:
    """The sample, with its CRM accounts exported as Salesforce would name them (plus OwnerId, and two custom
    fields when asked)."""
    folder = base / "raw"
    folder.mkdir(parents=True)
    for path in SEEDS_DIR.glob("raw_*.csv"):
        if path.stem != "raw_crm_accounts":
            shutil.copy(path, folder / path.name)
    with (SEEDS_DIR / "raw_crm_accounts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    headers = [SALESFORCE_HEADERS[c] for c in contract_columns()["raw_crm_accounts"]] + ["OwnerId"]
    if with_attributes:
        headers += ["Health_Score__c", "Tier__c"]
    with (folder / "raw_crm_accounts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        for number, row in enumerate(rows):
            values = [row[c] for c in contract_columns()["raw_crm_accounts"]] + [f"005{number:05d}"]
            if with_attributes:
                values += [["87.5", "1,000", "", "-3"][number % 4], ["Gold", "", "Silver", "=Tier"][number % 4]]
            writer.writerow(values)
    return folder


def test_salesforce_headers_mapped_give_the_files_of_the_contract_named_sample(
    tmp_path: Path, sample_run: PipelineRun
) -> None:
    folder = salesforce_folder(tmp_path, with_attributes=False)
    run = build_and_export(tmp_path / "build", raw_dir=folder, dbt_vars={"raw_column_names": SALESFORCE_VARS[
        "raw_column_names"]})  # fmt: skip
    for name in OUTPUT_NAMES:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_custom_attributes_follow_the_fixed_columns_and_bad_values_are_recorded(
    tmp_path: Path, sample_run: PipelineRun
) -> None:
    folder = salesforce_folder(tmp_path, with_attributes=True)
    run = build_and_export(tmp_path / "build", raw_dir=folder, dbt_vars=SALESFORCE_VARS)
    assert read_header(run.out / "accounts.csv") == [*read_header(sample_run.out / "accounts.csv"), "Health Score",
                                                     "Tier"]  # fmt: skip
    accounts = read_csv(run.out / "accounts.csv")
    crm = [row for row in accounts if row["Account Type"] != "Product"]
    assert {row["Health Score"] for row in crm} <= {"87.5", "", "-3"}
    assert {row["Tier"] for row in crm} <= {"Gold", "", "Silver", "'=Tier"}, "text attributes are formula-guarded"
    assert all(row["Health Score"] == row["Tier"] == "" for row in accounts if row["Account Type"] == "Product")
    issues = read_csv(run.out / "data_issues.csv")
    assert any(r["issue"] == "invalid_value" and "Health_Score__c '1,000'" in r["detail"] for r in issues)
    # Everything else is the sample's, to the byte.
    for name in ["users.csv", "usage.csv"]:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


ATTRIBUTE_VARS = {
    "account_attributes": [{"column": "nps", "name": "NPS", "type": "number"},
                           {"column": "onboarded", "name": "Onboarded", "type": "date"},
                           {"column": "note", "name": "Note", "type": "text"}],
    "product_account_attributes": [{"column": "arr", "name": "ARR", "type": "currency"},
                                   {"column": "note", "name": "Note", "type": "text"}],
    "user_attributes": [{"column": "champion", "name": "Champion", "type": "yes_no"},
                        {"column": "bio", "name": "Bio", "type": "text"}],
}  # fmt: skip
LONG = "x" * 600


def typed_world(folder: Path) -> None:
    """Accounts, lines and users with one good and one bad value of every attribute type, and values at and over
    each of Totango's limits."""
    exports = {
        "raw_crm_accounts": [
            {"account_id": "A1", "account_name": "N" * 130, "industry": LONG, "nps": "42", "onboarded": "2026-01-31",
             "note": "ok"},
            {"account_id": "A2", "account_name": "Beta", "nps": "4,2", "onboarded": "31/01/2026", "note": LONG},
            {"account_id": "A" * 401, "account_name": "Too long an id"},
        ],
        "raw_crm_subscriptions": [
            {"subscription_id": "S1", "account_id": "A1", "product": "Analytics", "status": "active", "arr": "$5",
             "note": "old line", "start_date": "2025-01-01"},
            {"subscription_id": "S2", "account_id": "A1", "product": "Analytics", "status": "active", "arr": "1200.5",
             "note": "plan line", "plan": LONG, "start_date": "2026-01-01"},
            {"subscription_id": "S3", "account_id": "A2", "product": "P" * 130, "status": "trial"},
        ],
        "raw_app_users": [
            {"user_id": "U1", "email": "a@x.com", "account_id": "A1", "product": "Analytics", "champion": "yes",
             "bio": LONG, "first_name": "F" * 300},
            {"user_id": "U2", "email": "b@x.com", "account_id": "A1", "product": "Analytics", "champion": "maybe"},
            {"user_id": "U3", "email": "b+tag@x.com", "account_id": "A1", "product": "Analytics"},
            {"user_id": "U4", "email": "long" + "x" * 100 + "@x.com", "account_id": "A1", "product": "Analytics"},
        ],
        "raw_app_events": [
            {"event_id": "E1", "user_id": "U1", "account_id": "A1", "product": "Analytics", "module": "M" * 120,
             "action": "a" * 200, "occurred_at": "2026-11-01T00:00:00Z"},
        ],
    }  # fmt: skip
    write_raw_exports(folder, exports)
    # The attribute columns are the user's own: add them to the files.
    for name, extra in [("raw_crm_accounts", ["nps", "onboarded", "note"]), ("raw_crm_subscriptions", ["arr", "note"]),
                        ("raw_app_users", ["champion", "bio"])]:  # fmt: skip
        path = folder / f"{name}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        wanted = exports[name]
        rows[0] += extra
        for index, row in enumerate(rows[1:]):
            row += [wanted[index].get(column, "") for column in extra]
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\r\n").writerows(rows)


@pytest.fixture(scope="module")
def typed_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    base = tmp_path_factory.mktemp("typed")
    typed_world(base / "raw")
    return build_and_export(base, raw_dir=base / "raw", dbt_vars=ATTRIBUTE_VARS)


def issues(run: PipelineRun) -> list[tuple[str, str, str, str]]:
    return [(r["source_key"], r["issue"], r["outcome"], r["detail"]) for r in read_csv(run.out / "data_issues.csv")]


def has(run: PipelineRun, key: str, issue: str, outcome: str, *words: str) -> bool:
    return any(k == key and i == issue and o == outcome and all(w in d for w in words) for k, i, o, d in issues(run))


def test_every_attribute_type_comes_out_as_specified(typed_run: PipelineRun) -> None:
    assert read_header(typed_run.out / "accounts.csv")[-4:] == ["NPS", "Onboarded", "Note", "ARR"]
    assert read_header(typed_run.out / "users.csv")[-2:] == ["Champion", "Bio"]
    accounts = {row["Account ID"]: row for row in read_csv(typed_run.out / "accounts.csv")}
    assert (accounts["A1"]["NPS"], accounts["A1"]["Onboarded"], accounts["A1"]["Note"]) == ("42", "2026-01-31", "ok")
    assert (accounts["A2"]["NPS"], accounts["A2"]["Onboarded"]) == ("", "")
    assert accounts["A2"]["Note"] == "x" * 512, "a text attribute of an account is cut to 512"
    product = accounts["A1__analytics"]
    assert (product["ARR"], product["Note"], product["NPS"]) == ("1200.5", "plan line", ""), "from the plan line"
    users = {row["User ID"]: row for row in read_csv(typed_run.out / "users.csv")}
    assert users["a@x.com"]["Champion"] == "yes" and users["b@x.com"]["Champion"] == ""
    assert users["a@x.com"]["Bio"] == "x" * 255, "a text attribute of a user is cut to 255"


def test_unreadable_attribute_values_are_blank_and_recorded(typed_run: PipelineRun) -> None:
    assert has(typed_run, "A2", "invalid_value", "kept", "nps '4,2'", "NPS is left blank")
    assert has(typed_run, "A2", "invalid_value", "kept", "onboarded '31/01/2026'")
    assert has(typed_run, "S1", "invalid_value", "kept", "arr '$5'")
    assert has(typed_run, "U2", "invalid_value", "kept", "champion 'maybe'")


def test_each_of_totangos_limits_is_caught_and_recorded(typed_run: PipelineRun) -> None:
    accounts = {row["Account ID"]: row for row in read_csv(typed_run.out / "accounts.csv")}
    assert accounts["A1"]["Account Name"] == "N" * 128 and len(accounts["A1"]["Industry"]) == 512
    long_product = next(row for row in accounts.values() if row["Parent ID"] == "A2")
    assert len(long_product["Account Name"]) == 128 and long_product["Account Name"].startswith("Beta - PPP")
    assert len(accounts["A1__analytics"]["Plan"]) == 512
    users = {row["User ID"]: row for row in read_csv(typed_run.out / "users.csv")}
    assert len(users["a@x.com"]["First Name"]) == 255 and set(users) == {"a@x.com", "b@x.com"}
    usage = read_csv(typed_run.out / "usage.csv")
    assert [(len(r["Action"]), len(r["Module"])) for r in usage] == [(190, 100)]
    for key, words in [("A1", ["Account Name", "130"]), ("A1", ["Industry", "600"]), ("A2", ["Note", "600"]),
                       ("S2", ["Plan", "600"]), ("S3", ["Account Name of its product account"]),
                       ("U1", ["First Name", "300"]), ("U1", ["Bio", "600"]), ("E1", ["action", "200"]),
                       ("E1", ["module", "120"])]:  # fmt: skip
        assert has(typed_run, key, "too_long", "kept", *words), (key, words)
    assert has(typed_run, "U3", "invalid_user_id", "dropped")
    assert has(typed_run, "U4", "invalid_user_id", "dropped")
    assert has(typed_run, "A" * 401, "invalid_id", "dropped")


def test_a_five_level_tree_gets_five_account_types(tmp_path: Path) -> None:
    levels = ["L0", "L1", "L2", "L3", "L4"]
    exports = {
        "raw_crm_accounts": [{"account_id": level, "account_name": level, "parent_account_id": parent}
                             for level, parent in zip(levels, ["", *levels[:-1]], strict=True)],
        "raw_crm_subscriptions": [{"subscription_id": "S1", "account_id": "L4", "product": "Analytics",
                                   "status": "active"}],
        "raw_app_users": [],
        "raw_app_events": [],
    }  # fmt: skip
    write_raw_exports(tmp_path / "raw", exports)
    run = build_and_export(tmp_path, raw_dir=tmp_path / "raw")
    types = {row["Account ID"]: row["Account Type"] for row in read_csv(run.out / "accounts.csv")}
    assert [types[level] for level in levels] == ["Organization", "Division", "Subsidiary", "Subsidiary 2",
                                                  "Subsidiary 3"]  # fmt: skip


@pytest.mark.parametrize(
    ("attributes", "words"),
    [
        ({"account_attributes": [{"column": "x", "name": "Account Name", "type": "text"}]},
         "the name Account Name is a fixed column of accounts.csv"),
        ({"user_attributes": [{"column": "x", "name": "Tier", "type": "text"},
                              {"column": "y", "name": "tier", "type": "text"}]}, "the name tier is given twice"),
        ({"account_attributes": [{"column": "x", "name": "Tier", "type": "colour"}]}, "type colour is not one of"),
        ({"account_type_names": ["Organization", "Product"]}, "none of them Product"),
        ({"account_type_names": ["Group", "Subsidiary 2", "Subsidiary"]}, "Subsidiary 2 is also the name of a level"),
        ({"account_type_names": ["Group", " Product"]}, "has no spaces around it"),
        ({"account_type_names": ["=Org", "Division"]}, "does not start with"),
        ({"account_type_names": [1, 2, 3]}, "account_type_names must be a list of texts"),
        ({"user_attributes": [{"column": "x", "name": 42}]}, "its column and name must be text"),
        ({"live_statuses": "active"}, "var live_statuses must be a list of texts"),
        ({"live_statuses": ["active", "renewing"]}, "renewing is not one of subscription_statuses"),
        ({"send_all_accounts": "no"}, "var send_all_accounts must be true or false"),
        ({"earliest_valid_date": "01/01/1900"}, "var earliest_valid_date must be a YYYY-MM-DD date"),
        ({"totango_limits": {"account_name": 100}}, "var totango_limits must give all of"),
        ({"totango_limits": {"account_name": 128, "account_text": 512, "user_text": 255, "user_id": 100,
                             "action": 190.5, "module": 100}}, "totango_limits.action must be a whole number"),
        ({"earliest_valid_date": "2999-01-01", "latest_valid_date": "2000-01-01"}, "is after latest_valid_date"),
        ({"currency_codes": "USD"}, "var currency_codes must be a list of ISO 4217 codes"),
        ({"currency_codes": ["USD", "US Dollar"]}, "three letters each (e.g. [USD, EUR]): US Dollar"),
        ({"raw_column_names": ["raw_crm_accounts"]}, "var raw_column_names must map each raw export"),
        ({"raw_column_names": {"raw_app_events": {"occurred_at": None}}}, "occurred_at is required"),
        ({"raw_column_names": {"raw_app_users": {"mail": "E-mail"}}}, "mail is not one of its contract columns"),
    ],
)  # fmt: skip
def test_a_configuration_that_cannot_give_valid_files_is_refused_before_the_build(
    tmp_path: Path, attributes: dict, words: str
) -> None:
    assert_refused_before_the_build(tmp_path, attributes, words)


def assert_refused_before_the_build(base: Path, variables: dict, words: str) -> None:
    """dbt build with these vars, in a new database under base, stops with a message holding `words`, and builds
    no mart."""
    run = PipelineRun(db=base / "db.duckdb", target=base / "target", out=base / "out")
    result = dbt(run, "build", "--vars", json.dumps(variables))
    assert result.returncode != 0
    assert words in result.stdout, result.stdout[-2000:]
    with duckdb.connect(str(run.db)) as connection:
        built = connection.execute("select count(*) from duckdb_tables() where schema_name = 'marts'").fetchone()[0]
    assert built == 0, "nothing was built"


def test_statuses_in_any_case_in_the_configuration_give_the_same_files(tmp_path: Path, sample_run: PipelineRun) -> None:
    """The CRM's statuses are compared in lower case; so are those of the configuration (data_issues.csv names the
    statuses as the configuration writes them)."""
    capitalised = {
        "subscription_statuses": ["Active", " Trial ", "Cancelled", "EXPIRED"],
        "live_statuses": ["Active", "TRIAL "],
    }
    run = build_and_export(tmp_path, dbt_vars=capitalised)
    for name in ["accounts.csv", "users.csv", "usage.csv"]:
        assert (run.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name


def test_a_value_that_gets_the_formula_guard_still_fits_totangos_limit(tmp_path: Path) -> None:
    """export.py puts a ' before a value that starts like a formula: the value is cut one character shorter, so
    that the file holds at most the limit. And ids with accents written as separate marks (José decomposed, as
    macOS writes it) are letters, sent in their composed form (test_unicode_forms.py)."""
    jose = "Jose\u0301-1"
    composed = "Jos\u00e9-1"
    exports = {
        "raw_crm_accounts": [{"account_id": jose, "account_name": "=" + "N" * 200}],
        "raw_crm_subscriptions": [{"subscription_id": "S1", "account_id": jose, "product": "Analytics",
                                   "status": "active"}],
        "raw_app_users": [{"user_id": "U1", "email": "jose\u0301@x.com", "account_id": jose, "product": "Analytics",
                           "title": "-" + "t" * 300, "first_name": "-" + "1" * 254}],
        "raw_app_events": [{"event_id": "E1", "user_id": "U1", "account_id": jose, "product": "Analytics",
                            "module": "@" + "m" * 150, "action": "+" + "a" * 250, "occurred_at": "2026-11-01"}],
    }  # fmt: skip
    write_raw_exports(tmp_path / "raw", exports)
    run = build_and_export(tmp_path, raw_dir=tmp_path / "raw")
    accounts = {row["Account ID"]: row for row in read_csv(run.out / "accounts.csv")}
    assert set(accounts) == {composed, composed + "__analytics"}
    assert accounts[composed]["Account Name"] == "'=" + "N" * 126
    user = read_csv(run.out / "users.csv")[0]
    assert user["User ID"] == "jos\u00e9@x.com" and user["Title"] == "'-" + "t" * 253
    assert user["First Name"] == "-" + "1" * 254, "a plain number needs no room for a guard"
    usage = read_csv(run.out / "usage.csv")
    assert [(row["Action"], row["Module"]) for row in usage] == [("'+" + "a" * 188, "'@" + "m" * 98)]
