from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from bot.quiz.poster import POSTS
from bot.quiz.records import bonus_slot, scheduled_slot
from tests.fixtures.databases import Queries
from tests.fixtures.quiz_store import DAY0, LEASE, T0, claim, posted, together


async def test_claim_post_returns_the_new_post_with_aware_utc_times(store: Queries) -> None:
    post = await claim(store, question_id="q7")
    assert post is not None
    assert (post.channel, post.slot, post.local_date, post.question_id) == ("C1", "2026-11-23", DAY0, "q7")
    assert post.claimed_by == "worker-a"
    assert post.lease_until == T0 + LEASE
    assert post.ts is None and post.posted_at is None and post.failed_reason is None
    assert not post.bonus
    stored = await store.get_post(post.id)
    assert stored == post
    assert stored.due_at.tzinfo == UTC and stored.due_at == T0


async def test_claim_post_twice_for_the_same_slot_returns_none(store: Queries) -> None:
    assert await claim(store) is not None
    assert await claim(store, owner="worker-b", question_id="other") is None
    assert await claim(store, channel="C2") is not None
    assert await claim(store, day=DAY0 + timedelta(days=1)) is not None


async def test_bonus_slots_never_collide(store: Queries) -> None:
    first = await claim(store, slot=bonus_slot())
    second = await claim(store, slot=bonus_slot())
    assert first is not None and second is not None
    assert first.slot.startswith("now-") and len(first.slot) == 36
    assert first.bonus


async def test_claim_post_race_between_two_processes_has_one_winner(
    store: Queries, second_store: Queries
) -> None:
    for offset in range(10):
        day = DAY0 + timedelta(days=offset)
        results = await together(
            claim(store, day=day, owner="worker-a"),
            claim(second_store, day=day, owner="worker-b"),
        )
        winners = [post for post in results if post is not None]
        assert len(winners) == 1
        assert await store.post_for_slot("C1", scheduled_slot(day)) == winners[0]


async def test_claim_post_reraises_integrity_errors_other_than_a_taken_slot(store: Queries) -> None:
    with pytest.raises(IntegrityError):
        await store.claim_post("C1", "s", DAY0, None, T0, T0, "w", T0 + LEASE)  # type: ignore[arg-type]


async def test_naive_datetimes_are_refused(store: Queries) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await store.claim_post("C1", "s", DAY0, "q", T0.replace(tzinfo=None), T0, "w", T0 + LEASE)


async def test_claimable_unposted_lists_only_expired_unposted_unfailed_claims(store: Queries) -> None:
    stuck = await claim(store, channel="C1")
    done = await claim(store, channel="C2")
    failed = await claim(store, channel="C3")
    await store.record_sent(POSTS, done.id, "1.1", T0)
    assert await store.record_failed(POSTS, failed.id, "channel_not_found", T0)
    assert await store.claimable_unposted(T0 + LEASE) == []  # lease not yet expired
    assert [post.id for post in await store.claimable_unposted(T0 + LEASE + timedelta(seconds=1))] == [
        stuck.id
    ]


async def test_latest_counted_post_is_the_most_recently_posted_days_question(store: Queries) -> None:
    assert await store.latest_counted_post("C1") is None
    await claim(store, day=DAY0 + timedelta(days=5))  # claimed but never posted
    assert await store.latest_counted_post("C1") is None
    await posted(store, day=DAY0)
    second = await posted(store, day=DAY0 + timedelta(days=1))
    await posted(store, slot=bonus_slot(), day=DAY0 + timedelta(days=1))  # a bonus never counts
    await posted(store, channel="C2", day=DAY0 + timedelta(days=2))
    assert await store.latest_counted_post("C1") == second


async def test_open_posts_are_oldest_first_with_their_answer_counts(store: Queries) -> None:
    day = await posted(store)
    bonus = await posted(store, slot=bonus_slot())
    await posted(store, channel="C2")
    assert await store.open_posts("C1") == [(day, 0), (bonus, 0)]
    assert await store.has_answered(day.id, "U1") is False


