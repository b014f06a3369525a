"""The trigger of Totango's import jobs after a delivery, against a small local HTTP server (http.server in a
thread on 127.0.0.1) that answers as Totango's would: 200, 429 with RateLimit-Reset, 500, 401. Totango's order,
the token in the app-token header and never printed, retries, and every outcome recorded; a redirect, a URL or a
token that cannot be sent, a server that echoes the token, a clock that was fast at the last call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from delivery_world import Exports, copy_exports, deliver, one_line

from totango_feed.delivery import records
from totango_feed.delivery.trigger import Trigger, TriggerSettings

TOKEN = "secret-token-0042"


class Totango:
    """Scripted answers per job path: a list of (status, headers) served in turn, then 200."""

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.calls: list[tuple[str, str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                outer.calls.append((self.command, self.path, self.headers.get("app-token")))
                queue = outer.answers.get(self.path, [])
                status, headers = queue.pop(0) if queue else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, kind: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v3/integrations/{kind}/trigger"

    def path(self, kind: str) -> str:
        return f"/api/v3/integrations/{kind}/trigger"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def totango():
    server = Totango()
    yield server
    server.stop()


@pytest.fixture
def exports(two_days: Exports, tmp_path: Path) -> Exports:
    return copy_exports(two_days, tmp_path / "exports")


def triggers(totango: Totango) -> tuple[str, ...]:
    return tuple(arg for kind in ("accounts", "users", "usage") for arg in (f"--trigger-{kind}", totango.url(kind)))


def test_jobs_are_triggered_in_totangos_order_with_the_token_after_retries(
    totango: Totango, exports: Exports, tmp_path: Path
) -> None:
    totango.answers[totango.path("users")] = [(429, {"RateLimit-Reset": "1"}), (500, {"Retry-After": "1"})]
    result = deliver(exports, f"file://{tmp_path}/drop/{{run_id}}", *triggers(totango),
                     env={"TOTANGO_API_TOKEN": TOKEN})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [path for _, path, _ in totango.calls] == [
        totango.path("accounts"),
        totango.path("users"),
        totango.path("users"),
        totango.path("users"),
        totango.path("usage"),
    ]
    assert {(method, token) for method, _, token in totango.calls} == {("POST", TOKEN)}
    assert TOKEN not in result.stdout + result.stderr
    recorded = exports.query("select kind, attempt, http_status, outcome, detail from delivery.triggers order by rowid")
    assert [row[:4] for row in recorded] == [
        ("accounts", 1, 200, "ok"),
        ("users", 1, 429, "retry"),
        ("users", 2, 500, "retry"),
        ("users", 3, 200, "ok"),
        ("usage", 1, 200, "ok"),
    ]
    assert "waiting 1.0 s" in recorded[1][4], "RateLimit-Reset is the wait"
    assert TOKEN not in str(exports.query("select * from delivery.triggers"))

    totango.calls.clear()
    again = deliver(exports, f"file://{tmp_path}/drop/{{run_id}}", *triggers(totango),
                    env={"TOTANGO_API_TOKEN": TOKEN})  # fmt: skip
    assert again.returncode == 0
    assert totango.calls == [], "nothing new delivered: no job is triggered again"


def test_a_job_that_cannot_be_triggered_stops_the_later_ones_and_is_tried_by_the_next_run(
    totango: Totango, exports: Exports, tmp_path: Path
) -> None:
    totango.answers[totango.path("accounts")] = [(401, {})]
    url = f"file://{tmp_path}/drop/{{run_id}}"
    failed = deliver(exports, url, *triggers(totango), env={"TOTANGO_API_TOKEN": TOKEN})
    assert failed.returncode == 5
    assert "HTTP 401" in one_line(failed.stderr)
    assert [path for _, path, _ in totango.calls] == [totango.path("accounts")], "users wait for their accounts"
    assert sorted(p.name for p in (tmp_path / "drop").iterdir()) == exports.run_ids(), "the files were delivered"
    assert exports.query("select kind, outcome from delivery.triggers") == [("accounts", "failed")]

    totango.calls.clear()
    retried = deliver(exports, url, *triggers(totango), env={"TOTANGO_API_TOKEN": TOKEN})
    assert retried.returncode == 0, retried.stderr
    assert [path for _, path, _ in totango.calls] == [totango.path(k) for k in ("accounts", "users", "usage")]


def test_a_wait_longer_than_allowed_or_no_token_fails_without_waiting(
    totango: Totango, exports: Exports, tmp_path: Path
) -> None:
    url = f"file://{tmp_path}/drop/{{run_id}}"
    no_token = deliver(exports, url, *triggers(totango), env={"TOTANGO_API_TOKEN": None})
    assert no_token.returncode == 5
    assert "TOTANGO_API_TOKEN" in one_line(no_token.stderr)
    assert totango.calls == []
    totango.answers[totango.path("accounts")] = [(429, {"RateLimit-Reset": "3600"})]
    too_long = deliver(exports, url, *triggers(totango), env={"TOTANGO_API_TOKEN": TOKEN})
    assert too_long.returncode == 5
    assert "asked to wait 3600 s" in one_line(too_long.stderr)
    assert len(totango.calls) == 1


# The token goes to the trigger URL's host only, and is never printed ------------------------------------------------


class Server:
    """A local HTTP server on one host whose handler answers each request with respond(handler), recording every
    request as (method, path, app-token header)."""

    def __init__(self, host: str, respond: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                outer.requests.append((self.command, self.path, self.headers.get("app-token")))
                respond(self)

            do_GET = do_POST = answer  # noqa: N815 - the names http.server calls

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def plain(status: int, headers: dict[str, str] | None = None, reason: str | None = None):
    """An answer with this status (and reason phrase), these headers and no body."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status, reason)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def delivered_usage(connection: duckdb.DuckDBPyConnection, destination: str) -> None:
    """A usage file delivered to destination, so that its usage job is due."""
    records.ensure_schema(connection)
    records.set_file_status(connection, ("run-1", destination, "drop"), "usage.csv", size=10, sha256="ab",
                            status="delivered")  # fmt: skip


