"""The export stages its usage rows sorted once: the file's order, each row's position in it (which names the part
a row went into, for the ledger) and the rows the ledger already holds left out, without a second sort."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from totango_feed import ledger, usage, writer

EVENTS = 3000
COLUMNS = ", ".join(f'"{column}"' for column in usage.USAGE_COLUMNS)


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    """Usage rows stored in the reverse of the file's order (usage_order_key: time, then event id), a third of them
    sent by an earlier export as the build knows (was_sent), and some of the others sent since (only the ledger
    knows): the order of the file must come from the key, and the ledger must have the last word."""
    with duckdb.connect() as connection:
        connection.execute("set preserve_insertion_order = true")
        connection.execute(
            "create table usage_rows as select 'e' || lpad(i::varchar, 5, '0') as event_id, i % 3 = 0 as was_sent, "
            "'hash' as file_hash, i as file_row_number, 'account' as \"Account ID\", 'user@x.io' as \"User ID\", "
            '\'Action \' || i as "Action", \'Module\' as "Module", (i // 2)::varchar as "Timestamp", '
            "{'occurred_at': timestamp '2026-01-01' + to_minutes((i // 2)::bigint), "
            "'event_id': 'e' || lpad(i::varchar, 5, '0')} as usage_order_key "
            f"from range({EVENTS}) r(i) order by i desc"
        )
        ledger.ensure_schema(connection)
        connection.execute(
            "insert into ledger.exported_events (event_id, run_id) select event_id, 'earlier' from usage_rows "
            "where not was_sent and file_row_number % 5 = 0"
        )
        yield connection


def staged(connection: duckdb.DuckDBPyConnection, send_all: bool) -> list[tuple[str, int]]:
    count = usage.stage(connection, "usage_rows", COLUMNS, send_all, counted=False)
    rows = connection.execute("select event_id, row_position from export_usage").fetchall()
    assert count == len(rows)
    return rows


def expected_ids(keep) -> list[str]:
    """Event ids in the file's order (time, then id), of the rows keep(i) keeps."""
    kept = [i for i in range(EVENTS) if keep(i)]
    return [f"e{i:05d}" for i in sorted(kept, key=lambda i: (i // 2, f"e{i:05d}"))]


def test_rows_to_send_come_in_the_file_order_numbered_from_one(connection: duckdb.DuckDBPyConnection) -> None:
    rows = staged(connection, send_all=False)
    assert [event_id for event_id, _ in rows] == expected_ids(lambda i: i % 3 != 0 and i % 5 != 0)
    assert [position for _, position in rows] == list(range(1, len(rows) + 1))


def test_every_row_with_send_all(connection: duckdb.DuckDBPyConnection) -> None:
    rows = staged(connection, send_all=True)
    assert [event_id for event_id, _ in rows] == expected_ids(lambda i: True)
    assert [position for _, position in rows] == list(range(1, EVENTS + 1))


def test_the_file_and_the_ledger_agree_on_each_rows_part(connection: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    staged(connection, send_all=False)
    target = writer.Target(tmp_path, "usage.csv", "run1", max_bytes=4000)
    parts = writer.write_csv_parts(connection, usage.query(counted=False), target)
    assert len(parts) > 3
    usage.name_files(connection, parts)
    for part in parts:
        # Each part's actions (unique per event) are those of the events the ledger will say went into it.
        written = part.temporary.read_text(encoding="utf-8").splitlines()[1:]
        named = connection.execute(
            'select s."Action" from usage_sent join export_usage as s using (event_id) where file_name = ? '
            "order by s.row_position",
            [part.name],
        ).fetchall()
        assert [line.split(",")[2] for line in written] == [action for (action,) in named]


def test_the_first_export_sends_what_the_build_held_to_send(connection: duckdb.DuckDBPyConnection) -> None:
    """A ledger that holds no event id yet: the rows are sorted straight from the usage rows (no lookup), still
    only those the build held to send, in the file's order."""
    connection.execute("delete from ledger.exported_events")
    assert not ledger.holds_events(connection)
    rows = staged(connection, send_all=False)
    assert [event_id for event_id, _ in rows] == expected_ids(lambda i: i % 3 != 0)
    assert [position for _, position in rows] == list(range(1, len(rows) + 1))


def test_a_ledger_with_one_event_is_asked(connection: duckdb.DuckDBPyConnection) -> None:
    """One recorded event is enough for the lookup: the first export's shortcut is taken only with none."""
    connection.execute("delete from ledger.exported_events where event_id != 'e00005'")
    assert ledger.holds_events(connection)
    rows = staged(connection, send_all=False)
    assert [event_id for event_id, _ in rows] == expected_ids(lambda i: i % 3 != 0 and i != 5)
