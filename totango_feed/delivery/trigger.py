"""After a delivery, start Totango's import jobs at once instead of waiting for their schedule (optional).

Totango's UI gives each scheduled job (accounts, users, usage) a trigger URL; the user copies each into
configuration (--trigger-accounts/--trigger-users/--trigger-usage, or TOTANGO_TRIGGER_ACCOUNTS_URL...). Each is
called with POST and the API token of a Totango admin from the environment variable TOTANGO_API_TOKEN, sent in
Totango's app-token header; the token is never printed or recorded. Jobs are called in Totango's order: accounts,
then users, then usage, each only when a file of its kind was delivered since its last successful call (in
deliver.py's own order of steps, not by the clock); a job that cannot be triggered stops the later ones (users
before their accounts would fail to attach). A 429 or a 5xx answer, or no answer, is tried again after the wait
the server asks for (RateLimit-Reset, Retry-After) or a growing backoff; every attempt and its outcome is recorded
in delivery.triggers.

The token goes to the trigger URL's host and nowhere else: a redirect is never followed (urllib would copy the
app-token header to wherever Location points, and count the other host's answer as the job started); it is a
failure, naming the host it pointed to. A URL that is not https:// (http:// only to this machine, for a test
server) is refused before any call, as is a token that holds a line end or a control character (an env file
saved with Windows line ends); the token is taken out of anything printed or recorded, the server's answer
included.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urlsplit

import duckdb

from totango_feed.delivery import records
from totango_feed.delivery.selection import KINDS

TOKEN_VARIABLE = "TOTANGO_API_TOKEN"
URL_VARIABLES = {kind: f"TOTANGO_TRIGGER_{kind.upper()}_URL" for kind in KINDS}
NAME_PATTERNS = {"accounts": "accounts%", "users": "users%", "usage": "usage%"}
# What no HTTP header value may hold (http.client refuses it, quoting the value: the token, in a traceback).
UNSENDABLE = re.compile(r"[\x00-\x1f\x7f]")
REDACTED = "[the API token]"


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
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a URL that cannot be read)"
    return f"{parts.scheme}://{parts.hostname}{parts.path}" if parts.scheme and parts.hostname else parts.path


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why a trigger URL cannot be called, in words that never quote its query; None if it can."""
    try:
        parts: SplitResult = urlsplit(url)
        parts.port  # noqa: B018 - read for its ValueError: a port that is not a number
    except ValueError:
        return "it is not a URL that can be read (a broken [IPv6] host, or a port that is not a number)"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "it does not start with https:// and a host (paste the whole trigger URL from Totango)"
    if UNSENDABLE.search(url) or " " in url:
        return "it holds a space or a control character"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return "it is http://, which would send the API token unencrypted: use the https:// URL Totango gives"
    return None


def token_problem(token: str) -> str | None:
    if UNSENDABLE.search(token) or token != token.strip():
        return (f"{TOKEN_VARIABLE} holds a line end, a control character or spaces around it (an env file saved "
                "with Windows line ends?): write it again")  # fmt: skip
    return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered, never followed: urllib would send the app-token header on to wherever it points."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect())


def call(url: str, token: str) -> tuple[int | None, object, str]:
    """One POST: (HTTP status, or None for no answer; the answer's headers; a few words, which may quote the server
    and so must be redacted before they are shown)."""
    request = urllib.request.Request(url, data=b"", method="POST", headers={"app-token": token})
    try:
        with OPENER.open(request, timeout=60) as answer:
            return answer.status, answer.headers, "started"
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            location = shown(error.headers.get("Location", "") or "") if error.headers else ""
            return (
                error.code,
                error.headers,
                (
                    f"a redirect to {location or 'elsewhere'}, not followed (the API token "
                    "goes to the trigger URL's host only)"
                ),
            )
        return error.code, error.headers, str(error.reason)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, None, f"no answer: {reason}"
    except (ValueError, http.client.HTTPException) as error:
        # A header or URL http.client will not send: its message quotes them, so only its kind is told.
        return None, None, f"not sent: {type(error).__name__}"


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
        """A file of the kind was delivered after the job's last successful call (steps, never the clock)."""
        delivered = records.last_delivered_step(self.connection, self.destination, NAME_PATTERNS[kind])
        if delivered is None:
            return False
        triggered = records.last_triggered_step(self.connection, self.destination, kind)
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
            self.connection, self.destination, kind, attempt=attempt, http_status=status, outcome=outcome,
            detail=self.redact(detail),
        )  # fmt: skip

    def redact(self, text: str) -> str:
        """Text with the token taken out: a server or proxy may quote the header it was sent."""
        token = self.settings.token
        return text.replace(token, REDACTED) if token else text

    def refusal(self, kind: str, url: str) -> str | None:
        """Why the job is not called at all (no usable token, a URL that cannot be called), recorded; or None."""
        token = self.settings.token
        if not token:
            self.record(kind, 0, None, "failed", "no API token")
            return f"the {kind} job was not triggered: set {TOKEN_VARIABLE} to a Totango admin's API token."
        problem = url_problem(url)
        if problem:
            self.record(kind, 0, None, "failed", f"trigger URL refused: {problem}")
            return f"the {kind} job was not triggered: its trigger URL ({shown(url)}) cannot be called: {problem}."
        problem = token_problem(token)
        if problem:
            self.record(kind, 0, None, "failed", "API token refused")
            return f"the {kind} job was not triggered: {problem}."
        return None

    def trigger(self, kind: str, url: str) -> str | None:
        where = shown(url)
        refused = self.refusal(kind, url)
        if refused or not self.settings.token:
            return refused
        for attempt in range(1, self.settings.attempts + 1):
            status, headers, said = call(url, self.settings.token)
            words = self.redact(said)
            if status is not None and 200 <= status < 300:
                self.record(kind, attempt, status, "ok", words)
                self.say(f"triggered Totango's {kind} job ({where}): HTTP {status}")
                return None
            unsent = status is None and words.startswith("not sent")
            retryable = (status is None and not unsent) or status == 429 or (status or 0) >= 500
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
