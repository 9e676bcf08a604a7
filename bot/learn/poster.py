"""Sending a claimed learning-path DM exactly once, paced with everything else this process posts.

Posting is `bot.core.claims.sender`'s, as for the channel quiz: the delivery's unique slot and its lease
decide who may send, the DM carries metadata naming the delivery (a retry or a takeover looks for it
first), and the process proves it still holds the claim right before it posts. What is the path's own: the
DM is opened on first use, and a learner Slack cannot reach is paused or stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.claims.lease import Claims
from bot.core.claims.sender import Outcome, Outgoing, Sender
from bot.core.claims.table import ClaimTable
from bot.core.clock import Clock
from bot.core.logs import pseudonym
from bot.core.message import Message
from bot.core.slack.calls import PermanentFailure, Transient, slack_call
from bot.core.slack.pacing import Pacer
from bot.core.store.database import Database, LazyQueries
from bot.learn.blocks import day_metadata
from bot.learn.records import DEACTIVATED, Claimed, Status

if TYPE_CHECKING:
    from bot.learn import queries
else:
    queries = LazyQueries("bot.learn.queries")

log = logging.getLogger(__name__)

DELIVERIES = ClaimTable("bot.learn.models", "DeliveryRow")
BACKGROUND_TIMEOUT = 10.0
"""The bound of the path's own database work after a DM went out: nobody waits for an ack on it."""
MISSED = "missed: its day passed"
CANNOT_DM = frozenset({"cannot_dm_bot", "user_disabled"})
"""The DM cannot be opened or written: the learner is paused, and managers see why in /learn cohort."""
GONE = frozenset({"account_inactive", "user_not_found"})
"""The person is no longer there: the path stops quietly."""

Render = Callable[[Claimed], Awaitable[Message]]


class LearnPoster:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        claims: Claims,
        pacer: Pacer,
        *,
        retry_delays: Sequence[float],
    ) -> None:
        self._db = database
        self._client = client
        self._clock = clock
        self.sender = Sender(client, claims, pacer, retry_delays=retry_delays)

    async def deliver(self, claimed: Claimed, render: Render, *, look_first: bool = False) -> Outcome:
        """Post the claimed delivery unless it is in the DM already; record the ts, or the failure."""
        delivery = claimed.delivery
        try:
            channel = claimed.dm_channel or await self._open(delivery.user_id)
        except PermanentFailure as failure:
            await self.sender.claims.failed(delivery.id, failure.reason)
            return await self._failed(claimed, failure.reason)
        except Transient as error:
            log.info(
                "opening the DM of %s failed (%s); retried when the claim expires",
                pseudonym(delivery.user_id),
                error,
            )
            return Outcome.PENDING
        sent = await self.sender.send(
            outgoing(claimed, channel), await render(claimed), look_first=look_first
        )
        if sent.outcome is Outcome.FAILED:
            return await self._failed(claimed, sent.reason or "")
        return sent.outcome

    async def settle_missed(self, claimed: Claimed, channel: str) -> Outcome:
        """A claim taken over after its day: keep its ts if it reached the DM, else give it up."""
        return (await self.sender.settle_missed(outgoing(claimed, channel), MISSED)).outcome

    async def _open(self, user_id: str) -> str:
        reply = await slack_call(self._client.conversations_open, users=user_id)
        channel = str((reply.get("channel") or {}).get("id") or "")
        if not channel:
            raise Transient("no_channel")
        await self._db.write(queries.set_dm_channel, user_id, channel)
        return channel

    async def _failed(self, claimed: Claimed, reason: str) -> Outcome:
        """After a DM was given up: pause or stop a learner Slack cannot reach."""
        delivery = claimed.delivery
        now = self._clock.now()
        if reason in GONE:
            await self._db.write(queries.set_status, delivery.user_id, Status.STOPPED, DEACTIVATED, now)
        elif reason in CANNOT_DM:
            await self._db.write(
                queries.set_status, delivery.user_id, Status.PAUSED, f"can't DM them: {reason}", now
            )
        log.warning(
            "learning DM %s to %s failed: %s (not retried)", delivery.id, pseudonym(delivery.user_id), reason
        )
        return Outcome.FAILED


def outgoing(claimed: Claimed, channel: str) -> Outgoing:
    """A delivery as the sender sees it: its DM, found again by the delivery id in its metadata."""
    delivery = claimed.delivery
    return Outgoing(
        delivery.id, channel, day_metadata(delivery.id), delivery.due_at, options={"unfurl_links": False}
    )
