"""A customer's feed day after day, for the review and brake tests: the sample's raw exports in folder mode (the
events as a folder of day files), changed the way a real CRM changes from one day to the next, or broken the way
a bad export is, then built and exported into a folder per day.

New events copy valid sample events (known users) with new ids, an Action that names the event (`act-<id>`, so
that a usage row says which event it is) and a timestamp on the day.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import duckdb
from pipeline import SEEDS_DIR, PipelineRun, dbt, export, read_csv

from totango_feed.project import contract_columns


def write_rows(path: Path, name: str, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=contract_columns()[name], lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Exported:
    """One export of a day: where it went, what it said, how it ended."""

    name: str
    out: Path
    result: subprocess.CompletedProcess[str]

    @property
    def code(self) -> int:
        return self.result.returncode

    def page(self) -> str:
        return (self.out / "review.html").read_text(encoding="utf-8")

    def markdown(self) -> str:
        return (self.out / "review.md").read_text(encoding="utf-8")


class World:
    """The raw folder, the database and the export folders of one feed."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.raw = base / "raw"
        self.run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "out")
        self.raw.mkdir(parents=True)
        self.accounts = read_csv(SEEDS_DIR / "raw_crm_accounts.csv")
        self.subscriptions = read_csv(SEEDS_DIR / "raw_crm_subscriptions.csv")
        self.users = read_csv(SEEDS_DIR / "raw_app_users.csv")
        self._valid_events: list[dict[str, str]] = []
        shutil.copy(SEEDS_DIR / "raw_app_events.csv", self.raw_events / "0-sample.csv")
        self.save()

    @property
    def raw_events(self) -> Path:
        folder = self.raw / "raw_app_events"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def save(
        self,
        accounts: list[dict[str, str]] | None = None,
        subscriptions: list[dict[str, str]] | None = None,
        users: list[dict[str, str]] | None = None,
    ) -> None:
        """Today's CRM and users exports: the world's own, or a changed copy for one day."""
        write_rows(self.raw / "raw_crm_accounts.csv", "raw_crm_accounts", accounts or self.accounts)
        write_rows(self.raw / "raw_crm_subscriptions.csv", "raw_crm_subscriptions", subscriptions or self.subscriptions)
        write_rows(self.raw / "raw_app_users.csv", "raw_app_users", users or self.users)

    @property
    def valid_events(self) -> list[dict[str, str]]:
        """Sample events the first build sent (a known user, a readable timestamp...), to copy as new ones."""
        if not self._valid_events:
            with duckdb.connect(str(self.run.db), read_only=True) as connection:
                valid = {row[0] for row in connection.execute(
                    "select event_id from intermediate.int_events_checked where rejection_code is null"
                ).fetchall()}  # fmt: skip
            self._valid_events = [e for e in read_csv(SEEDS_DIR / "raw_app_events.csv") if e["event_id"] in valid]
        return self._valid_events

    def new_events(self, file: str, day: str, count: int, broken_timestamps: int = 0) -> list[str]:
        """A day file of `count` valid new events (and `broken_timestamps` events whose timestamp cannot be read);
        returns the valid events' ids. Call after the first build."""
        rows, ids = [], []
        for number in range(count + broken_timestamps):
            source = self.valid_events[number % len(self.valid_events)]
            event_id = f"{file}-{number:04d}"
            stamp = f"{day}T{number % 24:02d}:{number % 60:02d}:00Z"
            if number >= count:
                stamp = f"{day[8:10]}/{day[5:7]}/{day[:4]} 10:00"  # not ISO 8601: invalid_timestamp
            else:
                ids.append(event_id)
            rows.append(dict(source, event_id=event_id, action=f"act-{event_id}", occurred_at=stamp))
        write_rows(self.raw_events / f"{file}.csv", "raw_app_events", rows)
        return ids

    def build(self) -> None:
        result = dbt(self.run, "build", raw_dir=self.raw)
        assert result.returncode == 0, result.stdout[-4000:]

    def export(self, name: str, *args: str) -> Exported:
        out = self.base / "out" / name
        run = PipelineRun(db=self.run.db, target=self.run.target, out=out)
        return Exported(name, out, export(run, *args))

    def ledger_counts(self) -> dict[str, int]:
        """Rows of each table of the ledger, and of the review's snapshots (none before the first export)."""
        with duckdb.connect(str(self.run.db), read_only=True) as connection:
            tables = connection.execute(
                "select schema_name || '.' || table_name from duckdb_tables() where schema_name in ('ledger', 'review')"
            ).fetchall()
            return {table: connection.execute(f"select count(*) from {table}").fetchall()[0][0] for (table,) in tables}

    def marts(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """accounts and users as the last build left them (what the next export would send)."""
        with duckdb.connect(str(self.run.db), read_only=True) as connection:
            found = []
            for mart in ("marts.totango_accounts", "marts.totango_users"):
                result = connection.execute(f"select * from {mart}")
                names = [c[0] for c in result.description]
                found.append([{n: ("" if v is None else str(v)) for n, v in zip(names, row, strict=True)}
                              for row in result.fetchall()])  # fmt: skip
            return found[0], found[1]


class PageNumbers(HTMLParser):
    """The numbers a review page shows, read from its (browser-rendered) DOM: the summary rows (data-metric) and
    the brakes (data-brake, data-tripped), the per-column rows (data-column)."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics: dict[str, dict[str, str]] = {}
        self.brakes: list[dict[str, str]] = []
        self.columns: dict[str, dict[str, str]] = {}
        self.outcome = ""
        self._row: dict | None = None
        self._cell: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "data-outcome" in attributes:
            self.outcome = attributes["data-outcome"] or ""
        if tag == "tr" and "data-metric" in attributes:
            self._row = {"kind": "metric", "key": attributes["data-metric"], "cells": []}
        elif tag == "tr" and "data-brake" in attributes:
            self._row = {"kind": "brake", "brake": attributes["data-brake"], "tripped": attributes["data-tripped"],
                         "cells": []}  # fmt: skip
        elif tag == "tr" and "data-column" in attributes:
            self.columns[attributes["data-column"] or ""] = {
                "changed": attributes["data-changed"] or "",
                "blanked": attributes["data-blanked"] or "",
            }
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._text = tag, []

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell:
            self._row["cells"].append(" ".join("".join(self._text).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            row, self._row = self._row, None
            if row["kind"] == "metric":
                self.metrics[row["key"]] = {"label": row["cells"][0], "then": row["cells"][1], "now": row["cells"][2]}
            else:
                self.brakes.append({"brake": row["brake"], "tripped": row["tripped"], "label": row["cells"][0],
                                    "measured": row["cells"][1]})  # fmt: skip


def page_numbers(html: str) -> PageNumbers:
    parser = PageNumbers()
    parser.feed(html)
    return parser


def as_number(text: str) -> int | None:
    return None if text == "–" else int(text.replace(",", ""))


# The days ------------------------------------------------------------------------------------------------------


def ordinary_day(world: World) -> None:
    """A day of ordinary CRM churn, kept: an account and its subscription added (a new division of Initech, with a
    user), a renamed account, a CSM handed over, a subscription cancelled (a status change), a user's new title."""
    world.accounts.append({"account_id": "ACC-150", "account_name": "Initech Labs", "parent_account_id": "ACC-108",
                           "industry": "Software", "region": "NA", "segment": "SMB", "csm_email": "raj.k@ourco.com",
                           "created_at": "2026-11-25", "updated_at": "2026-11-25T09:00:00Z"})  # fmt: skip
    world.subscriptions.append({"subscription_id": "SUB-6001", "account_id": "ACC-150", "product": "Analytics",
                                "plan": "Starter", "seats": "5", "contract_value": "1200.00", "currency": "USD",
                                "start_date": "2026-11-25", "renewal_date": "2027-11-25",
                                "status": "trial"})  # fmt: skip
    world.users.append({"user_id": "U09001", "email": "ana.labs@acc-150.example.com", "account_id": "ACC-150",
                        "product": "Analytics", "first_name": "Ana", "last_name": "Labs", "role": "admin",
                        "is_key_contact": "yes", "created_at": "2026-11-25T00:00:00Z",
                        "last_login_at": "2026-11-25T10:00:00Z"})  # fmt: skip
    for row in world.accounts:
        if row["account_id"] == "ACC-136":  # renamed, to a name no page may run or render as markup
            row["account_name"] = HOSTILE_NAME
        if row["account_id"] == "ACC-125":
            row["csm_email"] = "raj.k@ourco.com"
    for row in world.subscriptions:
        if row["subscription_id"] == "SUB-5038":  # ACC-118's only Engage line: its product account churns
            row["status"] = "cancelled"
    changed_title = next(row for row in world.users if row["title"])
    changed_title["title"] = "Head of " + changed_title["title"]


HOSTILE_NAME = 'Wayne <script>alert(1)</script> & "Co" </style> | `x` [a](http://x)'


# Each bad day is a copy of the world's exports, broken as one bad export breaks them; the world itself is kept.
FAMILIES_GONE = ("ACC-114", "ACC-115", "ACC-116", "ACC-117", "ACC-118", "ACC-119", "ACC-129", "ACC-130", "ACC-131",
                 "ACC-132", "ACC-133", "ACC-134", "ACC-135", "ACC-108", "ACC-109", "ACC-110", "ACC-111", "ACC-112",
                 "ACC-113")  # fmt: skip
DIVISION_PARENTS = ("ACC-101", "ACC-108", "ACC-114", "ACC-121", "ACC-125", "ACC-129", "ACC-136")


def accounts_gone(world: World) -> list[dict[str, str]]:
    """A filter left on in the CRM export: three account families (about a third of the accounts) are missing."""
    return [row for row in world.accounts if row["account_id"].strip() not in FAMILIES_GONE]


def region_blank(world: World) -> list[dict[str, str]]:
    """The CRM export's Region column came out blank."""
    return [dict(row, region="") for row in world.accounts]


def divisions_moved(world: World) -> list[dict[str, str]]:
    """A re-parenting gone wrong: every division moved under one organization (Hooli)."""
    return [dict(row, parent_account_id="ACC-128") if row["parent_account_id"] in DIVISION_PARENTS else row
            for row in world.accounts]  # fmt: skip


def users_gone(world: World) -> list[dict[str, str]]:
    """The product's user export stopped a third of the way through... from the end: two thirds are kept."""
    return world.users[: len(world.users) * 2 // 3]
