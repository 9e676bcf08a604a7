from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.fixtures.databases import Queries
from tests.fixtures.quiz_store import T0


async def test_upsert_creates_then_updates_keeping_the_creator(store: Queries) -> None:
    assert await store.get_schedule("C1") is None
    created = await store.upsert_schedule("C1", time(9, 30), "Europe/London", frozenset(range(5)), "U1", T0)
    assert (created.time, created.timezone, created.days, created.active) == (
        time(9, 30),
        "Europe/London",
        frozenset(range(5)),
        True,
    )
    assert (created.created_by, created.updated_by, created.created_at, created.updated_at) == (
        "U1",
        "U1",
        T0,
        T0,
    )
    assert created.tz.key == "Europe/London"
    later = T0 + timedelta(days=1)
    updated = await store.upsert_schedule(
        "C1", time(17, 5), "America/New_York", frozenset({0, 2, 4}), "U2", later
    )
    assert (updated.time, updated.timezone, updated.days) == (
        time(17, 5),
        "America/New_York",
        frozenset({0, 2, 4}),
    )
    assert (updated.created_by, updated.created_at, updated.updated_by, updated.updated_at) == (
        "U1",
        T0,
        "U2",
        later,
    )
    assert await store.get_schedule("C1") == updated


async def test_upsert_rejects_an_unknown_time_zone(store: Queries) -> None:
    with pytest.raises(ValueError, match="time zone"):
        await store.upsert_schedule("C1", time(9, 30), "Mars/Olympus", frozenset({0}), "U1", T0)
    assert await store.get_schedule("C1") is None


async def test_stop_and_restart(store: Queries) -> None:
    assert not await store.stop_schedule("C1", "U1", T0)
    await store.upsert_schedule("C1", time(9, 30), "UTC", frozenset(range(7)), "U1", T0)
    await store.upsert_schedule("C2", time(10, 0), "UTC", frozenset({5, 6}), "U1", T0)
    assert [s.channel for s in await store.active_schedules()] == ["C1", "C2"]
    assert await store.stop_schedule("C1", "U2", T0 + timedelta(hours=1))
    assert not await store.stop_schedule("C1", "U2", T0 + timedelta(hours=2))
    stopped = await store.get_schedule("C1")
    assert (stopped.active, stopped.updated_by, stopped.updated_at) == (False, "U2", T0 + timedelta(hours=1))
    assert [s.channel for s in await store.active_schedules()] == ["C2"]
    restarted = await store.upsert_schedule(
        "C1", time(9, 30), " utc ", frozenset(range(7)), "U3", T0 + timedelta(days=1)
    )
    assert restarted.timezone == "UTC"
    assert restarted.active
    assert {s.channel for s in await store.active_schedules()} == {"C1", "C2"}
