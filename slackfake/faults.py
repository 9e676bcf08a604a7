"""What goes wrong on purpose: injected faults, added latency, rate limits and outages of the fake Slack.

`Faults` is what tests set (`fake.fail_next(...)`, `fake.set_down()`, ...); the Web API and the response
URLs ask it, for each call, whether and how to fail.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from slackfake.ratelimits import RateLimiter, RateLimits, RateLimitStats

ANY_METHOD = "*"
ERROR_FOR_STATUS = {429: "ratelimited", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}


@dataclass(frozen=True)
class Fault:
    """One injected failure.

    - `status`: answer with this HTTP status (429 adds `Retry-After: retry_after`).
    - `error`: answer HTTP 200 with `{"ok": false, "error": error}`.
    - `delay`: wait this long first (alone: then answer normally, e.g. to trip a client timeout).
    - `drop`: close the connection without any answer.
    - `commit`: carry out the call (post the message, ...) before failing — the "Slack did it but the
      client never heard back" case that makes blind retries post twice.
    """

    status: int | None = None
    retry_after: int = 1
    error: str | None = None
    delay: float = 0.0
    drop: bool = False
    commit: bool = False

    @property
    def fails(self) -> bool:
        return self.drop or self.error is not None or self.status is not None

    def reply(self) -> tuple[int, dict[str, object], dict[str, str]]:
        """(status, body, headers) of the failure; only meaningful when `fails` and not `drop`."""
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        status = self.status or 429
        headers = {"Retry-After": str(self.retry_after)} if status == 429 else {}
        return status, {"ok": False, "error": ERROR_FOR_STATUS.get(status, "request_failed")}, headers


def make_fault(
    *,
    status: int | None = None,
    retry_after: int = 1,
    error: str | None = None,
    delay: float = 0.0,
    drop: bool = False,
    commit: bool = False,
) -> Fault:
    """A fault from `fail_next`-style arguments; with no status, error, delay or drop it is a 429."""
    if status is None and error is None and not delay and not drop:
        status = 429
    return Fault(status=status, retry_after=retry_after, error=error, delay=delay, drop=drop, commit=commit)


class FaultBook:
    """Per-method queues of one-shot faults (consumed in order) plus permanent ones; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._forever: dict[str, Fault] = {}

    def queue(self, method: str, fault: Fault, times: int = 1) -> None:
        with self._lock:
            self._queued[method].extend([fault] * times)

    def forever(self, method: str, fault: Fault | None) -> None:
        """Fail every call to `method` with `fault`; `None` lifts it."""
        with self._lock:
            if fault is None:
                self._forever.pop(method, None)
            else:
                self._forever[method] = fault

    def take(self, method: str) -> Fault | None:
        """The fault for this call: queued ones first, then permanent; `*` entries apply to every method."""
        with self._lock:
            for key in (method, ANY_METHOD):
                if self._queued[key]:
                    return self._queued[key].popleft()
            return self._forever.get(method) or self._forever.get(ANY_METHOD)

    def queued(self, method: str) -> int:
        with self._lock:
            return len(self._queued[method])

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._forever.clear()


Failure = tuple[int, dict[str, Any], dict[str, str]]
"""(HTTP status, JSON body, headers) of a call that fails."""


class Dropped(Exception):
    """The injected fault says: hang up without answering."""


def failure(fault: Fault) -> Failure:
    """What `fault` answers; raises `Dropped` when it drops the connection instead."""
    if fault.drop:
        raise Dropped
    return fault.reply()


def hang_up(request: web.Request) -> web.StreamResponse:
    """Abort the TCP connection so the client sees it dropped mid-request."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=204)


class Faults:
    """The fake's misbehaviour on request: per-method faults, latency, rate limits, being down."""

    def __init__(self, rate_limits: RateLimits | None = None) -> None:
        self.book = FaultBook()
        self.latency = 0.0
        self.down = False
        self.limiter: RateLimiter | None = None
        self._lock = threading.Lock()
        self._every: tuple[int, int] | None = None
        self._api_calls = 0
        if rate_limits is not None:
            self.enforce_rate_limits(rate_limits)

    def fail_next(self, method: str, *, times: int = 1, **fault: Any) -> None:
        """Make the next `times` calls to `method` ("*" for any, "response_url" too) fail.

        `fault` takes `Fault`'s fields (status, retry_after, error, delay, drop, commit); with none of
        them: HTTP 429 with `Retry-After: 1`.
        """
        self.book.queue(method, make_fault(**fault), times)

    def faults_queued(self, method: str) -> int:
        """How many of `fail_next`'s faults for `method` no call has taken yet (a taken one may still be
        holding its call for its `delay`)."""
        return self.book.queued(method)

    def fail_forever(self, method: str, **fault: Any) -> None:
        """Like `fail_next` but for every call until `heal(method)` or `clear_faults()`."""
        self.book.forever(method, make_fault(**fault))

    def heal(self, method: str) -> None:
        self.book.forever(method, None)

    def clear_faults(self) -> None:
        """Lift every injected fault and global knob (latency, rate limit, down)."""
        self.book.clear()
        self.latency = 0.0
        self.down = False
        self.limiter = None
        with self._lock:
            self._every = None

    def set_latency(self, seconds: float) -> None:
        """Add `seconds` to the handling of every Web API call."""
        self.latency = seconds

    def set_down(self, down: bool = True) -> None:
        """While down, every Web API call and Socket Mode connection gets HTTP 503."""
        self.down = down

    def rate_limit_every(self, n: int | None, *, retry_after: int = 1) -> None:
        """Answer every `n`-th Web API call (counted from now) with 429; `None` or 0 turns it off."""
        with self._lock:
            self._every = (n, retry_after) if n else None
            self._api_calls = 0

    def enforce_rate_limits(
        self, limits: RateLimits | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> RateLimiter:
        """Answer like Slack once an app goes past its rate limits (`RateLimits()`: Slack's documented
        ones): HTTP 429 with Retry-After. `clock` drives the token buckets (monotonic seconds)."""
        limits = limits or RateLimits()
        self.limiter = RateLimiter(limits, clock=clock)
        self.latency = limits.latency
        return self.limiter

    def stop_rate_limits(self) -> None:
        self.limiter = None

    @property
    def rate_limit_stats(self) -> RateLimitStats:
        """429s answered by the enforcing mode, by method and by channel (empty when it is off)."""
        return self.limiter.stats if self.limiter is not None else RateLimitStats()

    async def refusal(self, method: str, channel: str) -> Failure | None:
        """After the latency: 503 while down, 429 past a rate limit, else None (the call goes on)."""
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.down:
            return 503, {"ok": False, "error": "service_unavailable"}, {}
        retry_after = self._every_nth()
        if retry_after is None and self.limiter is not None:
            retry_after = self.limiter.check(method, channel)
        if retry_after is not None:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        return None

    async def take(self, method: str) -> Fault | None:
        """The failing fault for this call, after its delay (a delay-only fault just slows the call)."""
        fault = self.book.take(method)
        if fault is None:
            return None
        if fault.delay:
            await asyncio.sleep(fault.delay)
        return fault if fault.fails else None

    def _every_nth(self) -> int | None:
        with self._lock:
            self._api_calls += 1
            if self._every and self._api_calls % self._every[0] == 0:
                return self._every[1]
        return None
