"""Slack event ids already answered, so Slack's retries and other bot processes skip them."""

from __future__ import annotations

import datetime as dt

from bot.core.store.database import Database, lazy_queries

_queries = lazy_queries("bot.core.store.event_queries")


class EventLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def claim(self, event_id: str, now: dt.datetime) -> bool:
        """True the first time an event id is seen, in any process; False for retries."""
        return await self._db.write(lambda session: _queries().claim(session, event_id, now))

    async def prune(self, older_than: dt.datetime) -> int:
        """Forget event ids seen before ``older_than``; returns how many."""
        return await self._db.write(lambda session: _queries().prune(session, older_than))
