"""After a delivery, start Totango's import jobs at once instead of waiting for their schedule (optional).

Totango's UI gives each scheduled job (accounts, users, usage) a trigger URL; the user copies each into
configuration (--trigger-accounts/--trigger-users/--trigger-usage, or TOTANGO_TRIGGER_ACCOUNTS_URL...). Each is
called with POST and the API token of a Totango admin from the environment variable TOTANGO_API_TOKEN, sent in
Totango's app-token header; the token is never printed or recorded. Jobs are called in Totango's order: accounts,
then users, then usage, each only when a file of its kind was delivered since its last successful call; a job
that cannot be triggered stops the later ones (users before their accounts would fail to attach). A 429 or a 5xx
answer, or no answer, is tried again after the wait the server asks for (RateLimit-Reset, Retry-After) or a
growing backoff; every attempt and its outcome is recorded in delivery.triggers.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import duckdb

from totango_feed.delivery import records
from totango_feed.delivery.selection import KINDS

TOKEN_VARIABLE = "TOTANGO_API_TOKEN"
URL_VARIABLES = {kind: f"TOTANGO_TRIGGER_{kind.upper()}_URL" for kind in KINDS}
NAME_PATTERNS = {"accounts": "accounts%", "users": "users%", "usage": "usage%"}


@dataclass(frozen=True)
class TriggerSettings:
    urls: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    attempts: int = 5
    # The first wait when the server names none; doubled at each attempt.
    backoff_seconds: float = 2.0
    # A server that asks for a longer wait is not waited for: the call fails, and the next run triggers the job.
    longest_wait_seconds: float = 300.0


def settings_from(urls: dict[str, str | None], environ: dict[str, str] | None = None) -> TriggerSettings:
    """The trigger URLs given as options, else from the environment; the token from the environment only."""
    environ = dict(os.environ) if environ is None else environ
    chosen = {kind: urls.get(kind) or environ.get(URL_VARIABLES[kind], "") for kind in KINDS}
    return TriggerSettings(urls={k: v for k, v in chosen.items() if v}, token=environ.get(TOKEN_VARIABLE) or None)


def asked_wait(headers: object) -> float | None:
    """The wait a 429 or 503 answer asks for, in seconds: RateLimit-Reset (seconds), else Retry-After (seconds or
    an HTTP date)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    for name in ("RateLimit-Reset", "Retry-After"):
        value = (get(name) or "").strip()
        if not value:
            continue
        if value.isdigit():
            return float(value)
        try:
            return max((parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds(), 0.0)
        except (TypeError, ValueError):
            continue
    return None


def shown(url: str) -> str:
    """A trigger URL for messages: its host and path, never a query (which could carry a secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{parts.path}"


def call(url: str, token: str) -> tuple[int | None, object, str]:
    """One POST: (HTTP status, or None for no answer; the answer's headers; a few words)."""
    request = urllib.request.Request(url, data=b"", method="POST", headers={"app-token": token})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - the URL is the user's trigger
            return answer.status, answer.headers, "started"
    except urllib.error.HTTPError as error:
        return error.code, error.headers, str(error.reason)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, None, f"no answer: {reason}"


class Trigger:
    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        destination: str,
        settings: TriggerSettings,
        say: Callable[[str], None],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connection = connection
        self.destination = destination
        self.settings = settings
        self.say = say
        self.sleep = sleep

    def due(self, kind: str) -> bool:
        delivered = records.last_delivered_at(self.connection, self.destination, NAME_PATTERNS[kind])
        if delivered is None:
            return False
        triggered = records.last_triggered_at(self.connection, self.destination, kind)
        return triggered is None or triggered < delivered

    def run(self) -> str | None:
        """Trigger every job that is due, in Totango's order; None if all went well, else what failed."""
        records.ensure_schema(self.connection)
        for kind in KINDS:
            url = self.settings.urls.get(kind)
            if not url or not self.due(kind):
                continue
            failure = self.trigger(kind, url)
            if failure:
                return failure
        return None

    def record(self, kind: str, attempt: int, status: int | None, outcome: str, detail: str) -> None:
        records.record_trigger(
            self.connection, self.destination, kind, attempt=attempt, http_status=status, outcome=outcome, detail=detail
        )

    def trigger(self, kind: str, url: str) -> str | None:
        where = shown(url)
        if not self.settings.token:
            self.record(kind, 0, None, "failed", "no API token")
            return f"the {kind} job was not triggered: set {TOKEN_VARIABLE} to a Totango admin's API token."
        for attempt in range(1, self.settings.attempts + 1):
            status, headers, words = call(url, self.settings.token)
            if status is not None and 200 <= status < 300:
                self.record(kind, attempt, status, "ok", words)
                self.say(f"triggered Totango's {kind} job ({where}): HTTP {status}")
                return None
            retryable = status is None or status == 429 or status >= 500
            if not retryable or attempt == self.settings.attempts:
                self.record(kind, attempt, status, "failed", words)
                answer = f"HTTP {status} {words}" if status is not None else words
                return f"Totango's {kind} job ({where}) was not triggered: {answer} (attempt {attempt})."
            wait = asked_wait(headers)
            if wait is None:
                wait = self.settings.backoff_seconds * 2 ** (attempt - 1)
            if wait > self.settings.longest_wait_seconds:
                self.record(kind, attempt, status, "failed", f"{words}; asked to wait {wait:.0f} s")
                return (f"Totango's {kind} job ({where}) asked to wait {wait:.0f} s (HTTP {status}): not triggered "
                        "now; the next run triggers it.")  # fmt: skip
            self.record(kind, attempt, status, "retry", f"{words}; waiting {wait:.1f} s")
            self.say(f"Totango's {kind} job answered HTTP {status or 'nothing'}: trying again in {wait:.1f} s")
            self.sleep(wait)
        return None  # not reached: the last attempt returns above
