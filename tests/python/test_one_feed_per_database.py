"""One database holds one feed: a ledger of the sample's exports (of this release or the one before it kept which
exports read the seeds) is not used for your own exports, and a database file whose DuckDB catalog name is a
schema the feed keeps in it (ledger.v2.duckdb: catalog ledger) is refused by name. Each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from pipeline import PipelineRun, dbt
from test_exactly_once import World, event, sent_counts

from totango_feed import project

pytestmark = pytest.mark.slow  # each builds a world with dbt


@pytest.mark.parametrize("name", ["ledger.v2.duckdb", "marts.2026-12-01.duckdb", ".ledger"])
def test_a_database_file_whose_catalog_is_named_after_a_schema_is_refused_by_name(name: str) -> None:
    # DuckDB names a file's catalog after the part of its name before the first dot ("ledger.v2.duckdb" is catalog
    # ledger, ".ledger" too), not after Path.stem ("ledger.v2"): every `ledger.x` is then ambiguous, as for
    # ledger.duckdb, which is refused by name.
    assert project.database_name_problem(Path("/data") / name) is not None


def test_an_export_onto_a_database_named_ledger_dot_something_refuses_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The build passes on such a file; the export then stops on DuckDB's "Ambiguous reference" instead of the
    # clear refusal that ledger.duckdb gets.
    world = World(tmp_path)
    world.run = PipelineRun(db=tmp_path / "ledger.v2.duckdb", target=tmp_path / "target", out=tmp_path / "output")
    world.deliver([event("E1")])
    world.build_ok()
    with duckdb.connect(str(world.run.db), read_only=True) as connection:
        assert connection.execute("select current_database()").fetchone()[0] == "ledger"
    capsys.readouterr()
    assert world.export(tmp_path / "out") == 1
    assert "named after a schema" in capsys.readouterr().err


def test_a_seed_ledger_of_the_release_before_built_from_seeds_still_refuses_a_folder_build(tmp_path: Path) -> None:
    # A ledger of the release of 2026-11-30 (build_invocation_id in export_runs, raw_dir in audit.build_outcomes,
    # but no built_from_seeds yet: the upgrade adds it empty). Its exports' builds say they read the seeds; a folder
    # build of the user's own exports must then be refused as for a ledger of today, or an event of the user's whose
    # id the sample's export sent is never sent.
    world = World(tmp_path)
    seeds_build = dbt(world.run, "build", raw_dir=None)
    assert seeds_build.returncode == 0, seeds_build.stdout[-3000:]
    assert world.export(tmp_path / "sample_out") == 0
    sample_id = world.ledger("select min(event_id) from ledger.exported_events")[0][0]
    with duckdb.connect(str(world.run.db)) as connection:  # as the older release left it
        connection.execute("update ledger.export_runs set built_from_seeds = null")
    known = world.ledger(
        "select count(distinct runs.run_id) from ledger.export_runs as runs join audit.build_outcomes as builds "
        "on builds.invocation_id = runs.build_invocation_id where builds.raw_dir = '' and runs.usage_rows > 0"
    )[0][0]
    assert known == 1  # the ledger still knows its export read the seeds
    world.deliver([event(sample_id), event("E-own-1")])
    world.build_ok()
    # Past the brakes (every sample account leaves): the question is the ledger, not the review.
    exported = world.export(tmp_path / "own_out", "--accept-changes", "the feed of our own exports starts")
    sent = sent_counts(tmp_path / "own_out") if exported == 0 else {}
    assert exported == 1 or sent.get(sample_id) == 1, (
        f"the folder's event {sample_id} was taken as sent by the sample's export and never sent"
    )
