"""The drop as a URL, and the folder of it that one export goes into.

    sftp://user@host[:port]/path   the path is absolute, as curl reads such URLs: /~/drop is the folder drop in
                                   the user's home, /~ the home itself
    s3://bucket/prefix             a prefix (folder) in a bucket; --endpoint-url for an S3-compatible store
    file:///path                   a folder on this machine, such as a mounted share

The path may hold {date} (the export's UTC date, YYYY-MM-DD) and {run_id} (the export's run id): each export
then goes into a folder of its own, e.g. sftp://feed@drop.example.com/~/totango/{date}. A password never belongs
in the URL (it would be in the crontab, the process list and the logs): a URL holding one is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
KNOWN_PLACEHOLDERS = ("date", "run_id")


class DeliveryRefused(Exception):
    """deliver will not go on until a person acts (a waiting usage file, a host key, a sample export...); worded
    for that person, one line."""


class DeliveryFailed(Exception):
    """The drop or the network failed part-way; the next deliver finishes the job. One line."""


@dataclass(frozen=True)
class Destination:
    url: str  # as given: the key under which deliveries are recorded
    scheme: str  # sftp, s3 or file
    user: str | None
    host: str | None  # the SFTP host, or the S3 bucket
    port: int | None
    path: str  # the folder (SFTP: absolute, or relative to the home; S3: the prefix, no leading /)

    def folder_for(self, run_id: str, started_at: datetime) -> str:
        """The folder of this drop that one export goes into, placeholders filled."""
        values = {"date": started_at.strftime("%Y-%m-%d"), "run_id": run_id}
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], self.path)


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


def parse(url: str) -> Destination:
    """The drop of a URL, or DeliveryRefused saying what is wrong with it."""
    parts = urlsplit(url)
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
        try:
            port = parts.port or 22
        except ValueError as error:
            raise DeliveryRefused(f"the destination {url} has an invalid port ({error}).") from error
        return Destination(url, "sftp", unquote(parts.username), parts.hostname, port, sftp_path(path))
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