def test_a_redirect_is_a_failure_and_never_carries_the_token_to_the_host_it_points_to() -> None:
    """urllib would follow a 302: the POST becomes a GET to wherever Location says, with the app-token header copied
    to that other host, and the other host's 200 counted as the job started."""
    elsewhere = Server("127.0.0.2", plain(200))
    trigger_host = Server("127.0.0.1", plain(302, {"Location": elsewhere.url("/collect")}))
    try:
        with duckdb.connect(":memory:") as connection:
            delivered_usage(connection, "file:///drop")
            settings = TriggerSettings(urls={"usage": trigger_host.url("/api/trigger/usage")}, token=TOKEN)
            said: list[str] = []
            failure = Trigger(connection, "file:///drop", settings, said.append, sleep=lambda s: None).run()
            outcomes = connection.execute("select http_status, outcome from delivery.triggers").fetchall()
    finally:
        elsewhere.stop()
        trigger_host.stop()
    assert elsewhere.requests == [], "the redirect was followed"
    assert [token for _, _, token in trigger_host.requests] == [TOKEN]
    assert outcomes == [(302, "failed")]
    assert failure is not None and "redirect to http://127.0.0.2/collect, not followed" in failure, failure


@pytest.mark.parametrize(
    "url",
    ["app.totango.com/api/v3/integrations/usage/trigger?secret=Q1", "http://[::1/api?secret=Q1",
     "https://api.totango.com/ trigger?secret=Q1", "http://api.totango.com/api/trigger?secret=Q1"],
    ids=["no scheme", "broken IPv6 host", "a space", "http:// elsewhere than this machine"],
)  # fmt: skip
def test_a_trigger_url_that_cannot_be_called_is_one_line_after_the_delivery_never_quoting_its_query(
    exports: Exports, tmp_path: Path, url: str
) -> None:
    """Pasted without https://, a broken [IPv6] host, a space; or http:// to another machine, which would send the
    token unencrypted: refused before any call, one line (exit 5: the files are delivered), never the URL's query,
    which can hold a secret."""
    result = deliver(exports, f"file://{tmp_path}/drop/{{run_id}}", "--trigger-usage", url,
                     env={"TOTANGO_API_TOKEN": TOKEN})  # fmt: skip
    assert result.returncode == 5, result.stderr
    line = one_line(result.stderr)
    assert "cannot be called" in line and "Q1" not in line and TOKEN not in result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "drop").iterdir()) == exports.run_ids(), "the files were delivered"


