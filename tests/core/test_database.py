"""`Database`: real transactions, outages as StoreUnavailable, and every wait bounded."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.orm import Session

from bot.core.store import event_queries
from bot.core.store.database import Database, StoreUnavailable
from tests.fixtures.quiz_store import T0

NewDatabase = Callable[[], Awaitable[Database]]


async def test_a_failure_between_two_statements_keeps_neither(new_database: NewDatabase) -> None:
    database = await new_database()

    def two_then_fail(session: Session) -> None:
        assert event_queries.claim(session, "first", T0)
        assert event_queries.claim(session, "second", T0)
        raise RuntimeError("between the second statement and the commit")

    with pytest.raises(RuntimeError):
        await database.write(two_then_fail)
    events = database
    assert await events.write(event_queries.claim, "first", T0)  # rolled back, so new
    assert await events.write(event_queries.claim, "second", T0)


async def test_both_statements_commit_together(new_database: NewDatabase) -> None:
    database = await new_database()
    await database.write(lambda s: (event_queries.claim(s, "a", T0), event_queries.claim(s, "b", T0)))
    events = await new_database()  # another process sees both
    assert not await events.write(event_queries.claim, "a", T0)
    assert not await events.write(event_queries.claim, "b", T0)


async def test_a_locked_sqlite_file_is_unavailable_within_the_callers_bound(tmp_path) -> None:
    path = tmp_path / "locked.db"
    database = Database(f"sqlite:///{path}", timeout=0.3)
    await database.open()
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(StoreUnavailable, match=r"within 0\.3 s"):
            await database.write(event_queries.claim, "Ev1", T0)
    finally:
        holder.rollback()
        holder.close()
        await database.close()


async def test_calls_before_open_wait_within_their_bound(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path}/never-opened.db", timeout=0.1)
    with pytest.raises(StoreUnavailable):
        await database.write(event_queries.claim, "Ev1", T0)
    await database.close()


async def test_an_unreachable_database_is_one_short_line(tmp_path) -> None:
    database = Database("postgresql://nobody:secret-password@127.0.0.1:9/none", timeout=5)
    with pytest.raises(StoreUnavailable) as raised:
        await database.open()
    assert "\n" not in str(raised.value) and "secret-password" not in str(raised.value)
    await database.close()


async def test_sql_runs_only_on_the_database_threads(new_database: NewDatabase) -> None:
    database = await new_database()
    name = await database.read(lambda _session: threading.current_thread().name)
    assert name.startswith("db") and name != threading.current_thread().name
