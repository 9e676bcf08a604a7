"""Listener middleware for events: answer each one once, even when Slack redelivers it."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt.response import BoltResponse

from bot.core.after_ack import AfterAck
from bot.core.clock import Clock
from bot.core.store.database import Database, LazyQueries, StoreUnavailable

if TYPE_CHECKING:
    from bot.core.store import event_queries
else:
    event_queries = LazyQueries("bot.core.store.event_queries")

log = logging.getLogger(__name__)
RECENT_EVENTS = 10_000
EVENT_MEMORY = timedelta(days=1)
"""Slack redelivers an event within minutes; older event ids need not be remembered."""
PRUNE_EVERY = timedelta(hours=1)


def written_by_a_bot(event: dict[str, Any]) -> bool:
    """True for a message or mention another app wrote (or this one): answering those lets two
    auto-responders feed each other without end."""
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


class RecentIds:
    """A bounded set of recently seen ids: the fast path before the database is asked."""

    def __init__(self, size: int = RECENT_EVENTS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, item: str) -> bool:
        """True if `item` was not seen recently."""
        if item in self._ids:
            return False
        self._ids[item] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


class EventDedupe:
    """Middleware for event listeners (commands and buttons never pay for it); the database makes it hold
    across restarts and across bot processes (a unique event id: the first to insert it answers)."""

    def __init__(self, database: Database, clock: Clock, after_ack: AfterAck) -> None:
        self._db = database
        self._clock = clock
        self._after_ack = after_ack
        self._recent = RecentIds()
        self._pruned: datetime | None = None

    async def middleware(self, body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        event_id = body.get("event_id")
        if not isinstance(event_id, str):
            return await next()
        if self._recent.add(event_id) and await self._first_delivery(event_id):
            return await next()
        log.info("event %s already answered; acknowledging the redelivery only", event_id)
        return BoltResponse(status=200, body="")

    async def _first_delivery(self, event_id: str) -> bool:
        now = self._clock.now()
        try:
            first = await self._db.write(event_queries.claim, event_id, now)
        except StoreUnavailable as error:
            log.warning("could not record event %s (%s); answering it anyway", event_id, error)
            return True
        if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
            self._after_ack(self._prune(now - EVENT_MEMORY))
        return first

    async def _prune(self, older_than: datetime) -> None:
        try:
            await self._db.write(event_queries.prune, older_than)
        except StoreUnavailable as error:
            log.warning("could not forget old event ids (%s); trying again later", error)