def test_a_token_with_a_line_end_is_refused_in_one_line_never_sent_nor_printed(
    exports: Exports, tmp_path: Path
) -> None:
    """TOTANGO_API_TOKEN from an env file saved with Windows line ends ends in CR: http.client would refuse the
    header with a ValueError quoting it, in a traceback."""
    totango = Server("127.0.0.1", plain(200))
    try:
        result = deliver(exports, f"file://{tmp_path}/drop/{{run_id}}", "--trigger-usage",
                         totango.url("/api/trigger/usage"), env={"TOTANGO_API_TOKEN": TOKEN + "\r"})  # fmt: skip
    finally:
        totango.stop()
    assert result.returncode == 5, result.stderr
    assert "TOTANGO_API_TOKEN holds a line end" in one_line(result.stderr)
    assert TOKEN not in result.stdout + result.stderr
    assert totango.requests == []
    assert TOKEN not in str(exports.query("select * from delivery.triggers"))


def test_a_token_the_server_echoes_is_never_printed_nor_recorded() -> None:
    """A server (or a proxy before it) that answers `401 invalid app-token <token>`: the reason phrase is printed
    and recorded, the token taken out of it."""
    echo = Server("127.0.0.1", lambda h: plain(401, reason=f"invalid app-token {h.headers.get('app-token')}")(h))
    try:
        with duckdb.connect(":memory:") as connection:
            delivered_usage(connection, "file:///drop")
            said: list[str] = []
            settings = TriggerSettings(urls={"usage": echo.url("/api/trigger/usage")}, token=TOKEN)
            failure = Trigger(connection, "file:///drop", settings, said.append, sleep=lambda s: None).run()
            recorded = connection.execute("select detail from delivery.triggers").fetchall()
    finally:
        echo.stop()
    assert failure is not None and "HTTP 401 invalid app-token [the API token]" in failure, failure
    assert TOKEN not in failure + " ".join(said)
    assert TOKEN not in str(recorded) and "[the API token]" in str(recorded)


def test_a_job_is_triggered_after_each_delivery_whatever_the_clock_said_at_the_last_call() -> None:
    """A call made while the clock was ten days fast: by the clock every later delivery is older than it, and no job
    would be triggered for ten days, silently. deliver.py counts its own steps instead."""
    totango = Server("127.0.0.1", plain(200))
    try:
        with duckdb.connect(":memory:") as connection:
            records.ensure_schema(connection)
            records.record_trigger(connection, "file:///drop", "usage", attempt=1, http_status=200, outcome="ok",
                                   detail="started")  # fmt: skip
            connection.execute("update delivery.triggers set called_at = called_at + interval 10 day")
            delivered_usage(connection, "file:///drop")  # delivered now, after that call
            settings = TriggerSettings(urls={"usage": totango.url("/api/trigger/usage")}, token=TOKEN)
            assert Trigger(connection, "file:///drop", settings, print, sleep=lambda s: None).run() is None
            again = Trigger(connection, "file:///drop", settings, print, sleep=lambda s: None).run()
    finally:
        totango.stop()
    assert again is None
    assert [path for _, path, _ in totango.requests] == ["/api/trigger/usage"], "triggered once, after the delivery"


def test_deliveries_and_triggers_recorded_before_steps_were_counted_are_numbered_by_their_times() -> None:
    """A delivery schema from before steps: its rows get steps in the order of their times, once, below any new
    one, so that a job triggered after its last delivery is not triggered again."""
    with duckdb.connect(":memory:") as connection:
        connection.execute(records.SCHEMA_SQL.split("alter table")[0])  # the tables as they were
        connection.execute("insert into delivery.files values ('r1', 'file:///drop', 'drop', 'usage.csv', 1, 'ab', "
                           "'delivered', now(), now() - interval 1 hour)")  # fmt: skip
        connection.execute("insert into delivery.triggers values ('file:///drop', 'usage', 1, 200, 'ok', 'started', "
                           "now())")  # fmt: skip
        records.ensure_schema(connection)
        records.ensure_schema(connection)  # numbered once
        assert connection.execute("select delivered_step from delivery.files").fetchall() == [(1,)]
        assert connection.execute("select step from delivery.triggers").fetchall() == [(2,)]
        settings = TriggerSettings(urls={"usage": "https://app.totango.example/trigger"}, token=TOKEN)
        assert not Trigger(connection, "file:///drop", settings, print).due("usage")
