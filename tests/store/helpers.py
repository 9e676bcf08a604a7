"""Shared values and shortcuts for the store tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from bot.quiz.records import Post, scheduled_slot
from bot.quiz.store import QuizStore

T = TypeVar("T")

T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
DAY0 = date(2026, 11, 23)
LEASE = timedelta(minutes=2)
REVEAL_AFTER = timedelta(hours=4)


async def claim(
    store: QuizStore,
    channel: str = "C1",
    day: date = DAY0,
    question_id: str = "q1",
    *,
    slot: str | None = None,
    owner: str = "worker-a",
    now: datetime | None = None,
) -> Post | None:
    """Claim the post for ``day`` (due 09:30 UTC that day) as ``owner``."""
    due = datetime.combine(day, T0.timetz())
    return await store.claim_post(
        channel=channel,
        slot=slot or scheduled_slot(day),
        local_date=day,
        question_id=question_id,
        due_at=due,
        reveal_due=due + REVEAL_AFTER,
        owner=owner,
        now=now or due,
        lease=LEASE,
    )


async def posted(
    store: QuizStore,
    channel: str = "C1",
    day: date = DAY0,
    question_id: str = "q1",
    *,
    slot: str | None = None,
    reveal: bool = False,
) -> Post:
    """A post claimed and posted at its due time; ``reveal=True`` also marks it revealed."""
    post = await claim(store, channel, day, question_id, slot=slot)
    assert post is not None
    assert await store.record_posted(post.id, f"{post.id}.000100", post.due_at)
    if reveal:
        assert await store.record_revealed(post.id, f"{post.id}.000200", post.reveal_due)
    result = await store.get_post(post.id)
    assert result is not None
    return result


async def together(*calls: Awaitable[T]) -> list[T]:
    """Start the calls at once (each store runs them on its own threads and connections)."""
    return list(await asyncio.gather(*calls))


def run_together(*calls: Callable[[], T]) -> list[T]:
    """Run the calls on separate threads released at the same moment; results in call order."""
    barrier = threading.Barrier(len(calls))

    def start(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(start, calls))
