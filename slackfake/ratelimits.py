"""Slack's rate limits, enforced: token buckets per method tier, per channel for chat.postMessage, and a
workspace-wide cap on posting.

Slack documents the Web API limits per method ("tiers", counted per minute, per app and workspace, with
bursts allowed) and a special one for chat.postMessage: about one message per second per channel with
short bursts, and a per-workspace limit of several hundred a minute. Beyond a limit Slack answers HTTP 429
with `Retry-After` (seconds). Every check is O(1): a bucket refills lazily from the time of its last use.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

POST_METHODS = frozenset({"chat.postMessage"})
"""Methods limited per channel (and by the workspace posting cap) instead of by tier."""

TIER_PER_MINUTE: Mapping[int, int] = MappingProxyType({1: 1, 2: 20, 3: 50, 4: 100})
"""Slack's tiers: "1+", "20+", "50+", "100+" requests per minute."""

METHOD_TIERS: Mapping[str, int] = MappingProxyType(
    {
        "apps.connections.open": 1,
        "usergroups.users.list": 2,
        "usergroups.list": 2,
        "users.list": 2,
        "conversations.history": 3,
        "conversations.replies": 3,
        "conversations.info": 3,
        "conversations.join": 3,
        "conversations.open": 3,
        "conversations.members": 4,
        "chat.update": 3,
        "chat.delete": 3,
        "chat.postEphemeral": 4,
        "chat.getPermalink": 4,
        "users.info": 4,
        "auth.test": 4,
        "views.open": 4,
        "views.push": 4,
        "views.update": 4,
        "views.publish": 4,
    }
)
DEFAULT_TIER = 3


@dataclass(frozen=True)
class RateLimits:
    """How strict the fake is; the defaults follow Slack's documentation.

    - `post_per_second` / `post_burst`: chat.postMessage per channel (a bucket of `post_burst` tokens
      refilled at `post_per_second`).
    - `workspace_posts_per_minute` / `workspace_post_burst`: every chat.postMessage in the workspace.
    - `tier_per_minute`, `method_tiers`, `default_tier`: the other methods; a tier's bucket holds a
      minute's worth of calls (Slack allows bursts) and refills evenly.
    - `latency`: seconds added to every Web API call (0 for none).
    """

    post_per_second: float = 1.0
    post_burst: int = 3
    workspace_posts_per_minute: int = 600
    workspace_post_burst: int = 100
    tier_per_minute: Mapping[int, int] = field(default_factory=lambda: dict(TIER_PER_MINUTE))
    method_tiers: Mapping[str, int] = field(default_factory=lambda: dict(METHOD_TIERS))
    default_tier: int = DEFAULT_TIER
    latency: float = 0.0

    def tier_of(self, method: str) -> int:
        return self.method_tiers.get(method, self.default_tier)


class Bucket:
    """A token bucket: `capacity` tokens, refilled at `rate` per second."""

    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def wait(self) -> float:
        """Seconds until one token is available (0 when one is); call after `refill`."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class RateLimitStats:
    """What the limiter refused: 429s by method and, for posts, by channel."""

    by_method: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    allowed: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_method.values())


class RateLimiter:
    """Decides, per call, whether Slack would answer 429; thread-safe, O(1) per call."""

    def __init__(self, limits: RateLimits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self.stats = RateLimitStats()

    def _bucket(self, key: tuple[str, str], capacity: float, rate: float, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(capacity, rate, now)
        else:
            bucket.refill(now)
        return bucket

    def check(self, method: str, channel: str | None = None) -> int | None:
        """Take a token for this call: None when allowed, else the Retry-After in whole seconds (≥ 1)."""
        limits = self.limits
        with self._lock:
            now = self.clock()
            if method in POST_METHODS:
                buckets = [
                    self._bucket(
                        ("post", str(channel or "")), limits.post_burst, limits.post_per_second, now
                    ),
                    self._bucket(
                        ("workspace", "post"),
                        limits.workspace_post_burst,
                        limits.workspace_posts_per_minute / 60,
                        now,
                    ),
                ]
            else:
                per_minute = limits.tier_per_minute[limits.tier_of(method)]
                buckets = [self._bucket(("method", method), per_minute, per_minute / 60, now)]
            wait = max(bucket.wait() for bucket in buckets)
            if wait > 0:
                self.stats.by_method[method] += 1
                if method in POST_METHODS:
                    self.stats.by_channel[str(channel or "")] += 1
                return max(1, math.ceil(wait))
            for bucket in buckets:
                bucket.tokens -= 1
            self.stats.allowed += 1
            return None

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = RateLimitStats()
