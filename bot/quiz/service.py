"""What `/quiz` and the quiz buttons do: the rules (who may change a schedule, what counts) and the replies.

Listeners parse what Slack sent and call one method here; every method returns the reply to send.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import content
from bot.core.clock import Clock
from bot.core.managers import Managers
from bot.core.message import Message
from bot.core.settings import QuizSettings
from bot.core.store.database import StoreUnavailable
from bot.core.subcommands import Subcommand
from bot.core.timecodes import format_days, format_duration, next_due
from bot.quiz.blocks.personal import (
    QuizTiming,
    render_leaderboard,
    render_notice,
    render_post_result,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
    render_stats,
)
from bot.quiz.blocks.post import render_feedback, render_practice, render_practice_feedback
from bot.quiz.engine import AnswerOutcome, QuizEngine
from bot.quiz.permissions import may_change
from bot.quiz.schedules import ChannelSchedule, effective_schedule
from bot.quiz.store import QuizStore
from content.model import Question

log = logging.getLogger(__name__)
LEADERBOARD_DAYS = 30
MAX_POST_ID = 2**63 - 1
"""Post ids are 64-bit integers in the database; anything larger is not one of ours."""
TRY_AGAIN = "I couldn't reach my database just now — please try again in a moment."
NOT_RECORDED = "I couldn't confirm your answer was recorded — please press it again in a moment to check."
NOT_ALLOWED = "Only workspace admins and owners, or whoever set this channel's schedule, can change it."
NOT_HERE = "That question is not here — the button may be from another channel or an older post."
QUIZZES_LIVE_IN_CHANNELS = (
    "Daily quizzes live in channels, not in direct messages. Run this in the channel that has the quiz, "
    "or name it: `/quiz status #new-hires`. Here, `/quiz` gives you a practice question."
)
QuizReply = Awaitable[Message]
CompareCard = Callable[[str], Message]


@dataclass(frozen=True, slots=True)
class QuizRequest:
    """Who typed a /quiz command, and where."""

    user: str
    channel: str
    in_dm: bool = False
    """Typed in a direct message or a group DM, where no channel quiz lives."""


class QuizService:
    def __init__(
        self,
        store: QuizStore,
        engine: QuizEngine,
        managers: Managers,
        clock: Clock,
        quiz: QuizSettings,
        compare_card: CompareCard,
    ) -> None:
        self._store = store
        self._engine = engine
        self._managers = managers
        self._clock = clock
        self._quiz = quiz
        self._compare_card = compare_card

    async def run(self, sub: Subcommand[Any], request: QuizRequest, arguments: dict[str, Any]) -> Message:
        """One subcommand, with its permission rule, and a polite answer while the database is away."""
        if sub.about_channel and request.in_dm and not arguments.get("channel"):
            return render_notice(QUIZZES_LIVE_IN_CHANNELS)
        try:
            if sub.manager_only:
                channel = arguments.get("channel") or request.channel
                current = await effective_schedule(self._store, self._quiz, channel)
                if not await may_change(self._managers, request.user, channel, current):
                    return render_notice(NOT_ALLOWED)
            return await sub.handler(self, request, **arguments)
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            return render_notice(TRY_AGAIN)

    # --- reads (answered inside the ack) --------------------------------------------------------

    async def practice(self, request: QuizRequest) -> Message:
        return render_practice(random.choice(content.questions()))

    async def stats(self, request: QuizRequest) -> Message:
        return render_stats(await self._store.user_stats(request.user))

    async def leaderboard(self, request: QuizRequest) -> Message:
        since = self._clock.now() - timedelta(days=LEADERBOARD_DAYS)
        rows = await self._store.leaderboard(request.channel, since)
        return render_leaderboard(rows, request.channel, days=LEADERBOARD_DAYS)

    async def status(self, request: QuizRequest, channel: str | None = None) -> Message:
        channel = channel or request.channel
        current = await effective_schedule(self._store, self._quiz, channel)
        if current is None:
            return render_schedule_status(channel, None, source="none")
        return render_schedule_status(
            channel, self._timing(current), source=current.source, next_due=self._next(current)
        )

    # --- changes (managers only; answered after the ack) ----------------------------------------

    async def schedule(self, request: QuizRequest, channel: str | None = None, **wanted: Any) -> Message:
        channel = channel or request.channel
        base = await effective_schedule(self._store, self._quiz, channel)
        base = base or ChannelSchedule.from_settings(self._quiz, channel)
        saved = await self._store.upsert_schedule(
            channel,
            wanted.get("at") or base.at,
            (wanted.get("timezone") or base.timezone).key,
            wanted.get("days") or base.days,
            request.user,
            self._clock.now(),
        )
        timing = ChannelSchedule.from_record(saved)
        return render_schedule_saved(channel, self._timing(timing), next_due=self._next(timing))

    async def stop(self, request: QuizRequest, channel: str | None = None) -> Message:
        channel = channel or request.channel
        current = await effective_schedule(self._store, self._quiz, channel)
        default = (
            (current.at, current.timezone.key, current.days)
            if current and current.source == "default"
            else None
        )
        stopped = current is not None and await self._store.stop_schedule(
            channel, request.user, self._clock.now(), default=default
        )
        return (
            render_schedule_stopped(channel)
            if stopped
            else render_schedule_status(channel, None, source="none")
        )

    async def post_now(self, request: QuizRequest, channel: str | None = None) -> Message:
        return render_post_result(await self._engine.post_now(channel or request.channel))

    async def reveal_now(self, request: QuizRequest, channel: str | None = None) -> Message:
        revealed = await self._engine.reveal_now(channel or request.channel)
        return render_notice(
            "Revealed the answer in the question's thread."
            if revealed
            else "There is no open question here to reveal."
        )

    # --- buttons -------------------------------------------------------------------------------

    async def answer(self, value: str, user: str, channel: str) -> QuizReply:
        """An answer button on a channel post; the answer is committed before this returns. The reply is
        built after the ack, once a burst of clicks has been recorded (their acks go first)."""
        post_id, letter = _split_value(value)
        if not (post_id.isdigit() and 0 < int(post_id) <= MAX_POST_ID):
            return _ready(render_notice(NOT_HERE))
        try:
            outcome = await self._engine.answer(int(post_id), user, letter, channel)
        except StoreUnavailable as error:
            log.warning("answer not recorded, database unavailable: %s", error)
            return _ready(render_notice(NOT_RECORDED))
        return self._feedback_after_burst(outcome)

    async def _feedback_after_burst(self, outcome: AnswerOutcome | None) -> Message:
        await self._engine.answers_settled()
        return self._feedback(outcome)

    def practice_answer(self, value: str) -> tuple[Message, bool]:
        """Feedback on a practice answer, and whether it replaces the question."""
        question_id, letter = _split_value(value)
        question = _question(question_id)
        if question is None or question.choice(letter) is None:
            return render_notice("That practice question is no longer available."), False
        card = None if letter == question.answer else self._compare_card(question.category)
        return render_practice_feedback(question, letter, compare_card=card), True

    def next_practice(self, previous: str) -> Message:
        choices = [question for question in content.questions() if question.id != previous]
        return render_practice(random.choice(choices))

    # --- helpers -------------------------------------------------------------------------------

    def _feedback(self, outcome: AnswerOutcome | None) -> Message:
        if outcome is None:
            return render_notice(NOT_HERE)
        card = None if outcome.correct else self._compare_card(outcome.question.category)
        return render_feedback(
            outcome.question, outcome.choice, first=outcome.first, counted=outcome.counted, compare_card=card
        )

    def _timing(self, schedule: ChannelSchedule) -> QuizTiming:
        return QuizTiming(
            time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone.key,
            days=format_days(schedule.days),
            reveal_after=format_duration(self._quiz.reveal_after),
        )

    def _next(self, schedule: ChannelSchedule) -> Any:
        return next_due(self._clock.now(), schedule.at, schedule.timezone, schedule.days)


async def _ready(message: Message) -> Message:
    return message


def _split_value(value: Any) -> tuple[str, str]:
    head, _, letter = str(value or "").rpartition(":")
    return head, letter


def _question(question_id: str) -> Question | None:
    try:
        return content.question(question_id)
    except KeyError:
        return None
