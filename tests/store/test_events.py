from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.store.database import Database
from bot.core.store.event_ids import EventLog
from tests.store.helpers import T0, together

NewDatabase = Callable[[], Awaitable[Database]]


async def test_claim_event_only_the_first_time(new_database: NewDatabase) -> None:
    events, other_process = EventLog(await new_database()), EventLog(await new_database())
    assert await events.claim("Ev1", T0)
    assert not await events.claim("Ev1", T0 + timedelta(seconds=3))
    assert not await other_process.claim("Ev1", T0 + timedelta(seconds=3))
    assert await other_process.claim("Ev2", T0)


async def test_claim_event_race_has_one_winner(new_database: NewDatabase) -> None:
    events, other_process = EventLog(await new_database()), EventLog(await new_database())
    for n in range(10):
        won = await together(events.claim(f"Ev{n}", T0), other_process.claim(f"Ev{n}", T0))
        assert sorted(won) == [False, True]


async def test_prune_forgets_only_older_event_ids(new_database: NewDatabase) -> None:
    events = EventLog(await new_database())
    await events.claim("old", T0)
    await events.claim("new", T0 + timedelta(days=2))
    assert await events.prune(T0 + timedelta(days=1)) == 1
    assert await events.claim("old", T0 + timedelta(days=3))
    assert not await events.claim("new", T0 + timedelta(days=3))
