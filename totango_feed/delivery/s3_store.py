"""An S3 drop (or an S3-compatible store, with --endpoint-url), through boto3 and its standard credential chain:
the environment (AWS_ACCESS_KEY_ID...), a profile (AWS_PROFILE), an instance or container role.

S3 has no rename, and needs none: an object appears only when its upload is complete, whole, so the upload
itself is the temporary. Each file is one PutObject that carries its SHA-256 (S3 checks it before it stores the
object) and a condition: If-None-Match: * (the name must be new), or If-Match with the ETag of the exact object
it replaces. Then the object's size, and its checksum where the store returns one (else the ETag, which is the
MD5 of a single upload without KMS encryption), are compared with ours. (A temporary object copied into place
would not do: S3 takes no If-None-Match on CopyObject.) A single PutObject holds up to 5 GB: a larger file is
refused (split it with export.py --max-file-mb).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import boto3
import botocore.exceptions
from botocore.config import Config

from totango_feed.delivery.destination import DeliveryFailed, DeliveryRefused, Destination
from totango_feed.delivery.stores import BLOCK, Existing, hash_stream

MAX_SINGLE_UPLOAD = 5 * 1024**3
# Errors that a person must fix; any other error of the store is worth a retry.
REFUSING_CODES = {"AccessDenied", "NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled"}


def file_digests(path: Path) -> tuple[str, str]:
    """(SHA-256 as base64, MD5 as hex) of a local file, in one read."""
    sha, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            sha.update(block)
            md5.update(block)
    return base64.b64encode(sha.digest()).decode(), md5.hexdigest()


def error_code(error: botocore.exceptions.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3Store:
    renames = False

    def __init__(self, destination: Destination, prefix: str, endpoint_url: str | None) -> None:
        self.bucket = destination.host or ""
        self.prefix = prefix.strip("/")
        config = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=30, read_timeout=120)
        self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def describe(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.key(name)}"

    def prepare(self) -> None:
        pass  # a prefix is part of each key: nothing to make

    def head(self, name: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(name), ChecksumMode="ENABLED")
        except botocore.exceptions.ClientError as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def existing(self, name: str) -> Existing | None:
        found = self.head(name)
        return Existing(found["ContentLength"], found["ETag"]) if found else None

    def sha256(self, name: str) -> str:
        found = self.head(name)
        if found and found.get("ChecksumSHA256") and "-" not in found["ChecksumSHA256"]:
            return base64.b64decode(found["ChecksumSHA256"]).hex()
        body = self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"]
        return hash_stream(body)

    def stage(self, local: Path, temporary: str, size: int, sha256: str) -> None:
        del local, temporary, sha256
        if size > MAX_SINGLE_UPLOAD:
            raise DeliveryRefused(
                f"a file of {size} bytes is over the 5 GB of one S3 upload: export with a smaller --max-file-mb."
            )

    def has_staged(self, temporary: str) -> bool:
        return False

    def discard(self, temporary: str) -> None:
        pass

    def commit(self, local: Path, temporary: str, name: str, replacing: Existing | None, sha256: str) -> None:
        del temporary
        sha_base64, md5 = file_digests(local)
        if base64.b64decode(sha_base64).hex() != sha256:
            raise DeliveryRefused(f"{local} changed since it was checked: run again.")
        condition = {"IfMatch": replacing.version} if replacing and replacing.version else {"IfNoneMatch": "*"}
        try:
            with local.open("rb") as body:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.key(name),
                    Body=body,
                    ContentType="text/csv" if name.endswith(".csv") else "application/json",
                    ChecksumSHA256=sha_base64,
                    **condition,
                )
        except botocore.exceptions.ClientError as error:
            if error_code(error) in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409"):
                raise DeliveryRefused(
                    f"{self.describe(name)} appeared or changed while this delivery ran: it is left as it is."
                ) from error
            raise
        self.verify(name, local.stat().st_size, sha_base64, md5)

    def verify(self, name: str, size: int, sha_base64: str, md5: str) -> None:
        found = self.head(name)
        if found is None or found["ContentLength"] != size:
            raise DeliveryFailed(f"{self.describe(name)} is not there whole after its upload: run again.")
        checksum = found.get("ChecksumSHA256")
        etag = str(found.get("ETag", "")).strip('"')
        kms = str(found.get("ServerSideEncryption", "")).startswith("aws:kms")
        if (checksum and "-" not in checksum and checksum != sha_base64) or (
            not checksum and "-" not in etag and not kms and etag and etag != md5
        ):
            raise DeliveryFailed(f"{self.describe(name)} does not hold what was sent (checksum differs): run again.")

    def close(self) -> None:
        self.client.close()


def describe_client_error(error: botocore.exceptions.ClientError) -> tuple[bool, str]:
    """(refused, one line) for an error S3 answered with."""
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", "")) or str(error)
    return code in REFUSING_CODES, f"S3 answered {code or 'an error'}: {message}"


__all__ = ["S3Store", "DeliveryFailed", "describe_client_error"]
