"""Look before it goes (issue 18): every export writes a review of what changed since the last published export, and
brakes hold an export whose changes are past their limits (exit code 3: nothing published, nothing recorded).

One feed is run once for the module (review_world.py): the first export, three days of new events, an ordinary day
of CRM churn, then bad days (a third of the accounts gone, a column blanked, divisions moved under one account,
a third of the users gone, usage collapsed, a day of unreadable timestamps), each held, the last one accepted with
--accept-changes, and one more ordinary day. The tests read what each export did. The numbers the pages must show
are computed here from the files the last published export wrote and the marts the next export reads, by plain
Python, never by the review's SQL. A few cases at the end build a small world of their own (test_exactly_once's).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from pipeline import PipelineRun, export, read_csv
from review_world import (
    HOSTILE_NAME,
    Exported,
    World,
    accounts_gone,
    as_number,
    divisions_moved,
    ordinary_day,
    page_numbers,
    region_blank,
    users_gone,
)
from test_exactly_once import ACCOUNT_COLUMNS, SUBSCRIPTION_COLUMNS, CrashAt, event, write_csv
from test_exactly_once import World as SmallWorld

from totango_feed import ledger
from totango_feed.review import brakes, render

pytestmark = pytest.mark.slow  # left out by make test-fast

REASON = "The product log's timestamps changed format today; fixed upstream tomorrow (ticket DATA-42)"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Each bad day, and the brakes it must trip. A third of the accounts gone takes their subscriptions, users and
# events with it, so more trips than its own brake there, as it would on a real day.
BAD_DAYS = {
    "accounts-gone": {"accounts_removed"},
    "region-blank": {"column_blanked"},
    "divisions-moved": {"accounts_reparented"},
    "users-gone": {"users_removed"},
    "usage-collapsed": {"usage"},
    "timestamps-unreadable": {"issue_rate"},
}
# Bad days that trip their brake and no other.
ONLY_THEIR_BRAKE = {"region-blank", "divisions-moved", "usage-collapsed", "timestamps-unreadable"}
PUBLISHED = ("day0", "day1", "day2", "day3", "day4", "accepted", "day6")


@dataclass
class Feed:
    world: World
    exports: dict[str, Exported] = field(default_factory=dict)
    # What the page of each export must show, computed here (metric: (then, now); then None for changes).
    expected: dict[str, dict[str, tuple[int | None, int | None]]] = field(default_factory=dict)
    # The ledger's row counts before and after each export.
    ledger_before: dict[str, dict[str, int]] = field(default_factory=dict)
    ledger_after: dict[str, dict[str, int]] = field(default_factory=dict)
    # The valid new events of each day file, by the day's name.
    events: dict[str, list[str]] = field(default_factory=dict)
    # Per bad day: values of accounts.csv's Region that became blank (counted here).
    region_blanked: int = 0

    def export(self, name: str, *args: str, last_published: str | None = None) -> Exported:
        if last_published is not None:
            self.expected[name] = expected_numbers(self.world, self.exports[last_published].out)
        self.ledger_before[name] = self.world.ledger_counts()
        exported = self.world.export(name, *args)
        self.ledger_after[name] = self.world.ledger_counts()
        self.exports[name] = exported
        return exported


def expected_numbers(world: World, last_out: Path) -> dict[str, tuple[int | None, int | None]]:
    """The review's headline numbers, from the last published export's files and the marts the export reads."""
    accounts_then = {r["Account ID"]: r for r in read_csv(last_out / "accounts.csv")}
    users_then = read_csv(last_out / "users.csv")
    accounts, users = world.marts()
    accounts_now = {r["Account ID"]: r for r in accounts}
    both = accounts_then.keys() & accounts_now.keys()
    pairs_then = {(u["User ID"], u["Account ID"]) for u in users_then}
    pairs_now = {(u["User ID"], u["Account ID"]) for u in users}
    ids_then, ids_now = {p[0] for p in pairs_then}, {p[0] for p in pairs_now}
    lost, gained = {p[0] for p in pairs_then - pairs_now}, {p[0] for p in pairs_now - pairs_then}
    with duckdb.connect(str(world.run.db), read_only=True) as connection:
        issues = connection.execute("select source, issue, outcome from marts.data_issues").fetchall()
    return {
        "accounts_rows": (len(accounts_then), len(accounts_now)),
        "users_rows": (len(users_then), len(users)),
        "data_issues_rows": (len(read_csv(last_out / "data_issues.csv")), len(issues)),
        "events_held_back": (
            None,
            sum(1 for s, i, o in issues if s == "raw_app_events" and o == "dropped" and i != "duplicate"),
        ),  # fmt: skip
        "accounts_added": (None, len(accounts_now.keys() - accounts_then.keys())),
        "accounts_removed": (None, len(accounts_then.keys() - accounts_now.keys())),
        "accounts_reparented": (None, sum(accounts_then[a]["Parent ID"] != accounts_now[a]["Parent ID"] for a in both)),
        "account_status_changes": (None, sum(accounts_then[a]["Status"] != accounts_now[a]["Status"] for a in both)),
        "users_added": (None, len(ids_now - ids_then)),
        "users_removed": (None, len(ids_then - ids_now)),
        "users_moved": (None, len(lost & gained)),
    }


def region_blanked(world: World, last_out: Path) -> int:
    then = {r["Account ID"]: r["Region"] for r in read_csv(last_out / "accounts.csv")}
    now = {r["Account ID"]: r["Region"] for r in world.marts()[0]}
    return sum(1 for a in then.keys() & now.keys() if then[a] and not now[a])


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Feed:
    world = World(tmp_path_factory.mktemp("review"))
    feed = Feed(world)
    world.build()
    feed.export("day0")
    for number, day in enumerate(("2026-11-22", "2026-11-23", "2026-11-24"), start=1):
        feed.events[f"day{number}"] = world.new_events(f"day{number}", day, 150)
        world.build()
        feed.export(f"day{number}", last_published=f"day{number - 1}")
    ordinary_day(world)
    world.save()
    feed.events["day4"] = world.new_events("day4", "2026-11-25", 150)
    world.build()
    feed.export("day4", last_published="day3")

    # Bad CRM and user exports (no new events): each held, the world's own exports restored after.
    for name, changed in (("accounts-gone", {"accounts": accounts_gone(world)}),
                          ("region-blank", {"accounts": region_blank(world)}),
                          ("divisions-moved", {"accounts": divisions_moved(world)}),
                          ("users-gone", {"users": users_gone(world)})):  # fmt: skip
        world.save(**changed)
        world.build()
        if name == "region-blank":
            feed.region_blanked = region_blanked(world, feed.exports["day4"].out)
        feed.export(name, last_published="day4")
        if name == "accounts-gone":
            feed.export("accounts-gone-dry-run", "--dry-run", last_published="day4")
    world.save()
    # The product log stops after 3 events; then a day whose events mostly have an unreadable timestamp.
    feed.events["usage-collapsed"] = world.new_events("day5a", "2026-11-26", 3)
    world.build()
    feed.export("usage-collapsed", last_published="day4")
    feed.events["timestamps-unreadable"] = world.new_events("day5b", "2026-11-26", 150, broken_timestamps=300)
    world.build()
    feed.export("timestamps-unreadable", last_published="day4")
    feed.export("accepted", "--accept-changes", REASON, last_published="day4")
    feed.events["day6"] = world.new_events("day6", "2026-11-27", 150)
    world.build()
    feed.export("day6", last_published="accepted")
    return feed


def tripped(exported: Exported) -> set[str]:
    return {b["brake"] for b in page_numbers(exported.page()).brakes if b["tripped"] == "yes"}


# The first export, and ordinary days ---------------------------------------------------------------------------


def test_the_first_export_says_it_has_nothing_to_compare_with(feed: Feed) -> None:
    day0 = feed.exports["day0"]
    assert day0.code == 0, day0.result.stderr
    page = day0.page()
    assert 'id="first-export"' in page and "nothing to compare with" in page
    assert "The first export: there is no earlier published export to compare with" in day0.markdown()
    assert "review (the first export: nothing to compare with)" in day0.result.stdout
    numbers = page_numbers(page)
    assert all(b["tripped"] == "no" and "first export" in b["measured"] for b in numbers.brakes), numbers.brakes
    accounts = read_csv(day0.out / "accounts.csv")
    assert as_number(numbers.metrics["accounts_rows"]["now"]) == len(accounts)
    assert numbers.metrics["accounts_rows"]["then"] == "–"
    # The tree holds every account it sends.
    assert page.count("data-account=") == len(accounts)


@pytest.mark.parametrize("name", ["day1", "day2", "day3", "day4", "day6"])
def test_an_ordinary_day_trips_no_brake(feed: Feed, name: str) -> None:
    exported = feed.exports[name]
    assert exported.code == 0, exported.result.stderr
    assert tripped(exported) == set()
    assert "brakes: none tripped" in exported.result.stdout
    assert (exported.out / "manifest.json").is_file()


def test_an_ordinary_days_changes_are_on_its_page(feed: Feed) -> None:
    metrics = page_numbers(feed.exports["day4"].page()).metrics
    expected = feed.expected["day4"]
    assert expected["accounts_added"][1] == 2 and expected["users_added"][1] == 1  # the day is what it says
    assert expected["account_status_changes"][1] >= 1
    for key, (then, now) in expected.items():
        assert as_number(metrics[key]["now"]) == now, key
        if then is not None:
            assert as_number(metrics[key]["then"]) == then, key
    assert as_number(metrics["usage_events"]["now"]) == len(feed.events["day4"]) == 150


# The brakes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD_DAYS))
def test_each_brake_trips_on_its_bad_day_and_holds_the_export(feed: Feed, name: str) -> None:
    exported = feed.exports[name]
    assert exported.code == 3, exported.result.stdout + exported.result.stderr
    found = tripped(exported)
    assert BAD_DAYS[name] <= found, found
    if name in ONLY_THEIR_BRAKE:
        assert found == BAD_DAYS[name]
    stderr = exported.result.stderr
    assert "export held by the brakes: nothing published, nothing recorded" in stderr
    assert "--accept-changes" in stderr
    # Which limit, and by how much: each tripped brake's line names its measure and its limit.
    for brake in page_numbers(exported.page()).brakes:
        if brake["tripped"] == "yes":
            assert f"  {brake['label']}: {brake['measured']}, limit" in stderr, (brake, stderr)


def test_the_bad_days_measures_are_what_was_broken(feed: Feed) -> None:
    brake_lines = {name: page_numbers(feed.exports[name].page()).brakes for name in BAD_DAYS}
    gone = feed.expected["accounts-gone"]
    removed = next(b for b in brake_lines["accounts-gone"] if b["brake"] == "accounts_removed")
    share = gone["accounts_removed"][1] / gone["accounts_rows"][0]
    assert share > 0.3
    assert removed["measured"] == f"{gone['accounts_removed'][1]} of {gone['accounts_rows'][0]} accounts ({share:.1%})"
    blanked = next(b for b in brake_lines["region-blank"] if b["tripped"] == "yes")
    assert blanked["label"] == "accounts.csv Region blanked"
    assert blanked["measured"].startswith(f"{feed.region_blanked} of ")
    columns = page_numbers(feed.exports["region-blank"].page()).columns
    assert int(columns["accounts.csv:Region"]["blanked"]) == feed.region_blanked > 0
    collapsed = next(b for b in brake_lines["usage-collapsed"] if b["brake"] == "usage")
    assert collapsed["measured"].startswith("3 events, 0.02 times the median of 150")
    rate = next(b for b in brake_lines["timestamps-unreadable"] if b["tripped"] == "yes")
    assert rate["label"] == "raw_app_events data-issue rate"
    assert rate["measured"].startswith("300 issue rows in 453 rows read since the last export")


@pytest.mark.parametrize("name", [*sorted(BAD_DAYS), "accounts-gone-dry-run"])
def test_a_held_export_publishes_nothing_and_records_nothing(feed: Feed, name: str) -> None:
    exported = feed.exports[name]
    assert exported.code == 3
    # Only the review, in place (no temporaries, no data file, no manifest).
    assert sorted(p.name for p in exported.out.iterdir()) == ["review.html", "review.md"]
    assert feed.ledger_after[name] == feed.ledger_before[name]
    assert feed.ledger_after[name]["review.snapshots"] == feed.ledger_after[name]["ledger.export_runs"]
    with duckdb.connect(str(feed.world.run.db), read_only=True) as connection:
        statuses = {r[0] for r in connection.execute("select status from ledger.export_runs").fetchall()}
    assert statuses == {"published"}, "no run row that recovery would have to settle"


def test_a_dry_run_reviews_as_the_export_would_and_writes_only_the_review(feed: Feed) -> None:
    dry, real = feed.exports["accounts-gone-dry-run"], feed.exports["accounts-gone"]
    assert "dry run: nothing published, nothing recorded; only the review is written" in dry.result.stdout
    assert "export would be held by the brakes" in dry.result.stderr
    assert page_numbers(dry.page()).outcome == "dry run held"
    assert page_numbers(dry.page()).metrics == page_numbers(real.page()).metrics


def test_accept_changes_publishes_and_records_why(feed: Feed) -> None:
    accepted = feed.exports["accepted"]
    assert accepted.code == 0, accepted.result.stderr
    assert tripped(accepted) == {"issue_rate"}
    assert page_numbers(accepted.page()).outcome == "accepted"
    assert REASON in accepted.page().replace("&#39;", "'")
    manifest = json.loads((accepted.out / "manifest.json").read_text())
    review = manifest["review"]
    assert review["files"] == ["review.html", "review.md"]
    assert review["accepted_changes"]["reason"] == REASON
    assert [b["brake"] for b in review["brakes_tripped"]] == ["issue_rate"]
    assert review["accepted_changes"]["brakes_tripped"] == review["brakes_tripped"]
    with duckdb.connect(str(feed.world.run.db), read_only=True) as connection:
        rows = connection.execute("select run_id, reason, brakes_tripped from ledger.accepted_changes").fetchall()
    assert [(run_id, reason, json.loads(tripped)) for run_id, reason, tripped in rows] == [
        (manifest["run_id"], REASON, review["brakes_tripped"])
    ]
    assert feed.ledger_after["accepted"]["ledger.accepted_changes"] == 1


def test_held_events_go_out_with_the_next_accepted_export_once(feed: Feed) -> None:
    def sent(name: str) -> list[str]:
        """The new events (Action act-<id>) in the export's usage file."""
        path = feed.exports[name].out / "usage.csv"
        rows = read_csv(path) if path.exists() else []
        return [r["Action"].removeprefix("act-") for r in rows if r["Action"].startswith("act-")]

    # The three events of the collapsed day were held with it; they go out with the accepted export.
    assert sorted(sent("accepted")) == sorted(feed.events["usage-collapsed"] + feed.events["timestamps-unreadable"])
    assert sorted(sent("day6")) == sorted(feed.events["day6"])
    every = [event for name in PUBLISHED for event in sent(name)]
    new = [event for events in feed.events.values() for event in events]
    assert sorted(every) == sorted(new), "each new event sent exactly once"


