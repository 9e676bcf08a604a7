"""The daily quiz engine: post what is due exactly once, and reveal it.

Every instance of the bot runs this loop; they share nothing but the database, which decides who sends
what (a unique slot per post, a lease per claim). ``tick()`` is one pass and is safe to run at any time,
in any number of processes: a quiz due while the bot was down goes out at the first tick the same local
day, and a reveal that came due meanwhile happens then too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.background import Background
from bot.core.claims.fan_out import fan_out
from bot.core.claims.lease import Claims
from bot.core.clock import Clock
from bot.core.settings import SchedulerSettings
from bot.core.slack.pacing import Pacer
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.core.timecodes import local_date, next_due
from bot.quiz.due import DueSlot, due_slots
from bot.quiz.poster import POSTS, Poster, PostResult
from bot.quiz.records import Post, bonus_slot, scheduled_slot
from bot.quiz.rotation import next_question_id
from bot.quiz.schedules import ChannelSchedule, active_schedules, effective_schedule
from bot.quiz.settings import QuizSettings
from bot.quiz.weekly import BOARDS, WeeklyBoards

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_IN_FLIGHT = 20
"""Channels worked on at once. Slack lets chat.postMessage burst briefly but holds it to about one
message per second per channel and several hundred a minute per workspace. Twenty at a time stays well
inside that, yet 500 channels at 50 ms per call wait only about 1.3 s for Slack in all, and a slow or
rate-limited channel (slack_sdk waits out its Retry-After) holds up only one of the twenty places."""

RETRY_DELAYS = (1.0, 4.0)
"""Pauses before the in-tick retries after a 5xx, timeout or dropped connection."""


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A due slot with no post yet, its channel's schedule and question history."""

    due: DueSlot
    schedule: ChannelSchedule
    history: list[str]

    @property
    def channel(self) -> str:
        return self.due.channel


