"""daily.py (what `make daily RAW_DIR=... DROP=...` runs): the whole day, for a scheduler: check the raw exports,
dbt build, export into a folder of its own (output/daily/<UTC time>), deliver to the drop, trigger Totango's jobs.
One run at a time: a second one, started while the first still runs, exits at once (flock on a lock file).

The dbt vars of `make daily VARS=...` (TOTANGO_VARS, or --vars; YAML or JSON as dbt's --vars takes them) reach the
check and the build as --vars, as `make run` gives them, so that a day builds what `make run` builds.

Both the raw folder and the drop are required: a cron line that lost RAW_DIR must not build the sample seeds and
send them (deliver.py refuses an export of the sample too). Each step runs as its own process, as a person would
run it; the first that fails stops the day, and the exit code says which kind of failure it was:

  0   done: exported, delivered, triggered (where configured)
  1   a step failed (the build or its tests, the export, the drop or the network): see the output; the next run
      retries, and a delivery cut short is finished then
  2   the input or the configuration is wrong: RAW_DIR or DROP missing, a --daily-dir that cannot be made or
      written, or a raw file refused by the check
  3   the export was held by a brake (export.py's exit code 3): nothing was delivered; look at the review
  4   the delivery was refused: a person must act (a usage file still waiting in the drop, a host key...)
  5   delivered, but a Totango job could not be triggered (its schedule will pull the files)
  99  another daily run holds the lock: this one did nothing (Airflow's BashOperator marks 99 as skipped)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from totango_feed.project import PROJECT_DIR

DONE, FAILED, BAD_INPUT, HELD, REFUSED, NOT_TRIGGERED, LOCKED = 0, 1, 2, 3, 4, 5, 99
BIN_DIR = Path(sys.executable).parent
DELIVER_CODES = (FAILED, REFUSED, NOT_TRIGGERED)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Check, build, export and deliver one day, under one lock.")
    parser.add_argument("--raw-dir", default=os.environ.get("TOTANGO_RAW_DIR") or None,
                        help="the folder of the raw exports (default: $TOTANGO_RAW_DIR, which make sets)")  # fmt: skip
    parser.add_argument("--drop", default=os.environ.get("TOTANGO_DROP") or None,
                        help="the destination URL for deliver.py (default: $TOTANGO_DROP)")  # fmt: skip
    parser.add_argument("--vars", default=os.environ.get("TOTANGO_VARS") or "",
                        help="dbt vars for the check and the build, YAML or JSON as dbt's --vars takes them "
                        "(default: $TOTANGO_VARS, which make daily VARS=... sets)")  # fmt: skip
    parser.add_argument(
        "--daily-dir",
        type=Path,
        default=Path(os.environ.get("TOTANGO_DAILY_DIR") or PROJECT_DIR / "output" / "daily"),
        help="where each day's export folder and the lock go (default: output/daily)",
    )
    return parser.parse_args(argv)


def run_step(name: str, command: list[str], env: dict[str, str]) -> int:
    """One step as its own process, its output passed through; its exit code."""
    print(f"daily: {name}", flush=True)
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode


def steps(raw_dir: str, drop: str, out: Path, variables: str) -> list[tuple[str, list[str], Callable[[int], int]]]:
    """(name, command, the day's exit code for the step's non-zero code) of each step, in order. variables: dbt's
    --vars for the check and the build ("" for none), as the Makefile's build gives them."""
    python = sys.executable
    given = ["--vars", variables] if variables.strip() else []
    return [
        ("check", [python, "check_exports.py", raw_dir, *given], lambda code: BAD_INPUT if code == 2 else FAILED),
        ("build", [str(BIN_DIR / "dbt"), "build", *given], lambda code: FAILED),
        ("export", [python, "export.py", "--out", str(out)], lambda code: HELD if code == 3 else FAILED),
        # deliver.py's codes are the day's (1 failed, 4 refused, 5 not triggered).
        ("deliver", [python, "deliver.py", drop], lambda code: code if code in DELIVER_CODES else FAILED),
    ]


def run_day(args: argparse.Namespace, run: Callable[[str, list[str], dict[str, str]], int] = run_step) -> int:
    if not args.raw_dir or not args.drop:
        missing = " and ".join(name for name, value in (("RAW_DIR", args.raw_dir), ("DROP", args.drop)) if not value)
        print(f"daily refused: {missing} not given: make daily RAW_DIR=/path/to/exports DROP=sftp://... (a daily run "
              "never falls back to the sample seeds).", file=sys.stderr)  # fmt: skip
        return BAD_INPUT
    try:
        args.daily_dir.mkdir(parents=True, exist_ok=True)
        lock = (args.daily_dir / ".lock").open("w")
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(f"daily refused: cannot make or write the daily folder {args.daily_dir} ({reason}): give another "
              "with --daily-dir or TOTANGO_DAILY_DIR.", file=sys.stderr)  # fmt: skip
        return BAD_INPUT
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"daily: another daily run holds {args.daily_dir / '.lock'}: this one does nothing.", file=sys.stderr)
            return LOCKED
        out = args.daily_dir / datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
        env = {**os.environ, "TOTANGO_RAW_DIR": args.raw_dir, "DBT_PROFILES_DIR": str(PROJECT_DIR)}
        for name, command, day_code in steps(args.raw_dir, args.drop, out, args.vars):
            code = run(name, command, env)
            if code != 0:
                outcome = day_code(code)
                print(f"daily: stopped at {name} (exit code {code}); the day's exit code is {outcome}", file=sys.stderr)
                return outcome
    print(f"daily: done: exported into {out} and delivered to {args.drop}", flush=True)
    return DONE


def main(argv: list[str] | None = None) -> int:
    return run_day(parse_arguments(argv))