# The page, the Markdown and the terminal ----------------------------------------------------------------------


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def chromium(page: Path, tmp_path: Path) -> tuple[str, str, list[str]]:
    """The DOM of the page as headless Chromium renders it from disk, with the network blocked (a proxy that
    refuses, no name resolution), Chromium's console messages, and every request the page made (net log)."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}): `apt-get install chromium` (.ci/run does)")
    profile, net_log = tmp_path / "profile", tmp_path / "net-log.json"
    shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir()
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
               f"--log-net-log={net_log}", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    log = json.loads(net_log.read_text())
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    # Requests of the page itself (Chromium's own background requests carry no file:// isolation key).
    requests = [
        event["params"]["url"]
        for event in log["events"]
        if kinds[event["type"]] == "URL_REQUEST_START_JOB"
        and "url" in event.get("params", {})
        and str(event["params"].get("network_isolation_key", "")).startswith("file://")
    ]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, "\n".join(console), requests


def test_the_browser_check_can_fail(tmp_path: Path) -> None:
    """The check below sees a page that loads anything, or runs a script that fails."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><link rel="stylesheet" href="https://example.com/x.css">'
                   '<img src="http://example.com/a.png"><script>missing()</script><p>hi</p>')  # fmt: skip
    dom, console, requests = chromium(bad, tmp_path)
    assert sorted(requests) == ["http://example.com/a.png", "https://example.com/x.css"]
    assert "Uncaught ReferenceError" in console
    assert "<p>hi</p>" in dom


