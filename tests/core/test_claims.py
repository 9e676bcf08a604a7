"""Claimed sends (`bot.core.claims`), on the quiz's table of posts: taking an expired claim over, proving a
claim right before a send, recording the outcome once, and a process that lost its claim never posting."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.claims.lease import Claims
from bot.core.claims.sender import Outcome, Outgoing, Sender
from bot.core.message import Message
from bot.quiz.blocks.post import quiz_post_metadata
from bot.quiz.poster import POSTS
from slackfake import BOT_TOKEN, FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.databases import Queries
from tests.fixtures.quiz_store import LEASE, T0, claim, posted, together

LATER = T0 + LEASE + timedelta(seconds=1)
"""Just after the lease of a claim made at T0."""


# --- the SQL -------------------------------------------------------------------------------------


async def test_record_sent_keeps_the_first_ts(store: Queries) -> None:
    post = await claim(store)
    assert await store.record_sent(POSTS, post.id, "111.1", T0 + timedelta(seconds=1))
    assert not await store.record_sent(POSTS, post.id, "222.2", T0 + timedelta(seconds=2))
    stored = await store.get_post(post.id)
    assert stored.ts == "111.1" and stored.posted_at == T0 + timedelta(seconds=1)


async def test_record_failed_is_final_and_not_for_sent_posts(store: Queries) -> None:
    post = await claim(store)
    assert await store.record_failed(POSTS, post.id, "not_in_channel", T0)
    assert not await store.record_failed(POSTS, post.id, "again", T0)
    assert not await store.take_over(POSTS, post.id, "worker-b", T0 + timedelta(hours=1), LEASE)
    stored = await store.get_post(post.id)
    assert (stored.failed_reason, stored.failed_at) == ("not_in_channel", T0)
    assert not await store.record_failed(POSTS, (await posted(store, channel="C2")).id, "late", T0)


async def test_take_over_only_after_the_lease_expired(store: Queries) -> None:
    post = await claim(store)
    assert not await store.take_over(POSTS, post.id, "worker-b", T0 + LEASE - timedelta(seconds=1), LEASE)
    assert await store.take_over(POSTS, post.id, "worker-b", LATER, LEASE)
    stored = await store.get_post(post.id)
    assert (stored.claimed_by, stored.lease_until) == ("worker-b", LATER + LEASE)
    assert not await store.take_over(POSTS, post.id, "worker-c", LATER, LEASE)  # worker-b's new lease holds


async def test_take_over_race_has_one_winner(store: Queries, second_store: Queries) -> None:
    later = T0 + timedelta(days=30)
    for offset in range(10):
        post = await claim(store, day=T0.date() + timedelta(days=offset))
        won = await together(
            store.take_over(POSTS, post.id, "worker-b", later, LEASE),
            second_store.take_over(POSTS, post.id, "worker-c", later, LEASE),
        )
        assert sorted(won) == [False, True]
        winner = "worker-b" if won[0] else "worker-c"
        assert (await store.get_post(post.id)).claimed_by == winner


async def test_take_over_refuses_sent_posts(store: Queries) -> None:
    post = await posted(store)
    assert not await store.take_over(POSTS, post.id, "worker-b", T0 + timedelta(hours=1), LEASE)
    assert await store.claimable_unposted(T0 + timedelta(hours=1)) == []


async def test_confirm_holds_only_for_the_owner_of_an_unexpired_claim_and_extends_it(store: Queries) -> None:
    post = await claim(store, owner="worker-a")
    almost = T0 + LEASE - timedelta(seconds=1)
    assert not await store.confirm(POSTS, post.id, "worker-b", almost, LEASE)
    assert await store.confirm(POSTS, post.id, "worker-a", almost, LEASE)
    assert (await store.get_post(post.id)).lease_until == almost + LEASE
    # Its lease ran out: nobody took it over yet, but the owner may no longer send.
    assert not await store.confirm(POSTS, post.id, "worker-a", almost + LEASE, LEASE)
    assert await store.take_over(POSTS, post.id, "worker-b", almost + LEASE + timedelta(seconds=1), LEASE)
    assert not await store.confirm(POSTS, post.id, "worker-a", almost + LEASE, LEASE)
    assert await store.confirm(POSTS, post.id, "worker-b", almost + LEASE + timedelta(seconds=2), LEASE)


async def test_confirm_refuses_sent_and_failed_posts(store: Queries) -> None:
    sent = await posted(store)
    failed = await claim(store, channel="C2")
    await store.record_failed(POSTS, failed.id, "not_in_channel", T0)
    assert not await store.confirm(POSTS, sent.id, "worker-a", T0, LEASE)
    assert not await store.confirm(POSTS, failed.id, "worker-a", T0, LEASE)


# --- taking over, from the event loop --------------------------------------------------------------


async def test_each_takeover_reads_the_clock_when_its_turn_comes(store: Queries) -> None:
    """One takeover at a time, each taking a lease's worth of time: every lease still starts when its
    takeover does, never at the start of the pass."""
    posts = [await claim(store, channel=f"C{n}") for n in range(3)]
    clock = FakeClock(LATER)
    claims = Claims(store.database, clock, POSTS, "worker-b", LEASE, asyncio.Semaphore(1))

    async def slow(_post: object) -> None:
        clock.advance(LEASE * 2)

    await claims.take_over_each(posts, lambda post: post.id, slow)
    leases = [(await store.get_post(post.id)).lease_until for post in posts]
    assert leases == [LATER + LEASE, LATER + 3 * LEASE, LATER + 5 * LEASE]


async def test_takeovers_run_at_once_within_the_bound(store: Queries) -> None:
    posts = [await claim(store, channel=f"C{n}") for n in range(10)]
    claims = Claims(store.database, FakeClock(LATER), POSTS, "worker-b", LEASE, asyncio.Semaphore(4))
    running, most = 0, 0
    finished: list[int] = []

    async def finish(post: object) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        finished.append(post.id)  # type: ignore[attr-defined]

    await claims.take_over_each(posts, lambda post: post.id, finish)
    assert sorted(finished) == [post.id for post in posts]
    assert most == 4


# --- a process that lost its claim ---------------------------------------------------------------------


async def test_a_process_whose_claim_was_taken_over_does_not_post(
    store: Queries, second_store: Queries, fake_slack: FakeSlack
) -> None:
    post = await claim(store, owner="worker-a")
    clock = FakeClock(LATER)
    client = AsyncWebClient(base_url=fake_slack.api_url, token=BOT_TOKEN)
    slow = Sender(
        client,
        Claims(store.database, clock, POSTS, "worker-a", LEASE, asyncio.Semaphore(1)),
        None,
        retry_delays=(),
    )
    quick = Sender(
        client,
        Claims(second_store.database, clock, POSTS, "worker-b", LEASE, asyncio.Semaphore(1)),
        None,
        retry_delays=(),
    )
    assert await second_store.take_over(POSTS, post.id, "worker-b", LATER, LEASE)

    message = Message.build("quiz", [])
    outgoing = Outgoing(post.id, post.channel, quiz_post_metadata(post.id), post.due_at)
    lost = await slow.send(outgoing, message)
    assert lost.outcome is Outcome.LOST
    assert fake_slack.calls_to("chat.postMessage") == []
    sent = await quick.send(outgoing, message, look_first=True)
    assert sent.outcome is Outcome.SENT
    assert [call.body["channel"] for call in fake_slack.calls_to("chat.postMessage")] == ["C1"]
    assert (await store.get_post(post.id)).ts == sent.ts
