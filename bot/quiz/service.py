"""What `/quiz` and the quiz buttons do: the rules (who may change a schedule, what counts) and the replies.

Listeners parse what Slack sent and call one method here; every method returns the reply to send.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.blocks import render_notice
from bot.core.clock import Clock
from bot.core.commands import Subcommand
from bot.core.managers import Managers
from bot.core.message import Message
from bot.core.replies import NOT_RECORDED, TRY_AGAIN
from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.slack.payloads import CommandRequest
from bot.core.slack.people import People
from bot.core.store.database import StoreUnavailable
from bot.core.text import escape, one_line
from bot.core.timecodes import describe_days, format_duration, next_due
from bot.quiz.blocks.personal import (
    QuizTiming,
    TopicScore,
    render_leaderboard,
    render_not_allowed,
    render_post_result,
    render_schedule_intro,
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
from bot.quiz.blocks.schedule_form import CHANNEL, ScheduleForm, read_schedule_form, render_schedule_form
from bot.quiz.engine import AnswerOutcome, QuizEngine
from bot.quiz.permissions import changeable, may_change
from bot.quiz.records import UserStats
from bot.quiz.schedules import ChannelQuiz, ChannelSchedule, active_schedules, effective_schedule
from bot.quiz.settings import QuizSettings
from bot.quiz.store import QuizStore
from content.model import Question

log = logging.getLogger(__name__)
LEADERBOARD_DAYS = 30
MAX_POST_ID = 2**63 - 1
"""Post ids are 64-bit integers in the database; anything larger is not one of ours."""
CHANNEL_SUBCOMMANDS = frozenset({"leaderboard", "now", "reveal", "schedule", "status", "stop"})
"""About one channel's quiz: typed in a DM without a #channel, there is nothing to act on."""
FORM_FAILED = "The form didn't open in time. Try `/quiz schedule` again, or type it: `/quiz schedule 9:30am`."
PERMISSION_BOUND = 2.0
"""Seconds the schedule form's submission may spend checking permissions: it is answered in its ack."""
NOT_HERE = "That question is not here — the button may be from another channel or an older post."
QUIZZES_LIVE_IN_CHANNELS = (
    "Daily quizzes live in channels, not in direct messages. Run this in the channel that has the quiz, "
    "or name it: `/quiz status #new-hires`. Here, `/quiz` gives you a practice question."
)
QuizReply = Awaitable[Message]