@pytest.mark.parametrize("name", ["day0", "day4", *sorted(BAD_DAYS), "accepted"])
def test_the_page_in_a_browser_offline_shows_the_days_numbers(feed: Feed, name: str, tmp_path: Path) -> None:
    exported = feed.exports[name]
    dom, console, requests = chromium(exported.out / "review.html", tmp_path)
    assert requests == [], "the page loads nothing from anywhere"
    assert console == "", "no script, no error"
    elements = Elements()
    elements.feed(dom)
    assert "script" not in elements.tags and "svg" in elements.tags and "details" in elements.tags
    numbers = page_numbers(dom)
    assert numbers.metrics and numbers.brakes
    for key, (then, now) in feed.expected.get(name, {}).items():
        assert as_number(numbers.metrics[key]["now"]) == now, (key, numbers.metrics[key])
        if then is not None:
            assert as_number(numbers.metrics[key]["then"]) == then, (key, numbers.metrics[key])
    usage = {"usage-collapsed": 3, "timestamps-unreadable": 153, "accepted": 153, "day4": 150}
    if name in usage:
        assert as_number(numbers.metrics["usage_events"]["now"]) == usage[name]
    if name in BAD_DAYS:
        assert {b["brake"] for b in numbers.brakes if b["tripped"] == "yes"} >= BAD_DAYS[name]
        assert numbers.outcome == "held"


