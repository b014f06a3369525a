"""The review as people read it: review.html (one self-contained page: no script, and nothing loaded from
anywhere, so that it opens from an email attachment), review.md (a CI job summary, a chat message) and a few lines
for the terminal, all from one set of numbers (compare.py), so that the three always agree.

Rendering is Jinja2 (templates/); the charts are inline SVG drawn here from the numbers. The account tree is
nested <details>, all open, so that the browser's own find (Ctrl+F) searches it, with a CSS-only switch that shows
only the changed accounts and their parents (no script). It is built and drawn without recursion (a CRM tree can
be hundreds of levels deep), and past TREE_DEPTH levels the deeper accounts are listed flat under their ancestor
at that level: browsers stop nesting elements a few hundred deep.

Every value from the data (names, ids, values) is text, never markup: escaped in the HTML, and in the Markdown
kept from forming a link (GitHub links bare URLs, www. names and e-mail addresses) or emphasis. A bidi control
in a value (U+202E, right-to-left override...) stays inside it: each value is closed (every embedding or isolate
it opens is ended at its end) and isolated (<bdi> on the page; first-strong isolate marks in the Markdown), so
that it cannot reverse the rest of its line, the marks of what changed included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from totango_feed.output_folder import REVIEW_MARK
from totango_feed.review import compare
from totango_feed.review.brakes import Acceptance, BrakeCheck
from totango_feed.review.compare import CHART_EXPORTS, Comparison, Row

TEMPLATES = Path(__file__).parent / "templates"
# In the first line of both files, by which an export knows a review file as its own even where no manifest lists
# it (a dry run's, or a held export's): output_folder.is_our_review.
MARK = REVIEW_MARK
# A bigger tree shows only its changed accounts and their parents: the page must stay light enough to mail.
TREE_LIMIT = compare.TREE_LIMIT
# Levels of the tree drawn nested; deeper accounts are listed flat (each level is three nested elements, and
# browsers stop nesting at a few hundred: Firefox lays out at most 200 frames deep).
TREE_DEPTH = 40


@dataclass(frozen=True)
class Metric:
    """A headline number, the same on the page, in the Markdown and on the terminal."""

    key: str
    label: str  # on the page and in the Markdown
    short: str  # on the terminal, after its group's name
    then: int | None
    now: int | None  # None: a change, on the first export (nothing to compare with)


@dataclass(frozen=True)
class ReviewPage:
    """Everything the templates show about one export."""

    run_id: str
    started_at: datetime
    outcome: str  # published, held, dry run, dry run held, accepted
    comparison: Comparison
    checks: list[BrakeCheck]
    acceptance: Acceptance | None
    tree: list[dict] = field(default_factory=list)
    tree_note: str = ""

    @property
    def tripped(self) -> list[BrakeCheck]:
        return [check for check in self.checks if check.tripped]


def headline(comparison: Comparison) -> list[Metric]:
    files = {row["file"]: row for row in comparison.files}
    accounts, users = comparison.accounts.summary, comparison.user_counts
    first = comparison.first

    def change(value: int) -> int | None:
        return None if first else value

    held = comparison.held_back_total
    return [
        Metric("accounts_rows", "accounts.csv rows", "accounts.csv", files["accounts.csv"]["then_rows"],
               files["accounts.csv"]["now_rows"]),
        Metric("users_rows", "users.csv rows", "users.csv", files["users.csv"]["then_rows"],
               files["users.csv"]["now_rows"]),
        Metric("usage_events", "usage events sent", "usage events", files["usage.csv (events)"]["then_rows"],
               files["usage.csv (events)"]["now_rows"]),
        Metric("data_issues_rows", "data_issues.csv rows", "data_issues.csv", files["data_issues.csv"]["then_rows"],
               files["data_issues.csv"]["now_rows"]),
        Metric("events_held_back", "events held back (dropped)", "events held back", held["then_rows"],
               held["now_rows"]),
        Metric("accounts_added", "accounts added", "added", None, change(accounts["added"])),
        Metric("accounts_removed", "accounts removed", "removed", None, change(accounts["removed"])),
        Metric("accounts_reparented", "accounts re-parented", "re-parented", None, change(accounts["reparented"])),
        Metric("account_status_changes", "account status changes", "status changes", None,
               change(accounts["status_changed"])),
        Metric("users_added", "users added", "added", None, change(users["added"])),
        Metric("users_removed", "users removed", "removed", None, change(users["removed"])),
        Metric("users_moved", "users moved to another product account", "moved to another product account", None,
               change(users["moved"])),
    ]  # fmt: skip


def number(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


# Unicode's bidi controls: embeddings and overrides (ended by PDF), isolates (ended by PDI).
EMBEDDINGS, POP_EMBEDDING = "\u202a\u202b\u202d\u202e", "\u202c"
ISOLATES, POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"
BIDI_CONTROLS = EMBEDDINGS + POP_EMBEDDING + ISOLATES + POP_ISOLATE
FIRST_STRONG_ISOLATE = "\u2068"
# After @ in the Markdown: GitHub links an e-mail address however its characters are escaped, but not one
# broken by this invisible character.
WORD_JOINER = "\u2060"


def bidi_closed(text: str) -> str:
    """text with every bidi embedding, override or isolate it opens ended at its end, and every end that closes
    nothing outside it dropped: it cannot change the direction of what follows it, nor escape an isolate."""
    opened: list[str] = []
    kept = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            opened.append(char)
        elif char == POP_EMBEDDING:
            if not opened or opened[-1] not in EMBEDDINGS:
                continue  # closes nothing of this value's (an embedding does not cross an isolate)
            opened.pop()
        elif char == POP_ISOLATE:
            if not any(c in ISOLATES for c in opened):
                continue
            # A PDI ends its isolate and every embedding opened inside it.
            while opened.pop() not in ISOLATES:
                pass
        kept.append(char)
    closing = [POP_ISOLATE if char in ISOLATES else POP_EMBEDDING for char in reversed(opened)]
    return "".join(kept + closing)


def html_value(value: object) -> Markup:
    """A value from the data on the page: escaped, closed and isolated (<bdi>) from the rest of its line."""
    text = "" if value is None else str(value)
    return Markup("<bdi>{}</bdi>").format(bidi_closed(text))


def plain_isolated(text: str) -> str:
    """Text closed and, if it holds a bidi control, wrapped in first-strong isolate marks: <bdi> in plain text."""
    if not any(char in BIDI_CONTROLS for char in text):
        return text
    return FIRST_STRONG_ISOLATE + bidi_closed(text) + POP_ISOLATE


def markdown_text(value: object) -> str:
    """A value from the data as plain Markdown text: no table break, no link, no markup, no HTML a chat would
    render (checked with cmark-gfm, GitHub's renderer)."""
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", " ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Brackets (no [link] can form without them), emphasis, strike-through and code marks, table bars.
    text = re.sub(r"([\\`*_~\[\]|])", r"\\\1", text)
    # GitHub's autolinks need no brackets: any scheme://, www., an e-mail address.
    text = text.replace("://", r":\/\/")
    text = re.sub(r"(?i)(www)\.", r"\1\\.", text)
    text = text.replace("@", "@" + WORD_JOINER)
    return plain_isolated(text)


def markdown_code(value: object, table: bool = False) -> str:
    """A value from the data (an id) as a Markdown code span, whatever it holds: a fence longer than any run of
    backticks in it, and in a table a bar escaped (GitHub splits cells before it reads code spans)."""
    text = re.sub(r"\s+", " ", "" if value is None else str(value))
    if table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return plain_isolated(f"{fence}{padding}{text}{padding}{fence}")


def shorten(value: object, length: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


# Charts --------------------------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 640, 190, 22, 34, 8


def exports_chart(comparison: Comparison) -> dict[str, Any]:
    """Bars of events per export, the earlier ones beside this one, with the median the usage brake uses. Bars
    that are not usual (the first export's backlog, --full) are drawn apart and may run off the scale, which is
    set by the usual ones so that a backlog does not flatten them."""
    bars = []
    # Each earlier export by its day; by its time where several fall on one day.
    days = [e["taken_at"].strftime("%m-%d") for e in comparison.usage_exports if not e["is_now"]]
    label_format = "%m-%d" if len(set(days)) == len(days) else "%H:%M"
    for export in comparison.usage_exports:
        usual = export["is_now"] or not (export["is_full"] or export["is_first"])
        label = "this" if export["is_now"] else export["taken_at"].strftime(label_format)
        bars.append({"events": export["usage_events"], "usual": usual, "now": export["is_now"], "label": label,
                     "run_id": export["run_id"]})  # fmt: skip
    median = comparison.usage_baseline["median_events"]
    # Room above the tallest usual bar for its number.
    scale = max([b["events"] for b in bars if b["usual"]] + [median or 0] + [1]) * 1.12
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    # At most the room of CHART_EXPORTS + 1 bars each, so that a short history does not draw a wall.
    step = (CHART_WIDTH - CHART_LEFT * 2) / max(len(bars), CHART_EXPORTS + 1)
    for index, bar in enumerate(bars):
        height = min(bar["events"] / scale, 1.0) * plot_height
        bar |= {
            "x": CHART_LEFT + index * step + step * 0.15,
            "width": step * 0.7,
            "y": CHART_TOP + plot_height - height,
            "height": max(height, 1 if bar["events"] else 0),
            "clipped": bar["events"] > scale,
            "center": CHART_LEFT + index * step + step / 2,
        }
    median_y = CHART_TOP + plot_height - (median / scale) * plot_height if median else None
    return {"bars": bars, "median": median, "median_y": median_y, "width": CHART_WIDTH, "height": CHART_HEIGHT,
            "baseline_y": CHART_TOP + plot_height}  # fmt: skip


def days_chart(comparison: Comparison) -> dict[str, Any]:
    """Per UTC day, two bars: this export's events and those the last exports sent for that day."""
    days = comparison.usage_days
    top = max([d["now_events"] for d in days] + [d["earlier_events"] for d in days] + [1])
    scale = top * 1.05
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = (CHART_WIDTH - CHART_LEFT * 2) / max(len(days), 7)
    # A label on every day where there is room (at most 16), else on every few days.
    label_every = 1 if len(days) <= 16 else -(-len(days) // 8)
    groups = []
    for index, day in enumerate(days):
        x = CHART_LEFT + index * step
        bars = []
        for offset, key, kind in ((0.1, "earlier_events", "earlier"), (0.5, "now_events", "now")):
            height = day[key] / scale * plot_height
            bars.append({"x": x + step * offset, "width": step * 0.4, "y": CHART_TOP + plot_height - height,
                         "height": height, "kind": kind, "events": day[key]})  # fmt: skip
        label = day["day"].strftime("%m-%d") if day["day"] else "?"
        show_label = (len(days) - 1 - index) % label_every == 0
        groups.append({"bars": bars, "label": label if show_label else "", "center": x + step / 2, "day": day})
    return {"groups": groups, "width": CHART_WIDTH, "height": CHART_HEIGHT, "top": top,
            "baseline_y": CHART_TOP + plot_height}  # fmt: skip


# The account tree ------------------------------------------------------------------------------------------------


def node_marks(node: Row) -> list[tuple[str, str]]:
    """(kind, text) badges for what changed on an account; the values in them closed (bidi_closed), so that none
    turns the rest of its badge around."""
    marks = []
    if node["in_now"] and not node["in_then"]:
        marks.append(("added", "new"))
    if node["in_then"] and not node["in_now"]:
        marks.append(("removed", "removed"))
    if node["in_then"] and node["in_now"]:
        if node["parent_then"] != node["parent_now"]:
            marks.append(("moved", f"re-parented from {bidi_closed(node['parent_then'] or 'the top')}"))
        if node["status_then"] != node["status_now"]:
            then, now = (bidi_closed(str(node[key])) for key in ("status_then", "status_now"))
            marks.append(("status", f"status {then} → {now}"))
        others = [c for c in (node["changed_columns"] or "").split(", ") if c and c not in ("Parent ID", "Status")]
        if others:
            marks.append(("changed", "changed: " + ", ".join(bidi_closed(c) for c in others)))
    return marks


def without_loops(ids: list[str], parent_of: Callable[[str], str | None]) -> dict[str, str | None]:
    """Each account's parent, or None for an account whose chain of parents runs into a loop (a removed parent now
    under its own child): it is put at the top. One walk per chain, whatever the depth."""
    leads_to_loop: dict[str, bool] = {}
    for start in ids:
        path, on_path, walk = [], set(), start
        while walk is not None and walk not in leads_to_loop and walk not in on_path:
            path.append(walk)
            on_path.add(walk)
            walk = parent_of(walk)
        loop = walk in on_path or (walk is not None and leads_to_loop[walk])
        for account_id in path:
            leads_to_loop[account_id] = loop
    return {account_id: None if leads_to_loop[account_id] else parent_of(account_id) for account_id in ids}


def account_tree(nodes: list[Row], first: bool, accounts: int | None = None) -> tuple[list[dict], str]:
    """The accounts as nested nodes (each under its parent now, a removed one under its parent then), with their
    marks. Past TREE_LIMIT: the changed ones and their parents first, then the top of the tree, level by level.
    accounts: how many the tree holds, when nodes are only those it may show (compare.tree_rows)."""
    by_id = {node["account_id"]: {**node, "marks": [] if first else node_marks(node), "children": []} for node in nodes}

    def parent_of(account_id: str) -> str | None:
        node = by_id[account_id]
        parent = node["parent_now"] if node["in_now"] else node["parent_then"]
        return parent if parent in by_id else None

    parents = without_loops(list(by_id), parent_of)
    children: dict[str | None, list[str]] = {}
    for account_id, parent in parents.items():
        children.setdefault(parent, []).append(account_id)

    accounts = len(by_id) if accounts is None else accounts
    keep, note = set(by_id), ""
    if accounts > TREE_LIMIT:
        keep = set()
        for account_id in (a for a, node in by_id.items() if node["marks"]):
            if len(keep) >= TREE_LIMIT:
                break
            walk: str | None = account_id
            while walk is not None and walk not in keep:
                keep.add(walk)
                walk = parents[walk]
        changed = len(keep)
        level = children.get(None, [])
        while level and len(keep) < TREE_LIMIT:
            for account_id in level:
                if len(keep) >= TREE_LIMIT:
                    break
                keep.add(account_id)
            level = [child for parent in level for child in children.get(parent, [])]
        note = (f"{accounts:,} accounts are more than one page should hold: shown are {len(keep):,}, "
                + (f"the {changed:,} with a change and their parents first, then " if changed else "")
                + "the top of the tree, level by level (accounts.csv holds them all).")  # fmt: skip

    # Children before their parents (a walk down, reversed), so that each node's children are ready when it is.
    order = [root for root in children.get(None, []) if root in keep]
    for account_id in order:  # grows as it goes: a breadth-first walk, no recursion
        order.extend(child for child in children.get(account_id, []) if child in keep)
    for account_id in reversed(order):
        node = by_id[account_id]
        node["children"] = sorted(
            (by_id[child] for child in children.get(account_id, []) if child in keep),
            key=lambda child: (child["type"] == "Product", str(child["name"]), child["account_id"]),
        )
        node["changed"] = bool(node["marks"])
    roots = [by_id[root] for root in children.get(None, []) if root in keep]
    roots.sort(key=lambda root: (str(root["name"]), root["account_id"]))
    return roots, note


def tree_rows(roots: list[dict]) -> tuple[list[dict], int]:
    """The nested tree as the flat rows the page draws, without recursion: {"node", "opens"} for an account (opens:
    its children follow, then a {"close"} row), and past TREE_DEPTH levels every deeper account as a row of its
    own under its ancestor at that level, naming its parent ("under"). Returns the rows and how many accounts
    were listed flat."""
    rows: list[dict] = []
    flat = 0
    stack: list[tuple[dict | None, int]] = [(root, 1) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            rows.append({"close": True})
            continue
        rows.append({"node": node, "opens": bool(node["children"]), "under": None, "close": False})
        if not node["children"]:
            continue
        stack.append((None, depth))
        if depth < TREE_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(node["children"]))
            continue
        deeper = [(child, node["account_id"]) for child in reversed(node["children"])]
        while deeper:
            child, parent = deeper.pop()
            rows.append({"node": child, "opens": False, "under": parent, "close": False})
            flat += 1
            deeper.extend((grandchild, child["account_id"]) for grandchild in reversed(child["children"]))
    return rows, flat


# Rendering -------------------------------------------------------------------------------------------------------


def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters |= {"number": number, "percent": percent, "md": markdown_text, "code": markdown_code,
                    "value": html_value, "shorten": shorten}  # fmt: skip
    return env


OUTCOMES = {
    "published": "Published: no brake tripped.",
    "accepted": "Published although brakes tripped: the changes were accepted.",
    "held": "Held by the brakes: nothing was published and nothing recorded.",
    "dry run": "Dry run: nothing was published or recorded.",
    "dry run held": "Dry run: the export would be held by the brakes.",
}


def context(page: ReviewPage, out_dir: Path) -> dict[str, Any]:
    comparison = page.comparison
    last = comparison.last_published
    missing_snapshot = (
        last is not None and comparison.then is not None and last["run_id"] != comparison.then["run_id"]
    ) or (last is not None and comparison.then is None)
    rows, flat = tree_rows(page.tree)
    flat_note = (f"{flat:,} accounts deeper than {TREE_DEPTH} levels are listed flat under their ancestor at level "
                 f"{TREE_DEPTH}, each naming its parent." if flat else "")  # fmt: skip
    return {
        "mark": MARK,
        "page": page,
        "c": comparison,
        "outcome_text": OUTCOMES[page.outcome],
        "metrics": headline(comparison),
        "missing_snapshot": last["run_id"] if missing_snapshot and last else None,
        "exports_chart": exports_chart(comparison),
        "days_chart": days_chart(comparison),
        "tree_rows": rows,
        "tree_note": " ".join(note for note in (page.tree_note, flat_note) if note),
        "out_dir": out_dir,
        "changed_account_columns": [
            c for c in comparison.accounts.columns if c["changed"] or not c["sent_then"] or not c["sent_now"]
        ],  # fmt: skip
        "changed_user_columns": [
            c for c in comparison.users.columns if c["changed"] or not c["sent_then"] or not c["sent_now"]
        ],  # fmt: skip
    }


def render_html(page: ReviewPage, out_dir: Path) -> str:
    return environment(autoescape=True).get_template("review.html.j2").render(context(page, out_dir))


def render_markdown(page: ReviewPage, out_dir: Path) -> str:
    return environment(autoescape=False).get_template("review.md.j2").render(context(page, out_dir))


def terminal_lines(page: ReviewPage, out_dir: Path) -> list[str]:
    """The few lines the export prints: the headline numbers, and the brakes."""
    comparison = page.comparison
    metrics = {metric.key: metric for metric in headline(comparison)}
    against = (
        "the first export: nothing to compare with"
        if comparison.first
        else f"against export {comparison.then['run_id']} of {comparison.then['taken_at']:%Y-%m-%d %H:%M} UTC"
    )

    def group(keys: tuple[str, ...], then_and_now: bool = False) -> str:
        if then_and_now:
            return ", ".join(f"{metrics[k].short} {number(metrics[k].then)} -> {number(metrics[k].now)}" for k in keys)
        return ", ".join(f"{number(metrics[k].now)} {metrics[k].short}" for k in keys)

    lines = [
        f"review ({against}): {out_dir / 'review.html'}, review.md",
        "  rows: " + group(("accounts_rows", "users_rows", "usage_events", "data_issues_rows"), then_and_now=True),
        "  " + group(("events_held_back",), then_and_now=True),
    ]
    if not comparison.first:
        lines.append("  accounts: " + group(("accounts_added", "accounts_removed", "accounts_reparented",
                                             "account_status_changes")))  # fmt: skip
        lines.append("  users: " + group(("users_added", "users_removed", "users_moved")))
    tripped = page.tripped
    lines.append(
        "  brakes: "
        + (f"{len(tripped)} tripped ({', '.join(c.label for c in tripped)})" if tripped else "none tripped")
    )
    return lines
