"""deliver.py to S3, against moto's server mode (ThreadedMotoServer on 127.0.0.1, reached through
--endpoint-url as an S3-compatible store would be): each file one conditional PutObject (If-None-Match: *, or
If-Match on the object it replaces), verified; a waiting usage file; a delivery killed between files; a missing
bucket. moto enforces both conditions on PutObject; it does not check the SHA-256 an upload carries (AWS does).
"""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from delivery_world import Exports, copy_exports, deliver, one_line, usage_events
from moto.server import ThreadedMotoServer
from test_deliver_file import DROP_FILES, sent_lines

from totango_feed.delivery.destination import DeliveryRefused
from totango_feed.delivery.s3_store import S3Store
from totango_feed.writer import file_sha256

pytestmark = pytest.mark.slow  # left out by make test-fast

BUCKET = "totango-drop"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_SESSION_TOKEN": None, "AWS_PROFILE": None, "AWS_CONFIG_FILE": "/dev/null",
               "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}  # fmt: skip


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server: str, request: pytest.FixtureRequest):
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # fmt: skip
    name = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    client.create_bucket(Bucket=name)
    yield client, name
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


@pytest.fixture
def exports(two_days: Exports, tmp_path: Path) -> Exports:
    return copy_exports(two_days, tmp_path / "exports")


def objects(client, bucket: str) -> dict[str, bytes]:
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def run(exports: Exports, s3_server: str, url: str, *args: str, kill_at: tuple | None = None):
    return deliver(exports, url, "--endpoint-url", s3_server, *args, env=CREDENTIALS, kill_at=kill_at)


def test_each_export_goes_once_into_its_own_prefix(s3_server: str, bucket, exports: Exports) -> None:
    client, name = bucket
    first = run(exports, s3_server, f"s3://{name}/totango/{{run_id}}")
    assert first.returncode == 0, first.stderr
    stored = objects(client, name)
    expected = {f"totango/{run_id}/{f}": (local / f).read_bytes()
                for run_id, local in zip(exports.run_ids(), exports.days, strict=True) for f in DROP_FILES}  # fmt: skip
    assert stored == expected
    assert usage_events([(key.rsplit("/", 1)[1], body) for key, body in stored.items()]) == {"E1": 1, "E2": 1, "E3": 1}
    again = run(exports, s3_server, f"s3://{name}/totango/{{run_id}}")
    assert again.returncode == 0 and "nothing to deliver" in again.stdout


def test_a_waiting_usage_object_is_never_overwritten_and_snapshots_are_replaced_conditionally(
    s3_server: str, bucket, exports: Exports
) -> None:
    client, name = bucket
    first, second = exports.run_ids()
    assert run(exports, s3_server, f"s3://{name}/drop", "--skip", second).returncode == 0
    exports.query("delete from delivery.runs where run_id = ?", [second])
    day1_usage = objects(client, name)["drop/usage.csv"]
    refused = run(exports, s3_server, f"s3://{name}/drop")
    assert refused.returncode == 4
    assert "may not have loaded yet" in one_line(refused.stderr)
    assert objects(client, name)["drop/usage.csv"] == day1_usage
    assert objects(client, name)["drop/accounts.csv"] == (exports.days[1] / "accounts.csv").read_bytes()
    client.delete_object(Bucket=name, Key="drop/usage.csv")  # Totango loaded it
    finished = run(exports, s3_server, f"s3://{name}/drop")
    assert finished.returncode == 0, finished.stderr
    assert usage_events([("usage.csv", day1_usage), ("usage.csv", objects(client, name)["drop/usage.csv"])]) == {
        "E1": 1,
        "E2": 1,
        "E3": 1,
    }


def test_an_object_that_appears_during_the_delivery_is_not_overwritten(bucket, exports: Exports) -> None:
    """The name must still be new when the upload completes (If-None-Match: *), whatever was seen before."""
    client, name = bucket
    store = S3Store.__new__(S3Store)
    store.bucket, store.prefix, store.client = name, "p", client
    local = exports.days[0] / "usage.csv"
    client.put_object(Bucket=name, Key="p/usage.csv", Body=b"someone else's")
    with pytest.raises(DeliveryRefused, match="appeared or changed"):
        store.commit(local, "", "usage.csv", None, file_sha256(local))
    assert objects(client, name)["p/usage.csv"] == b"someone else's"


