"""Where export.py reads what `dbt build` left: the marts, the usage rows and the build record.

After a build on DuckDB they are tables and views of the database export.py opens, which also holds the ledger.
After a build on Spark they are Parquet files in Spark's warehouse folder, one folder per table
(<schema>.db/<table>/part-*.parquet), which DuckDB reads where they are: export.py attaches an empty in-memory
database named spark and puts in it a view over each table's files, under the table's own schema and name, so
that the export reads spark.marts.totango_accounts as it reads marts.totango_accounts after a DuckDB build. The
ledger stays in the DuckDB file either way. A Spark view is only an entry in Spark's catalog, with no files of its
own: the usage mart, a view on both engines, is made here as what it is, its five columns of
int_usage_rows_formatted (a table on Spark for that reason; models/marts/totango_usage.sql).

Rows are read back in the order the build stored them: a table Spark writes in order is files named by part
(part-00000-..., part-00001-...), which DuckDB reads in name order, each from first row to last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from totango_feed import project
from totango_feed.sql import PARQUET_OPTIONS, glob_escaped, quote_identifier, sql_literal

# What the export reads (dbt exposure totango_csv_export, read by project.py).
_READS = project.export_relations()
USAGE_ROWS = _READS["usage_rows"]
# The Spark tables the export reads: the marts but the usage view (made below), the usage rows, every raw row of
# each raw export (their counts are the rows read, for the review's data-issue rate) and the build record.
SPARK_TABLES = (
    "audit.build_outcomes",
    *(relation for relation in _READS["files"].values() if relation != _READS["files"]["usage.csv"]),
    USAGE_ROWS,
    *_READS["rows_read"].values(),
)
USAGE_MART = _READS["files"]["usage.csv"]
USAGE_COLUMNS = tuple(column["name"] for column in project.output_columns("usage.csv"))


@dataclass(frozen=True)
class BuildOutputs:
    """The relations a build left, as the export's connection names them."""

    # The attached database that holds them; None for the database the connection opened.
    catalog: str | None
    # Where they are, for messages: the database file, or the warehouse folder.
    where: str

    def relation(self, name: str) -> str:
        """schema.table as a name to query."""
        return f"{self.catalog}.{name}" if self.catalog else name

    def _filter(self, name: str) -> tuple[str, list[str]]:
        schema, table = name.split(".")
        where = "table_schema = ? and table_name = ?" + (" and table_catalog = ?" if self.catalog else "")
        return where, [schema, table, *([self.catalog] if self.catalog else [])]

    def exists(self, connection: duckdb.DuckDBPyConnection, name: str) -> bool:
        where, parameters = self._filter(name)
        found = connection.execute(f"select count(*) from information_schema.tables where {where}", parameters)
        return found.fetchone()[0] > 0

    def columns(self, connection: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
        """The relation's columns, in order, each with its data type; none if it is missing."""
        where, parameters = self._filter(name)
        return connection.execute(
            f"select column_name, data_type from information_schema.columns where {where} order by ordinal_position",
            parameters,
        ).fetchall()


def duckdb_outputs(database: Path) -> BuildOutputs:
    return BuildOutputs(catalog=None, where=str(database))


def spark_outputs(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> BuildOutputs:
    """Attach the tables of a Spark build (warehouse: Spark's spark.sql.warehouse.dir) to the connection. A table
    with no files (not built) is left out, and the export then says it is missing."""
    outputs = BuildOutputs(catalog="spark", where=str(warehouse))
    # Writable even where the connection is read-only (a dry run): it holds only these views.
    connection.execute("attach ':memory:' as spark (read_only false)")
    for name in SPARK_TABLES:
        schema, table = name.split(".")
        connection.execute(f"create schema if not exists spark.{schema}")
        folder = warehouse / f"{schema}.db" / table
        if any(folder.glob("*.parquet")):
            files = sql_literal(glob_escaped(str(folder)) + "/*.parquet")
            # By name: a table Spark altered (audit.build_outcomes gained raw_dir) has files with and without a column.
            connection.execute(
                f"create view {outputs.relation(name)} as select * from read_parquet({files}, {PARQUET_OPTIONS}, "
                "union_by_name = true)"
            )
    if outputs.exists(connection, USAGE_ROWS):
        columns = ", ".join(quote_identifier(column) for column in USAGE_COLUMNS)
        connection.execute(
            f"create view {outputs.relation(USAGE_MART)} as select {columns} from {outputs.relation(USAGE_ROWS)}"
        )
    return outputs
