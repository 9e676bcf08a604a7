"""Exactly one post per channel and day, whatever Slack, the network or other instances do."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import time, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.timecodes import WEEKDAYS
from bot.quiz.blocks.personal import render_post_result
from bot.quiz.blocks.post import quiz_post_metadata
from bot.quiz.poster import PostStatus
from bot.quiz.records import scheduled_slot
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.databases import Queries
from tests.fixtures.quiz import CHANNEL, LEASE, MONDAY, QUIZ, MakeService, at, quiz_posts

TODAY = scheduled_slot(MONDAY.date())


async def test_two_processes_ticking_together_post_once_per_channel(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    channels = [f"C{n:03d}" for n in range(8)]
    for channel in channels:
        await store.upsert_schedule(channel, time(9, 30), "UTC", WEEKDAYS, "U123", clock.now())
    first = await make_service(instance_id="proc-a", own_engine=True)
    second = await make_service(instance_id="proc-b", own_engine=True)
    at(clock, 9, 30)

    await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())

    for channel in [*channels, CHANNEL]:
        assert len(quiz_posts(fake, channel)) == 1, channel
        post = await store.post_for_slot(channel, TODAY)
        assert post is not None and post.ts is not None


async def _claim_abandoned(store: Queries, clock: FakeClock) -> int:
    """A claim made by a process that died before posting: its lease ran out a minute ago."""
    due = at(clock, 9, 30)
    post = await store.claim_post(
        channel=CHANNEL,
        slot=TODAY,
        local_date=MONDAY.date(),
        question_id="seed-practice-1",
        due_at=due,
        reveal_due=due + timedelta(hours=4),
        owner="dead-process",
        lease_until=due + LEASE,
    )
    assert post is not None
    clock.advance(LEASE * 2)
    return post.id


async def test_abandoned_claim_is_posted_once_by_whoever_takes_it_over(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post_id = await _claim_abandoned(store, clock)
    first = await make_service(instance_id="proc-a")
    second = await make_service(instance_id="proc-b", own_engine=True)

    await asyncio.gather(first.tick(), second.tick())
    await first.tick()

    [message] = quiz_posts(fake)
    assert message["metadata"]["event_payload"]["post_id"] == post_id
    post = await store.get_post(post_id)
    assert post is not None and post.ts == message["ts"] and post.claimed_by in ("proc-a", "proc-b")
    assert fake.calls_to("conversations.history"), "looked for the message before posting it"


async def test_abandoned_claim_already_in_slack_is_recorded_not_reposted(
    service, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post_id = await _claim_abandoned(store, clock)
    for n in range(3):
        fake.add_message(CHANNEL, f"chatter {n}")
    sent = fake.add_message(CHANNEL, "the quiz", bot=True, metadata=quiz_post_metadata(post_id))
    fake.add_message(CHANNEL, "more chatter")

    await service.tick()

    assert fake.calls_to("chat.postMessage") == []
    post = await store.get_post(post_id)
    assert post is not None and post.ts == sent["ts"]


async def test_abandoned_claim_from_an_earlier_day_is_not_posted_late(
    service, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    post_id = await _claim_abandoned(store, clock)
    at(clock, 8, 0, days=1)

    await service.tick()

    assert fake.calls_to("chat.postMessage") == []
    post = await store.get_post(post_id)
    assert post is not None and post.failed_reason is not None and post.failed_reason.startswith("missed")


async def test_rate_limited_post_waits_for_retry_after_and_posts_once(
    service, fake: FakeSlack, clock: FakeClock
) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    at(clock, 9, 30)

    await service.tick()

    refused, accepted = fake.calls_to("chat.postMessage")
    assert (refused.status, accepted.status) == (429, 200)
    assert accepted.at - refused.at >= 1.0  # Slack saw the retry only after its Retry-After
    assert len(quiz_posts(fake)) == 1


@pytest.mark.parametrize("commit", [False, True], ids=["lost", "posted-anyway"])
async def test_server_error_is_retried_after_checking_slack(
    service, fake: FakeSlack, clock: FakeClock, store: Queries, commit: bool
) -> None:
    """A 500 may hide a message Slack accepted (`commit`); the retry looks first, so one post either way."""
    fake.fail_next("chat.postMessage", status=500, commit=commit)
    at(clock, 9, 30)

    await service.tick()

    [message] = quiz_posts(fake)
    assert len(fake.calls_to("chat.postMessage")) == (1 if commit else 2)
    post = await store.post_for_slot(CHANNEL, TODAY)
    assert post is not None and post.ts == message["ts"]


async def test_dropped_connection_then_recovery_posts_once(
    service, fake: FakeSlack, clock: FakeClock
) -> None:
    fake.fail_next("chat.postMessage", drop=True, commit=True)
    at(clock, 9, 30)
    await service.tick()
    assert len(quiz_posts(fake)) == 1


async def test_slack_down_for_the_whole_tick_posts_once_it_is_back(
    service, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    fake.set_down()
    at(clock, 9, 30)
    await service.tick()
    assert quiz_posts(fake) == []
    post = await store.post_for_slot(CHANNEL, TODAY)
    assert post is not None and post.ts is None and post.failed_reason is None

    fake.set_down(False)
    await service.tick()  # the claim has not expired: nothing yet
    assert quiz_posts(fake) == []

    clock.advance(LEASE * 2)
    await service.tick()
    await service.tick()
    assert len(quiz_posts(fake)) == 1


async def test_slack_unreachable_then_back_on_the_same_port(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock
) -> None:
    # No connection retries inside the client (build_client's take seconds); the engine's own suffice.
    service = await make_service(
        client=AsyncWebClient(token="xoxb-test", base_url=fake.api_url, retry_handlers=[])
    )
    fake.stop()
    at(clock, 9, 30)
    await service.tick()
    fake.start()
    clock.advance(LEASE * 2)
    await service.tick()
    assert len(quiz_posts(fake)) == 1


def _break(fake: FakeSlack, channel: str, error: str) -> None:
    if error == "not_in_channel":
        fake.add_channel(channel, is_member=False)
    elif error == "is_archived":
        fake.add_channel(channel, is_archived=True)
    else:
        fake.remove_channel(channel)


@pytest.mark.parametrize("error", ["not_in_channel", "is_archived", "channel_not_found"])
async def test_permanent_failure_is_logged_once_and_never_retried(
    service,
    fake: FakeSlack,
    clock: FakeClock,
    store: Queries,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    for channel in ("CBAD", "CGOOD"):
        await store.upsert_schedule(channel, time(9, 30), "UTC", WEEKDAYS, "U123", clock.now())
    _break(fake, "CBAD", error)
    caplog.set_level(logging.INFO, logger="bot.quiz")
    at(clock, 9, 30)

    await service.tick()
    clock.advance(LEASE * 3)
    await service.tick()

    assert len(quiz_posts(fake, "CGOOD")) == 1
    assert len(quiz_posts(fake)) == 1
    to_bad = [c for c in fake.calls_to("chat.postMessage") if c.body.get("channel") == "CBAD"]
    assert len(to_bad) == 1
    post = await store.post_for_slot("CBAD", TODAY)
    assert post is not None and post.failed_reason == error
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "CBAD" in warnings[0] and error in warnings[0]


@pytest.mark.parametrize("error", ["missing_scope", "token_revoked", "restricted_action", "invalid_blocks"])
async def test_other_refusals_are_permanent_too(
    service, fake: FakeSlack, clock: FakeClock, store: Queries, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    fake.fail_next("chat.postMessage", error=error)
    at(clock, 9, 30)

    await service.tick()
    clock.advance(LEASE * 3)
    await service.tick()

    assert len(fake.calls_to("chat.postMessage")) == 1
    post = await store.post_for_slot(CHANNEL, TODAY)
    assert post is not None and post.failed_reason == error
    assert [r.levelno for r in caplog.records if error in r.getMessage()] == [logging.WARNING]


async def test_post_now_uses_its_own_slot_and_reports_failures(
    service, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    at(clock, 9, 30)
    await service.tick()
    result = await service.post_now(CHANNEL)
    assert result.ok and result.status is PostStatus.POSTED and result.ts is not None
    assert result.post.bonus
    assert len(quiz_posts(fake)) == 2

    fake.add_channel("COUT", is_member=False)
    failed = await service.post_now("COUT")
    assert failed.status is PostStatus.FAILED and failed.reason == "not_in_channel"
    assert "not_in_channel" in render_post_result(failed).text


async def test_an_early_post_now_is_the_days_question_and_the_schedule_posts_no_other(
    service, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    at(clock, 8, 0)
    early = await service.post_now(CHANNEL)
    assert early.ok and not early.post.bonus and early.post.slot == TODAY
    at(clock, 9, 30)
    await service.tick()
    assert len(quiz_posts(fake)) == 1
    assert (await service.post_now(CHANNEL)).post.bonus


async def test_post_now_racing_the_schedule_leaves_one_question_of_the_day(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    scheduler, other = await make_service(), await make_service(instance_id="proc-b", own_engine=True)
    at(clock, 9, 30)
    _, now = await asyncio.gather(scheduler.tick(), other.post_now(CHANNEL))
    posts = quiz_posts(fake)
    day = await store.post_for_slot(CHANNEL, TODAY)
    assert day is not None and day.ts is not None
    # either /quiz now took the day's slot (one post), or the schedule did and /quiz now is a bonus
    assert len(posts) == (2 if now.post.bonus else 1)


async def test_run_loop_posts_and_stops(service, fake: FakeSlack, clock: FakeClock) -> None:
    at(clock, 9, 30)
    service.loop.start()
    try:
        await fake.wait_for_async("chat.postMessage")
        await asyncio.sleep(0.05)  # several more ticks
    finally:
        await service.loop.stop()
    assert not [task for task in asyncio.all_tasks() if task.get_name() == "quiz-scheduler"]
    assert len(quiz_posts(fake)) == 1


async def test_five_hundred_channels_at_fifty_ms_a_call_with_rate_limits(
    make_service: MakeService, fake: FakeSlack, clock: FakeClock, store: Queries
) -> None:
    """Every channel posted once, never more than 20 calls at a time, and more than one really used.

    The time it takes is measured by `make bench`, not asserted here.
    """
    channels = [f"C{n:04d}" for n in range(500)]
    for channel in channels:
        await store.upsert_schedule(channel, time(9, 30), "UTC", WEEKDAYS, "U123", clock.now())
    service = await make_service(quiz=replace(QUIZ, channel=None), max_in_flight=20)
    fake.set_latency(0.05)
    fake.rate_limit_every(50, retry_after=1)
    at(clock, 9, 30)

    await service.tick()

    assert 1 < fake.peak_in_flight <= 20
    assert len(fake.calls_to("chat.postMessage")) == 500 + 10  # ten answered 429 and were sent again
    for channel in channels:
        assert len(quiz_posts(fake, channel)) == 1, channel
