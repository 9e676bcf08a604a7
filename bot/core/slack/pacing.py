"""Posting at Slack's pace: one pacer per process, shared by every feature that posts.

Slack holds chat.postMessage to about one message per second per channel (short bursts tolerated) and to
several hundred a minute per workspace, chat.update to its tier 3 (about 50 a minute), and answers 429 with
`Retry-After` beyond that. The pacer keeps this process under a configured rate instead of finding the limit
by hitting it, and a 429 on any call pauses every paced call of the workspace for `Retry-After`, not only
the one that was refused.

Scheduling is by reservation (GCRA, a token bucket kept as one "theoretical arrival time"): each caller
reserves the next free instant and sleeps until then, so thousands of waiting posts cost no polling and go
out in the order they asked, with a small burst allowed. A reservation made before a pause is made again
after it, so a pause never ends in a burst.

Every wait is bounded: a caller that would wait longer than `max_wait` gets `PacerBusy` at once and keeps
its work for later (the quiz and the learning path leave such a claim to expire and be taken over).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.core.slack.client import BoundedRateLimitRetryHandler, retry_after

log = logging.getLogger(__name__)

POST = "chat.postMessage"
UPDATE = "chat.update"
CHANNEL_PER_SECOND = 1.0
CHANNEL_BURST = 2
DEFAULT_MAX_WAIT = 300.0
"""Seconds a caller may be asked to wait for its turn before `PacerBusy`."""
PAUSE_MAX = 120.0
"""A Retry-After longer than this is taken as this (a broken header must not stop posting for hours)."""
RATE_LIMIT_RETRIES = 5
CHANNELS_KEPT = 10_000
"""Channel schedules are forgotten once they are in the past and there are more than this many."""


class PacerBusy(Exception):
    """The caller's turn is further away than its bound; nothing was reserved."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"next free slot in {wait:.0f} s")
        self.wait = wait


@dataclass
class _Gcra:
    """One rate: `per_second`, with `burst` calls allowed back to back."""

    per_second: float
    burst: int
    tat: float = 0.0
    """The theoretical arrival time of the next call at the steady rate."""

    @property
    def interval(self) -> float:
        return 1.0 / self.per_second

    def earliest(self, now: float) -> float:
        """When a call could go, without reserving it."""
        return max(now, self.tat - (self.burst - 1) * self.interval)

    def reserve(self, at: float) -> None:
        """Take the slot at `at` (not earlier than `earliest`)."""
        self.tat = max(self.tat, at) + self.interval

    def hold_until(self, instant: float) -> None:
        """No call before `instant`, and no burst right after it."""
        self.tat = max(self.tat, instant + (self.burst - 1) * self.interval)


@dataclass
class PacerStats:
    waits: int = 0
    waited_seconds: float = 0.0
    pauses: int = 0
    busy: int = 0
    by_method: dict[str, int] = field(default_factory=dict)


