"""Raw exports for the tests: written from a test's own text (one CSV file per raw export, as a customer's folder
holds them) or turned into Parquet; and the check that seed mode reads a folder as folder mode does."""

from __future__ import annotations

from pathlib import Path

import duckdb
from pipeline import RAW_EXPORTS, PipelineRun, seed_mode_build_and_export

from totango_feed.sql import sql_literal

OUTPUT_NAMES = ("accounts.csv", "users.csv", "usage.csv", "data_issues.csv")


def write_raw_texts(folder: Path, *texts: str) -> Path:
    """The four raw exports' files in folder (made if missing), from their texts in the order of RAW_EXPORTS
    (accounts, subscriptions, users, events); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in zip(RAW_EXPORTS, texts, strict=True):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def csv_to_parquet(csv_path: Path, select: str = "*") -> Path:
    """A raw CSV file rewritten as the Parquet file beside it (same name, .parquet), every column as text as an
    export tool would write it, then removed; select: the columns to write, as SQL (e.g. `* replace (...)`)."""
    parquet = csv_path.with_suffix(".parquet")
    source = f"read_csv({sql_literal(str(csv_path))}, header = true, all_varchar = true, hive_partitioning = false)"
    with duckdb.connect() as connection:
        connection.execute(f"copy (select {select} from {source}) to {sql_literal(str(parquet))} (format parquet)")
    csv_path.unlink()
    return parquet


def assert_seed_mode_gives_the_same_files(
    raw: Path, base: Path, expected: PipelineRun, names: tuple[str, ...] = OUTPUT_NAMES
) -> None:
    """The raw folder loaded as seeds, built and exported under base, gives expected's files byte for byte."""
    seed_run = seed_mode_build_and_export(base, raw)
    for name in names:
        assert (seed_run.out / name).read_bytes() == (expected.out / name).read_bytes(), name
