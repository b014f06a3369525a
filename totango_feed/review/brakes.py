"""The brakes: limits on how much one export may change from the last published one. A change over a limit holds
the export (nothing published, nothing recorded, exit code 3) until someone accepts it with --accept-changes.

The limits are the dbt var review_brakes in dbt_project.yml (read from the file, as check_exports.py reads its
vars); null turns a brake off. The defaults there are set well above what a real CRM's daily churn does and well
below what a broken export does (docs/review-and-brakes.md). Each measured value comes from the comparison's SQL
(compare.py); here it is only held against its limit.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb

from totango_feed.project import project_vars
from totango_feed.review.compare import Comparison

# Fewer earlier exports than this and the median of their usage says little: the usage brake waits.
MIN_USAGE_HISTORY = 3


class BrakeSettingsRefused(Exception):
    """var review_brakes cannot work; worded for the person exporting."""


# name: (what it is, its check): every limit the var must give, each a number or null.
LIMITS = {
    "accounts_removed": "a share (0 to 1) of the last export's accounts",
    "users_removed": "a share (0 to 1) of the last export's users",
    "column_blanked": "a share (0 to 1) of a file's rows",
    "accounts_reparented": "a share (0 to 1) of the accounts in both exports",
    "usage_below_median": "a ratio to the median, between 0 and 1",
    "usage_above_median": "a ratio to the median, more than 1",
    "usage_median_exports": f"a whole number of exports, at least {MIN_USAGE_HISTORY}",
    "issue_rate_factor": "a factor, at least 1",
    "issue_rate_points": "a share (0 to 1): percentage points / 100",
    "min_rows": "a whole number of rows, at least 0",
}


# The range of each limit that is not a share (0, 1].
RANGES = {
    "usage_median_exports": lambda value: isinstance(value, int) and MIN_USAGE_HISTORY <= value <= 1000,
    "usage_above_median": lambda value: 1 < value < float("inf"),
    "issue_rate_factor": lambda value: 1 <= value < float("inf"),
    "issue_rate_points": lambda value: 0 <= value <= 1,
    "min_rows": lambda value: isinstance(value, int) and value >= 0,
}


def valid(name: str, value: object) -> bool:
    if value is None:
        return name != "usage_median_exports"  # the median needs a number of exports; the ratios turn it off
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:  # noqa: PLR0124 - NaN
        return False
    return RANGES.get(name, lambda share: 0 < share <= 1)(value)


def read_limits(variables: dict | None = None) -> dict[str, float | None]:
    """The limits of var review_brakes, checked: every one given, each a number in its range or null."""
    limits = (project_vars() if variables is None else variables).get("review_brakes")
    if not isinstance(limits, dict):
        raise BrakeSettingsRefused(
            "dbt_project.yml: var review_brakes is missing or not a mapping of limits; give "
            + ", ".join(LIMITS)
            + " (null turns one off)."
        )
    unknown = sorted(set(limits) - set(LIMITS))
    missing = [name for name in LIMITS if name not in limits]
    if unknown or missing:
        raise BrakeSettingsRefused(
            "dbt_project.yml: var review_brakes "
            + (f"has unknown limit(s) {', '.join(map(str, unknown))}" if unknown else "")
            + (" and " if unknown and missing else "")
            + (f"lacks {', '.join(missing)}" if missing else "")
            + "; the limits are "
            + ", ".join(LIMITS)
            + " (null turns one off)."
        )
    for name, value in limits.items():
        if not valid(name, value):
            raise BrakeSettingsRefused(
                f"dbt_project.yml: var review_brakes {name} is {value!r}; it must be {LIMITS[name]}, or null to turn "
                "that brake off."
            )
    return dict(limits)


@dataclass(frozen=True)
class BrakeCheck:
    """One brake held against this export: what it measured, its limit, and whether it tripped."""

    brake: str  # its limit's name in var review_brakes
    label: str
    measured: str  # for people: "25 of 74 (33.8%)"; "" when it does not apply
    limit: str  # for people: "over 10%"
    tripped: bool
    # Why the brake does not apply to this export ("" when it does).
    not_applied: str = ""

    def line(self) -> str:
        return f"{self.label}: {self.measured}, {self.limit}"


def percent(share: float | None) -> str:
    return "?" if share is None else f"{share * 100:.1f}%"


def at_least(min_rows: int) -> str:
    return f", and at least {min_rows:,} rows" if min_rows > 1 else ""


def share_check(
    brake: str, label: str, part: int, whole: int, *, of: str, limit: float | None, min_rows: int = 0
) -> BrakeCheck:
    """part of whole over the limit's share, and at least min_rows of them (a share of a handful is chance)."""
    if limit is None:
        return BrakeCheck(brake, label, "", "off", False, "turned off (null in var review_brakes)")
    limit_text = f"limit {percent(limit)}{at_least(min_rows)}"
    if not whole:
        return BrakeCheck(brake, label, "", limit_text, False, f"the last export had no {of}")
    share = part / whole
    measured = f"{part:,} of {whole:,} {of} ({percent(share)})"
    return BrakeCheck(brake, label, measured, limit_text, share > limit and part >= min_rows)


