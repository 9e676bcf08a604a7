"""One feature's claims, from the event loop: take expired ones over, prove ownership, record the outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core.claims.fan_out import fan_out
from bot.core.claims.table import ClaimTable
from bot.core.clock import Clock
from bot.core.store.database import Database, LazyQueries

if TYPE_CHECKING:
    from bot.core.claims import queries
else:
    queries = LazyQueries("bot.core.claims.queries")

T = TypeVar("T")
log = logging.getLogger(__name__)

WRITE_TIMEOUT = 10.0
"""The bound of a claim's own database writes: background work, no ack waits on it."""


class Claims:
    """The rows of `table` this process (`owner`) claims for `lease` at a time, worked on `slots` at once."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        table: ClaimTable,
        owner: str,
        lease: timedelta,
        slots: asyncio.Semaphore,
    ) -> None:
        self._db = database
        self._clock = clock
        self.table = table
        self.owner = owner
        self.lease = lease
        self.slots = slots

    async def take_over_each(
        self,
        expired: Iterable[T],
        claim_id: Callable[[T], int],
        finish: Callable[[T], Awaitable[Any]],
    ) -> None:
        """Take over every expired claim that no other process takes first, and `finish` it: all at once
        within the bound of `slots`, each with the time read when its turn comes (a long pass never hands
        out a lease that has already run out)."""

        async def one(item: T) -> None:
            now = self._clock.now()
            if await self._write(queries.take_over, claim_id(item), self.owner, now, self.lease):
                await finish(item)

        await fan_out(
            self.slots, expired, one, lambda item: f"taking over {self.table.model} {claim_id(item)}", log
        )

    async def confirm(self, claim_id: int) -> bool:
        """Right before a send: True (and the lease extended) only while this process still holds the claim;
        a process that lost it must not send."""
        return await self._write(queries.confirm, claim_id, self.owner, self._clock.now(), self.lease)

    async def sent(self, claim_id: int, ts: str) -> bool:
        """Record the message's ts; False when a ts was recorded already."""
        return await self._write(queries.record_sent, claim_id, ts, self._clock.now())

    async def failed(self, claim_id: int, reason: str) -> bool:
        """Give the send up for good; False when it was sent or given up already."""
        return await self._write(queries.record_failed, claim_id, reason, self._clock.now())

    async def _write(self, query: Callable[..., bool], *args: Any) -> bool:
        return await self._db.write_within(WRITE_TIMEOUT, query, self.table, *args)