def test_a_name_from_the_crm_is_text_on_the_page_and_in_the_markdown(feed: Feed, tmp_path: Path) -> None:
    day4 = feed.exports["day4"]
    dom, console, requests = chromium(day4.out / "review.html", tmp_path)
    elements = Elements()
    elements.feed(dom)
    assert "script" not in elements.tags and console == "" and requests == []
    assert 'Wayne &lt;script&gt;alert(1)&lt;/script&gt; &amp; "Co" &lt;/style&gt;' in dom
    markdown = day4.markdown()
    assert "<script>" not in markdown and not re.search(r"(?<!\\)\]\(http", markdown), "no tag, no link"
    assert 'Wayne &lt;script&gt;alert(1)&lt;/script&gt; &amp; "Co" &lt;/style&gt; \\| \\`x\\` \\[a\\]' in markdown
    sent = {row["Account ID"]: row["Account Name"] for row in read_csv(day4.out / "accounts.csv")}
    assert sent["ACC-136"] == HOSTILE_NAME, "sent as it is"


def markdown_summary(markdown: str) -> dict[str, tuple[str, str]]:
    section = markdown.split("## Summary", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return {cells[0].strip(): (cells[1].strip(), cells[2].strip()) for cells in rows if cells[0].strip()}


@pytest.mark.parametrize("name", ["day0", "day4", "accounts-gone", "users-gone", "timestamps-unreadable", "accepted"])
def test_the_markdown_and_the_terminal_give_the_pages_numbers(feed: Feed, name: str) -> None:
    exported = feed.exports[name]
    metrics = page_numbers(exported.page()).metrics
    summary = markdown_summary(exported.markdown())
    assert {label for label, _ in summary.items()} == {m["label"] for m in metrics.values()}
    for metric in metrics.values():
        assert summary[metric["label"]] == (metric["then"], metric["now"]), metric
    out = exported.result.stdout

    def now(key: str) -> str:
        return metrics[key]["now"]

    def then_now(key: str, short: str) -> str:
        return f"{short} {metrics[key]['then']} -> {metrics[key]['now']}"

    assert ("  rows: " + ", ".join([then_now("accounts_rows", "accounts.csv"), then_now("users_rows", "users.csv"),
                                    then_now("usage_events", "usage events"),
                                    then_now("data_issues_rows", "data_issues.csv")])) in out  # fmt: skip
    assert "  " + then_now("events_held_back", "events held back") in out
    if name != "day0":
        assert (
            f"  accounts: {now('accounts_added')} added, {now('accounts_removed')} removed, "
            f"{now('accounts_reparented')} re-parented, {now('account_status_changes')} status changes"
        ) in out
        assert (f"  users: {now('users_added')} added, {now('users_removed')} removed, {now('users_moved')} moved "
                "to another product account") in out  # fmt: skip
    held = [b["label"] for b in page_numbers(exported.page()).brakes if b["tripped"] == "yes"]
    brakes_line = f"  brakes: {len(held)} tripped ({', '.join(held)})" if held else "  brakes: none tripped"
    assert brakes_line in out


# The snapshots -------------------------------------------------------------------------------------------------


def test_each_published_exports_files_can_be_read_back_from_its_snapshot(feed: Feed) -> None:
    with duckdb.connect(str(feed.world.run.db), read_only=True) as connection:
        seqs = dict(connection.execute("select run_id, seq from review.snapshots").fetchall())

        def cells(table: str, keys: str, seq: int) -> dict[tuple, dict[str, str]]:
            rows: dict[tuple, dict[str, str]] = {}
            for *key, column, value in connection.execute(
                f"select {keys}, column_name, value from review.{table} "
                "where from_seq <= ? and (to_seq is null or to_seq > ?)",
                [seq, seq],
            ).fetchall():
                row = rows.setdefault(tuple(key), {})
                assert column not in row, f"{table} seq {seq}: two values of {key} {column} at once"
                row[column] = value or ""
            return rows

        for name in PUBLISHED:
            out = feed.exports[name].out
            seq = seqs[json.loads((out / "manifest.json").read_text())["run_id"]]
            accounts = {(r["Account ID"],): {k: v for k, v in r.items() if k != "Account ID"}
                        for r in read_csv(out / "accounts.csv")}  # fmt: skip
            users = {(r["User ID"], r["Account ID"]): {k: v for k, v in r.items() if k not in ("User ID", "Account ID")}
                     for r in read_csv(out / "users.csv")}  # fmt: skip
            assert cells("account_cells", "account_id", seq) == accounts, name
            assert cells("user_cells", "user_id, account_id", seq) == users, name
        # Only changes are stored: the users' cells of seven exports are not seven copies.
        stored = connection.execute("select count(*) from review.user_cells").fetchall()[0][0]
        assert stored < 2 * len(users) * len(next(iter(users.values())))


# The folder ------------------------------------------------------------------------------------------------------


def test_an_export_into_a_folder_with_an_export_replaces_its_review(feed: Feed) -> None:
    world = feed.world
    first = world.export("same-folder")
    second = world.export("same-folder")
    assert first.code == second.code == 0, second.result.stderr
    manifest = json.loads((second.out / "manifest.json").read_text())
    assert manifest["review"]["files"] == ["review.html", "review.md"]
    assert manifest["run_id"] in second.page() and manifest["run_id"] in second.markdown()
    assert sorted(p.name for p in second.out.iterdir()) == ["accounts.csv", "data_issues.csv", "manifest.json",
                                                            "review.html", "review.md", "users.csv"]  # fmt: skip
    # A dry run into it replaces the review and leaves the export's files alone.
    before = {p.name: p.read_bytes() for p in second.out.iterdir() if not p.name.startswith("review")}
    dry = world.export("same-folder", "--dry-run")
    assert dry.code == 0, dry.result.stderr
    assert page_numbers(dry.page()).outcome == "dry run"
    assert {p.name: p.read_bytes() for p in second.out.iterdir() if not p.name.startswith("review")} == before


def test_a_review_file_that_is_not_ours_is_left_alone(feed: Feed) -> None:
    folder = feed.world.base / "out" / "theirs"
    folder.mkdir(parents=True)
    (folder / "review.md").write_text("# our own notes\n")
    for args in ((), ("--dry-run",)):
        exported = feed.world.export("theirs", *args)
        assert exported.code == 1
        assert "review.md exists and was not written by an export of ours" in exported.result.stderr
        assert (folder / "review.md").read_text() == "# our own notes\n"
        assert sorted(p.name for p in folder.iterdir()) == ["review.md"]


# The limits --------------------------------------------------------------------------------------------------


def test_the_projects_limits_are_valid_and_complete() -> None:
    limits = brakes.read_limits()
    assert set(limits) == set(brakes.LIMITS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accounts_removed": 1.5}, "accounts_removed is 1.5; it must be a share"),
        ({"accounts_removed": "10%"}, "accounts_removed is '10%'"),
        ({"accounts_removed": True}, "accounts_removed is True"),
        ({"usage_above_median": 0.5}, "usage_above_median is 0.5; it must be a ratio to the median, more than 1"),
        ({"usage_median_exports": 2}, "usage_median_exports is 2"),
        ({"usage_median_exports": None}, "usage_median_exports is None"),
        ({"issue_rate_factor": 0.5}, "issue_rate_factor is 0.5"),
        ({"accounts_gone": 0.1}, "has unknown limit(s) accounts_gone"),
    ],
)
def test_limits_that_cannot_work_are_refused_with_the_reason(change: dict, message: str) -> None:
    limits = {**brakes.read_limits(), **change}
    with pytest.raises(brakes.BrakeSettingsRefused, match=None) as refused:
        brakes.read_limits({"review_brakes": limits})
    assert message in str(refused.value)


