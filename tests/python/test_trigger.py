"""The trigger of Totango's import jobs after a delivery, against a small local HTTP server (http.server in a
thread on 127.0.0.1) that answers as Totango's would: 200, 429 with RateLimit-Reset, 500, 401. Totango's order,
the token in the app-token header and never printed, retries, and every outcome recorded.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from delivery_world import Exports, copy_exports, deliver, one_line

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
