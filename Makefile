# Two commands for a new user: `make run` (set up, build, test and export the sample) and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
export DBT_PROFILES_DIR := $(CURDIR)
# RAW_DIR=/path/to/folder reads the four raw exports from that folder instead of the seeds. It reaches
# check_exports.py and dbt through the environment (dbt_project.yml reads TOTANGO_RAW_DIR), never pasted into a
# command line, so a folder name with spaces or quotes works as it is.
RAW_DIR ?=
export TOTANGO_RAW_DIR := $(RAW_DIR)
# DROP=sftp://... (or s3://, file://) is where make daily delivers; see the target daily.
DROP ?=
export TOTANGO_DROP := $(DROP)
export CHECK_DIR := $(if $(RAW_DIR),$(RAW_DIR),seeds)
# VARS='{send_all_accounts: true}' gives dbt vars (YAML or JSON, as dbt's --vars takes them) to the check and the
# build alike, through the environment as RAW_DIR is; unset, neither is given --vars.
VARS ?=
export TOTANGO_VARS := $(VARS)
# TARGET=spark builds on Apache Spark (profiles.yml, target spark) instead of DuckDB, with the packages of
# requirements-spark.txt, installed only then (and for make test); the export reads Spark's tables from the
# warehouse folder, absolute so that dbt and the export find the same one wherever they run.
TARGET ?= dev
export TOTANGO_SPARK_DIR ?= $(CURDIR)/spark-warehouse
SPARK_SETUP := $(if $(filter spark,$(TARGET)),setup-spark)
# The check before a build checks the warehouse the build writes (or, on DuckDB, its database) as the export reads it.
EXPORT_FROM := $(if $(filter spark,$(TARGET)),--spark-warehouse "$$TOTANGO_SPARK_DIR")

.PHONY: setup setup-spark run build export daily test test-fast lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-spark.txt
	touch $@

run: setup build export

build: setup $(SPARK_SETUP)
	$(PYTHON) check_exports.py "$$CHECK_DIR" $(EXPORT_FROM) $${TOTANGO_VARS:+--vars "$$TOTANGO_VARS"}
	$(DBT) build --target $(TARGET) $${TOTANGO_VARS:+--vars "$$TOTANGO_VARS"}

export: setup
	$(PYTHON) export.py $(EXPORT_FROM)

# One day for a scheduler: check, build, export into output/daily/<time>, deliver to DROP, trigger (daily.py).
# Both RAW_DIR and DROP are required, so that a cron line that lost one never builds and sends the sample. DROP
# reaches daily.py through the environment, like RAW_DIR. make itself exits 2 on any failure: a scheduler that acts
# on the kind of failure runs `.venv/bin/python daily.py`, whose exit codes docs/delivery.md lists.
daily: setup
	@test -n "$$TOTANGO_RAW_DIR" || { echo "make daily: RAW_DIR=/path/to/exports is required (never the sample)" >&2; exit 2; }
	@test -n "$$TOTANGO_DROP" || { echo "make daily: DROP=sftp://... s3://... or file:///... is required" >&2; exit 2; }
	$(PYTHON) daily.py

# The suite compares a Spark build with the DuckDB one, so it needs the Spark packages too. Two processes (the
# machine's two cores); --dist loadscope keeps a file's tests (or a test class's: test_spark.py has a class per
# Spark world), and the builds they share, in one process, and --no-loadscope-reorder keeps the order conftest.py
# gives them, longest first (tests/python/run_order.py), so that both processes finish together.
PYTEST_TWO_PROCESSES := -n 2 --dist loadscope --no-loadscope-reorder
test: setup setup-spark
	$(PYTHON) -m pytest $(PYTEST_TWO_PROCESSES)

# The edit loop: the tests marked edit_loop (the sample's files, the rules, the issue codes, the export's refusals,
# ruff...), in about two minutes or less. `make test` runs them all; docs/testing.md says what each leaves to it.
test-fast: setup
	$(PYTHON) -m pytest $(PYTEST_TWO_PROCESSES) -m edit_loop

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint models tests/*.sql macros

bench: setup setup-spark
	$(PYTHON) bench/run.py

clean:
	rm -rf target logs output totango.duckdb totango.duckdb.wal spark-warehouse