def test_a_missing_limit_or_var_is_refused() -> None:
    limits = brakes.read_limits()
    del limits["column_blanked"]
    with pytest.raises(brakes.BrakeSettingsRefused, match="lacks column_blanked"):
        brakes.read_limits({"review_brakes": limits})
    with pytest.raises(brakes.BrakeSettingsRefused, match="var review_brakes is missing"):
        brakes.read_limits({})


def test_a_limit_set_to_null_turns_its_brake_off() -> None:
    limits = {**brakes.read_limits(), "accounts_removed": None}
    assert brakes.read_limits({"review_brakes": limits})["accounts_removed"] is None
    check = brakes.share_check("accounts_removed", "accounts removed", 50, 100, of="accounts", limit=None)
    assert not check.tripped and "turned off" in check.not_applied
    assert brakes.share_check("accounts_removed", "accounts removed", 50, 100, of="accounts", limit=0.1).tripped


# The account tree on the page ------------------------------------------------------------------------------------


def tree_node(account_id: str, parent: str | None, *, in_then: bool = True, in_now: bool = True, **changes: str):
    return {"account_id": account_id, "name": account_id, "type": "Organization", "in_then": in_then,
            "in_now": in_now, "parent_then": changes.get("parent_then", parent), "parent_now": parent,
            "status_then": "active", "status_now": changes.get("status_now", "active"),
            "changed_columns": changes.get("changed_columns")}  # fmt: skip


