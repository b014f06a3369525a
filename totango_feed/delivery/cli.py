"""deliver.py: send the published exports not yet delivered to the drop Totango pulls from, in the order they were
made, then trigger Totango's import jobs if configured. See the package docstring and docs/delivery.md.

Exit codes (for a scheduler):
  0  done: every published export is delivered (and the jobs triggered, where configured)
  1  failed: the drop or the network failed part-way; run again, and the delivery finishes where it stopped
  2  wrong usage (an unknown option)
  4  refused: a person must act (a usage file still waiting, an unknown or changed host key, a refused login, an
     export of the sample or made with --full, a file that is not ours, an S3 upload whose outcome is unknown, a
     destination that cannot work); nothing was overwritten
  5  delivered, but a Totango job could not be triggered: its own schedule will pull the files; the next run
     triggers it again
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import botocore.exceptions
import duckdb
import paramiko

from totango_feed.delivery import destination as destinations
from totango_feed.delivery.destination import DeliveryFailed, DeliveryRefused, Destination
from totango_feed.delivery.engine import Choices, Delivery
from totango_feed.delivery.s3_store import S3Store, describe_client_error
from totango_feed.delivery.sftp_store import SftpStore
from totango_feed.delivery.stores import FileStore, Store
from totango_feed.delivery.trigger import Trigger, settings_from
from totango_feed.export import say
from totango_feed.project import database_path

DONE, FAILED, REFUSED, NOT_TRIGGERED = 0, 1, 4, 5


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Deliver the published exports not yet delivered to Totango's drop, oldest first, exactly once."
    )
    parser.add_argument(
        "destination",
        nargs="?",
        default=os.environ.get("TOTANGO_DROP"),
        help="sftp://user@host[:port]/path, s3://bucket/prefix or file:///path; {date} or {run_id} in the path "
        "give each export its own folder (default: $TOTANGO_DROP)",
    )
    parser.add_argument("--db", type=Path, default=database_path(), help="the DuckDB file holding the ledger")
    parser.add_argument(
        "--known-hosts",
        type=Path,
        default=os.environ.get("TOTANGO_DROP_KNOWN_HOSTS") or None,
        help="SFTP: the known_hosts file holding the drop's host key (default: ~/.ssh/known_hosts)",
    )
    parser.add_argument(
        "--key-file",
        type=Path,
        default=os.environ.get("TOTANGO_DROP_KEY_FILE") or None,
        help="SFTP: the private key to log in with (default: ~/.ssh/id_* and the ssh agent); a password is read "
        "from $TOTANGO_DROP_PASSWORD only",
    )
    parser.add_argument(
        "--endpoint-url",
        default=os.environ.get("TOTANGO_S3_ENDPOINT_URL") or None,
        help="S3: the endpoint of an S3-compatible store (default: AWS, or $AWS_ENDPOINT_URL)",
    )
    parser.add_argument(
        "--allow-sample",
        action="store_true",
        help="send exports built from the sample seeds (or that do not say what they were built from)",
    )
    parser.add_argument(
        "--allow-full",
        action="store_true",
        help="send exports made with export.py --full (every event again, those already delivered included)",
    )
    parser.add_argument("--skip", action="append", default=[], metavar="RUN_ID", help="never deliver this export")
    parser.add_argument(
        "--from", dest="start_from", metavar="RUN_ID", help="never deliver the pending exports older than this one"
    )
    parser.add_argument(
        "--mark-delivered",
        action="append",
        default=[],
        metavar="RUN_ID",
        help="S3: the usage upload of this export that was cut short did arrive (Totango loaded its events): record "
        "it delivered without sending it again",
    )
    parser.add_argument(
        "--resend",
        action="append",
        default=[],
        metavar="RUN_ID",
        help="S3: the usage upload of this export that was cut short never arrived: send it again",
    )
    for kind in ("accounts", "users", "usage"):
        parser.add_argument(
            f"--trigger-{kind}",
            metavar="URL",
            help=f"the trigger URL of Totango's {kind} job (default: $TOTANGO_TRIGGER_{kind.upper()}_URL); the API "
            "token is read from $TOTANGO_API_TOKEN",
        )
    return parser.parse_args(argv)


def store_opener(destination: Destination, args: argparse.Namespace):
    def open_store(folder: str) -> Store:
        if destination.scheme == "file":
            return FileStore(folder)
        if destination.scheme == "sftp":
            return SftpStore(destination, folder, args.known_hosts, args.key_file)
        return S3Store(destination, folder, args.endpoint_url)

    return open_store


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def every_line(error: BaseException) -> str:
    """An error whose first line says nothing, as one line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines) if lines else type(error).__name__