class Pacer:
    """Reserves turns for paced Web API calls of one workspace, in this process."""

    def __init__(
        self,
        posts_per_minute: float = 100,
        *,
        updates_per_minute: float = 50,
        post_burst: int | None = None,
        channel_per_second: float = CHANNEL_PER_SECOND,
        channel_burst: int = CHANNEL_BURST,
        max_wait: float = DEFAULT_MAX_WAIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        posts_per_second = posts_per_minute / 60
        # A burst of about a second's worth (at least 1, at most 20): smooth, yet no idle gaps.
        burst = post_burst if post_burst is not None else max(1, min(20, round(posts_per_second)))
        self._workspace = {
            POST: _Gcra(posts_per_second, burst),
            UPDATE: _Gcra(updates_per_minute / 60, max(1, min(10, round(updates_per_minute / 60)))),
        }
        self._channel_rate = channel_per_second
        self._channel_burst = channel_burst
        self._channels: dict[tuple[str, str], _Gcra] = {}
        self._max_wait = max_wait
        self._clock = clock
        self._paused_until = 0.0
        self._epoch = 0
        self.stats = PacerStats()

    @property
    def posts_per_minute(self) -> float:
        return self._workspace[POST].per_second * 60

    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when none)."""
        return max(0.0, self._paused_until - self._clock())

    async def turn(self, method: str, channel: str | None = None, *, max_wait: float | None = None) -> None:
        """Wait for this call's turn; `PacerBusy` (nothing reserved) if it is more than `max_wait` away.

        `method` is POST or UPDATE; `channel` adds Slack's per-channel pace for posts.
        """
        bound = self._max_wait if max_wait is None else max_wait
        while True:
            now = self._clock()
            at = self._reserve(method, channel, now, bound)
            epoch = self._epoch
            if at > now:
                self.stats.waits += 1
                self.stats.waited_seconds += at - now
                await asyncio.sleep(at - now)
            if epoch == self._epoch and self._clock() >= self._paused_until:
                self.stats.by_method[method] = self.stats.by_method.get(method, 0) + 1
                return
            # A 429 paused the workspace while this call slept: take a turn after the pause instead.

    def _reserve(self, method: str, channel: str | None, now: float, bound: float) -> float:
        workspace = self._workspace.get(method)
        start = max(now, self._paused_until)
        lane = self._channel(method, channel, now) if channel and method == POST else None
        at = lane.earliest(start) if lane is not None else start
        if workspace is not None:
            at = workspace.earliest(at)
        if at - now > bound:
            self.stats.busy += 1
            raise PacerBusy(at - now)
        if lane is not None:
            lane.reserve(at)
        if workspace is not None:
            workspace.reserve(at)
        return at

    def _channel(self, method: str, channel: str, now: float) -> _Gcra:
        key = (method, channel)
        lane = self._channels.get(key)
        if lane is None:
            if len(self._channels) >= CHANNELS_KEPT:
                self._channels = {k: v for k, v in self._channels.items() if v.tat > now}
            lane = self._channels[key] = _Gcra(self._channel_rate, self._channel_burst)
        return lane

    def pause(self, seconds: float) -> None:
        """Slack said 429: no paced call for `seconds`, whatever method or channel."""
        seconds = min(max(seconds, 0.0), PAUSE_MAX)
        until = self._clock() + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        self._epoch += 1
        self.stats.pauses += 1
        for lane in self._workspace.values():
            lane.hold_until(until)
        log.warning("Slack rate-limited this workspace: pausing paced calls for %.1f s", seconds)

    def retry_handler(self, max_retry_count: int = RATE_LIMIT_RETRIES) -> AsyncRetryHandler:
        """The client's 429 handler: tells this pacer about every 429 (any method), then waits out the
        pause before retrying (bounded: `max_retry_count` tries, each pause at most `PAUSE_MAX`)."""
        return _PausingRateLimitHandler(self, max_retry_count)

    def attach(self, client: Any) -> None:
        """Let `client`'s 429s pause this pacer: its rate-limit retry handler becomes the pacer's."""
        from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

        handlers = [
            handler
            for handler in client.retry_handlers
            if not isinstance(handler, AsyncRateLimitErrorRetryHandler | BoundedRateLimitRetryHandler)
        ]
        client.retry_handlers = [self.retry_handler(), *handlers]


class _PausingRateLimitHandler(BoundedRateLimitRetryHandler):
    """The client's bounded 429 handling (see `bot.core.slack.client`), and every 429 pauses the pacer."""

    def __init__(self, pacer: Pacer, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._pacer = pacer

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            self._pacer.pause(retry_after(response) or PAUSE_MAX)
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)

    async def wait_before_retry(self, request: HttpRequest, wait: float) -> None:
        method = request.url.rstrip("/").rsplit("/", 1)[-1]
        if method in (POST, UPDATE):
            # The retry takes a turn like any call (after the pause), so the pause ends without a burst.
            try:
                await self._pacer.turn(method, max_wait=PAUSE_MAX * 2)
            except PacerBusy:
                await asyncio.sleep(self._pacer.paused_for())
        else:
            await asyncio.sleep(self._pacer.paused_for())