def count_nodes(nodes: list[dict]) -> int:
    return sum(1 + count_nodes(node["children"]) for node in nodes)


def test_a_tree_too_big_for_a_page_shows_the_changes_and_their_parents_first() -> None:
    limit = render.TREE_LIMIT
    nodes = [tree_node("ROOT", None)] + [tree_node(f"A{i:05d}", "ROOT") for i in range(limit + 500)]
    nodes += [tree_node("DEEP", "A00007", parent_then="A00008")]
    roots, note = render.account_tree(nodes, first=False)
    shown = {root["account_id"]: root for root in roots}
    assert list(shown) == ["ROOT"]
    children = {child["account_id"]: child for child in shown["ROOT"]["children"]}
    assert count_nodes(roots) == limit, "the changed account, its parents, then the top of the tree up to the limit"
    assert [c["account_id"] for c in children["A00007"]["children"]] == ["DEEP"]
    assert children["A00007"]["children"][0]["marks"] == [("moved", "re-parented from A00008")]
    assert f"{len(nodes):,} accounts" in note and "the 3 with a change and their parents first" in note
    # The first export has no changes: the top of the tree, level by level.
    roots, note = render.account_tree(nodes, first=True)
    assert count_nodes(roots) == limit and len(roots[0]["children"]) == limit - 1 and "with a change" not in note


