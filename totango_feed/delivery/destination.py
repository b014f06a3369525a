"""The drop as a URL, and the folder of it that one export goes into.

    sftp://user@host[:port]/path   the path is absolute, as curl reads such URLs: /~/drop is the folder drop in
                                   the user's home, /~ the home itself
    s3://bucket/prefix             a prefix (folder) in a bucket; --endpoint-url for an S3-compatible store
    file:///path                   a folder on this machine, such as a mounted share

The path may hold {date} (the export's UTC date, YYYY-MM-DD) and {run_id} (the export's run id): each export
then goes into a folder of its own, e.g. sftp://feed@drop.example.com/~/totango/{date}; a second export of one
UTC day goes into the day's folder with .2 after it (then .3...), so that no export ever lands on another. A
password never belongs in the URL (it would be in the crontab, the process list and the logs): a URL holding one
is refused.

Deliveries are recorded under the drop's key, its URL written one way (Destination.key): file:///drop and
file:///drop/, or sftp://u@h/x and sftp://u@h:22/x, are one drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import SplitResult, quote, unquote, urlsplit

PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
KNOWN_PLACEHOLDERS = ("date", "run_id")
# No file system or store takes a NUL in a name, and a control character in a folder name is a pasting mistake.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What a path keeps unquoted in a drop's key: its separators, the home (~) and the placeholders.
KEY_SAFE = "/~{}"


class DeliveryRefused(Exception):
    """deliver will not go on until a person acts (a waiting usage file, a host key, a sample export...); worded
    for that person, one line."""


class DeliveryFailed(Exception):
    """The drop or the network failed part-way; the next deliver finishes the job. One line."""


@dataclass(frozen=True)
class Destination:
    url: str  # as given, for messages
    scheme: str  # sftp, s3 or file
    user: str | None
    host: str | None  # the SFTP host, or the S3 bucket
    port: int | None
    path: str  # the folder (SFTP: absolute, or relative to the home; S3: the prefix, no leading /)

    @property
    def key(self) -> str:
        """The drop as one URL whatever way it was written (a trailing slash, the default port, %-quoting): the
        key under which its deliveries are recorded, and a URL deliver.py takes."""
        if self.scheme == "sftp":
            host = f"[{self.host}]" if self.host and ":" in self.host else self.host
            port = "" if self.port == 22 else f":{self.port}"
            path = quote(sftp_url_path(self.path), safe=KEY_SAFE)
            return f"sftp://{quote(self.user or '', safe='')}@{host}{port}{path}"
        if self.scheme == "s3":
            return f"s3://{self.host}/{quote(self.path, safe=KEY_SAFE)}".rstrip("/")
        return f"file://{quote(self.path, safe=KEY_SAFE)}"

    @property
    def has_placeholder(self) -> bool:
        return bool(PLACEHOLDER.search(self.path))

    def folder_for(self, run_id: str, started_at: datetime, taken: set[str] | frozenset[str] = frozenset()) -> str:
        """The folder of this drop that one export goes into, placeholders filled. With a placeholder each export
        gets a folder of its own: where the filled folder is taken (other exports of the same UTC day in
        {date}), .2, .3... is added, so that a second export of a day never finds the first one's files."""
        values = {"date": started_at.strftime("%Y-%m-%d"), "run_id": run_id}
        folder = PLACEHOLDER.sub(lambda match: values[match.group(1)], self.path)
        if not self.has_placeholder or folder not in taken:
            return folder
        number = 2
        while f"{folder}.{number}" in taken:
            number += 1
        return f"{folder}.{number}"


def sftp_path(url_path: str) -> str:
    """The remote folder of an sftp:// URL's path, as curl reads it: absolute, except /~/x, which is x in the
    home folder (an SFTP server resolves a relative path from the login folder, the home)."""
    if url_path in ("", "/"):
        return "/"
    if url_path in ("/~", "/~/"):
        return "."
    if url_path.startswith("/~/"):
        return url_path[3:].rstrip("/") or "."
    return url_path.rstrip("/") or "/"


def sftp_url_path(folder: str) -> str:
    """The path of an sftp:// URL for a remote folder: sftp_path read backwards."""
    if folder.startswith("/"):
        return folder
    return "/~" if folder == "." else f"/~/{folder}"


def split(url: str) -> tuple[SplitResult, int | None]:
    """The parts of a URL and its port, or DeliveryRefused: a malformed port or [IPv6] host, or a control character
    (%00 in a path would stop the first mkdir with a traceback), refuses now, not in the middle of the delivery."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise DeliveryRefused(f"the destination {url!r} is not a URL deliver.py can read ({error}).") from error
    if CONTROL.search(unquote(parts.path)) or CONTROL.search(unquote(parts.netloc)):
        raise DeliveryRefused(
            f"the destination {url!r} holds a control character (%00, a line end...): no folder can be named so."
        )
    return parts, port


def parse(url: str) -> Destination:
    """The drop of a URL, or DeliveryRefused saying what is wrong with it."""
    parts, port = split(url)
    scheme = parts.scheme.lower()
    for name in PLACEHOLDER.findall(url):
        if name not in KNOWN_PLACEHOLDERS:
            raise DeliveryRefused(f"the destination {url} holds {{{name}}}: only {{date}} and {{run_id}} are known.")
    if parts.query or parts.fragment:
        raise DeliveryRefused(f"the destination {url} has a query or fragment (? or #): give the folder only.")
    if parts.password is not None:
        raise DeliveryRefused(
            "the destination URL holds a password: remove it (it would show in the crontab, the process list and "
            "the logs) and put it in the environment variable TOTANGO_DROP_PASSWORD instead."
        )
    path = unquote(parts.path)
    if scheme == "sftp":
        if not parts.hostname or not parts.username:
            raise DeliveryRefused(f"the destination {url} needs a user and a host: sftp://user@host[:port]/path.")
        return Destination(url, "sftp", unquote(parts.username), parts.hostname, port or 22, sftp_path(path))
    if scheme == "s3":
        if not parts.hostname or parts.username:
            raise DeliveryRefused(f"the destination {url} needs a bucket: s3://bucket/prefix.")
        return Destination(url, "s3", None, parts.netloc, None, path.strip("/"))
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise DeliveryRefused(f"the destination {url} names a host: a file:// URL is a folder here (file:///path).")
        if not path.startswith("/"):
            raise DeliveryRefused(f"the destination {url} needs an absolute path: file:///path.")
        return Destination(url, "file", None, None, None, path.rstrip("/") or "/")
    raise DeliveryRefused(f"the destination {url} is not sftp://, s3:// or file://.")