def deliver(args: argparse.Namespace) -> int:
    if not args.destination:
        raise DeliveryRefused("name the destination (sftp://, s3:// or file:// URL), or set TOTANGO_DROP.")
    destination = destinations.parse(args.destination)
    if not args.db.is_file():
        raise DeliveryRefused(f"database {args.db} not found: build and export first, or pass --db.")
    choices = Choices(
        allow_sample=args.allow_sample,
        allow_full=args.allow_full,
        skip=tuple(args.skip),
        start_from=args.start_from,
        mark_delivered=tuple(args.mark_delivered),
        resend=tuple(args.resend),
    )
    with duckdb.connect(str(args.db)) as connection:
        delivery = Delivery(connection, destination, store_opener(destination, args), say)
        try:
            delivery.run(choices)
        finally:
            delivery.close()
        settings = settings_from({k: getattr(args, f"trigger_{k}") for k in ("accounts", "users", "usage")})
        failure = Trigger(connection, destination.key, settings, say).run()
    if failure:
        print(f"deliver: {failure}", file=sys.stderr)
        return NOT_TRIGGERED
    return DONE


def outcome(error: BaseException) -> tuple[int, str]:
    """The exit code and the one line for an error that stopped the delivery."""
    if isinstance(error, DeliveryRefused):
        return REFUSED, f"deliver refused: {error}"
    if isinstance(error, DeliveryFailed):
        return FAILED, f"deliver failed: {error} The next deliver finishes the job."
    if isinstance(error, PermissionError):
        return FAILED, (f"deliver failed: the drop refused a write ({first_line(error)}): check its permissions; "
                        "the next deliver finishes the job.")  # fmt: skip
    if isinstance(error, ValueError) and not isinstance(error, duckdb.Error | botocore.exceptions.BotoCoreError):
        return REFUSED, f"deliver refused: {first_line(error)}: check the destination and the options."
    return s3_outcome(error) or (
        FAILED,
        f"deliver failed: {type(error).__name__}: {first_line(error)}; the next deliver finishes the job.",
    )


def s3_outcome(error: BaseException) -> tuple[int, str] | None:
    """The exit code and line for an error of boto3, None for any other."""
    if isinstance(error, (botocore.exceptions.NoCredentialsError, botocore.exceptions.ProfileNotFound)):
        return REFUSED, f"deliver refused: {first_line(error)} (set AWS credentials or a profile)."
    if isinstance(error, botocore.exceptions.ParamValidationError):
        # The bucket or key is not one S3 takes: the configuration, the same on every retry. botocore puts the
        # reason on the lines after "Parameter validation failed:".
        return REFUSED, f"deliver refused: S3 will not take this destination: {every_line(error)}"
    if isinstance(error, botocore.exceptions.ClientError):
        refused, line = describe_client_error(error)
        return (REFUSED, f"deliver refused: {line}") if refused else (FAILED, f"deliver failed: {line}")
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        return deliver(args)
    except (
        DeliveryRefused,
        DeliveryFailed,
        OSError,
        EOFError,
        paramiko.SSHException,
        botocore.exceptions.BotoCoreError,
        botocore.exceptions.ClientError,
        duckdb.Error,
        # A path or name no system call takes (an embedded NUL in --db, --known-hosts...): never a traceback.
        ValueError,
    ) as error:
        code, line = outcome(error)
        print(line, file=sys.stderr)
        return code
