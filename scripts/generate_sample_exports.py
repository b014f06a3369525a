"""Write the sample raw exports in seeds/: realistic, deterministic, and salted with every kind of bad row.

The four files follow docs/contract/raw-exports.md. Most rows are clean; a fixed list of bad rows is added on
purpose (see the BAD ROWS sections) so that a run on the sample shows every rule of the contract at work.
Run it again after changing it: `python scripts/generate_sample_exports.py` (same seed, same files).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SEED = 20261125
PRODUCTS = ["Analytics", "Engage", "Data Hub"]
MODULES = {
    "Analytics": [("Reports", "Export report"), ("Reports", "View report"), ("Dashboards", "Create dashboard")],
    "Engage": [("Campaigns", "Send campaign"), ("Campaigns", "Edit campaign"), ("Journeys", "Publish journey")],
    "Data Hub": [("Pipelines", "Run pipeline"), ("Connectors", "Add connector"), ("Pipelines", "Schedule pipeline")],
}
INDUSTRIES = ["Software", "Retail", "Healthcare", "Finance", "Manufacturing", "Media"]
REGIONS = ["NA", "EMEA", "APAC"]
SEGMENTS = ["Enterprise", "Mid-Market", "SMB"]
FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo", "Nia"]
LAST_NAMES = ["Smith", "García", "Okafor", "Müller", "Chen", "Patel", "Rossi", "Kowalski", "Dubois", "Tanaka"]
TITLES = ["Analyst", "VP Sales", "Engineer", "Marketing Lead", "CFO", "Ops Manager", ""]
ORG_NAMES = [
    "Acme, Inc.",
    "Globex",
    "Initech",
    "Umbrella Group",
    'The "Best" Company',
    "Müller Holding",
    "Société Nouvelle",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
]

ACCOUNT_COLUMNS = [
    "account_id", "account_name", "parent_account_id", "industry", "region", "segment",
    "csm_email", "created_at", "updated_at",
]  # fmt: skip
SUBSCRIPTION_COLUMNS = [
    "subscription_id", "account_id", "product", "plan", "seats", "contract_value", "currency",
    "start_date", "renewal_date", "status",
]  # fmt: skip
USER_COLUMNS = [
    "user_id", "email", "account_id", "product", "first_name", "last_name", "role", "title",
    "is_key_contact", "created_at", "last_login_at",
]  # fmt: skip
EVENT_COLUMNS = ["event_id", "user_id", "account_id", "product", "module", "action", "occurred_at"]

BASE_DAY = datetime(2026, 11, 1, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_accounts(rng: random.Random) -> list[dict]:
    """Organisations, their divisions and subsidiaries: trees up to three levels deep."""
    accounts: list[dict] = []
    number = 100

    def add(name: str, parent: str) -> str:
        nonlocal number
        number += 1
        account_id = f"ACC-{number}"
        created = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 1800))
        accounts.append(
            {
                "account_id": account_id,
                "account_name": name,
                "parent_account_id": parent,
                "industry": rng.choice(INDUSTRIES),
                "region": rng.choice(REGIONS),
                "segment": rng.choice(SEGMENTS),
                "csm_email": rng.choice(["jane.doe@ourco.com", "raj.k@ourco.com", "Li.Wei@OurCo.com "]),
                "created_at": created.isoformat(),
                "updated_at": iso(BASE_DAY - timedelta(days=rng.randrange(1, 300), minutes=rng.randrange(1440))),
            }
        )
        return account_id

    for org_name in ORG_NAMES:
        org_id = add(org_name, "")
        for division_number in range(rng.randrange(0, 3)):
            division_id = add(f"{org_name} {rng.choice(REGIONS)} Division {division_number + 1}", org_id)
            for subsidiary_number in range(rng.randrange(0, 3)):
                add(f"{org_name} Subsidiary {division_number + 1}.{subsidiary_number + 1}", division_id)
    return accounts


def bad_accounts(accounts: list[dict]) -> list[dict]:
    """BAD ROWS: one of each thing the accounts contract handles."""
    first, second = accounts[0], accounts[1]
    stale_copy = dict(first, account_name="Acme (old name)", updated_at="2020-01-01T00:00:00Z")
    padded_copy = dict(second, account_id=f"  {second['account_id']} ", updated_at="2019-06-01T00:00:00Z")
    base = {key: "" for key in ACCOUNT_COLUMNS}
    return [
        stale_copy,  # duplicate id, older: dropped
        padded_copy,  # duplicate id once trimmed: dropped
        dict(base, account_name="Row with no id", region="NA"),  # blank id: dropped
        dict(base, account_id="ACC-900", account_name="Orphan Ltd", parent_account_id="ACC-404",
             segment="SMB", created_at="2021-04-01"),  # unknown parent: kept at the top
        dict(base, account_id="ACC-910", account_name="Loop North", parent_account_id="ACC-911"),  # cycle
        dict(base, account_id="ACC-911", account_name="Loop South", parent_account_id="ACC-910"),  # cycle
        dict(base, account_id="ACC-912", account_name="Loop Child", parent_account_id="ACC-911"),  # below a cycle
        dict(base, account_id="ACC-920", account_name="=HYPERLINK(\"http://x\")", region="EMEA",
             created_at="31/12/2020"),  # formula-like name, Excel-mangled date
        dict(base, account_id="ACC-930", account_name="", parent_account_id=""),  # blank name
        dict(base, account_id="ACC-940", account_name="Prospect Only Co", industry="Retail"),  # no product
    ]  # fmt: skip


def build_subscriptions(rng: random.Random, accounts: list[dict]) -> list[dict]:
    subscriptions: list[dict] = []
    number = 5000
    customer_ids = [a["account_id"] for a in accounts if rng.random() < 0.7]
    for account_id in customer_ids:
        currency = rng.choice(["USD", "USD", "EUR", ""])  # one currency per customer, blank meaning USD
        for product in rng.sample(PRODUCTS, rng.randrange(1, 3)):
            for _ in range(rng.randrange(1, 4)):
                number += 1
                start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 900))
                status = rng.choices(["active", "trial", "cancelled", "expired"], [6, 1, 1, 2])[0]
                subscriptions.append(
                    {
                        "subscription_id": f"SUB-{number}",
                        "account_id": account_id,
                        "product": product,
                        "plan": rng.choice(["Starter", "Pro", "Enterprise"]),
                        "seats": str(rng.choice([5, 10, 25, 50, 100])),
                        "contract_value": f"{rng.randrange(1, 200) * 500}.00",
                        "currency": currency,
                        "start_date": start.isoformat(),
                        "renewal_date": (start + timedelta(days=365)).isoformat(),
                        "status": rng.choice([status, status, status.upper(), status.title()]),
                    }
                )
    return subscriptions


def bad_subscriptions(accounts: list[dict], subscriptions: list[dict]) -> list[dict]:
    """BAD ROWS for subscriptions, plus lines for the accounts added as bad accounts."""
    base = {key: "" for key in SUBSCRIPTION_COLUMNS}
    line = dict(base, plan="Pro", seats="10", contract_value="1000.00", currency="USD",
                start_date="2025-01-01", renewal_date="2026-01-01", status="active")  # fmt: skip
    return [
        dict(subscriptions[0]),  # same subscription id twice: the repeat is dropped
        dict(line, subscription_id="", account_id=accounts[0]["account_id"], product="Analytics"),  # blank id
        dict(line, subscription_id="SUB-9001", account_id="ACC-404", product="Analytics"),  # unknown account
        dict(line, subscription_id="SUB-9002", account_id=accounts[0]["account_id"], product="Engage",
             status="pending"),  # unknown status
        dict(line, subscription_id="SUB-9003", account_id="ACC-900", product=" Analytics "),  # padded product
        dict(line, subscription_id="SUB-9004", account_id="ACC-912", product="Engage", seats="ten"),  # bad seats
        dict(line, subscription_id="SUB-9005", account_id="ACC-910", product="Engage",
             contract_value="$1,200", status="trial"),  # Excel-styled money: kept blank
        dict(line, subscription_id="SUB-9006", account_id="ACC-920", product="Data Hub", status="expired",
             renewal_date="2025-06-30"),  # churned product account
        dict(line, subscription_id="SUB-9007", account_id="ACC-920", product="Data Hub", status="cancelled",
             renewal_date="2025-09-30"),  # churned: the latest renewal wins
        dict(line, subscription_id="SUB-9008", account_id="ACC-930", product="Analytics", status="Trial"),
        dict(line, subscription_id="SUB-9009", account_id="ACC-911", product="", status="active"),  # no product
        dict(line, subscription_id="SUB-9010", account_id="ACC-912", product="Engage", currency="GBP"),  # 2 currencies
    ]  # fmt: skip


def product_accounts(subscriptions: list[dict], known_ids: set[str]) -> list[tuple[str, str]]:
    pairs = {
        (s["account_id"].strip(), s["product"].strip())
        for s in subscriptions
        if s["account_id"].strip() in known_ids
        and s["product"].strip()
        and s["subscription_id"]
        and s["status"].lower() in {"active", "trial", "cancelled", "expired"}
    }
    return sorted(pairs)


def build_users(rng: random.Random, pairs: list[tuple[str, str]]) -> list[dict]:
    users: list[dict] = []
    number = 0
    for account_id, product in pairs:
        for _ in range(rng.randrange(3, 12)):
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            created = BASE_DAY - timedelta(days=rng.randrange(30, 700))
            users.append(
                {
                    "user_id": f"U{number:05d}",
                    "email": f"{first}.{last}{number}@{account_id.lower()}.example.com",
                    "account_id": account_id,
                    "product": product,
                    "first_name": first,
                    "last_name": last,
                    "role": rng.choice(["admin", "member", "member", "viewer"]),
                    "title": rng.choice(TITLES),
                    "is_key_contact": rng.choice(["true", "false", "yes", "no", "1", "0", "", "Yes", "FALSE"]),
                    "created_at": iso(created),
                    "last_login_at": iso(BASE_DAY - timedelta(hours=rng.randrange(1, 2000))),
                }
            )
    return users


def bad_users(users: list[dict], pairs: list[tuple[str, str]]) -> list[dict]:
    """BAD ROWS for users."""
    base = {key: "" for key in USER_COLUMNS}
    account_id, product = pairs[0]
    other_account, other_product = pairs[1]
    return [
        dict(users[0], last_login_at="2024-01-01T00:00:00Z", title="old copy"),  # duplicate id, older login
        dict(users[1], title="same login, later in file"),  # duplicate id, same login: the first wins
        dict(base, user_id="", email="nobody@example.com", account_id=account_id, product=product),  # blank id
        dict(base, user_id="U90001", email="bob@", account_id=account_id, product=product),  # invalid email
        dict(base, user_id="U90002", email="", account_id=account_id, product=product),  # blank email
        dict(base, user_id="U90003", email="  Mixed.Case@Example.COM ", account_id=account_id, product=product,
             first_name="+Plus", last_name="-Minus", title="@Mention", is_key_contact="maybe",
             created_at="12/03/2024"),  # formula-like names, unreadable bool and date: kept
        dict(base, user_id="U90004", email="mixed.case@example.com", account_id=other_account,
             product=other_product),  # same email in another product account: a second Totango user
        dict(base, user_id="U90005", email="MIXED.CASE@example.com", account_id=account_id,
             product=product),  # same email, same product account: merged into U90003
        dict(base, user_id="U90006", email="ghost@example.com", account_id="ACC-940",
             product="Analytics"),  # account has no such product account
        dict(base, user_id="U90007", email="lost@example.com", account_id="ACC-404",
             product="Engage"),  # unknown account
    ]  # fmt: skip


def build_events(rng: random.Random, users: list[dict]) -> list[dict]:
    events: list[dict] = []
    offsets = ["Z", "Z", "+00:00", "+02:00", "-05:00", ""]
    for number in range(1, 3001):
        user = rng.choice(users)
        module, action = rng.choice(MODULES[user["product"]])
        moment = BASE_DAY + timedelta(days=rng.randrange(0, 20), seconds=rng.randrange(86400))
        offset = rng.choice(offsets)
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{rng.randrange(1000):03d}" if number % 3 else "")
        events.append(
            {
                "event_id": f"EV-{number:06d}",
                "user_id": user["user_id"],
                "account_id": user["account_id"],
                "product": user["product"],
                "module": module,
                "action": action,
                "occurred_at": stamp + offset,
            }
        )
    return events


def bad_events(events: list[dict], users: list[dict]) -> list[dict]:
    """BAD ROWS for events."""
    base = dict(events[0])
    return [
        dict(events[5]),  # re-delivered: same event id
        dict(events[6]),
        dict(base, event_id=""),  # blank id
        dict(base, event_id="EV-900001", user_id="U99999"),  # unknown user
        dict(base, event_id="EV-900002", user_id="U90001"),  # user rejected (invalid email)
        dict(base, event_id="EV-900003", occurred_at="11/03/2026 14:02"),  # Excel-mangled timestamp
        dict(base, event_id="EV-900004", occurred_at=""),  # no timestamp
        dict(base, event_id="EV-900005", module=""),  # blank module
        dict(base, event_id="EV-900006", action="  "),  # blank action
        dict(base, event_id="EV-900007", action="=cmd|' /C calc'!A0"),  # formula-like action: kept, guarded
        dict(base, event_id="EV-900008", user_id="U90005", account_id=users[0]["account_id"],
             product=users[0]["product"], occurred_at="2026-11-02T09:30:00+05:30"),  # merged user: kept
        dict(base, event_id="EV-900009", account_id="ACC-999"),  # names another account than its user's: kept
    ]  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "seeds")
    args = parser.parse_args()
    rng = random.Random(SEED)

    accounts = build_accounts(rng)
    subscriptions = build_subscriptions(rng, accounts)
    all_accounts = accounts + bad_accounts(accounts)
    all_subscriptions = subscriptions + bad_subscriptions(accounts, subscriptions)
    pairs = product_accounts(all_subscriptions, {a["account_id"].strip() for a in all_accounts})
    users = build_users(rng, pairs)
    all_users = users + bad_users(users, pairs)
    events = build_events(rng, users)
    all_events = events + bad_events(events, users)

    # Shuffle so that the bad rows are not all at the end, as in a real export. Users stay in order:
    # the tie rule for duplicate users ("the first in the file wins") is shown by a copy placed last.
    for rows in (all_accounts, all_subscriptions, all_events):
        rng.shuffle(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, all_accounts)
    write_csv(args.out / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, all_subscriptions)
    write_csv(args.out / "raw_app_users.csv", USER_COLUMNS, all_users)
    write_csv(args.out / "raw_app_events.csv", EVENT_COLUMNS, all_events)
    for name, rows in [("accounts", all_accounts), ("subscriptions", all_subscriptions),
                       ("users", all_users), ("events", all_events)]:  # fmt: skip
        print(f"{name}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
