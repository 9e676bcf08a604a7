"""The rate-limit enforcing mode: Slack's per-channel posting limit, the workspace cap and method tiers."""

from __future__ import annotations

import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from slackfake import BOT_TOKEN, FakeSlack, RateLimits
from slackfake.ratelimits import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_posts_per_channel_burst_then_one_a_second() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(post_per_second=1, post_burst=3), clock=clock)
    assert [limiter.check("chat.postMessage", "C1") for _ in range(4)] == [None, None, None, 1]
    assert limiter.check("chat.postMessage", "C2") is None  # another channel has its own bucket
    clock.t += 1.0
    assert limiter.check("chat.postMessage", "C1") is None
    assert limiter.check("chat.postMessage", "C1") == 1
    assert limiter.stats.by_channel == {"C1": 2}
    assert limiter.stats.by_method == {"chat.postMessage": 2}


def test_workspace_cap_and_tiers() -> None:
    clock = Clock()
    limits = RateLimits(post_burst=1000, workspace_posts_per_minute=120, workspace_post_burst=5)
    limiter = RateLimiter(limits, clock=clock)
    results = [limiter.check("chat.postMessage", f"C{n}") for n in range(6)]
    assert results[:5] == [None] * 5 and results[5] == 1  # 2 a second refill: wait half a second -> 1
    clock.t += 0.5
    assert limiter.check("chat.postMessage", "C9") is None

    tier2 = [limiter.check("usergroups.users.list") for _ in range(21)]
    assert tier2.count(None) == 20 and tier2[-1] == 3  # 20 a minute: one more in 3 s
    assert limiter.check("users.info") is None  # tier 4 has its own bucket
    assert RateLimits().tier_of("views.open") == 4 and RateLimits().tier_of("some.new_method") == 3


def test_thousands_of_checks_are_fast() -> None:
    limiter = RateLimiter(RateLimits())
    started = time.perf_counter()
    for n in range(20_000):
        limiter.check("chat.postMessage", f"C{n % 500}")
    assert time.perf_counter() - started < 1.0
    assert limiter.stats.allowed + limiter.stats.total == 20_000


def test_the_fake_answers_429_with_retry_after_and_counts() -> None:
    with FakeSlack(rate_limits=RateLimits(post_burst=2, latency=0.0)) as fake:
        web = WebClient(token=BOT_TOKEN, base_url=fake.api_url, retry_handlers=[])
        web.chat_postMessage(channel="C1", text="1")
        web.chat_postMessage(channel="C1", text="2")
        with pytest.raises(SlackApiError) as raised:
            web.chat_postMessage(channel="C1", text="3")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "1"
        assert raised.value.response["error"] == "ratelimited"
        assert fake.rate_limit_stats.by_channel["C1"] == 1
        assert [m["text"] for m in fake.messages("C1")] == ["1", "2"]
        web.chat_postMessage(channel="C2", text="elsewhere")

        fake.clear_faults()
        web.chat_postMessage(channel="C1", text="free again")
        assert fake.rate_limit_stats.total == 0


def test_fixed_latency() -> None:
    with FakeSlack() as fake:
        fake.enforce_rate_limits(RateLimits(latency=0.05))
        web = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
        started = time.perf_counter()
        web.auth_test()
        assert time.perf_counter() - started >= 0.05