class QuizEngine:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        quiz: QuizSettings,
        scheduler: SchedulerSettings,
        instance_id: str,
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        pacer: Pacer | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._quiz = quiz
        self._owner = instance_id
        self._lease = scheduler.claim_lease
        self._poll_interval = scheduler.poll_interval.total_seconds()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._claims = Claims(database, clock, POSTS, instance_id, self._lease, self._slots)
        self.poster = Poster(database, client, clock, self._claims, retry_delays=retry_delays, pacer=pacer)
        boards = Claims(database, clock, BOARDS, instance_id, self._lease, self._slots)
        self.boards = WeeklyBoards(database, client, clock, boards, retry_delays=retry_delays, pacer=pacer)
        self.loop = Background("quiz-scheduler", self.run)
        # Today's slots known to have a post (by any instance): later ticks skip them without a query.
        self._known_posted: set[DueSlot] = set()

    # --- the loop ------------------------------------------------------------------------------

    async def tick(self) -> None:
        """One pass: post what is due, finish abandoned claims, reveal what is due, then the weekly boards."""
        schedules = await active_schedules(self._db, self._quiz)
        due = due_slots(schedules, self._clock.now())
        self._known_posted.intersection_update(due)  # forget earlier days
        unknown = [slot for slot in due if slot not in self._known_posted]
        taken = await self._db.read(queries.existing_slots, [(slot.channel, slot.slot) for slot in unknown])
        histories = await self._db.read(queries.question_histories, [slot.channel for slot in unknown])
        self._known_posted.update(slot for slot in unknown if (slot.channel, slot.slot) in taken)
        by_channel = {schedule.channel: schedule for schedule in schedules}
        fresh = [
            _Fresh(slot, by_channel[slot.channel], histories[slot.channel])
            for slot in unknown
            if slot not in self._known_posted
        ]
        await self._each(fresh, self._post_slot)

        zones = {schedule.channel: schedule.timezone for schedule in schedules}
        abandoned = await self._db.read(queries.claimable_unposted, self._clock.now())
        await self._claims.take_over_each(
            abandoned, _post_id, lambda post: self._finish(post, zones.get(post.channel))
        )

        await self._each(await self._db.read(queries.due_reveals, self._clock.now()), self._reveal)
        await self.boards.tick(schedules)

    async def run(self) -> None:
        """Tick every ``QUIZ_POLL_INTERVAL`` (real time; the clock decides what is due) until cancelled."""
        poll_interval = self._poll_interval
        while True:
            try:
                await self.tick()
            except StoreUnavailable as error:  # the database is away: nothing to debug here, just wait
                log.warning(
                    "quiz tick skipped: the database is unavailable (%s); trying again in %s s",
                    error,
                    poll_interval,
                )
            except Exception:
                log.exception("quiz tick failed; trying again in %s s", poll_interval)
            await asyncio.sleep(poll_interval)

    # --- commands ------------------------------------------------------------------------------

    async def post_now(self, channel: str) -> PostResult:
        """``/quiz now``: the channel's next question, right away. The first of the channel's local day
        takes that day's slot, so it counts and the schedule posts no other that day; any later one is
        a bonus question (a slot of its own, not counted)."""
        schedule = await effective_schedule(self._db, self._quiz, channel)
        schedule = schedule or ChannelSchedule.from_settings(self._quiz, channel)
        now = self._clock.now()
        today = local_date(now, schedule.timezone)
        post = await self._claim(schedule, scheduled_slot(today), today, now)
        if post is None:  # the day's question is out (or being posted)
            post = await self._claim(schedule, bonus_slot(), today, now)
        assert post is not None, "a bonus slot is unique"
        async with self._slots:
            return await self.poster.deliver(post)

    async def reveal_now(self, channel: str) -> bool:
        """``/quiz reveal``: reveal the channel's open question now; False if none is open (or it is
        being revealed by someone else). The one that counts goes first, then one people answered: never
        a bonus nobody answered while they wait for the answer to the other."""
        post = _to_reveal(await self._db.read(queries.open_posts, channel))
        if post is None:
            return False
        if not await self._db.write(
            queries.claim_reveal, post.id, self._owner, self._clock.now(), self._lease
        ):
            return False
        async with self._slots:
            return await self.poster.reveal(post, await self.next_question_at(channel))

    async def next_question_at(self, channel: str) -> datetime | None:
        """When the channel's next daily question is due; None without a schedule."""
        schedule = await effective_schedule(self._db, self._quiz, channel)
        return await self.next_question_of(schedule) if schedule is not None else None

    async def next_question_of(self, schedule: ChannelSchedule) -> datetime:
        """When `schedule` next posts. A day whose question is out already (an early ``/quiz now``) is
        skipped: the schedule posts nothing more that day."""
        due = next_due(self._clock.now(), schedule.at, schedule.timezone, schedule.days)
        slot = scheduled_slot(local_date(due, schedule.timezone))
        if await self._db.read(queries.existing_slots, [(schedule.channel, slot)]):
            due = next_due(due, schedule.at, schedule.timezone, schedule.days)
        return due

    # --- steps ---------------------------------------------------------------------------------

    async def _each(self, items: Iterable[T], work: Callable[[T], Awaitable[Any]]) -> None:
        await fan_out(self._slots, items, work, _quiz_work, log)

    async def _post_slot(self, fresh: _Fresh) -> None:
        due = fresh.due
        post = await self._claim(fresh.schedule, due.slot, due.local_date, due.due_at, history=fresh.history)
        self._known_posted.add(due)
        if post is not None:  # None: posted, failed, or claimed by another instance
            await self.poster.deliver(post)

    async def _claim(
        self,
        schedule: ChannelSchedule,
        slot: str,
        day: date,
        due: datetime,
        *,
        history: list[str] | None = None,
    ) -> Post | None:
        """Pick the channel's next question and claim ``slot`` for it; None when another instance claimed
        it first. ``history`` saves the query when already known."""
        channel = schedule.channel
        if history is None:
            history = (await self._db.read(queries.question_histories, [channel]))[channel]
        question_id = next_question_id(channel, [q.id for q in content.questions()], history)
        now = self._clock.now()
        # The answer's reveal counts from when the question actually goes out, even when that is late.
        return await self._db.write(
            queries.claim_post,
            channel=channel,
            slot=slot,
            local_date=day,
            question_id=question_id,
            due_at=due,
            reveal_due=schedule.reveal.due(now, schedule.timezone),
            owner=self._owner,
            lease_until=now + self._lease,
            answer_at_reveal=schedule.options.answer_at_reveal,
        )

    async def _finish(self, post: Post, zone: ZoneInfo | None) -> None:
        """Finish a claim taken over from an owner that died (or this instance, before a restart)."""
        if post.local_date < local_date(self._clock.now(), zone or self._quiz.timezone):
            await self.poster.give_up_missed(post)
        else:
            await self.poster.deliver(post, look_first=True)

    async def _reveal(self, post: Post) -> None:
        if await self._db.write(queries.claim_reveal, post.id, self._owner, self._clock.now(), self._lease):
            await self.poster.reveal(post, await self.next_question_at(post.channel))


def _to_reveal(open_posts: Sequence[tuple[Post, int]]) -> Post | None:
    """Of a channel's open posts (oldest first, with their answer counts): the one that counts, else the
    newest one people answered, else the newest."""
    counted = [post for post, _ in open_posts if not post.bonus]
    answered = [post for post, count in open_posts if count]
    candidates = counted or answered or [post for post, _ in open_posts]
    return candidates[-1] if candidates else None


def _post_id(post: Post) -> int:
    return post.id


def _quiz_work(item: object) -> str:
    return f"quiz work for {getattr(item, 'channel', item)}"