class QuizService:
    def __init__(
        self,
        store: QuizStore,
        engine: QuizEngine,
        managers: Managers,
        people: People,
        client: AsyncWebClient,
        clock: Clock,
        quiz: QuizSettings,
    ) -> None:
        self._store = store
        self._engine = engine
        self._managers = managers
        self._people = people
        self._client = client
        self._clock = clock
        self._quiz = quiz

    async def guard(
        self, sub: Subcommand, request: CommandRequest, arguments: dict[str, Any]
    ) -> Message | None:
        """Before a /quiz subcommand: a channel's quiz needs a channel, and changing it needs a manager."""
        channel = arguments.get("channel") or request.channel
        if sub.name in CHANNEL_SUBCOMMANDS and request.in_dm and not arguments.get("channel"):
            return render_notice(QUIZZES_LIVE_IN_CHANNELS)
        return await self._refusal(request.user, channel) if sub.manager_only else None

    # --- reads (answered inside the ack) --------------------------------------------------------

    async def practice(self, request: CommandRequest, topic: str = "") -> Message:
        """A practice question: any, or one on the topic the person named (`/quiz monitoring`)."""
        if not topic:
            return render_practice(_pick(None))
        match = content.find(topic)
        if match.topic is None:
            return render_notice(escape(unknown_topic(topic, [c.name for c in match.suggestions])))
        return render_practice(_pick(match.topic.key))

    async def stats(self, request: CommandRequest) -> Message:
        return render_stats(
            await self._store.user_stats(request.user), await self.weakest_topic(request.user)
        )

    async def leaderboard(self, request: CommandRequest) -> Message:
        since = self._clock.now() - timedelta(days=LEADERBOARD_DAYS)
        rows = await self._store.leaderboard(request.channel, since, limit=None)
        return render_leaderboard(rows, request.channel, days=LEADERBOARD_DAYS, me=request.user)

    async def weakest_topic(self, user: str) -> TopicScore | None:
        """The topic the person got wrong most often for how often they met it; None if none was wrong."""
        scores: dict[str, list[int]] = {}
        for question_id, right in await self._store.answers_by_question(user):
            question = _question(question_id)
            if question is not None:
                tally = scores.setdefault(question.topic, [0, 0])
                tally[0] += right
                tally[1] += 1
        missed = [(key, right, answered) for key, (right, answered) in scores.items() if right < answered]
        if not missed:
            return None
        key, right, answered = min(missed, key=lambda item: (item[1] / item[2], -item[2], item[0]))
        return TopicScore(key, content.topic(key).name, right, answered)

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

    async def status(self, request: CommandRequest, channel: str | None = None) -> Message:
        channel = channel or request.channel
        current = await effective_schedule(self._store, self._quiz, channel)
        if current is None:
            return render_schedule_status(channel, None, source="none")
        return render_schedule_status(
            channel, self._timing(current), source=current.source, next_due=self._next(current)
        )

    # --- changes (managers only; answered after the ack) ----------------------------------------

    async def schedule(
        self, request: CommandRequest, channel: str | None = None, form: bool = False, **wanted: Any
    ) -> Message | None:
        """Set the channel's schedule from what was typed, or (`form`) open the schedule form."""
        channel = channel or request.channel
        if form:
            return await self.open_form(request.user, channel, request.trigger_id)
        current = await effective_schedule(self._store, self._quiz, channel)
        base = current or ChannelSchedule.from_settings(self._quiz, channel)
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
        invite = current is None and not await self._announce(channel, request.user, timing)
        return render_schedule_saved(
            channel, self._timing(timing), next_due=self._next(timing), invite=invite
        )

    async def open_form(self, user: str, channel: str, trigger_id: str) -> Message | None:
        """The schedule form, filled in with the channel's schedule (or the person's zone); a notice when
        Slack would not open it."""
        current = await effective_schedule(self._store, self._quiz, channel)
        base = current or ChannelSchedule.from_settings(self._quiz, channel)
        zone = base.timezone if current else await self._people.time_zone(user) or base.timezone
        view = render_schedule_form(channel, base.at, zone.key, base.days)
        try:
            await slack_call(self._client.views_open, trigger_id=trigger_id, view=view)
        except SlackFailure as failure:
            log.warning("views.open for the schedule form failed: %s", failure.reason)
            return render_notice(FORM_FAILED)
        return None

    async def edit_from_home(self, user: str, channel: str, trigger_id: str) -> None:
        """*Edit* next to a schedule on the Home tab: the form, or, when not allowed, a note in the DM."""
        notice = await self._refusal(user, channel) or await self.open_form(user, channel, trigger_id)
        if notice is not None:
            await self._tell(user, user, notice)

    async def check_form(self, user: str, values: dict[str, Any]) -> ScheduleForm | dict[str, str]:
        """What the submitted form says, or per-field errors, within the bound of a view_submission ack."""
        form = read_schedule_form(values)
        if isinstance(form, dict):
            return form
        try:
            async with asyncio.timeout(PERMISSION_BOUND):
                refusal = await self._refusal(user, form.channel)
        except (TimeoutError, StoreUnavailable):
            return {CHANNEL: "I couldn't check who may change this channel's quiz just now. Try again."}
        return {CHANNEL: refusal.text} if refusal is not None else form

    async def save_form(self, user: str, form: ScheduleForm) -> None:
        """Save a checked form (after the ack) and tell the person privately how it went."""
        request = CommandRequest(user=user, channel=form.channel)
        try:
            reply = await self.schedule(
                request, form.channel, at=form.at, timezone=form.timezone, days=form.days
            )
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            reply = render_notice(TRY_AGAIN)
        if reply is not None:
            await self._tell(user, form.channel, reply)

    async def stop(self, request: CommandRequest, channel: str | None = None) -> Message:
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

    async def stop_from_home(self, user: str, channel: str) -> Message:
        """*Stop* next to a channel's quiz on the Home tab: the rule of `/quiz stop`, and what happened."""
        try:
            request = CommandRequest(user=user, channel=channel)
            return await self._refusal(user, channel) or await self.stop(request, channel)
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            return render_notice(TRY_AGAIN)

    async def post_now(self, request: CommandRequest, channel: str | None = None) -> Message:
        return render_post_result(await self._engine.post_now(channel or request.channel))

    async def reveal_now(self, request: CommandRequest, channel: str | None = None) -> Message:
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
        key = question.topic if question is not None and same_topic else None
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

    async def _refusal(self, user: str, channel: str) -> Message | None:
        """None when `user` may change the channel's quiz; else a refusal that names who can help."""
        current = await effective_schedule(self._store, self._quiz, channel)
        if await may_change(self._managers, user, channel, current):
            return None
        helpers = [current.created_by] if current is not None and current.created_by else []
        helpers += [c for c in [await self._managers.creator(channel)] if c and c not in helpers]
        return render_not_allowed(helpers)

    async def _announce(self, channel: str, user: str, timing: ChannelSchedule) -> bool:
        """A short intro in a channel that just got its quiz; False when the bot is not in the channel."""
        intro = render_schedule_intro(user, self._timing(timing))
        try:
            await slack_call(self._client.chat_postMessage, channel=channel, **intro.as_kwargs())
        except SlackFailure as failure:
            log.warning("could not announce the new quiz in %s: %s", channel, failure.reason)
            return failure.reason not in ("not_in_channel", "channel_not_found")
        return True

    async def _tell(self, user: str, channel: str, message: Message) -> None:
        """A private message in the channel, or in the person's DM with the bot when that fails."""
        for method, where in (
            (self._client.chat_postEphemeral, {"channel": channel, "user": user}),
            (self._client.chat_postMessage, {"channel": user}),
        ):
            try:
                await slack_call(method, **where, **message.as_kwargs())
                return
            except SlackFailure as failure:
                log.warning("could not tell %s about their schedule: %s", user, failure.reason)

    def _timing(self, schedule: ChannelSchedule) -> QuizTiming:
        return QuizTiming(
            time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone.key,
            days=describe_days(schedule.days),
            reveal_after=format_duration(self._quiz.reveal_after),
        )

    def _next(self, schedule: ChannelSchedule) -> Any:
        return next_due(self._clock.now(), schedule.at, schedule.timezone, schedule.days)


async def _ready(message: Message) -> Message:
    return message


def _split_value(value: Any) -> tuple[str, str]:
    head, _, letter = str(value or "").rpartition(":")
    return head, letter


def unknown_topic(typed: str, suggestions: list[str]) -> str:
    """What `/quiz <something>` answers when <something> is neither a subcommand nor a topic."""
    maybe = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"I don't know `/quiz {one_line(typed)[:40]}`.{maybe} Try `/quiz help`, or a topic: `/quiz drift`."


_CHOOSER = random.Random()
"""Practice picks use their own generator, apart from the process-wide one that tools may seed."""


def _pick(key: str | None, avoid: str = "") -> Question:
    """A random question, from one topic when *key* is given, other than *avoid* where there is a choice."""
    pool = [q for q in content.questions() if key is None or q.topic == key] or list(content.questions())
    return _CHOOSER.choice([q for q in pool if q.id != avoid] or pool)


def _has_topic(key: str) -> bool:
    return any(topic.key == key for topic in content.topics())


def _question(question_id: str) -> Question | None:
    try:
        return content.question(question_id)
    except KeyError:
        return None
