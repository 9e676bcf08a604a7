"""Listener middleware for events: answer each one once, even when Slack redelivers it."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

from bot.quiz.calls import StoreUnavailable
from bot.services import Services

log = logging.getLogger(__name__)
RECENT_EVENTS = 10_000


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


def answer_each_event_once(services: Services) -> Callable[..., Awaitable[Any]]:
    """Middleware for event listeners; commands and buttons never pay for it."""
    recent = RecentIds()

    async def first_delivery_only(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        event_id = body.get("event_id")
        if not isinstance(event_id, str):
            return await next()
        if recent.add(event_id) and await _first_delivery(services, event_id):
            return await next()
        log.info("event %s already answered; acknowledging the redelivery only", event_id)
        return BoltResponse(status=200, body="")

    return first_delivery_only


async def _first_delivery(services: Services, event_id: str) -> bool:
    """The database makes this hold across restarts and across bot processes."""
    try:
        await services.ready()
        return bool(await services.db(services.store.claim_event, event_id, services.clock.now()))
    except StoreUnavailable as error:
        log.warning("could not record event %s (%s); answering it anyway", event_id, type(error).__name__)
        return True
