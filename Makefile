# Two commands for a new user: `make run` (set up, build, test and export the sample) and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup run build export test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: setup build export

build: setup
	$(DBT) build

export: setup
	$(PYTHON) export.py

test: setup
	$(PYTHON) -m pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint models tests/*.sql macros

clean:
	rm -rf target logs output totango.duckdb totango.duckdb.wal
