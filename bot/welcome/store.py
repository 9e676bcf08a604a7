"""Who has been welcomed in the bot's DM, so the welcome comes once per person."""

from __future__ import annotations

import datetime as dt

from bot.core.store.database import Database, lazy_queries

_queries = lazy_queries("bot.welcome.queries")


class Welcomes:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def first_time(self, user_id: str, now: dt.datetime) -> bool:
        """True exactly once per person, in any process."""
        return await self._db.write(lambda session: _queries().claim(session, user_id, now))

    async def forget(self, user_id: str) -> None:
        """As if never welcomed: the welcome did not reach Slack, so the next visit tries again."""
        await self._db.write(lambda session: _queries().forget(session, user_id))
