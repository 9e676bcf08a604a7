"""What the daily quiz's answers say about people: `/quiz stats`, the leaderboard, and the Home's
progress section (answers, streaks, the weakest topic)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import content
from bot.core.clock import Clock
from bot.core.message import Message
from bot.core.slack.payloads import CommandRequest
from bot.core.store.database import Database, LazyQueries
from bot.quiz.blocks.personal import TopicScore, render_leaderboard, render_stats
from bot.quiz.records import UserStats

if TYPE_CHECKING:
    from bot.quiz import stats
else:
    stats = LazyQueries("bot.quiz.stats")

LEADERBOARD_DAYS = 30


class Progress:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def stats(self, request: CommandRequest) -> Message:
        """`/quiz stats`: the person's totals and streaks, and their weakest topic to practise."""
        totals, weakest = await self.of(request.user)
        return render_stats(totals, weakest)

    async def leaderboard(self, request: CommandRequest) -> Message:
        """`/quiz leaderboard`: who got the most right in this channel lately."""
        since = self._clock.now() - timedelta(days=LEADERBOARD_DAYS)
        rows = await self._db.read(stats.leaderboard, request.channel, since)
        bonus = await self._db.read(stats.bonus_answers, request.channel, since) if not rows else 0
        return render_leaderboard(
            rows, request.channel, days=LEADERBOARD_DAYS, me=request.user, bonus_answers=bonus
        )

    async def of(self, user: str) -> tuple[UserStats, TopicScore | None]:
        """The person's answers, right answers and streaks, and their weakest topic (StoreUnavailable
        when the database is away)."""
        return await self._db.read(stats.user_stats, user), await self.weakest_topic(user)

    async def weakest_topic(self, user: str) -> TopicScore | None:
        """The topic the person got wrong most often for how often they met it; None if none was wrong."""
        scores: dict[str, list[int]] = {}
        for question_id, right in await self._db.read(stats.answers_by_question, user):
            question = content.question_or_none(question_id)
            if question is not None:
                tally = scores.setdefault(question.topic, [0, 0])
                tally[0] += right
                tally[1] += 1
        missed = [(key, right, answered) for key, (right, answered) in scores.items() if right < answered]
        if not missed:
            return None
        key, right, answered = min(missed, key=lambda item: (item[1] / item[2], -item[2], item[0]))
        return TopicScore(key, content.topic_name(key), right, answered)
