"""The questions practice keeps from a person: a daily quiz's open question (posted, not yet revealed) and
the one a channel posts next if that is due within a day, in every channel the person can see.

Practice marks the right answer, and draws from the same bank as the daily quiz (three to six questions a
topic): without this, anyone could look up the counted answer first with `/quiz <topic>`. What each channel
holds back is the same for everyone and read again every few seconds; only who sees which channel is
per person (`ChannelAudience`: public channels, and private ones the person is a member of).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import content
from bot.core.clock import Clock
from bot.core.slack.audience import ChannelAudience
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.core.timecodes import next_due
from bot.quiz.rotation import next_question_id
from bot.quiz.schedules import active_schedules
from bot.quiz.settings import QuizSettings

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")

SOON = timedelta(days=1)
"""A channel's next question is held back when the channel posts within this long (before or after now)."""
KEEP = timedelta(seconds=10)
"""What each channel holds back is read again after this long (a `/quiz now` shows up within it)."""
BOUND = 2.0
"""Seconds a practice question may wait for this, inside the ack of `/quiz <topic>`."""
AUDIENCE_BOUND = 1.0
"""Seconds to wait for Slack to say who sees the channels; past it, every channel counts as the person's."""


class HeldBack:
    def __init__(
        self,
        database: Database,
        audience: ChannelAudience,
        clock: Clock,
        quiz: QuizSettings,
    ) -> None:
        self._db = database
        self._audience = audience
        self._clock = clock
        self._quiz = quiz
        self._by_channel: dict[str, frozenset[str]] = {}
        self._read_at: datetime | None = None

    async def questions_for(self, user: str) -> frozenset[str]:
        """Ids of the questions `user` may not practise now; `StoreUnavailable` when the database does not
        say in time."""
        try:
            async with asyncio.timeout(BOUND):
                by_channel = await self._channels()
        except TimeoutError:
            raise StoreUnavailable("the daily quizzes could not be read in time") from None
        if not by_channel:
            return frozenset()
        try:
            async with asyncio.timeout(AUDIENCE_BOUND):
                seen = await self._audience.visible(user, list(by_channel), unknown=True)
        except TimeoutError:  # Slack is slow: hold back every channel's question rather than leak one
            seen = set(by_channel)
        return frozenset(question for channel in seen for question in by_channel[channel])

    async def _channels(self) -> dict[str, frozenset[str]]:
        """Each channel's held-back question ids, read at most every `KEEP_SECONDS`."""
        now = self._clock.now()
        if self._read_at is not None and abs(now - self._read_at) < KEEP:
            return self._by_channel
        schedules = await active_schedules(self._db, self._quiz)
        soon = [s.channel for s in schedules if next_due(now - SOON, s.at, s.timezone, s.days) <= now + SOON]
        histories = await self._db.read(queries.question_histories, soon)
        bank = [question.id for question in content.questions()]
        held = {channel: {next_question_id(channel, bank, histories[channel])} for channel in soon}
        for channel, question_id in await self._db.read(queries.open_questions):
            held.setdefault(channel, set()).add(question_id)
        self._by_channel = {channel: frozenset(ids) for channel, ids in held.items()}
        self._read_at = now
        return self._by_channel
