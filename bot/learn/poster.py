"""Sending a claimed learning-path DM exactly once, paced with everything else this process posts.

The same discipline as the channel quiz: the database decides who may send (the delivery's unique slot and
its lease); the message carries Slack metadata with the delivery id, so a retry after a 5xx, a timeout or a
dropped connection, and a takeover of someone else's expired claim, first look for the message in the DM
before sending again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.clock import Clock
from bot.core.logs import pseudonym
from bot.core.message import Message
from bot.core.slack.calls import PermanentFailure, Transient, slack_call
from bot.core.slack.pacing import POST, Pacer, PacerBusy
from bot.core.store.database import Database, LazyQueries
from bot.learn.blocks import day_metadata
from bot.learn.ids import LEARN_DAY_EVENT
from bot.learn.records import DEACTIVATED, Claimed, Status

if TYPE_CHECKING:
    from bot.learn import queries
else:
    queries = LazyQueries("bot.learn.queries")

log = logging.getLogger(__name__)

BACKGROUND_TIMEOUT = 10.0
"""The bound of the path's own database work after a DM went out: nobody waits for an ack on it."""
HISTORY_MARGIN = timedelta(minutes=10)
HISTORY_PAGE = 100
HISTORY_PAGES = 3
CANNOT_DM = frozenset({"cannot_dm_bot", "user_disabled"})
"""The DM cannot be opened or written: the learner is paused, and managers see why in /learn cohort."""
GONE = frozenset({"account_inactive", "user_not_found"})
"""The person is no longer there: the path stops quietly."""


class Sent(StrEnum):
    POSTED = "posted"
    FAILED = "failed"
    PENDING = "pending"


Render = Callable[[Claimed], Awaitable[Message]]


class LearnPoster:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        owner: str,
        pacer: Pacer,
        *,
        retry_delays: Sequence[float],
        max_wait: float,
    ) -> None:
        self._db = database
        self._client = client
        self._clock = clock
        self._owner = owner
        self._pacer = pacer
        self._retry_delays = tuple(retry_delays)
        self._max_wait = max_wait

    async def deliver(self, claimed: Claimed, render: Render, *, look_first: bool = False) -> Sent:
        """Post the claimed delivery unless it is in the DM already; record the ts, or the failure."""
        delivery = claimed.delivery
        try:
            channel = claimed.dm_channel or await self._open(delivery.user_id)
        except PermanentFailure as failure:
            return await self._fail(claimed, failure.reason)
        except Transient as error:
            log.info(
                "opening the DM of %s failed (%s); retried when the claim expires",
                pseudonym(delivery.user_id),
                error,
            )
            return Sent.PENDING
        message = await render(claimed)
        for attempt, delay in enumerate((0.0, *self._retry_delays)):
            if attempt:
                await asyncio.sleep(delay)
            try:
                ts = await self.find(channel, claimed) if look_first or attempt else None
                if ts is None:
                    await self._pacer.turn(POST, channel, max_wait=self._max_wait)
                    reply = await slack_call(
                        self._client.chat_postMessage,
                        channel=channel,
                        metadata=day_metadata(delivery.id),
                        unfurl_links=False,
                        **message.as_kwargs(),
                    )
                    ts = str(reply["ts"])
            except PermanentFailure as failure:
                return await self._fail(claimed, failure.reason)
            except PacerBusy:
                return Sent.PENDING  # the claim expires and a later tick (of any process) sends it
            except Transient as error:
                log.info("learning DM %s failed (%s); attempt %d", delivery.id, error, attempt + 1)
                if not error.retry_now:
                    break
                continue
            await self._db.write_within(
                BACKGROUND_TIMEOUT, queries.record_posted, delivery.id, ts, self._clock.now()
            )
            return Sent.POSTED
        return Sent.PENDING

    async def find(self, channel: str, claimed: Claimed) -> str | None:
        """The ts of the delivery's message if it is in the DM (found by its metadata)."""
        delivery = claimed.delivery
        oldest = (delivery.due_at - HISTORY_MARGIN).timestamp()
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            reply = await slack_call(
                self._client.conversations_history,
                channel=channel,
                oldest=f"{oldest:.6f}",
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            ts = _find(reply.get("messages") or [], delivery.id)
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if ts is not None or not reply.get("has_more") or not cursor:
                return ts
        return None

    async def _open(self, user_id: str) -> str:
        reply = await slack_call(self._client.conversations_open, users=user_id)
        channel = str((reply.get("channel") or {}).get("id") or "")
        if not channel:
            raise Transient("no_channel")
        await self._db.write(queries.set_dm_channel, user_id, channel)
        return channel

    async def _fail(self, claimed: Claimed, reason: str) -> Sent:
        delivery = claimed.delivery
        now = self._clock.now()
        await self._db.write_within(BACKGROUND_TIMEOUT, queries.record_failed, delivery.id, reason, now)
        if reason in GONE:
            await self._db.write(queries.set_status, delivery.user_id, Status.STOPPED, DEACTIVATED, now)
        elif reason in CANNOT_DM:
            await self._db.write(
                queries.set_status, delivery.user_id, Status.PAUSED, f"can't DM them: {reason}", now
            )
        log.warning(
            "learning DM %s to %s failed: %s (not retried)", delivery.id, pseudonym(delivery.user_id), reason
        )
        return Sent.FAILED


def _find(messages: Sequence[dict[str, Any]], delivery_id: int) -> str | None:
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == LEARN_DAY_EVENT and str(payload.get("delivery_id")) == str(
            delivery_id
        ):
            return str(message["ts"])
    return None