def test_accounts_whose_parents_loop_between_then_and_now_are_put_at_the_top() -> None:
    # B was removed; A, still sent, is now under B's old child... A's parent is B (then gone), B was under A.
    nodes = [tree_node("A", "B"), tree_node("B", None, in_now=False, parent_then="A")]
    roots, _ = render.account_tree(nodes, first=False)
    assert sorted(root["account_id"] for root in roots) == ["A", "B"]
    assert all(root["children"] == [] for root in roots)


# Cases that need a small world of their own (test_exactly_once's hand-made CRM), from the hostile review of
# issue 18 ------------------------------------------------------------------------------------------------------


def small_crm(world: SmallWorld, accounts: list[dict[str, str]]) -> None:
    """Today's CRM export: these accounts, each with an active Analytics subscription (so each is sent)."""
    write_csv(world.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, accounts)
    subscriptions = [{"subscription_id": f"S-{a['account_id']}", "account_id": a["account_id"], "product": "Analytics",
                      "status": "active"} for a in accounts]  # fmt: skip
    write_csv(world.raw / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, subscriptions)


def export_into(world: SmallWorld, out: Path) -> subprocess.CompletedProcess[str]:
    """export.py as a process (a traceback would show on its stderr), into out."""
    return export(PipelineRun(db=world.run.db, target=world.run.target, out=out))


def test_min_rows_keeps_a_handful_of_blanked_values_from_holding_the_export(tmp_path: Path) -> None:
    """README: "min_rows 10: (any brake) the change involves fewer rows than this". The blanked-column check asked
    each column's share without min_rows: on a CRM of 5 accounts, two accounts whose Industry went blank (4 rows of
    accounts.csv with their product accounts) held the export, exit code 3."""
    world = SmallWorld(tmp_path)
    accounts = [{"account_id": f"A{n}", "account_name": f"Account {n}", "industry": "Retail"} for n in range(1, 6)]
    small_crm(world, accounts)
    world.deliver([event("E1")])
    world.build_ok()
    assert export_into(world, tmp_path / "day1").returncode == 0
    small_crm(world, [dict(a, industry="") if a["account_id"] in ("A2", "A3") else a for a in accounts])
    world.deliver([event("E1"), event("E2")])
    world.build_ok()
    day2 = export_into(world, tmp_path / "day2")
    assert day2.returncode == 0, day2.stdout[-600:] + day2.stderr


