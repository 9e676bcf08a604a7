"""The welcome's claim: true once per person, across processes (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.core.store.database import Database
from bot.welcome import queries as welcomes

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_first_time_is_true_once_per_person(new_database: Callable[[], Awaitable[Database]]) -> None:
    database = await new_database()
    assert await database.write(welcomes.claim, "U1", NOW)
    assert not await database.write(welcomes.claim, "U1", NOW)
    assert await database.write(welcomes.claim, "U2", NOW)


async def test_two_processes_at_once_welcome_once(new_database: Callable[[], Awaitable[Database]]) -> None:
    first, second = await new_database(), await new_database()
    results = await asyncio.gather(
        *(db.write(welcomes.claim, "U1", NOW) for db in (first, second, first, second))
    )
    assert sorted(results) == [False, False, False, True]
