"""Splitting a CSV into parts never cuts a record, even one whose quoted values hold newlines and quotes."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import duckdb
import pytest

from totango_feed import writer

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)


def test_record_boundary_ignores_newlines_inside_quotes() -> None:
    chunk = b'a,"line one\nline two",c\nd,"say ""hi""\n",f\ng,"open\n'
    end = writer.record_boundary_before(chunk)
    assert chunk[:end] == b'a,"line one\nline two",c\nd,"say ""hi""\n",f\n'
    assert writer.record_boundary_before(b'x,"no end\nyet') is None


def test_parts_hold_every_record_whole_and_in_order(tmp_path: Path) -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "create table t as select i as n, "
            "case when i % 7 = 0 then 'multi' || chr(10) || 'line ' || i when i % 5 = 0 then 'quote \"' || i || '\"' "
            "else 'plain, ' || i end as text from range(3000) r(i)"
        )
        target = writer.Target(tmp_path, "data.csv", "run1", max_bytes=5000)
        parts = writer.write_csv_parts(connection, "select * from t order by n", target)
    assert len(parts) > 10
    rows: list[list[str]] = []
    for part in parts:
        content = part.temporary.read_bytes()
        assert len(content) <= 5000
        records = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
        assert records[0] == ["n", "text"]
        assert part.rows == len(records) - 1
        rows += records[1:]
    assert [int(row[0]) for row in rows] == list(range(3000))
    assert rows[7][1] == "multi\nline 7" and rows[5][1] == 'quote "5"'


@pytest.mark.parametrize("quoted", [False, True])
def test_each_parts_size_hash_and_rows_are_those_of_the_file_written(tmp_path: Path, quoted: bool) -> None:
    """The parts are written and hashed from one buffer reused for every part: what the manifest and the ledger say
    of each (bytes, SHA-256, rows) must be what is on disk, and the parts together the whole file's records."""
    text = "'say \"' || i || '\"'" if quoted else "'plain ' || i"
    with duckdb.connect() as connection:
        connection.execute(f"create table t as select i as n, {text} as text from range(5000) r(i)")
        whole = tmp_path / "whole.csv"
        connection.execute(f"copy (select * from t order by n) to '{whole}' (format csv, header true)")
        target = writer.Target(tmp_path, "data.csv", "run1", max_bytes=7000)
        parts = writer.write_csv_parts(connection, "select * from t order by n", target)
    assert len(parts) > 5
    header, _, records = whole.read_bytes().partition(b"\n")
    joined = b""
    for part in parts:
        content = part.temporary.read_bytes()
        assert (part.size, part.sha256) == (len(content), hashlib.sha256(content).hexdigest())
        assert content.startswith(header + b"\n") and len(content) <= 7000
        assert part.rows == content.count(b"\n") - 1
        joined += content[len(header) + 1 :]
    assert joined == records