async def test_question_history_is_oldest_first_without_failed_posts(store: Queries) -> None:
    await posted(store, question_id="a")
    failed = await claim(store, day=DAY0 + timedelta(days=1), question_id="b")
    await store.record_failed(POSTS, failed.id, "channel_not_found", T0)
    await claim(store, day=DAY0 + timedelta(days=2), question_id="c")  # claimed, still posting
    await posted(store, slot=bonus_slot(), question_id="d")
    await posted(store, channel="C2", question_id="z")
    assert (await store.question_histories(["C1"]))["C1"] == ["a", "c", "d"]
    assert (await store.question_histories(["C9"]))["C9"] == []


async def test_post_for_slot(store: Queries) -> None:
    assert await store.post_for_slot("C1", "2026-11-23") is None
    post = await claim(store)
    assert await store.post_for_slot("C1", "2026-11-23") == post
    assert await store.get_post(post.id + 1000) is None


async def test_reveal_flow(store: Queries) -> None:
    unposted = await claim(store, channel="C2")
    post = await posted(store)
    reveal_due = post.reveal_due
    assert await store.due_reveals(reveal_due - timedelta(seconds=1)) == []
    assert [p.id for p in await store.due_reveals(reveal_due)] == [post.id]
    assert await store.claim_reveal(post.id, "worker-a", reveal_due, LEASE)
    assert not await store.claim_reveal(post.id, "worker-b", reveal_due + timedelta(seconds=1), LEASE)
    assert await store.due_reveals(reveal_due + timedelta(seconds=1)) == []
    assert await store.record_revealed(post.id, "999.9", reveal_due + timedelta(seconds=2))
    assert not await store.record_revealed(post.id, "888.8", reveal_due + timedelta(seconds=3))
    revealed = await store.get_post(post.id)
    assert (revealed.reveal_ts, revealed.revealed_at) == ("999.9", reveal_due + timedelta(seconds=2))
    assert await store.due_reveals(reveal_due + timedelta(days=1)) == []
    assert not await store.claim_reveal(unposted.id, "worker-a", reveal_due, LEASE)


async def test_reveal_lease_expires_and_the_reveal_can_be_taken_over(store: Queries) -> None:
    post = await posted(store)
    assert await store.claim_reveal(post.id, "worker-a", post.reveal_due, LEASE)
    later = post.reveal_due + LEASE + timedelta(seconds=1)
    assert [p.id for p in await store.due_reveals(later)] == [post.id]
    assert await store.claim_reveal(post.id, "worker-b", later, LEASE)
    stored = await store.get_post(post.id)
    assert (stored.reveal_claimed_by, stored.reveal_lease_until) == ("worker-b", later + LEASE)


async def test_claim_reveal_race_has_one_winner(store: Queries, second_store: Queries) -> None:
    for offset in range(10):
        post = await posted(store, day=DAY0 + timedelta(days=offset))
        won = await together(
            store.claim_reveal(post.id, "worker-a", post.reveal_due, LEASE),
            second_store.claim_reveal(post.id, "worker-b", post.reveal_due, LEASE),
        )
        assert sorted(won) == [False, True]


async def test_existing_slots_and_histories_in_bulk(store: Queries) -> None:
    await claim(store, "C1", question_id="q1")
    await claim(store, "C2", question_id="q2", slot="now-1")
    assert await store.existing_slots(
        [("C1", scheduled_slot(DAY0)), ("C2", scheduled_slot(DAY0)), ("C3", "x")]
    ) == {("C1", scheduled_slot(DAY0))}
    assert await store.existing_slots([]) == set()
    assert await store.question_histories(["C1", "C2", "C3"]) == {"C1": ["q1"], "C2": ["q2"], "C3": []}
    assert await store.question_histories(["C1"]) == {"C1": ["q1"]}
