"""The learning path's daily sender: each learner's day goes out exactly once, at their own local time.

Every process runs this loop; they share nothing but the database. `tick()` takes due learners in small
batches (`FOR UPDATE SKIP LOCKED`: two processes never wait on, or take, the same learner), plans each day
and claims its delivery in the same transaction, then posts the batch through the shared pacer. A claim
whose process died expires and is taken over by any process, which first looks for the message in the DM.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.background import Background
from bot.core.claims.fan_out import fan_out
from bot.core.clock import Clock
from bot.core.settings import SchedulerSettings
from bot.core.slack.calls import PermanentFailure, SlackFailure, slack_call
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.learn.path import LearningPath
from bot.learn.plan import DayPlan, first_due, plan_day, zone
from bot.learn.poster import BACKGROUND_TIMEOUT, GONE
from bot.learn.records import DEACTIVATED, Card, Claimed, Kind, Learner, Status

if TYPE_CHECKING:
    from bot.learn import queries
else:
    queries = LazyQueries("bot.learn.queries")

log = logging.getLogger(__name__)

BATCH_SECONDS = 10.0
"""A batch holds about this many seconds of posting at the paced rate, well inside the claim lease."""
BATCH_RANGE = (10, 200)
ZONE_REFRESH_AFTER = timedelta(days=7)
ZONES_PER_TICK = 5
"""users.info calls per tick to refresh time zones (Slack's tier 4 allows about 100 a minute)."""
MISSED_AFTER = timedelta(hours=20)
"""A claim taken over this long after it was due is not sent late (unless it already reached Slack)."""
LEFT_BEFORE_WELCOME = "left the path before their welcome"
TAKEOVERS_PER_TICK = 500
"""Expired claims taken over in one pass, `LearningPath.slots` at a time."""


class LearnScheduler:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        path: LearningPath,
        scheduler: SchedulerSettings,
        owner: str,
        *,
        posts_per_minute: int,
        batch_size: int | None = None,
    ) -> None:
        self._db = database
        self._client = client
        self._clock = clock
        self._path = path
        self._poster = path.poster
        self._owner = owner
        self._lease = scheduler.claim_lease
        self._poll_interval = scheduler.poll_interval.total_seconds()
        low, high = BATCH_RANGE
        self._batch = batch_size or max(low, min(high, round(posts_per_minute / 60 * BATCH_SECONDS)))
        self.loop = Background("learn-scheduler", self.run)

    async def tick(self) -> None:
        """One pass: refresh a few time zones, send every day that is due, finish abandoned claims."""
        await self._refresh_zones()
        # While one batch is being sent the next is claimed, so the pacer never waits for the database.
        claimed, more = await self._claim_batch()
        while claimed or more:
            sending = asyncio.ensure_future(self._send_all(claimed))
            try:
                claimed, more = await self._claim_batch() if more else ([], False)
            finally:
                await sending
        expired = await self._db.read(queries.claimable_unposted, self._clock.now(), TAKEOVERS_PER_TICK)
        await self._path.claims.take_over_each(expired, _delivery_id, self._finish)

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except StoreUnavailable as error:
                log.warning("learning tick skipped: the database is unavailable (%s)", error)
            except Exception:
                log.exception("learning tick failed; trying again in %s s", self._poll_interval)
            await asyncio.sleep(self._poll_interval)

    async def _claim_batch(self) -> tuple[list[Claimed], bool]:
        """The next batch of due days, claimed; and whether more may be due."""
        now = self._clock.now()
        plan = functools.partial(self._plan, now=now)
        return await self._db.write_within(
            BACKGROUND_TIMEOUT, queries.claim_due, now, self._owner, self._lease, self._batch, plan
        )

    def _plan(self, learner: Learner, cards: dict[str, Card], *, now: datetime) -> DayPlan:
        return plan_day(learner, cards, self._path.curriculum, self._path.pace, now)

    async def _send_all(self, claims: Sequence[Claimed]) -> None:
        await fan_out(self._path.slots, claims, self._send, _learning_dm, log)

    async def _send(self, claimed: Claimed) -> None:
        await self._poster.deliver(claimed, self._path.render)

    async def _finish(self, claimed: Claimed) -> None:
        """Finish a claim taken over from an owner that died, or a welcome held until the learner's morning
        (`LearningPath.enroll`): look for its message first; never send a day late."""
        delivery = claimed.delivery
        if delivery.kind is Kind.SHARE:  # an announcement is not retried (nor sent to the DM)
            await self._path.claims.failed(delivery.id, "not retried")
        elif delivery.kind is Kind.WELCOME and not await self._still_on_path(delivery.user_id):
            await self._path.claims.failed(delivery.id, LEFT_BEFORE_WELCOME)
        elif self._clock.now() - delivery.due_at > MISSED_AFTER and claimed.dm_channel:
            await self._poster.settle_missed(claimed, claimed.dm_channel)
        else:
            await self._poster.deliver(claimed, self._path.render, look_first=True)

    async def _still_on_path(self, user_id: str) -> bool:
        learner = await self._db.read(queries.get_learner, user_id)
        return learner is not None and learner.status is Status.ACTIVE

    async def _refresh_zones(self) -> None:
        """Slack's time zone for a few learners not checked for a week; someone deactivated stops quietly."""
        now = self._clock.now()
        for user_id in await self._db.read(queries.stale_zones, now - ZONE_REFRESH_AFTER, ZONES_PER_TICK):
            try:
                reply = await slack_call(self._client.users_info, user=user_id)
            except PermanentFailure as failure:
                if failure.reason in GONE:
                    await self._db.write(queries.set_status, user_id, Status.STOPPED, DEACTIVATED, now)
                continue
            except SlackFailure:
                return  # Slack is busy or away: try again next tick
            profile = reply.get("user") or {}
            if profile.get("deleted"):
                await self._db.write(queries.set_status, user_id, Status.STOPPED, DEACTIVATED, now)
                continue
            timezone = zone(str(profile.get("tz") or "UTC")).key
            due = first_due(now, timezone, self._path.pace)
            await self._db.write_within(BACKGROUND_TIMEOUT, queries.set_timezone, user_id, timezone, now, due)


def _delivery_id(claimed: Claimed) -> int:
    return claimed.delivery.id


def _learning_dm(claimed: Claimed) -> str:
    return f"learning DM {claimed.delivery.id}"
