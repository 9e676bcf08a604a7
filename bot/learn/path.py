"""One learner's path: enrolling them (with the welcome and a first question), their answers, their
progress, graduating, and the messages each delivery shows.

The database decides what happens once: a delivery is a unique (learner, slot) row claimed with a lease,
an answer a unique (delivery, question) row (`bot.learn.queries`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.blocks import render_notice
from bot.core.claims.lease import Claims
from bot.core.claims.sender import Outcome
from bot.core.clock import Clock
from bot.core.message import Message
from bot.core.slack.calls import PermanentFailure, SlackFailure, slack_call
from bot.core.slack.pacing import Pacer
from bot.core.store.database import Database, LazyQueries
from bot.core.timecodes import local_date
from bot.learn import blocks
from bot.learn.contact_blocks import welcome_intro
from bot.learn.curriculum import Curriculum
from bot.learn.first_contact import commitment, welcome_due, welcome_pace
from bot.learn.plan import Pace, asked_again_at, choose, next_questions_at, zone
from bot.learn.poster import DELIVERIES, GONE, LearnPoster, outgoing
from bot.learn.progress import all_learned, learned_topics, resting, started_topics, weeks_to_go
from bot.learn.records import Answered, Card, Claimed, Delivery, Kind, Learner, Pick, Progress, Status
from bot.learn.settings import LearnSettings
from content.model import Question

if TYPE_CHECKING:
    from bot.learn import queries
    from bot.learn import review_queries as reviews
else:
    queries = LazyQueries("bot.learn.queries")
    reviews = LazyQueries("bot.learn.review_queries")

log = logging.getLogger(__name__)
RETRY_DELAYS = (1.0, 4.0)
MAX_IN_FLIGHT = 50
"""DMs being sent at once by this process; the pacer decides when each goes."""


class Enrolment(StrEnum):
    ENROLLED = "enrolled"
    WAITING = "waiting"
    """Enrolled outside their working hours: the welcome waits for their next `LEARN_TIME`."""
    ALREADY = "already"
    BOT = "bot"
    DEACTIVATED = "deactivated"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Enrolled:
    outcome: Enrolment
    learner: Learner | None = None
    welcome: Claimed | None = None
    """The welcome's delivery, claimed and not sent yet (`enroll(..., send_welcome=False)`)."""
    welcome_at: datetime | None = None
    """When a welcome that waits for the learner's working hours goes out (`Enrolment.WAITING`)."""


