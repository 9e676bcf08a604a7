"""`Welcomes.first_time`: true once per person, across processes (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.core.store.database import Database
from bot.welcome.store import Welcomes

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_first_time_is_true_once_per_person(new_database: Callable[[], Awaitable[Database]]) -> None:
    welcomes = Welcomes(await new_database())
    assert await welcomes.first_time("U1", NOW)
    assert not await welcomes.first_time("U1", NOW)
    assert await welcomes.first_time("U2", NOW)


async def test_two_processes_at_once_welcome_once(new_database: Callable[[], Awaitable[Database]]) -> None:
    first, second = Welcomes(await new_database()), Welcomes(await new_database())
    results = await asyncio.gather(*(w.first_time("U1", NOW) for w in (first, second, first, second)))
    assert sorted(results) == [False, False, False, True]
