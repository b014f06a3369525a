"""The delivery: each pending export, in the order they were made, file by file (data files, then manifest.json),
each step recorded in the DuckDB file before it is taken, so that a delivery killed or cut at any point is
finished by the next one and no file is sent twice.

For one file (records.py has the states):
  delivered            nothing to do;
  renaming, and the temporary is still there: the rename did not happen: check the final name again, rename;
  renaming, and the temporary is gone: the rename happened before the crash; the file counts as delivered even
                       if it is gone since (a collector may have taken it): sending it again could count its
                       events twice;
  renaming on S3, and no object under the name: the upload was sent and may have completed, the object taken
                       since (Totango's pull, a lifecycle rule), or it may never have arrived: nothing in the
                       bucket tells which. A usage file stops the delivery until a person says which
                       (--mark-delivered RUN_ID or --resend RUN_ID), since either guess can lose events or count
                       them twice; an accounts, users or manifest file is sent again (a snapshot twice is harmless);
  otherwise            (new, uploading, or S3, which has no temporary) a leftover temporary is removed; a file
                       already under the final name that is byte for byte this one is ours, put in place before a
                       crash: it is recorded, not sent again; any other file there is replaced only if it is an
                       accounts or users file or manifest that this drop got from us (a newer snapshot supersedes
                       it); a usage file is never replaced (Totango may not have loaded it yet): the delivery stops.
                       Then: write under the temporary name, verify, record renaming, rename, verify, record
                       delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from totango_feed.delivery import destination as destinations
from totango_feed.delivery import records, selection
from totango_feed.delivery.destination import DeliveryFailed, DeliveryRefused, Destination
from totango_feed.delivery.selection import DropFile, ExportRun
from totango_feed.delivery.stores import Existing, Store
from totango_feed.output_folder import TEMPORARY_SUFFIX, is_usage

Say = Callable[[str], None]


def key_of(url: str) -> str | None:
    """The key of a drop recorded under its URL as typed (before drops were keyed); None if it cannot be read."""
    try:
        return destinations.parse(url).key
    except DeliveryRefused:
        return None


@dataclass(frozen=True)
class Choices:
    allow_sample: bool = False
    allow_full: bool = False
    skip: tuple[str, ...] = ()
    start_from: str | None = None
    # Exports whose usage upload to S3 was cut short, its outcome unknown: a person settles it one way or the other.
    mark_delivered: tuple[str, ...] = ()
    resend: tuple[str, ...] = ()


def temporary_name(name: str, run_id: str) -> str:
    return f".{name}.{run_id}{TEMPORARY_SUFFIX}"


class Delivery:
    """One deliver.py invocation to one destination; open_store gives the store of one folder of it."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        destination: Destination,
        open_store: Callable[[str], Store],
        say: Say,
    ) -> None:
        self.connection = connection
        self.destination = destination
        self.open_store = open_store
        self.say = say
        self.stores: dict[str, Store] = {}
        self.choices = Choices()

    def store(self, folder: str) -> Store:
        if folder not in self.stores:
            store = self.open_store(folder)
            self.stores[folder] = store
            store.prepare()
        return self.stores[folder]

    def close(self) -> None:
        for store in self.stores.values():
            store.close()
        self.stores.clear()

    @property
    def key(self) -> str:
        """The drop's key in the records: one drop whatever way its URL is written."""
        return self.destination.key

    def run(self, choices: Choices) -> list[str]:
        """Deliver every pending export; returns the run ids delivered now."""
        self.choices = choices
        records.ensure_schema(self.connection)
        records.rekey(self.connection, key_of)
        pending, elsewhere = selection.pending_runs(self.connection, self.key)
        self.check_settling(choices, [run.run_id for run in pending])
        pending = self.leave_out(pending, elsewhere, choices)
        if not pending:
            self.say(f"nothing to deliver to {self.key}: every published export is delivered")
        for run in pending:
            if run.run_id in elsewhere:
                raise selection.part_way_elsewhere(run, elsewhere[run.run_id])
        delivered = []
        for run in pending:
            self.deliver_run(run, choices)
            delivered.append(run.run_id)
        return delivered

    def check_settling(self, choices: Choices, pending: list[str]) -> None:
        """--mark-delivered and --resend name an export of this drop with an upload whose outcome is unknown."""
        for option, run_ids in (("--mark-delivered", choices.mark_delivered), ("--resend", choices.resend)):
            for run_id in run_ids:
                if run_id in choices.mark_delivered and run_id in choices.resend:
                    raise DeliveryRefused(f"export {run_id} is given both --mark-delivered and --resend: choose one.")
                if run_id not in pending or not records.files_in_state(self.connection, run_id, "renaming"):
                    raise DeliveryRefused(
                        f"{option} {run_id}: export {run_id} has no upload cut short whose outcome is unknown; "
                        "nothing was changed."
                    )

    def leave_out(self, pending: list[ExportRun], elsewhere: dict[str, str], choices: Choices) -> list[ExportRun]:
        """Record the exports left out on purpose (--skip, and those older than --from) and drop them. An export
        part-way delivered (here, or to another drop) may be left out too: what was delivered stays where it is,
        and the rest is never sent; that is what a person asks for when it reached Totango another way."""
        ids = [run.run_id for run in pending]
        unknown = [run_id for run_id in [*choices.skip, *([choices.start_from] if choices.start_from else [])]
                   if run_id not in ids]  # fmt: skip
        if unknown:
            raise DeliveryRefused(f"{unknown[0]} is not a published export still to deliver: see ledger.export_runs.")
        start = ids.index(choices.start_from) if choices.start_from else 0
        kept = []
        for position, run in enumerate(pending):
            if run.run_id in choices.skip or position < start:
                reason = "--skip" if run.run_id in choices.skip else f"--from {choices.start_from}"
                delivered = records.files_in_state(self.connection, run.run_id, "delivered")
                taken = records.run_row(self.connection, run.run_id)
                records.skip_run(self.connection, run.run_id, self.key, reason)
                part = f"; its {len(delivered)} file(s) already delivered to {taken[0]} stay there" if taken else ""
                self.say(f"left out export {run.run_id} ({reason}): it will not be delivered{part}")
            else:
                kept.append(run)
        return kept

    def folder_of(self, run: ExportRun) -> str:
        """The folder a new delivery of an export goes into: with {date}, a second export of one UTC day gets the
        day's folder with .2 after it, never the first one's folder (where its usage file may still wait)."""
        plain = self.destination.folder_for(run.run_id, run.started_at)
        taken = records.folders_taken(self.connection, self.key)
        folder = self.destination.folder_for(run.run_id, run.started_at, taken)
        if folder != plain:
            self.say(f"export {run.run_id} goes into {folder}: {plain} holds an earlier export of the same day")
        return folder

    def deliver_run(self, run: ExportRun, choices: Choices) -> None:
        manifest = selection.read_manifest(run.out_dir)
        taken = records.run_row(self.connection, run.run_id)
        if taken is None:
            selection.check_source(run, manifest, choices.allow_sample)
            selection.check_full(run, choices.allow_full)
            files = selection.drop_files(self.connection, run, manifest)
            folder = self.folder_of(run)
            records.start_run(self.connection, run.run_id, self.key, folder)
        else:
            folder = taken[1]
            files = selection.drop_files(self.connection, run, manifest)
            self.say(f"export {run.run_id}: finishing a delivery that did not complete")
        store = self.store(folder)
        keys = (run.run_id, self.key, folder)
        for drop_file in files:
            self.deliver_file(store, keys, drop_file)
        records.finish_run(self.connection, run.run_id)
        sent = [f for f in files if not f.superseded]
        self.say(f"delivered export {run.run_id}: {len(sent)} files in place at {store.describe('')}")

    def deliver_file(self, store: Store, keys: tuple[str, str, str], drop_file: DropFile) -> None:
        run_id = keys[0]
        name, size, sha = drop_file.name, drop_file.size, drop_file.sha256
        temporary = temporary_name(name, run_id)
        status = records.file_status(self.connection, run_id, name)
        if status in ("delivered", "superseded"):
            return
        if drop_file.superseded:
            self.mark(keys, drop_file, "superseded")
            self.say(f"not sent: {name} of export {run_id}, replaced since by a later export in its folder")
            return
        staged = store.renames and status == "renaming" and store.has_staged(temporary)
        if store.renames and status == "renaming" and not staged:
            self.mark(keys, drop_file, "delivered")
            self.say(f"{store.describe(name)} was put in place before an interruption: recorded, not sent again")
            return
        existing = store.existing(name)
        note = None
        if not store.renames and status == "renaming" and existing is None:
            note = self.settle_unknown_upload(store, keys, drop_file)
            if note is None:
                return
        replacing = None
        if existing is not None:
            remote_sha = store.sha256(name)
            if existing.size == size and remote_sha == sha:
                if store.renames:
                    store.discard(temporary)
                self.mark(keys, drop_file, "delivered")
                self.say(f"{store.describe(name)} is already there, byte for byte: recorded, not sent again")
                return
            replacing = self.replaceable(store, keys, name, existing, remote_sha)
        if not staged:
            if store.renames:
                store.discard(temporary)
            self.mark(keys, drop_file, "uploading")
            store.stage(drop_file.local, temporary, size, sha)
        self.put_in_place(store, keys, drop_file, temporary, replacing)
        placed = store.existing(name)
        if placed is None or placed.size != size:
            raise DeliveryFailed(f"{store.describe(name)} is not there whole after it was put in place: run again.")
        self.mark(keys, drop_file, "delivered", note)
        self.say(f"sent {store.describe(name)}  {size} bytes")

    def put_in_place(
        self, store: Store, keys: tuple[str, str, str], drop_file: DropFile, temporary: str, replacing: Existing | None
    ) -> None:
        """Record renaming, then put the file in place under its name. A refusal (a file appeared under the name)
        put nothing in place: that is recorded before the temporary goes, else the next delivery would take the
        gone temporary for a rename that happened, and count a file never sent as delivered."""
        self.mark(keys, drop_file, "renaming")
        try:
            store.commit(drop_file.local, temporary, drop_file.name, replacing, drop_file.sha256)
        except DeliveryRefused:
            self.mark(keys, drop_file, "uploading")
            if store.renames:
                store.discard(temporary)
            raise

    def settle_unknown_upload(self, store: Store, keys: tuple[str, str, str], drop_file: DropFile) -> str | None:
        """An upload to S3 was sent and cut short before it was recorded, and no object is there now: the note to
        record with the file sent again, or None when it is recorded delivered without sending; or DeliveryRefused
        for a usage file no person has settled."""
        run_id, name, where = keys[0], drop_file.name, store.describe(drop_file.name)
        if not is_usage(name):
            self.say(f"{where}: its upload was cut short and it is not there: sent again (a snapshot twice does no "
                     "harm)")  # fmt: skip
            return "sent again after an upload cut short"
        if run_id in self.choices.mark_delivered:
            self.mark(keys, drop_file, "delivered", "recorded delivered by --mark-delivered, not sent again")
            self.say(f"{where}: recorded delivered (--mark-delivered), not sent again")
            return None
        if run_id in self.choices.resend:
            self.say(f"{where}: sending it again (--resend)")
            return "sent again by --resend"
        raise DeliveryRefused(
            f"{where}: its upload was cut short before it was recorded, and it is not there now: it may have arrived "
            "and been taken (by Totango's job or a lifecycle rule), or never arrived; the bucket cannot tell. Look "
            f"in Totango's job history: if its events were loaded, run again with --mark-delivered {run_id}; if "
            f"not, with --resend {run_id}. Nothing was sent."
        )

    def mark(self, keys: tuple[str, str, str], drop_file: DropFile, status: str, note: str | None = None) -> None:
        records.set_file_status(
            self.connection,
            keys,
            drop_file.name,
            size=drop_file.size,
            sha256=drop_file.sha256,
            status=status,
            note=note,
        )

    def replaceable(
        self, store: Store, keys: tuple[str, str, str], name: str, existing: Existing, remote_sha: str
    ) -> Existing:
        """The file in the drop that this one may replace, or DeliveryRefused."""
        if is_usage(name):
            raise DeliveryRefused(
                f"{store.describe(name)} holds another usage file ({existing.size} bytes), which Totango may not "
                "have loaded yet: this delivery would overwrite it. Once Totango has loaded it, remove it and run "
                "again; or give each export its own folder ({date} in the destination). Nothing was overwritten."
            )
        if not records.delivered_here(self.connection, keys[1], keys[2], name, remote_sha):
            raise DeliveryRefused(
                f"{store.describe(name)} exists and was not delivered by deliver.py: move it away, or deliver into "
                "another folder. Nothing was overwritten."
            )
        return existing