class LearningPath:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        settings: LearnSettings,
        pacer: Pacer,
        owner: str,
        lease: timedelta,
        curriculum: Sequence[Question],
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self._db = database
        self._client = client
        self._clock = clock
        self._settings = settings
        self.slots = asyncio.Semaphore(max_in_flight)
        """DMs being sent at once by this process (shared with the daily sender)."""
        self.claims = Claims(database, clock, DELIVERIES, owner, lease, self.slots)
        self.poster = LearnPoster(database, client, clock, self.claims, pacer, retry_delays=retry_delays)
        self._owner = owner
        self._lease = lease
        self._questions = {question.id: question for question in curriculum}
        self.curriculum = Curriculum.of(curriculum)
        """The topics and their questions in the order new ones are asked."""
        self.topics = self.curriculum.topics
        self._per_topic = self.curriculum.per_topic()
        self._key = {q.id: (tuple(c.letter for c in q.choices), q.answer, q.topic) for q in curriculum}
        self.pace = Pace(settings.time, settings.days, settings.max_per_day, settings.new_per_day)
        self.commitment = commitment(self.pace, self._per_topic)
        """What the path asks of a learner, as the welcome and small talk in the DM say it."""

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def comes_back(self, card: Card, timezone: str, delivery: Delivery) -> str:
        """When the learner's DM asks `card`'s question again, in their words (``tomorrow``, ``on Monday``):
        the path's days, their time zone, and the day of `delivery` (its slot is taken) decide."""
        now = self._clock.now()
        when = asked_again_at(card.due, now, timezone, self.pace, delivery.local_date)
        tz = zone(timezone)
        return blocks.day_words(local_date(when, tz), local_date(now, tz))

    async def comes_back_of(self, answered: Answered) -> str | None:
        if answered.card is None or not answered.first:
            return None
        learner = await self._db.read(queries.get_learner, answered.delivery.user_id)
        return self.comes_back(answered.card, learner.timezone, answered.delivery) if learner else None

    # --- enrolment -----------------------------------------------------------------------------

    async def enroll(
        self, user_id: str, by: str, *, offer_opt_out: bool, send_welcome: bool = True
    ) -> Enrolled:
        """Put `user_id` on the path and send the welcome with the first question(s) right away, or, with
        `send_welcome=False`, claim it for the caller to `send` (soon: the claim's lease is running).

        Someone enrolled by others outside their working hours gets the welcome at their next `LEARN_TIME`
        instead: its claim is held until then, and whichever process is running takes it over and sends it
        (`LearnScheduler`)."""
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
        due = now if by == user_id else welcome_due(now, timezone, self.pace)
        day = local_date(due, zone(timezone))
        learner, created = await self._db.write(
            queries.enroll,
            user_id=user_id,
            timezone=timezone,
            by=by,
            now=now,
            next_due_at=next_questions_at(now, timezone, self.pace, taken=day),
            offer_opt_out=offer_opt_out,
        )
        if not created:
            return Enrolled(Enrolment.ALREADY, learner)
        cards = {card.question_id: card for card in await self._db.read(reviews.cards, user_id)}
        claimed = await self._db.write(
            queries.claim_one,
            user_id=user_id,
            slot=day.isoformat(),  # that day's own DM finds its slot taken: one DM on the first day
            kind=Kind.WELCOME.value,
            local_date=day,
            question_ids=choose(cards, self.curriculum, now, welcome_pace(self.pace)),
            due_at=due,
            claimed_by=self._owner,
            lease_until=max(due, now + self._lease),
        )
        if claimed is not None and due > now:
            return Enrolled(Enrolment.WAITING, learner, welcome_at=due)
        if claimed is not None and send_welcome:
            await self.send(claimed)
            claimed = None
        return Enrolled(Enrolment.ENROLLED, learner, claimed)

    async def send(self, claimed: Claimed) -> None:
        """Send a claimed delivery, at the pace of everything this process posts."""
        async with self.slots:
            await self.poster.deliver(claimed, self.render)

    # --- answers and graduation ----------------------------------------------------------------

    async def answer(self, delivery_id: int, user_id: str, index: int, letter: str) -> Answered | None:
        """Record the answer (committed before this returns) and move the question's FSRS card."""
        return await self._db.write(
            reviews.record_answer,
            delivery_id=delivery_id,
            user_id=user_id,
            index=index,
            letter=letter,
            now=self._clock.now(),
            key=self._key,
            questions_per_topic=self._per_topic,
            retention=self._settings.retention,
        )

    async def graduate_if_done(self, user_id: str) -> bool:
        """After an answer: when every topic is learned, send the congratulations (once)."""
        cards = await self._db.read(reviews.cards, user_id)
        if not all_learned(cards, self._per_topic):
            return False
        learner = await self._db.read(queries.get_learner, user_id)
        if learner is None or learner.graduated:
            return False
        now = self._clock.now()
        claimed = await self._db.write(
            queries.mark_graduated,
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
        async with self.slots:
            await self.poster.deliver(claimed, self.render)
        return True

    async def share(self, user_id: str, channel: str) -> bool | None:
        """Announce a graduation in `channel`, once: None if not a graduate or shared already."""
        learner = await self._db.read(queries.get_learner, user_id)
        if learner is None or not learner.graduated:
            return None
        now = self._clock.now()
        claimed = await self._db.write(
            queries.claim_one,
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
        # Not retried once its claim expires (the scheduler gives an expired share up).
        sent = await self.poster.sender.send(outgoing(claimed, channel), message)
        return sent.outcome is Outcome.SENT

    async def withdraw_announcement(self, channel: str, ts: str) -> bool:
        """Delete a graduation announcement (the learner asked to be forgotten); False if Slack would not."""
        try:
            await slack_call(self._client.chat_delete, channel=channel, ts=ts)
        except SlackFailure as failure:
            log.warning("could not delete a graduation announcement: %s", failure.reason)
            return False
        return True

    # --- progress and messages -----------------------------------------------------------------

    def progress(
        self, learner: Learner, cards: Sequence[Card], answered: tuple[int, int] = (0, 0)
    ) -> Progress:
        graduated = learner.graduated_at is not None
        return Progress(
            user_id=learner.user_id,
            status=learner.status,
            reason=learner.reason,
            day=learner.days,
            started=len(started_topics(cards, self.topics)),
            learned=len(learned_topics(cards, self._per_topic)),
            topics=len(self.topics),
            answered=answered[0],
            right=answered[1],
            graduated_at=learner.graduated_at,
            next_due_at=learner.next_due_at,
            streak=learner.streak,
            weeks_to_go=None
            if graduated
            else weeks_to_go(cards, self._per_topic, self.pace.new_per_day, len(self.pace.days)),
            resting=tuple(
                sorted({card.topic for card in cards if resting(card) and card.topic in self._per_topic})
            ),
        )

    async def progress_of(self, user_id: str) -> Progress | None:
        learner = await self._db.read(queries.get_learner, user_id)
        if learner is None:
            return None
        cards = await self._db.read(reviews.cards, user_id)
        answered = (await self._db.read(reviews.answer_counts, [user_id])).get(user_id, (0, 0))
        return self.progress(learner, cards, answered)

    async def render(self, claimed: Claimed) -> Message:
        """The message of a claimed delivery, with the learner's progress as of the claim."""
        delivery = claimed.delivery
        if delivery.kind is Kind.PAUSE:
            return blocks.render_pause_notice()
        learner = claimed.learner or await self._db.read(queries.get_learner, delivery.user_id)
        cards = (
            claimed.cards
            if claimed.cards is not None
            else await self._db.read(reviews.cards, delivery.user_id)
        )
        if learner is None:
            return render_notice("Your learning path has ended.")
        if delivery.kind is Kind.GRADUATION:
            answered = (await self._db.read(reviews.answer_counts, [learner.user_id])).get(
                learner.user_id, (0, 0)
            )
            progress = self.progress(learner, cards, answered)
            return blocks.render_graduation(progress, share=self._settings.channel is not None)
        return self.render_day(delivery, {}, learner, cards)

    def render_day(
        self, delivery: Delivery, picks: dict[str, Pick], learner: Learner, cards: Sequence[Card]
    ) -> Message:
        """A day's DM (or the welcome) with `picks` shown, and the learner's progress."""
        questions = [self._questions[qid] for qid in delivery.question_ids if qid in self._questions]
        card_of = {card.question_id: card for card in cards}
        comes_back = {
            qid: self.comes_back(card_of[qid], learner.timezone, delivery) for qid in picks if qid in card_of
        }
        intro = None
        if delivery.kind is Kind.WELCOME:
            intro = welcome_intro(learner.user_id, learner.enrolled_by, self.commitment, self._settings.time)
        return blocks.render_day(
            delivery.id,
            questions,
            picks,
            self.progress(learner, cards),
            instead_of_resting=self._instead_of_resting(delivery.question_ids, cards),
            intro=intro,
            opt_out=learner.opt_out_offered and learner.status is Status.ACTIVE,
            comes_back=comes_back,
        )

    def _instead_of_resting(self, question_ids: Sequence[str], cards: Sequence[Card]) -> frozenset[str]:
        """The questions asked because another of their topic rests, or a resting one back after its rest:
        they come with the topic's card."""
        topic_of = self.curriculum.topic_of
        asked = {card.question_id: card for card in cards}
        rested = {card.topic for card in cards if resting(card)}
        return frozenset(
            qid
            for qid in question_ids
            if topic_of.get(qid) in rested and (qid not in asked or resting(asked[qid]))
        )
