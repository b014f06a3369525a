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
export CHECK_DIR := $(if $(RAW_DIR),$(RAW_DIR),seeds)

.PHONY: setup run build export test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: setup build export

build: setup
	$(PYTHON) check_exports.py "$$CHECK_DIR"
	$(DBT) build

export: setup
	$(PYTHON) export.py

test: setup
	$(PYTHON) -m pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint models tests/*.sql macros

bench: setup
	$(PYTHON) bench/run.py

clean:
	rm -rf target logs output totango.duckdb totango.duckdb.wal
