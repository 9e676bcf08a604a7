"""The learning path's engine: each learner's day goes out exactly once, at their own local time.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.blocks import render_notice
from bot.core.clock import Clock
from bot.core.message import Message
from bot.core.settings import SchedulerSettings
from bot.core.slack.calls import PermanentFailure, SlackFailure, slack_call
from bot.core.slack.pacing import POST, Pacer, PacerBusy
from bot.core.store.database import StoreUnavailable
from bot.core.timecodes import local_date
from bot.learn import blocks
from bot.learn.curriculum import topics_of
from bot.learn.plan import DayPlan, Pace, choose, first_due, plan_day, zone
from bot.learn.poster import GONE, LearnPoster, Sent
from bot.learn.progress import all_mastered, counts, mastered_topics
from bot.learn.records import (
    DEACTIVATED,
    Answered,
    Card,
    Claimed,
    Kind,
    Learner,
    Progress,
    Status,
)
from bot.learn.settings import LearnSettings
from bot.learn.srs import review
from bot.learn.store import LearnStore
from content.model import Question

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 4.0)
MAX_IN_FLIGHT = 50
"""DMs being sent at once by this process; the pacer decides when each goes."""
BATCH_SECONDS = 10.0
"""A batch holds about this many seconds of posting at the paced rate, well inside the claim lease."""
BATCH_RANGE = (10, 200)
ZONE_REFRESH_AFTER = timedelta(days=7)
ZONES_PER_TICK = 5
"""users.info calls per tick to refresh time zones (Slack's tier 4 allows about 100 a minute)."""
MISSED_AFTER = timedelta(hours=20)
"""A claim taken over this long after it was due is not sent late (unless it already reached Slack)."""


class Enrolment(StrEnum):
    ENROLLED = "enrolled"
    ALREADY = "already"
    BOT = "bot"
    DEACTIVATED = "deactivated"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Enrolled:
    outcome: Enrolment
    learner: Learner | None = None


class LearnEngine:
    def __init__(
        self,
        store: LearnStore,
        client: AsyncWebClient,
        clock: Clock,
        settings: LearnSettings,
        scheduler: SchedulerSettings,
        pacer: Pacer,
        instance_id: str,
        curriculum: Sequence[Question],
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        batch_size: int | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self._settings = settings
        self._pacer = pacer
        self._owner = instance_id
        self._lease = scheduler.claim_lease
        self._poll_interval = scheduler.poll_interval.total_seconds()
        self._questions = {question.id: question for question in curriculum}
        self._order = tuple(question.id for question in curriculum)
        self.topics = topics_of(curriculum)
        self._per_topic = counts(self.topics, (question.topic for question in curriculum))
        self._pace = Pace(settings.time, settings.days, settings.max_per_day, settings.new_per_day)
        per_second = pacer.posts_per_minute / 60
        low, high = BATCH_RANGE
        self._batch = batch_size or max(low, min(high, round(per_second * BATCH_SECONDS)))
        self._slots = asyncio.Semaphore(max_in_flight)
        max_wait = max(self._lease.total_seconds() / 2, 1.0)
        self._poster = LearnPoster(
            store, client, clock, instance_id, pacer, retry_delays=retry_delays, max_wait=max_wait
        )
        self._tasks: list[asyncio.Task[None]] = []

    # --- the loop ------------------------------------------------------------------------------

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
        now = self._clock.now()
        for claimed in await self._store.claimable_unposted(now):
            if await self._store.reclaim(claimed.delivery.id, self._owner, now, self._lease):
                await self._take_over(claimed)

    async def _claim_batch(self) -> tuple[list[Claimed], bool]:
        """The next batch of due days, claimed; and whether more may be due."""
        now = self._clock.now()
        return await self._store.claim_due(
            now, self._owner, self._lease, self._batch, functools.partial(self._plan, now=now)
        )

    async def run(self) -> None:
        interval = self._poll_interval
        while True:
            try:
                await self.tick()
            except StoreUnavailable as error:
                log.warning("learning tick skipped: the database is unavailable (%s)", error)
            except Exception:
                log.exception("learning tick failed; trying again in %s s", interval)
            await asyncio.sleep(interval)

    def start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(self.run(), name="learn-scheduler")]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # --- enrolment -----------------------------------------------------------------------------

    async def enroll(self, user_id: str, by: str, *, offer_opt_out: bool) -> Enrolled:
        """Put `user_id` on the path and send the welcome with the first question(s) right away."""
        try:
            reply = await slack_call(self._client.users_info, user=user_id)
        except PermanentFailure as failure:
            gone = failure.reason in GONE
            return Enrolled(Enrolment.NOT_FOUND if gone else Enrolment.UNAVAILABLE)
        except SlackFailure:
            return Enrolled(Enrolment.UNAVAILABLE)
        profile = reply.get("user") or {}
        if profile.get("is_bot") or user_id == "USLACKBOT":
            return Enrolled(Enrolment.BOT)
        if profile.get("deleted"):
            return Enrolled(Enrolment.DEACTIVATED)
        timezone = zone(str(profile.get("tz") or "UTC")).key
        now = self._clock.now()
        learner, created = await self._store.enroll(
            user_id=user_id,
            timezone=timezone,
            by=by,
            now=now,
            next_due_at=first_due(now, timezone, self._pace),
            offer_opt_out=offer_opt_out,
        )
        if not created:
            return Enrolled(Enrolment.ALREADY, learner)
        cards = {card.question_id: card for card in await self._store.cards(user_id)}
        first = Pace(self._pace.at, self._pace.days, self._pace.max_per_day, max(self._pace.new_per_day, 1))
        today = local_date(now, zone(timezone))
        claimed = await self._store.claim_one(
            user_id=user_id,
            slot=today.isoformat(),
            kind=Kind.WELCOME.value,
            local_date=today,
            question_ids=choose(cards, self._order, now, first),
            due_at=now,
            claimed_by=self._owner,
            lease_until=now + self._lease,
        )
        if claimed is not None:
            async with self._slots:
                await self._poster.deliver(claimed, self.render)
        return Enrolled(Enrolment.ENROLLED, learner)

    # --- answers -------------------------------------------------------------------------------

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    async def answer(self, delivery_id: int, user_id: str, index: int, letter: str) -> Answered | None:
        """Record the answer (committed before this returns) and move the question's FSRS card."""

        def judge(question_id: str, pressed: str) -> tuple[bool, str] | None:
            question = self._questions.get(question_id)
            if question is None or question.choice(pressed) is None:
                return None
            return pressed == question.answer, question.topic

        return await self._store.record_answer(
            delivery_id=delivery_id,
            user_id=user_id,
            index=index,
            letter=letter,
            now=self._clock.now(),
            judge=judge,
            reviewer=review,
        )

    async def graduate_if_done(self, user_id: str) -> bool:
        """After an answer: when every topic is mastered, send the congratulations (once)."""
        cards = await self._store.cards(user_id)
        if not all_mastered(cards, self._per_topic):
            return False
        learner = await self._store.learner(user_id)
        if learner is None or learner.graduated:
            return False
        now = self._clock.now()
        claimed = await self._store.mark_graduated(
            user_id,
            now,
            {
                "slot": "graduation",
                "kind": Kind.GRADUATION.value,
                "local_date": local_date(now, zone(learner.timezone)),
                "question_ids": (),
                "due_at": now,
                "claimed_by": self._owner,
                "lease_until": now + self._lease,
            },
        )
        if claimed is None:
            return False
        async with self._slots:
            await self._poster.deliver(claimed, self.render)
        return True

    @property
    def pace(self) -> Pace:
        return self._pace

    async def share(self, user_id: str, channel: str) -> bool | None:
        """Announce a graduation in `channel`, once: None if not a graduate or shared already."""
        learner = await self._store.learner(user_id)
        if learner is None or not learner.graduated:
            return None
        now = self._clock.now()
        claimed = await self._store.claim_one(
            user_id=user_id,
            slot="share",
            kind=Kind.SHARE.value,
            local_date=local_date(now, zone(learner.timezone)),
            question_ids=(),
            due_at=now,
            claimed_by=self._owner,
            lease_until=now + self._lease,
        )
        if claimed is None:
            return None
        progress = await self.progress_of(user_id)
        assert progress is not None
        message = blocks.render_graduation_announcement(user_id, progress)
        try:
            await self._pacer.turn(POST, channel, max_wait=10)
            reply = await slack_call(self._client.chat_postMessage, channel=channel, **message.as_kwargs())
        except (SlackFailure, PacerBusy) as error:
            await self._store.record_failed(claimed.delivery.id, str(error), self._clock.now())
            return False
        await self._store.record_posted(claimed.delivery.id, str(reply["ts"]), self._clock.now())
        return True

    # --- progress ------------------------------------------------------------------------------

    def progress(
        self, learner: Learner, cards: Sequence[Card], answered: tuple[int, int] = (0, 0)
    ) -> Progress:
        return Progress(
            user_id=learner.user_id,
            status=learner.status,
            reason=learner.reason,
            day=learner.days,
            mastered=len(mastered_topics(cards, self._per_topic)),
            topics=len(self.topics),
            answered=answered[0],
            right=answered[1],
            graduated_at=learner.graduated_at,
            next_due_at=learner.next_due_at,
        )

    async def progress_of(self, user_id: str) -> Progress | None:
        learner = await self._store.learner(user_id)
        if learner is None:
            return None
        cards = await self._store.cards(user_id)
        answered = (await self._store.answer_counts([user_id])).get(user_id, (0, 0))
        return self.progress(learner, cards, answered)

    async def render(self, claimed: Claimed) -> Message:
        """The message of a claimed delivery, with the learner's progress as of the claim."""
        delivery = claimed.delivery
        if delivery.kind is Kind.PAUSE:
            return blocks.render_pause_notice()
        learner = claimed.learner or await self._store.learner(delivery.user_id)
        cards = claimed.cards if claimed.cards is not None else await self._store.cards(delivery.user_id)
        if learner is None:
            return render_notice("Your learning path has ended.")
        if delivery.kind is Kind.GRADUATION:
            answered = (await self._store.answer_counts([learner.user_id])).get(learner.user_id, (0, 0))
            progress = self.progress(learner, cards, answered)
            return blocks.render_graduation(progress, share=self._settings.channel is not None)
        return self.render_day(
            delivery.id,
            delivery.question_ids,
            {},
            self.progress(learner, cards),
            welcome=delivery.kind is Kind.WELCOME,
            opt_out=learner.opt_out_offered,
        )

    def render_day(
        self,
        delivery_id: int,
        question_ids: Sequence[str],
        picks: dict,
        progress: Progress,
        *,
        welcome: bool = False,
        opt_out: bool = False,
    ) -> Message:
        questions = [self._questions[qid] for qid in question_ids if qid in self._questions]
        return blocks.render_day(
            delivery_id,
            questions,
            picks,
            progress,
            welcome=welcome,
            opt_out=opt_out,
            at=self._settings.time.strftime("%H:%M"),
        )

    # --- steps ---------------------------------------------------------------------------------

    def _plan(self, learner: Learner, cards: dict[str, Card], *, now: datetime) -> DayPlan:
        return plan_day(learner, cards, self._order, self._pace, now)

    async def _send_all(self, claims: Sequence[Claimed]) -> None:
        async def one(claimed: Claimed) -> None:
            async with self._slots:
                try:
                    await self._poster.deliver(claimed, self.render)
                except StoreUnavailable as error:
                    log.warning(
                        "learning DM %s stopped: database unavailable (%s)", claimed.delivery.id, error
                    )
                except Exception:
                    log.exception("learning DM %s failed", claimed.delivery.id)

        await asyncio.gather(*(one(claimed) for claimed in claims))

    async def _take_over(self, claimed: Claimed) -> None:
        """Finish a claim whose owner died: look for its message first; never send a day late."""
        if claimed.delivery.kind is Kind.SHARE:  # an announcement is not retried (nor sent to the DM)
            await self._store.record_failed(claimed.delivery.id, "not retried", self._clock.now())
            return
        if self._clock.now() - claimed.delivery.due_at > MISSED_AFTER and claimed.dm_channel:
            try:
                ts = await self._poster.find(claimed.dm_channel, claimed)
            except SlackFailure:
                return
            now = self._clock.now()
            if ts is not None:
                await self._store.record_posted(claimed.delivery.id, ts, now)
            else:
                await self._store.record_failed(claimed.delivery.id, "missed: its day passed", now)
            return
        async with self._slots:
            await self._poster.deliver(claimed, self.render, look_first=True)

    async def _refresh_zones(self) -> None:
        """Slack's time zone for a few learners not checked for a week; someone deactivated stops quietly."""
        now = self._clock.now()
        for user_id in await self._store.stale_zones(now - ZONE_REFRESH_AFTER, ZONES_PER_TICK):
            try:
                reply = await slack_call(self._client.users_info, user=user_id)
            except PermanentFailure as failure:
                if failure.reason in GONE:
                    await self._store.set_status(user_id, Status.STOPPED, DEACTIVATED, now)
                continue
            except SlackFailure:
                return  # Slack is busy or away: try again next tick
            profile = reply.get("user") or {}
            if profile.get("deleted"):
                await self._store.set_status(user_id, Status.STOPPED, DEACTIVATED, now)
                continue
            timezone = zone(str(profile.get("tz") or "UTC")).key
            await self._store.set_timezone(user_id, timezone, now, first_due(now, timezone, self._pace))


__all__ = ["Enrolled", "Enrolment", "LearnEngine", "Sent"]
