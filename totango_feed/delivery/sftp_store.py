"""An SFTP drop, through paramiko.

The server is who it says only if its host key is the one known_hosts holds for it (~/.ssh/known_hosts, as ssh
reads it, or the file given): an unknown or changed key refuses, and no key is ever added. Login with the key
file given, else the user's own keys (~/.ssh/id_*) and the ssh agent, or a password read from the environment
variable TOTANGO_DROP_PASSWORD (never from the command line, never printed).

A file goes in under its temporary name, its size is checked on the server (OpenSSH's SFTP server offers no
checksum of a file; SSH's own integrity check covers the bytes in transit), then the posix-rename extension puts
it in place in one step.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from pathlib import Path

import paramiko

from totango_feed.delivery.destination import DeliveryFailed, DeliveryRefused, Destination
from totango_feed.delivery.stores import Existing, hash_stream

PASSWORD_VARIABLE = "TOTANGO_DROP_PASSWORD"
# paramiko logs a cut connection on stderr (through Python's last-resort handler) beside our own one-line error.
logging.getLogger("paramiko").addHandler(logging.NullHandler())
TIMEOUT_SECONDS = 60


def host_key_name(host: str, port: int) -> str:
    """The name known_hosts gives a server: the host, or [host]:port off port 22."""
    return host if port == 22 else f"[{host}]:{port}"


def connect(destination: Destination, known_hosts: Path | None, key_file: Path | None) -> paramiko.SSHClient:
    host, port, user = destination.host or "", destination.port or 22, destination.user or ""
    where = f"{user}@{host}:{port}"
    client = paramiko.SSHClient()
    hosts_file = known_hosts or Path.home() / ".ssh" / "known_hosts"
    try:
        client.load_host_keys(str(hosts_file))
    except OSError as error:
        raise DeliveryRefused(
            f"cannot read the known hosts file {hosts_file} ({error.strerror or error}): add the drop's host key "
            f"to it (ssh-keyscan -p {port} {host}, checked with the drop's owner) or give one with --known-hosts."
        ) from error
    # Never trust a key on first sight, never add one: an unknown server is refused.
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    password = os.environ.get(PASSWORD_VARIABLE) or None
    try:
        client.connect(
            host,
            port=port,
            username=user,
            password=password,
            key_filename=str(key_file) if key_file else None,
            look_for_keys=key_file is None,
            allow_agent=True,
            timeout=TIMEOUT_SECONDS,
            banner_timeout=TIMEOUT_SECONDS,
            auth_timeout=TIMEOUT_SECONDS,
        )
    except paramiko.BadHostKeyException as error:
        client.close()
        raise DeliveryRefused(
            f"the host key of {host_key_name(host, port)} is not the one {hosts_file} holds for it (it changed, or "
            f"this is not the drop): check with the drop's owner before replacing it; nothing was sent."
        ) from error
    except paramiko.AuthenticationException as error:
        client.close()
        how = "the key file " + str(key_file) if key_file else "your ssh keys and agent"
        also = f" and the password in {PASSWORD_VARIABLE}" if password else ""
        raise DeliveryRefused(f"{where} refused the login with {how}{also}: {error}.") from error
    except paramiko.SSHException as error:
        client.close()
        if "not found in known_hosts" in str(error):
            raise DeliveryRefused(
                f"{host_key_name(host, port)} is not in {hosts_file}: add its host key (ssh-keyscan -p {port} {host}, "
                "checked with the drop's owner) or give a file with --known-hosts; nothing was sent."
            ) from error
        raise DeliveryFailed(f"SSH connection to {where} failed: {error}.") from error
    except (OSError, EOFError) as error:
        client.close()
        raise DeliveryFailed(f"cannot reach {where}: {error}.") from error
    return client


def is_missing(error: OSError) -> bool:
    return error.errno == errno.ENOENT or isinstance(error, FileNotFoundError)


class SftpStore:
    renames = True

    def __init__(self, destination: Destination, folder: str, known_hosts: Path | None, key_file: Path | None):
        self.destination = destination
        self.folder = folder
        self.client = connect(destination, known_hosts, key_file)
        try:
            self.sftp = self.client.open_sftp()
        except (paramiko.SSHException, OSError, EOFError) as error:
            self.client.close()
            raise DeliveryFailed(f"the server {destination.host} opened no SFTP session: {error}.") from error
        self.sftp.get_channel().settimeout(TIMEOUT_SECONDS)

    def path(self, name: str) -> str:
        return f"{self.folder.rstrip('/')}/{name}" if self.folder != "/" else f"/{name}"

    def describe(self, name: str) -> str:
        path = self.path(name)
        shown = path if path.startswith("/") else f"/~/{path.removeprefix('./')}"  # the home, as the URL says it
        return f"sftp://{self.destination.user}@{self.destination.host}:{self.destination.port}{shown}"

    def prepare(self) -> None:
        """mkdir -p: each missing folder of the path, from the top (or from the home for a relative path)."""
        parts = [part for part in self.folder.split("/") if part not in ("", ".")]
        current = "/" if self.folder.startswith("/") else "."
        for part in parts:
            current = f"{current.rstrip('/')}/{part}" if current != "." else part
            try:
                if not stat.S_ISDIR(self.sftp.stat(current).st_mode or 0):
                    raise DeliveryRefused(f"{current} on {self.destination.host} is a file, not a folder.")
            except OSError as error:
                if not is_missing(error):
                    raise
                self.sftp.mkdir(current)

    def existing(self, name: str) -> Existing | None:
        try:
            attributes = self.sftp.stat(self.path(name))
        except OSError as error:
            if is_missing(error):
                return None
            raise
        return Existing(attributes.st_size or 0)

    def sha256(self, name: str) -> str:
        with self.sftp.open(self.path(name), "rb") as handle:
            handle.prefetch()
            return hash_stream(handle)

    def stage(self, local: Path, temporary: str, size: int, sha256: str) -> None:
        del sha256  # the server gives no checksum to compare with
        # confirm: paramiko compares the size on the server with what it sent, and raises if they differ.
        try:
            self.sftp.put(str(local), self.path(temporary), confirm=True)
        except (OSError, EOFError, paramiko.SSHException) as error:
            transport = self.client.get_transport()
            if transport is None or not transport.is_active():
                raise DeliveryFailed(
                    f"the connection to {self.destination.host} was cut while writing {self.path(temporary)}."
                ) from error
            if isinstance(error, PermissionError):
                raise DeliveryFailed(f"cannot write {self.describe(temporary)}: permission denied.") from error
            # OpenSSH's server answers a full disk with a bare 'Failure'.
            raise DeliveryFailed(
                f"writing {self.describe(temporary)} failed ({error or type(error).__name__}): is the drop full?"
            ) from error
        written = self.sftp.stat(self.path(temporary)).st_size
        if written != size:
            raise DeliveryFailed(f"{self.describe(temporary)} holds {written} bytes, not {size}: run again.")

    def has_staged(self, temporary: str) -> bool:
        return self.existing(temporary) is not None

    def discard(self, temporary: str) -> None:
        try:
            self.sftp.remove(self.path(temporary))
        except OSError as error:
            if not is_missing(error):
                raise

    def commit(self, local: Path, temporary: str, name: str, replacing: Existing | None, sha256: str) -> None:
        del local, sha256
        if replacing is not None:
            # A file of ours, checked by the engine: posix-rename replaces it in one step.
            self.sftp.posix_rename(self.path(temporary), self.path(name))
            return
        # SFTP's plain rename never replaces: OpenSSH's server links the new name (failing if it is taken), so a
        # file that appeared since the engine looked is never overwritten.
        try:
            self.sftp.rename(self.path(temporary), self.path(name))
        except OSError as error:
            if self.existing(name) is not None:
                raise DeliveryRefused(
                    f"{self.describe(name)} appeared while this delivery ran: it is left as it is, nothing was "
                    "overwritten."
                ) from error
            raise

    def close(self) -> None:
        # A connection already cut has nothing left to close.
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            self.sftp.close()
        self.client.close()
