"""The pacer against the fake Slack's rate-limit mode: paced posts are never refused, a 429 on one call
pauses every paced call for Retry-After, and a wait that would be too long is refused at once."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.slack.calls import slack_call
from bot.core.slack.client import build_client
from bot.core.slack.pacing import POST, Pacer, PacerBusy
from slackfake import FakeSlack, RateLimits
from tests.fixtures.quiz import make_settings


async def _post_all(fake: FakeSlack, pacer: Pacer | None, channels: list[str]) -> None:
    client = build_client(make_settings(fake.api_url))
    if pacer is not None:
        pacer.attach(client)

    async def one(channel: str) -> None:
        if pacer is not None:
            await pacer.turn(POST, channel)
        await slack_call(client.chat_postMessage, channel=channel, text="hi")

    await asyncio.gather(*(one(channel) for channel in channels))


LIMITS = RateLimits(workspace_posts_per_minute=1200, workspace_post_burst=5, post_per_second=1, post_burst=3)


async def test_paced_posts_stay_under_the_workspace_limit(fake: FakeSlack) -> None:
    fake.enforce_rate_limits(LIMITS)
    await _post_all(fake, Pacer(1200, post_burst=2), [f"C{n:03d}" for n in range(40)])
    assert fake.rate_limit_stats.total == 0
    assert len([call for call in fake.calls_to("chat.postMessage") if call.ok]) == 40


async def test_unpaced_posts_are_refused(fake: FakeSlack) -> None:
    """The control: the same burst without the pacer gets 429s (slack_sdk then waits them out)."""
    fake.enforce_rate_limits(LIMITS)
    await _post_all(fake, None, [f"C{n:03d}" for n in range(40)])
    assert fake.rate_limit_stats.total > 0


async def test_one_channel_is_paced_at_its_own_rate(fake: FakeSlack) -> None:
    fake.enforce_rate_limits(LIMITS)
    await _post_all(fake, Pacer(1200, post_burst=2), ["CONE"] * 4)
    assert fake.rate_limit_stats.total == 0


async def test_a_429_pauses_every_paced_call_for_retry_after(fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    pacer = Pacer(6000)
    await _post_all(fake, pacer, ["CFIRST"])
    refused = next(call for call in fake.calls_to("chat.postMessage") if call.status == 429)
    assert pacer.stats.pauses == 1
    await _post_all(fake, pacer, ["CSECOND", "CTHIRD"])  # other channels wait out the same pause
    later = [call for call in fake.calls_to("chat.postMessage") if call.ok]
    assert len(later) == 3 and all(call.at - refused.at >= 0.9 for call in later)


async def test_a_turn_too_far_away_is_refused_without_reserving() -> None:
    pacer = Pacer(60, post_burst=1)  # one a second
    await pacer.turn(POST, "C1")
    with pytest.raises(PacerBusy):
        await pacer.turn(POST, "C2", max_wait=0.1)
    assert pacer.stats.busy == 1