def test_a_deep_account_tree_is_reviewed_not_a_traceback(tmp_path: Path) -> None:
    """A CRM tree 300 levels deep (the models take any depth): the page's tree nested one call per level, and past
    ~250 levels Jinja's recursion raised RecursionError, uncaught: every export died with a traceback."""
    world = SmallWorld(tmp_path)
    chain = [{"account_id": f"L{n:04d}", "account_name": f"Level {n}",
              "parent_account_id": f"L{n - 1:04d}" if n else ""} for n in range(300)]  # fmt: skip
    write_csv(world.raw / "raw_crm_accounts.csv", ACCOUNT_COLUMNS, [{"account_id": "A1", "account_name": "Acme"},
                                                                    *chain])  # fmt: skip
    subscriptions = [
        {"subscription_id": "S1", "account_id": "A1", "product": "Analytics", "status": "active"},
        {"subscription_id": "S2", "account_id": "L0299", "product": "Analytics", "status": "active"},
    ]
    write_csv(world.raw / "raw_crm_subscriptions.csv", SUBSCRIPTION_COLUMNS, subscriptions)
    world.deliver([event("E1")])
    world.build_ok()
    result = export_into(world, tmp_path / "out")
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == 0
    assert "Level 299" in (tmp_path / "out" / "review.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["https://acme-billing.example/login", "www.acme-billing.example", "_Acme_ ~~Corp~~"]
)  # fmt: skip
def test_a_crm_name_in_the_markdown_forms_no_link_and_no_markup(name: str) -> None:
    """README: names are "plain text in the Markdown (no link, no markup)". GitHub-flavoured Markdown (a CI job
    summary) also links bare URLs and www. names and reads _x_ and ~~x~~ as emphasis and strike-through; brackets,
    * ` | and HTML escaped were not enough. (Checked with cmark-gfm, GitHub's renderer.)"""
    text = render.markdown_text(name)
    assert "://" not in text and "www." not in text, f"GFM autolinks {text!r}"
    assert not [m for m in re.finditer(r"(?<!\\)[_~]", text)], f"GFM reads {text!r} as emphasis/strike-through"


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


class BidiCheck(HTMLParser):
    """Text holding a bidi control outside an element that isolates it (<bdi>, or any element with dir=)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.leaks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "meta", "input", "img", "link", "hr", "col", "wbr"):
            self.stack.append((tag, tag == "bdi" or any(name == "dir" for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if any(char in data for char in BIDI_CONTROLS) and not (self.stack and self.stack[-1][1]):
            self.leaks.append(data)


def test_a_right_to_left_override_in_a_name_stays_inside_the_name(tmp_path: Path) -> None:
    """An Account Name holding U+202E (RIGHT-TO-LEFT OVERRIDE) is kept by the build (it is not a C0 control); put on
    the page unisolated, everything after it on the line is drawn reversed ('Division active' reads 'evitca
    noisiviD') and the change badges jump before the name. A name is isolated (<bdi>, dir=auto) so that it cannot
    rewrite the rest of the line, the marks of what changed included."""
    world = SmallWorld(tmp_path)
    hostile = {"account_id": "A2", "account_name": "Globex \u202eSUSPICIOUS", "parent_account_id": "A1"}
    small_crm(world, [{"account_id": "A1", "account_name": "Acme"}, hostile])
    world.deliver([event("E1")])
    world.build_ok()
    result = export_into(world, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    check = BidiCheck()
    check.feed((tmp_path / "out" / "review.html").read_text(encoding="utf-8"))
    assert check.leaks == [], f"names with a bidi override not isolated on the page: {check.leaks}"


def test_an_export_killed_after_its_review_leaves_no_temporaries_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README: "Killed before it recorded its events: the next export, into whatever folder, removes its
    temporaries". The review's temporaries (.review.html.<run>.partial, .review.md.<run>.partial) are written
    before the run is known to the ledger (ledger.start_run comes after the review): an export killed there left
    them for good (recovery only knew runs in the ledger)."""
    world = SmallWorld(tmp_path)
    world.deliver([event("E1")])
    world.build_ok()
    with monkeypatch.context() as patch:
        CrashAt(patch, ledger, "start_run", 1)
        with pytest.raises(KeyboardInterrupt):
            world.export(tmp_path / "day1")
    assert world.export(tmp_path / "day1-again") == 0
    left = [p.name for p in (tmp_path / "day1").iterdir() if p.name.endswith(".partial")]
    assert left == [], f"left behind for good: {left}"
