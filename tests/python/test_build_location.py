"""The build's database is the project's wherever dbt runs from (issue 16, defect 4). Cron or an orchestrator runs
`dbt build --project-dir <project>` from another working directory: the build must write the project's database
(or the one $TOTANGO_DUCKDB_PATH names, a relative one taken from the project, as export.py takes it), not a new
one where it happens to run, which export.py never reads (it would export yesterday's build, exit 0). A relative
raw folder is taken from the project too. The export says which build it exports: when, and from which raw
exports. Each test works on a copy of the project, so the project's own totango.duckdb is never touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import duckdb
import yaml
from dbt.config.renderer import ProfileRenderer
from dbt.flags import set_from_args
from dbt_common.context import set_invocation_context
from pipeline import BIN_DIR, PROJECT_DIR, PipelineRun, dbt, read_csv
from pipeline import export as pipeline_export
from raw_files import write_raw_texts
from test_rules import ACCOUNTS, EVENTS, SUBSCRIPTIONS, USERS


def copy_project(base: Path) -> Path:
    """The project's files (its Python package too, so that the copy's export.py reads the copy's rules)."""
    project = base / "project"
    (project / "tests").mkdir(parents=True)
    for name in ("models", "macros", "seeds", "totango_feed"):
        shutil.copytree(PROJECT_DIR / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [*PROJECT_DIR.glob("*.py"), *PROJECT_DIR.glob("*.yml"), *PROJECT_DIR.glob("tests/*.sql")]:
        shutil.copy(path, project / path.relative_to(PROJECT_DIR))
    return project


def environment(project: Path, **extra: str) -> dict[str, str]:
    """As cron would have it: the profile named, nothing else of the tests' (no TOTANGO_DUCKDB_PATH)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOTANGO_", "DBT_"))}
    return {**env, "DBT_PROFILES_DIR": str(project), **extra}


def dbt_build(project: Path, cwd: Path, env: dict[str, str]) -> None:
    built = subprocess.run([str(BIN_DIR / "dbt"), "build", "--project-dir", str(project)], cwd=cwd, env=env,
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]


def export(project: Path, cwd: Path, env: dict[str, str], out: Path) -> subprocess.CompletedProcess[str]:
    exported = subprocess.run([sys.executable, str(project / "export.py"), "--out", str(out)], cwd=cwd, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
    assert exported.returncode == 0, exported.stdout + exported.stderr
    return exported


def last_build(database: Path) -> tuple[str, str | None]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select outcome, raw_dir from audit.build_outcomes order by build_number desc limit 1"
        ).fetchone()


def test_dbt_run_from_another_folder_builds_the_project_database_which_is_exported(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    elsewhere = tmp_path / "cron-working-directory"
    elsewhere.mkdir()
    today = tmp_path / "exports-today"
    write_raw_texts(today, ACCOUNTS, SUBSCRIPTIONS, USERS, EVENTS)
    # Yesterday: the sample, built in the project folder, recorded as a seed build (TOTANGO_RAW_DIR unset).
    dbt_build(project, project, environment(project))
    assert last_build(project / "totango.duckdb") == ("passed", "")
    # Today: the day's exports, built by a scheduler from its own folder.
    dbt_build(project, elsewhere, environment(project, TOTANGO_RAW_DIR=str(today)))
    assert not list(elsewhere.glob("*.duckdb")), "no database where dbt happened to run"
    assert last_build(project / "totango.duckdb") == ("passed", str(today))
    exported = export(project, elsewhere, environment(project), tmp_path / "out")
    said = [line for line in exported.stdout.splitlines() if line.startswith("exporting dbt build")]
    assert said and f"{project / 'totango.duckdb'}" in said[0] and f"raw exports from {today}" in said[0], said
    usage = read_csv(tmp_path / "out" / "usage.csv")
    assert {row["User ID"] for row in usage} == {"ann@x.com", "d@x.com"}, "today's events, not the sample's"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build"]["raw_dir"] == str(today)


def test_relative_database_and_raw_folder_are_taken_from_the_project(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    write_raw_texts(project / "exports", ACCOUNTS, SUBSCRIPTIONS, USERS, EVENTS)
    (project / "builds").mkdir()
    elsewhere = tmp_path / "orchestrator-temp"
    elsewhere.mkdir()
    env = environment(project, TOTANGO_DUCKDB_PATH="builds/today.duckdb", TOTANGO_RAW_DIR="exports")
    dbt_build(project, elsewhere, env)
    assert (project / "builds" / "today.duckdb").is_file() and not (elsewhere / "builds").exists()
    assert last_build(project / "builds" / "today.duckdb") == ("passed", str(project / "exports"))
    exported = export(project, elsewhere, env, tmp_path / "out")
    assert f"of {project / 'builds' / 'today.duckdb'}: finished" in exported.stdout, exported.stdout
    assert len(read_csv(tmp_path / "out" / "usage.csv")) == 3


def test_the_export_names_a_seed_build_as_such(sample_run: PipelineRun, tmp_path: Path) -> None:
    """On a copy of the sample's database: a seed build (one with TOTANGO_RAW_DIR unset, run from another folder:
    the first test of this file)."""
    run = PipelineRun(db=tmp_path / "totango.duckdb", target=tmp_path / "target", out=tmp_path / "out")
    shutil.copy(sample_run.db, run.db)
    assert last_build(run.db) == ("passed", "")
    exported = pipeline_export(run)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    assert "raw exports from the seeds (seed mode)" in exported.stdout, exported.stdout


def test_a_build_record_of_an_older_version_is_exported_and_then_upgraded(
    sample_run: PipelineRun, tmp_path: Path
) -> None:
    """A database whose build record predates raw_dir (a copy of the sample's, built and exported, the column
    dropped): the export says it does not know the raw exports, and the next build adds the column."""
    run = PipelineRun(db=tmp_path / "totango.duckdb", target=tmp_path / "target", out=tmp_path / "out")
    shutil.copy(sample_run.db, run.db)
    with duckdb.connect(str(run.db)) as connection:
        connection.execute("alter table audit.build_outcomes drop column raw_dir")
    again = PipelineRun(run.db, run.target, tmp_path / "again")
    exported = pipeline_export(again)
    assert exported.returncode == 0 and "raw exports not recorded" in exported.stdout, exported.stdout
    assert dbt(run, "build").returncode == 0
    assert last_build(run.db) == ("passed", "")


def test_the_profile_takes_relative_paths_from_the_project_on_both_engines(monkeypatch) -> None:
    """profiles.yml rendered as dbt renders it (dbt's own renderer, the profile's folder as dbt passes it): the
    DuckDB file and the Spark warehouse (with Spark's catalog inside it) are under the project, whatever the
    working directory; absolute paths are kept. Spark itself is not started (test_spark.py builds on it)."""
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    set_from_args(Namespace(profiles_dir="/opt/totango-feed"), None)
    for duckdb_path, spark_dir, expected_db, expected_warehouse in [
        ("", "", "/opt/totango-feed/totango.duckdb", "/opt/totango-feed/spark-warehouse"),
        ("builds/x.duckdb", "wh", "/opt/totango-feed/builds/x.duckdb", "/opt/totango-feed/wh"),
        ("/data/x.duckdb", "/data/wh", "/data/x.duckdb", "/data/wh"),
    ]:
        monkeypatch.setenv("TOTANGO_DUCKDB_PATH", duckdb_path)
        monkeypatch.setenv("TOTANGO_SPARK_DIR", spark_dir)
        monkeypatch.delenv("TOTANGO_SPARK_JAVA_OPTIONS", raising=False)
        set_invocation_context(dict(os.environ))
        outputs = ProfileRenderer({}).render_data(profiles)["totango"]["outputs"]
        spark = outputs["spark"]["server_side_parameters"]
        assert outputs["dev"]["path"] == expected_db
        assert spark["spark.sql.warehouse.dir"] == expected_warehouse
        assert (
            f"databaseName={expected_warehouse}/metastore_db;" in spark["spark.hadoop.javax.jdo.option.ConnectionURL"]
        )
        assert spark["spark.driver.extraJavaOptions"] == f"-Dderby.system.home={expected_warehouse}"
    # The JVM's own options (the tests' Spark builds ask for the quick compiler) come after, when given.
    monkeypatch.setenv("TOTANGO_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")
    set_invocation_context(dict(os.environ))
    spark = ProfileRenderer({}).render_data(profiles)["totango"]["outputs"]["spark"]["server_side_parameters"]
    assert spark["spark.driver.extraJavaOptions"] == "-Dderby.system.home=/data/wh -XX:TieredStopAtLevel=1"
