"""totango-feed's Python: the raw-file checks that run before `dbt build` (raw_checks) and the export that writes
the files Totango loads from the marts (export, with writer, usage, ledger, folder and recovery).

The entry points a user runs stay at the project's top: check_exports.py and export.py.
"""
