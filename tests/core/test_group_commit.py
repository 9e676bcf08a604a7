"""Group commit on a real database: writes pressed together share transactions, every caller gets its own
result only once committed, and a bad write fails alone."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.core.store.database import Database, StoreUnavailable
from bot.core.store.group_commit import GroupCommit


def _insert(session: Session, items: Sequence[str]) -> list[str]:
    for item in items:
        if item == "bad":
            raise ValueError("a bad item")
        if item == "slow":
            time.sleep(0.5)  # the worker stays busy with this group
        session.execute(
            text("INSERT INTO processed_events (event_id, seen_at) VALUES (:id, CURRENT_TIMESTAMP)"),
            {"id": item},
        )
    return [item.upper() for item in items]


async def test_a_burst_shares_transactions_and_each_caller_waits_for_its_commit(
    new_database: Callable[[], Awaitable[Database]],
) -> None:
    database = await new_database()
    group = GroupCommit(database, _insert, max_group=16, max_workers=2)
    results = await asyncio.gather(*(group.submit(f"e{n}") for n in range(100)))
    assert results == [f"E{n}" for n in range(100)]
    assert group.groups < 100
    count = await database.read(lambda s: s.execute(text("SELECT count(*) FROM processed_events")).scalar())
    assert count == 100


async def test_a_bad_write_fails_alone(new_database: Callable[[], Awaitable[Database]]) -> None:
    database = await new_database()
    group = GroupCommit(database, _insert, max_group=16, max_workers=1)
    outcomes = await asyncio.gather(
        *(group.submit(item) for item in ("a", "bad", "b")), return_exceptions=True
    )
    assert outcomes[0] == "A" and outcomes[2] == "B"
    assert isinstance(outcomes[1], ValueError)
    await group.quiet(pause=0.01, timeout=1)
    with pytest.raises(ValueError):
        await group.submit("bad")


async def test_a_write_whose_caller_gave_up_before_its_group_began_is_dropped(
    new_database: Callable[[], Awaitable[Database]],
) -> None:
    database = await new_database()
    group = GroupCommit(database, _insert, max_group=16, max_workers=1)
    slow = asyncio.ensure_future(group.submit("slow", timeout=5))
    await asyncio.sleep(0.1)  # the only worker is inside the slow group
    with pytest.raises(StoreUnavailable):
        await group.submit("late", timeout=0.1)
    assert await slow == "SLOW"
    await group.quiet(pause=0.05, timeout=2)
    rows = await database.read(
        lambda s: s.execute(text("SELECT event_id FROM processed_events")).scalars().all()
    )
    assert rows == ["slow"]  # told "not recorded", and indeed not recorded