def blanked_checks(
    file: str, columns: list[dict], in_both: int, limit: float | None, min_rows: int
) -> list[BrakeCheck]:
    """The columns of a file whose values became blank for over the limit's share of the rows in both exports;
    when none did, one line for the file with its worst column, so that the review stays short."""
    compared = [column for column in columns if column["sent_now"] and column["sent_then"]]
    checks = [
        share_check(
            "column_blanked",
            f"{file} {column['column_name']} blanked",
            column["blanked"],
            in_both,
            of="rows",
            limit=limit,
            min_rows=min_rows,
        )  # fmt: skip
        for column in compared
    ]
    tripped = [check for check in checks if check.tripped]
    if tripped:
        return tripped
    check = share_check("column_blanked", f"{file} columns blanked", 0, in_both, of="rows", limit=limit,
                        min_rows=min_rows)  # fmt: skip
    worst = max(compared, key=lambda column: column["blanked"], default=None)
    if check.not_applied or worst is None or not worst["blanked"]:
        return [dataclasses.replace(check, measured=check.measured and f"none of {in_both:,} rows")]
    share = worst["blanked"] / in_both
    measured = f"at most {worst['blanked']:,} of {in_both:,} rows ({percent(share)}), in {worst['column_name']}"
    return [dataclasses.replace(check, measured=measured)]


def usage_check(comparison: Comparison, limits: dict, is_full: bool) -> BrakeCheck:
    below, above = limits["usage_below_median"], limits["usage_above_median"]
    bounds = " or ".join([*([f"under {below:g}"] if below is not None else []),
                          *([f"over {above:g}"] if above is not None else [])])  # fmt: skip
    limit_text = (
        f"limit {bounds} times the median of the last {limits['usage_median_exports']} exports"
        f"{at_least(limits['min_rows'] or 0).replace('rows', 'events from it')}"
    )
    label = "usage events against the median"
    baseline = comparison.usage_baseline
    events, median, exports = baseline["now_events"], baseline["median_events"], baseline["exports"]
    if below is None and above is None:
        return BrakeCheck("usage", label, "", "off", False, "turned off (null in var review_brakes)")
    if is_full:
        return BrakeCheck("usage", label, "", limit_text, False, "--full sends every event again, on purpose")
    if not events:
        return BrakeCheck("usage", label, "", limit_text, False,
                          "this export sends no usage: nothing to hold (late events go out with the next)")  # fmt: skip
    if exports < MIN_USAGE_HISTORY:
        return BrakeCheck("usage", label, "", limit_text, False,
                          f"needs {MIN_USAGE_HISTORY} earlier exports that sent usage (not the first, not --full); "
                          f"has {exports}")  # fmt: skip
    ratio = events / median
    measured = f"{events:,} events, {ratio:.2f} times the median of {median:,.0f}"
    tripped = (below is not None and ratio < below) or (above is not None and ratio > above)
    return BrakeCheck(
        "usage", label, measured, limit_text, tripped and abs(events - median) >= (limits["min_rows"] or 0)
    )


