# Two commands for a new user: `make run` (set up, build, test and export the sample) and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
export DBT_PROFILES_DIR := $(CURDIR)
# RAW_DIR=/path/to/folder reads the four raw exports from that folder instead of the seeds.
RAW_DIR ?=
ifeq ($(RAW_DIR),)
CHECK_DIR := seeds
DBT_BUILD_ARGS :=
else
CHECK_DIR := $(RAW_DIR)
DBT_BUILD_ARGS := --vars '{raw_dir: "$(abspath $(RAW_DIR))"}' --exclude-resource-type seed unit_test
endif

.PHONY: setup run build export test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: setup build export

build: setup
	$(PYTHON) check_exports.py $(CHECK_DIR)
	$(DBT) build $(DBT_BUILD_ARGS)

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
