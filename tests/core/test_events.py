from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.store import event_queries
from bot.core.store.database import Database
from tests.fixtures.quiz_store import T0, together

NewDatabase = Callable[[], Awaitable[Database]]


async def test_claim_event_only_the_first_time(new_database: NewDatabase) -> None:
    events, other_process = await new_database(), await new_database()
    assert await events.write(event_queries.claim, "Ev1", T0)
    assert not await events.write(event_queries.claim, "Ev1", T0 + timedelta(seconds=3))
    assert not await other_process.write(event_queries.claim, "Ev1", T0 + timedelta(seconds=3))
    assert await other_process.write(event_queries.claim, "Ev2", T0)


async def test_claim_event_race_has_one_winner(new_database: NewDatabase) -> None:
    events, other_process = await new_database(), await new_database()
    for n in range(10):
        won = await together(
            events.write(event_queries.claim, f"Ev{n}", T0),
            other_process.write(event_queries.claim, f"Ev{n}", T0),
        )
        assert sorted(won) == [False, True]


async def test_prune_forgets_only_older_event_ids(new_database: NewDatabase) -> None:
    events = await new_database()
    await events.write(event_queries.claim, "old", T0)
    await events.write(event_queries.claim, "new", T0 + timedelta(days=2))
    assert await events.write(event_queries.prune, T0 + timedelta(days=1)) == 1
    assert await events.write(event_queries.claim, "old", T0 + timedelta(days=3))
    assert not await events.write(event_queries.claim, "new", T0 + timedelta(days=3))