def issue_rate_check(rate: dict, limits: dict) -> BrakeCheck:
    factor, points = limits["issue_rate_factor"], limits["issue_rate_points"]
    label = f"{rate['source']} data-issue rate"
    if factor is None and points is None:
        return BrakeCheck("issue_rate", label, "", "off", False, "turned off (null in var review_brakes)")
    limit_text = (
        f"limit {factor or 1:g} times the last export's rate and {(points or 0) * 100:g} points above it"
        f"{at_least(limits['min_rows'] or 0).replace('rows', 'issue rows more than that rate gives')}"
    )
    if rate["rate_then"] is None or rate["rate_now"] is None:
        return BrakeCheck("issue_rate", label, "", limit_text, False, "no rate to compare with")
    scope = " read since the last export" if rate["on_new_rows"] else ""
    measured = (
        f"{rate['issues_measured']:,} issue rows in {rate['rows_measured']:,} rows{scope} "
        f"({percent(rate['rate_now'])}), was {percent(rate['rate_then'])}"
    )
    # The issue rows past what the last export's rate would give for as many rows.
    extra = rate["issues_measured"] - rate["rate_then"] * rate["rows_measured"]
    tripped = (
        rate["rate_now"] > rate["rate_then"] * (factor or 1)
        and rate["rate_now"] - rate["rate_then"] > (points or 0)
        and extra >= (limits["min_rows"] or 0)
    )
    return BrakeCheck("issue_rate", label, measured, limit_text, tripped)


FIRST_EXPORT_LABELS = {
    "accounts_removed": "accounts removed",
    "users_removed": "users removed",
    "column_blanked": "columns blanked",
    "accounts_reparented": "accounts re-parented",
    "usage": "usage events against the median",
    "issue_rate": "data-issue rates",
}


def evaluate(comparison: Comparison, limits: dict, is_full: bool) -> list[BrakeCheck]:
    """Every brake against this export. The first export has nothing to compare with: none applies."""
    if comparison.first:
        return [BrakeCheck(brake, label, "", "", False, "the first export: nothing to compare with")
                for brake, label in FIRST_EXPORT_LABELS.items()]  # fmt: skip
    accounts, users = comparison.accounts.summary, comparison.users.summary
    min_rows = limits["min_rows"] or 0
    checks = [
        share_check("accounts_removed", "accounts removed", accounts["removed"], accounts["then_rows"],
                    of="accounts", limit=limits["accounts_removed"], min_rows=min_rows),
        share_check("users_removed", "users removed", comparison.user_counts["removed"],
                    comparison.user_counts["then_users"], of="users", limit=limits["users_removed"],
                    min_rows=min_rows),
        *blanked_checks("accounts.csv", comparison.accounts.columns, accounts["in_both"], limits["column_blanked"],
                        min_rows),
        *blanked_checks("users.csv", comparison.users.columns, users["in_both"], limits["column_blanked"], min_rows),
        share_check("accounts_reparented", "accounts re-parented", accounts["reparented"], accounts["in_both"],
                    of="accounts in both exports", limit=limits["accounts_reparented"], min_rows=min_rows),
        usage_check(comparison, limits, is_full),
        *(issue_rate_check(rate, limits) for rate in comparison.issue_rates),
    ]  # fmt: skip
    return checks


ACCEPTED_SQL = """
create schema if not exists ledger;
-- Exports published although a brake tripped (export.py --accept-changes): who accepted, why, and what tripped.
-- A row whose run is not published in ledger.export_runs was accepted but did not go out (it failed after).
create table if not exists ledger.accepted_changes (
    run_id varchar not null,
    accepted_at timestamp not null,
    accepted_by varchar not null,
    reason varchar not null,
    brakes_tripped varchar not null      -- JSON: [{brake, label, measured, limit}]
);
"""


@dataclass(frozen=True)
class Acceptance:
    reason: str
    accepted_by: str
    brakes_tripped: list[dict]

    def manifest_entry(self) -> dict:
        return asdict(self)


def accept(reason: str, tripped: list[BrakeCheck]) -> Acceptance:
    try:
        who = getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment (a container without one)
        who = "unknown"
    entries = [{"brake": c.brake, "label": c.label, "measured": c.measured, "limit": c.limit} for c in tripped]
    return Acceptance(reason=reason, accepted_by=who, brakes_tripped=entries)


def record_acceptance(
    connection: duckdb.DuckDBPyConnection, run_id: str, accepted_at: datetime, acceptance: Acceptance
) -> None:
    connection.execute(ACCEPTED_SQL)
    connection.execute(
        "insert into ledger.accepted_changes values (?, ?, ?, ?, ?)",
        [run_id, accepted_at, acceptance.accepted_by, acceptance.reason, json.dumps(acceptance.brakes_tripped)],
    )
