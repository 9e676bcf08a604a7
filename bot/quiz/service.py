"""What `/quiz` and the quiz buttons do: the rules (who may change a schedule, what counts) and the replies.

Listeners parse what Slack sent and call one method here; every method returns the reply to send.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import content
from bot.core.clock import Clock
from bot.core.managers import Managers
from bot.core.message import Message
from bot.core.settings import QuizSettings
from bot.core.slack.people import People
from bot.core.store.database import StoreUnavailable
from bot.core.subcommands import Subcommand
from bot.core.text import escape, one_line
from bot.core.timecodes import describe_days, format_duration, next_due
from bot.quiz.blocks.personal import (
    QuizTiming,
    TopicScore,
    render_leaderboard,
    render_notice,
    render_post_result,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
    render_stats,
)
from bot.quiz.blocks.post import (
    Score,
    render_feedback,
    render_hint,
    render_practice,
    render_practice_feedback,
)
from bot.quiz.engine import AnswerOutcome, QuizEngine
from bot.quiz.permissions import changeable, may_change
from bot.quiz.records import UserStats
from bot.quiz.schedules import ChannelQuiz, ChannelSchedule, active_schedules, effective_schedule
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
        people: People,
        clock: Clock,
        quiz: QuizSettings,
    ) -> None:
        self._store = store
        self._engine = engine
        self._managers = managers
        self._people = people
        self._clock = clock
        self._quiz = quiz

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

    async def practice(self, request: QuizRequest, topic: str = "") -> Message:
        """A practice question: any, or one on the topic the person named (`/quiz monitoring`)."""
        if not topic:
            return render_practice(random.choice(content.questions()))
        match = content.find(topic)
        if match.category is None:
            return render_notice(escape(unknown_topic(topic, [c.name for c in match.suggestions])))
        return render_practice(_pick(match.category.key))

    async def stats(self, request: QuizRequest) -> Message:
        return render_stats(
            await self._store.user_stats(request.user), await self.weakest_topic(request.user)
        )

    async def leaderboard(self, request: QuizRequest) -> Message:
        since = self._clock.now() - timedelta(days=LEADERBOARD_DAYS)
        rows = await self._store.leaderboard(request.channel, since, limit=None)
        return render_leaderboard(rows, request.channel, days=LEADERBOARD_DAYS, me=request.user)

    async def weakest_topic(self, user: str) -> TopicScore | None:
        """The topic the person got wrong most often for how often they met it; None if none was wrong."""
        scores: dict[str, list[int]] = {}
        for question_id, right in await self._store.answers_by_question(user):
            question = _question(question_id)
            if question is not None:
                tally = scores.setdefault(question.category, [0, 0])
                tally[0] += right
                tally[1] += 1
        missed = [(key, right, answered) for key, (right, answered) in scores.items() if right < answered]
        if not missed:
            return None
        key, right, answered = min(missed, key=lambda item: (item[1] / item[2], -item[2], item[0]))
        return TopicScore(key, content.category(key).name, right, answered)

    def practice_topic(self, key: str) -> Message:
        """The *Practice this* button: a practice question on that topic."""
        return render_practice(_pick(key if _has_topic(key) else None))

    # --- for the App Home (raise StoreUnavailable; the Home shows the rest without them) ----------

    async def progress(self, user: str) -> tuple[UserStats, TopicScore | None]:
        """The person's answers, right answers and streaks, and their weakest topic."""
        return await self._store.user_stats(user), await self.weakest_topic(user)

    async def channel_quizzes(self) -> list[ChannelQuiz]:
        """Every channel with a daily quiz in force, with when it runs and its latest question."""
        quizzes = []
        for schedule in await active_schedules(self._store, self._quiz):
            latest = await self._store.latest_post(schedule.channel)
            quizzes.append(
                ChannelQuiz(
                    schedule,
                    self._timing(schedule),
                    self._next(schedule),
                    latest.ts if latest else None,
                    latest.posted_at if latest else None,
                )
            )
        return sorted(quizzes, key=lambda quiz: quiz.channel)

    async def manageable(self, user: str, quizzes: Sequence[ChannelQuiz]) -> list[ChannelQuiz]:
        """Those of *quizzes* that *user* may change or stop (the rule of `/quiz schedule`)."""
        allowed = {s.channel for s in await changeable(self._managers, user, [q.schedule for q in quizzes])}
        return [quiz for quiz in quizzes if quiz.channel in allowed]

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
        # "9am" means the person's own 9am unless they name a zone.
        zone = wanted.get("timezone") or await self._people.time_zone(request.user) or base.timezone
        saved = await self._store.upsert_schedule(
            channel,
            wanted.get("at") or base.at,
            zone.key,
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

    async def hint(self, value: str, user: str, channel: str) -> Message:
        """The Hint button on a channel post: the hint privately, and noted for the person's answer."""
        if not (value.isdigit() and 0 < int(value) <= MAX_POST_ID):
            return render_notice(NOT_HERE)
        try:
            question = await self._engine.hint(int(value), user, channel)
        except StoreUnavailable as error:
            log.warning("hint not recorded, database unavailable: %s", error)
            return render_notice(TRY_AGAIN)
        return render_hint(question) if question is not None else render_notice(NOT_HERE)

    async def answer(self, value: str, user: str, channel: str) -> Message:
        """An answer button on a channel post; the answer is committed before this returns."""
        post_id, letter = _split_value(value)
        if not (post_id.isdigit() and 0 < int(post_id) <= MAX_POST_ID):
            return render_notice(NOT_HERE)
        try:
            outcome = await self._engine.answer(int(post_id), user, letter, channel)
        except StoreUnavailable as error:
            log.warning("answer not recorded, database unavailable: %s", error)
            return render_notice(NOT_RECORDED)
        return self._feedback(outcome)

    def practice_answer(self, value: str) -> tuple[Message, bool]:
        """The practice question again with the pick marked, and whether it replaces the question."""
        question_id, letter, score = [*str(value or "").split(":"), "", ""][:3]
        question = _question(question_id)
        if question is None or question.choice(letter) is None:
            return render_notice("That practice question is no longer available."), False
        score_now = Score.decode(score).after(letter == question.answer)
        return render_practice_feedback(question, letter, score_now), True

    def practice_hint(self, question_id: str) -> Message:
        question = _question(question_id)
        return render_hint(question) if question is not None else render_notice(NOT_HERE)

    def next_practice(self, value: str, *, same_topic: bool) -> Message:
        """Another practice question (on the same topic when asked), keeping the session's score."""
        previous, _, score = str(value or "").partition(":")
        question = _question(previous)
        key = question.category if question is not None and same_topic else None
        return render_practice(_pick(key, avoid=previous), Score.decode(score))

    # --- helpers -------------------------------------------------------------------------------

    def _feedback(self, outcome: AnswerOutcome | None) -> Message:
        if outcome is None:
            return render_notice(NOT_HERE)
        return render_feedback(
            outcome.question,
            outcome.choice,
            first=outcome.first,
            counted=outcome.counted,
            hint_used=outcome.hint_used,
        )

    def _timing(self, schedule: ChannelSchedule) -> QuizTiming:
        return QuizTiming(
            time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone.key,
            days=describe_days(schedule.days),
            reveal_after=format_duration(self._quiz.reveal_after),
        )

    def _next(self, schedule: ChannelSchedule) -> Any:
        return next_due(self._clock.now(), schedule.at, schedule.timezone, schedule.days)


def _split_value(value: Any) -> tuple[str, str]:
    head, _, letter = str(value or "").rpartition(":")
    return head, letter


def unknown_topic(typed: str, suggestions: list[str]) -> str:
    """What `/quiz <something>` answers when <something> is neither a subcommand nor a topic."""
    maybe = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"I don't know `/quiz {one_line(typed)[:40]}`.{maybe} Try `/quiz help`, or a topic: `/quiz drift`."


def _pick(key: str | None, avoid: str = "") -> Question:
    """A random question, from one topic when *key* is given, other than *avoid* where there is a choice."""
    pool = [q for q in content.questions() if key is None or q.category == key] or list(content.questions())
    return random.choice([q for q in pool if q.id != avoid] or pool)


def _has_topic(key: str) -> bool:
    return any(category.key == key for category in content.categories())


def _question(question_id: str) -> Question | None:
    try:
        return content.question(question_id)
    except KeyError:
        return None
