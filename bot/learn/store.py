"""The learning path's persistence, async: one transaction (`Database.write`) or one read per method.

The SQL is in `bot.learn.queries`, which runs only on the database's worker threads. Background work (the
daily claims) gets a longer bound than the requests Slack waits on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.core.store.database import Database, lazy_queries
from bot.learn.records import Answered, Card, Claimed, Delivery, Learner, Pick, Status

_queries = lazy_queries("bot.learn.queries")
BACKGROUND_TIMEOUT = 10.0


class LearnStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    # --- learners ------------------------------------------------------------------------------

    async def enroll(self, **values: Any) -> tuple[Learner, bool]:
        return await self._db.write(lambda s: _queries().enroll(s, **values))

    async def learner(self, user_id: str) -> Learner | None:
        return await self._db.read(lambda s: _queries().get_learner(s, user_id))

    async def learners(self, limit: int) -> tuple[list[Learner], int]:
        return await self._db.read(lambda s: _queries().learners(s, limit))

    async def set_status(
        self,
        user_id: str,
        status: Status,
        reason: str | None,
        now: dt.datetime,
        *,
        only_from: Sequence[Status] | None = None,
        next_due_at: dt.datetime | None = None,
    ) -> Learner | None:
        return await self._db.write(
            lambda s: _queries().set_status(
                s, user_id, status, reason, now, only_from=only_from, next_due_at=next_due_at
            )
        )

    async def forget(self, user_id: str) -> bool:
        return await self._db.write(lambda s: _queries().forget(s, user_id))

    async def set_timezone(
        self, user_id: str, timezone: str, now: dt.datetime, next_due_at: dt.datetime | None
    ) -> bool:
        return await self._db.write(
            lambda s: _queries().set_timezone(s, user_id, timezone, now, next_due_at),
            timeout=BACKGROUND_TIMEOUT,
        )

    async def stale_zones(self, older_than: dt.datetime, limit: int) -> list[str]:
        return await self._db.read(lambda s: _queries().stale_zones(s, older_than, limit))

    async def set_dm_channel(self, user_id: str, channel: str) -> None:
        await self._db.write(lambda s: _queries().set_dm_channel(s, user_id, channel))

    async def mark_graduated(self, user_id: str, now: dt.datetime, claim: dict[str, Any]) -> Claimed | None:
        return await self._db.write(lambda s: _queries().mark_graduated(s, user_id, now, claim))

    # --- deliveries ----------------------------------------------------------------------------

    async def claim_one(self, **values: Any) -> Claimed | None:
        return await self._db.write(lambda s: _queries().claim_one(s, **values))

    async def claim_due(
        self, now: dt.datetime, owner: str, lease: dt.timedelta, limit: int, plan: Any
    ) -> tuple[list[Claimed], bool]:
        return await self._db.write(
            lambda s: _queries().claim_due(s, now, owner, lease, limit, plan), timeout=BACKGROUND_TIMEOUT
        )

    async def record_posted(self, delivery_id: int, ts: str, now: dt.datetime) -> bool:
        return await self._db.write(
            lambda s: _queries().record_posted(s, delivery_id, ts, now), timeout=BACKGROUND_TIMEOUT
        )

    async def record_failed(self, delivery_id: int, reason: str, now: dt.datetime) -> bool:
        return await self._db.write(
            lambda s: _queries().record_failed(s, delivery_id, reason, now), timeout=BACKGROUND_TIMEOUT
        )

    async def claimable_unposted(self, now: dt.datetime, limit: int = 500) -> list[Claimed]:
        return await self._db.read(lambda s: _queries().claimable_unposted(s, now, limit))

    async def reclaim(self, delivery_id: int, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        return await self._db.write(lambda s: _queries().reclaim(s, delivery_id, owner, now, lease))

    async def delivery(self, delivery_id: int) -> Delivery | None:
        return await self._db.read(lambda s: _queries().get_delivery(s, delivery_id))

    async def picks(self, delivery_id: int) -> dict[str, Pick]:
        return await self._db.read(lambda s: _queries().picks_of(s, delivery_id))

    # --- answers -------------------------------------------------------------------------------

    async def record_hint(self, delivery_id: int, user_id: str, index: int, now: dt.datetime) -> str | None:
        return await self._db.write(lambda s: _queries().record_hint(s, delivery_id, user_id, index, now))

    async def record_answer(self, **values: Any) -> Answered | None:
        return await self._db.write(lambda s: _queries().record_answer(s, **values))

    # --- progress ------------------------------------------------------------------------------

    async def cards(self, user_id: str) -> list[Card]:
        return await self._db.read(lambda s: _queries().cards(s, user_id))

    async def cards_of(self, user_ids: Sequence[str]) -> dict[str, list[Card]]:
        return await self._db.read(lambda s: _queries().cards_of(s, user_ids))

    async def answer_counts(self, user_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        return await self._db.read(lambda s: _queries().answer_counts(s, user_ids))