def test_a_delivery_killed_between_files_is_finished_by_the_next(s3_server: str, bucket, exports: Exports) -> None:
    client, name = bucket
    url = f"s3://{name}/{{run_id}}"
    killed = run(exports, s3_server, url, kill_at=("engine", "Delivery", "deliver_file", 3))
    assert killed.returncode == -9
    assert len(objects(client, name)) == 2
    finished = run(exports, s3_server, url)
    assert finished.returncode == 0, finished.stderr
    sent = sent_lines(killed.stdout, finished.stdout)
    assert len(sent) == len(set(sent)) == 8
    assert usage_events([(k.rsplit("/", 1)[1], b) for k, b in objects(client, name).items()]) == {
        "E1": 1,
        "E2": 1,
        "E3": 1,
    }


def test_a_missing_bucket_is_refused_with_one_line(s3_server: str, exports: Exports) -> None:
    result = run(exports, s3_server, "s3://no-such-bucket-here/x")
    assert result.returncode == 4
    assert "NoSuchBucket" in one_line(result.stderr)


def test_a_usage_upload_cut_short_whose_object_is_gone_is_never_sent_again_without_a_person(
    s3_server: str, bucket, exports: Exports
) -> None:
    """Killed after the PutObject of usage.csv and before it was recorded, while Totango (or a lifecycle rule) took
    the object: nothing in the bucket tells that from an upload that never arrived, and sending it again would
    count its events twice. Refused, naming both answers; --mark-delivered records it without sending."""
    client, name = bucket
    url = f"s3://{name}/{{run_id}}"
    killed = run(exports, s3_server, url, kill_at=("s3_store", "S3Store", "verify", 3))
    assert killed.returncode == -9, killed.stdout + killed.stderr
    first = exports.run_ids()[0]
    collected = objects(client, name)
    assert f"{first}/usage.csv" in collected, "the kill came after the upload"
    client.delete_object(Bucket=name, Key=f"{first}/usage.csv")  # Totango's pull took it
    refused = run(exports, s3_server, url)
    assert refused.returncode == 4
    line = one_line(refused.stderr)
    assert f"--mark-delivered {first}" in line and f"--resend {first}" in line
    assert f"{first}/usage.csv" not in objects(client, name)
    settled = run(exports, s3_server, url, "--mark-delivered", first)
    assert settled.returncode == 0, settled.stderr
    sent = [(key.rsplit("/", 1)[1], body) for key, body in [*collected.items(), *objects(client, name).items()]]
    assert usage_events(sent) == {"E1": 1, "E2": 1, "E3": 1}
    assert exports.query("select note from delivery.files where run_id = ? and name = 'usage.csv'", [first]) == [
        ("recorded delivered by --mark-delivered, not sent again",)
    ]


def test_a_usage_upload_cut_short_before_it_arrived_is_sent_again_when_a_person_says_so(
    s3_server: str, bucket, exports: Exports
) -> None:
    """Killed as the PutObject of usage.csv began (recorded as sent, never arrived): the bucket looks the same as
    after an upload taken by Totango; --resend sends it."""
    client, name = bucket
    url = f"s3://{name}/{{run_id}}"
    killed = run(exports, s3_server, url, kill_at=("s3_store", "S3Store", "commit", 3))
    assert killed.returncode == -9
    first = exports.run_ids()[0]
    assert f"{first}/usage.csv" not in objects(client, name)
    assert run(exports, s3_server, url).returncode == 4
    wrong = run(exports, s3_server, url, "--resend", exports.run_ids()[1])
    assert wrong.returncode == 4 and "no upload cut short" in one_line(wrong.stderr)
    resent = run(exports, s3_server, url, "--resend", first)
    assert resent.returncode == 0, resent.stderr
    stored = objects(client, name)
    assert usage_events([(key.rsplit("/", 1)[1], body) for key, body in stored.items()]) == {"E1": 1, "E2": 1, "E3": 1}


def test_an_invalid_bucket_name_is_a_refusal_that_names_the_problem(exports: Exports) -> None:
    """botocore's ParamValidationError is the configuration, the same on every retry: a person must act (it was a
    transient failure, exit 1, whose first line said only 'Parameter validation failed:')."""
    result = deliver(exports, "s3://bad_bucket!/x", "--endpoint-url", "http://127.0.0.1:9", env=CREDENTIALS)
    assert result.returncode == 4
    line = one_line(result.stderr)
    assert "S3 will not take this destination" in line and 'Invalid bucket name "bad_bucket!"' in line
