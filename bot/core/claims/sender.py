"""Posting one claimed message exactly once, for any feature.

The database decides who may send (`Claims`); the message carries Slack metadata naming its row, so a retry
after a 5xx, a timeout or a dropped connection, and a takeover of someone else's expired claim, first look
for it in the channel's history before posting again. Right before the post, the process proves it still
holds the claim (and extends it); the post itself is bounded well inside that lease, so no other process
can take the claim over while the post may still be on its way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.claims.lease import Claims
from bot.core.message import Message
from bot.core.slack.calls import PermanentFailure, Transient, slack_call
from bot.core.slack.pacing import POST, Pacer, PacerBusy

log = logging.getLogger(__name__)

HISTORY_MARGIN = timedelta(minutes=10)
"""How far before a message's due time it is looked for (allows for clocks that disagree)."""
HISTORY_PAGE = 100
HISTORY_PAGES = 5
POST_SHARE_OF_LEASE = 0.8
"""A post (its attempts and any Retry-After waits) is cut off after this share of the lease it confirmed:
the rest of the lease covers a request Slack may still be receiving when it is cut off."""
MIN_WAIT = 1.0


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    PENDING = "pending"
    """Not sent yet: the claim expires and a later pass (of any process) finishes it."""
    LOST = "lost"
    """Another process holds the claim now; this one did not post."""


@dataclass(frozen=True, slots=True)
class Sent:
    outcome: Outcome
    ts: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One claimed message: its row, where it goes, the metadata that finds it again in the channel's
    history, and when it was due (the history is searched from a little before)."""

    claim_id: int
    channel: str
    metadata: dict[str, Any]
    due_at: datetime
    options: Mapping[str, Any] = field(default_factory=dict)
    """More arguments of chat.postMessage (`unfurl_links`, `thread_ts`…)."""


class Sender:
    def __init__(
        self,
        client: AsyncWebClient,
        claims: Claims,
        pacer: Pacer | None,
        *,
        retry_delays: Sequence[float],
    ) -> None:
        self._client = client
        self.claims = claims
        self._pacer = pacer
        self._retry_delays = tuple(retry_delays)
        lease = claims.lease.total_seconds()
        # A message waits for its turn at most half a lease: its claim must not expire while it waits.
        self.max_wait = max(lease / 2, MIN_WAIT)
        self._post_bound = max(lease * POST_SHARE_OF_LEASE, MIN_WAIT)

    async def send(self, outgoing: Outgoing, message: Message, *, look_first: bool = False) -> Sent:
        """Post `message` unless it is in the channel already; record its ts, or the failure.

        `look_first` is for a takeover of an expired claim: its earlier owner may have posted it."""
        for attempt, delay in enumerate((0.0, *self._retry_delays)):
            if attempt:
                await asyncio.sleep(delay)
            try:
                ts = await self.find(outgoing) if look_first or attempt else None
                if ts is None:
                    await self.turn(POST, outgoing.channel)
                    if not await self.claims.confirm(outgoing.claim_id):
                        return Sent(Outcome.LOST)
                    ts = await self._post(outgoing, message)
            except PermanentFailure as failure:
                await self.claims.failed(outgoing.claim_id, failure.reason)
                return Sent(Outcome.FAILED, reason=failure.reason)
            except Transient as error:
                log.info(
                    "send %s to %s failed (%s); attempt %d",
                    outgoing.claim_id,
                    outgoing.channel,
                    error,
                    attempt + 1,
                )
                if not error.retry_now:
                    break
                continue
            await self.claims.sent(outgoing.claim_id, ts)
            return Sent(Outcome.SENT, ts)
        return Sent(Outcome.PENDING)

    async def settle_missed(self, outgoing: Outgoing, reason: str) -> Sent:
        """A claim taken over after its day: keep its ts if it reached Slack, else give it up (never late)."""
        try:
            ts = await self.find(outgoing)
        except PermanentFailure as failure:
            await self.claims.failed(outgoing.claim_id, failure.reason)
            return Sent(Outcome.FAILED, reason=failure.reason)
        except Transient:
            return Sent(Outcome.PENDING)
        if ts is not None:
            await self.claims.sent(outgoing.claim_id, ts)
            return Sent(Outcome.SENT, ts)
        await self.claims.failed(outgoing.claim_id, reason)
        return Sent(Outcome.FAILED, reason=reason)

    async def find(self, outgoing: Outgoing) -> str | None:
        """The ts of the message if it is in the channel (found by its metadata)."""
        oldest = (outgoing.due_at - HISTORY_MARGIN).timestamp()
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            reply = await slack_call(
                self._client.conversations_history,
                channel=outgoing.channel,
                oldest=f"{oldest:.6f}",
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            ts = with_metadata(reply.get("messages") or [], outgoing.metadata)
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if ts is not None or not reply.get("has_more") or not cursor:
                return ts
        return None

    async def turn(self, method: str, channel: str) -> None:
        """Wait for this call's turn with everything else the process posts (`bot.core.slack.pacing`)."""
        if self._pacer is None:
            return
        try:
            await self._pacer.turn(method, channel, max_wait=self.max_wait)
        except PacerBusy as busy:  # too long a queue: the claim expires and a later pass sends it
            raise Transient("paced", retry_now=False) from busy

    async def _post(self, outgoing: Outgoing, message: Message) -> str:
        try:
            async with asyncio.timeout(self._post_bound):
                reply = await slack_call(
                    self._client.chat_postMessage,
                    channel=outgoing.channel,
                    metadata=outgoing.metadata,
                    **outgoing.options,
                    **message.as_kwargs(),
                )
        except TimeoutError:
            raise Transient("outlasted_its_lease") from None
        return str(reply["ts"])


def with_metadata(messages: Sequence[dict[str, Any]], metadata: dict[str, Any]) -> str | None:
    """The ts of the first message carrying `metadata` (its event type, and its payload's values)."""
    wanted = {key: str(value) for key, value in (metadata.get("event_payload") or {}).items()}
    for message in messages:
        found = message.get("metadata") or {}
        payload = found.get("event_payload") or {}
        if found.get("event_type") == metadata.get("event_type") and all(
            str(payload.get(key)) == value for key, value in wanted.items()
        ):
            return str(message["ts"])
    return None
