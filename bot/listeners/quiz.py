"""/quiz and the quiz buttons.

Answers that only read the database ride in the ack. Commands that must ask Slack something first
(permissions) or post to a channel ack at once and answer through the response_url, so a slow Slack
never makes the command time out. An answer button records the answer before it acknowledges the click:
once Slack shows the click as taken, the answer is in the database.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError

import content
from bot import ids
from bot.blocks import Message
from bot.blocks.quiz_personal import (
    QuizTiming,
    render_leaderboard,
    render_notice,
    render_quiz_help,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
    render_stats,
)
from bot.blocks.quiz_post import render_feedback, render_practice, render_practice_feedback
from bot.blocks.replies import comparison_message
from bot.blocks.text import escape
from bot.listeners.replies import respond_with
from bot.quiz.calls import StoreUnavailable
from bot.quiz.commands import QuizCommand, QuizCommandError, parse_quiz_command
from bot.quiz.schedules import ChannelSchedule, effective_schedule
from bot.quiz.timing import format_days, format_duration, next_due
from bot.services import Services

if TYPE_CHECKING:
    from bot.quiz.service import AnswerOutcome

log = logging.getLogger(__name__)
LEADERBOARD_DAYS = 30
TRY_AGAIN = "I couldn't reach my database just now — please try again in a moment."
NOT_ALLOWED = "Only workspace admins and owners, or whoever set this channel's schedule, can change it."


def register(app: AsyncApp, services: Services) -> None:
    quiz = QuizListeners(services)
    app.command("/quiz")(quiz.handle_quiz)
    app.action(ids.QUIZ_ANSWER_PATTERN)(quiz.handle_answer)
    app.action(ids.PRACTICE_ANSWER_PATTERN)(quiz.handle_practice_answer)
    app.action(ids.PRACTICE_NEXT)(quiz.handle_practice_next)


class QuizListeners:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle_quiz(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        try:
            request = parse_quiz_command(str(command.get("text") or ""))
        except QuizCommandError as error:
            await ack(response_type="ephemeral", **render_notice(escape(str(error))).as_kwargs())
            return
        user, channel = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
        if request.name in ("schedule", "stop", "now", "reveal"):
            await ack()  # these ask Slack first; the answer follows through the response_url
            self.services.later(
                self._change_and_tell(request, user, request.channel or channel, command, respond)
            )
            return
        reply = await self._guarded(self._read(request, user, channel))
        await ack(response_type="ephemeral", **reply.as_kwargs())

    async def _change_and_tell(
        self, request: QuizCommand, user: str, channel: str, command: dict[str, Any], respond: AsyncRespond
    ) -> None:
        reply = await self._guarded(self._change(request, user, channel))
        await respond_with(respond, command, reply)

    async def _read(self, request: QuizCommand, user: str, channel: str) -> Message:
        services = self.services
        if request.name == "practice":
            return render_practice(random.choice(content.questions()))
        if request.name == "stats":
            return render_stats(await services.db(services.store.user_stats, user))
        if request.name == "leaderboard":
            since = services.clock.now() - timedelta(days=LEADERBOARD_DAYS)
            rows = await services.db(services.store.leaderboard, channel, since)
            return render_leaderboard(rows, channel, days=LEADERBOARD_DAYS)
        if request.name == "status":
            return await self._status(channel)
        return render_quiz_help()

    async def _change(self, request: QuizCommand, user: str, channel: str) -> Message:
        services = self.services
        current = await services.db(effective_schedule, services.store, services.settings.quiz, channel)
        if not await self._may_change(user, current):
            return render_notice(NOT_ALLOWED)
        now = services.clock.now()
        if request.name == "schedule":
            base = current or ChannelSchedule.from_settings(services.settings.quiz, channel)
            saved = await services.db(
                services.store.upsert_schedule,
                channel,
                request.at or base.at,
                (request.timezone or base.timezone).key,
                request.days or base.days,
                user,
                now,
            )
            timing = ChannelSchedule.from_record(saved)
            return render_schedule_saved(channel, self._timing(timing), next_due=self._next(timing))
        if request.name == "stop":
            await services.db(services.store.stop_schedule, channel, user, now)
            return render_schedule_stopped(channel)
        if request.name == "now":
            result = await services.quiz.post_now(channel)
            return render_notice(result.message)
        revealed = await services.quiz.reveal_now(channel)
        return render_notice(
            "Revealed the answer in the question's thread."
            if revealed
            else "There is no open question here to reveal."
        )

    async def _status(self, channel: str) -> Message:
        services = self.services
        current = await services.db(effective_schedule, services.store, services.settings.quiz, channel)
        if current is None:
            return render_schedule_status(channel, None, source="none")
        return render_schedule_status(
            channel, self._timing(current), source=current.source, next_due=self._next(current)
        )

    async def _may_change(self, user: str, current: ChannelSchedule | None) -> bool:
        if current is not None and current.created_by == user:
            return True
        try:
            info = await self.services.client.users_info(user=user)
        except SlackApiError as error:
            log.warning("users.info failed for a permission check: %s", error.response.get("error"))
            return False
        profile = info.get("user") or {}
        return bool(profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"))

    def _timing(self, schedule: ChannelSchedule) -> QuizTiming:
        return QuizTiming(
            time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone.key,
            days=format_days(schedule.days),
            reveal_after=format_duration(self.services.settings.quiz.reveal_after),
        )

    def _next(self, schedule: ChannelSchedule) -> Any:
        return next_due(self.services.clock.now(), schedule.at, schedule.timezone, schedule.days)

    async def _guarded(self, work: Any) -> Message:
        """The reply, or a polite 'try again' when the database is away (the bot recovers by itself)."""
        try:
            await self.services.ready()
            return await work
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            return render_notice(TRY_AGAIN)

    async def handle_answer(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """The answer is committed before the click is acknowledged; feedback follows the ack."""
        post_id, letter = _split_value(action.get("value"))
        user = str((body.get("user") or {}).get("id") or "")
        try:
            await self.services.ready()
            outcome = await self.services.quiz.answer(post_id, user, letter) if post_id.isdigit() else None
            reply = _feedback(outcome)
        except StoreUnavailable:
            reply = render_notice(TRY_AGAIN)
        await ack()
        self.services.later(respond_with(respond, body, reply))

    async def handle_practice_answer(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        question_id, letter = _split_value(action.get("value"))
        question = _question(question_id)
        if question is None or question.choice(letter) is None:
            reply, replace = render_notice("That practice question is no longer available."), False
        else:
            card = (
                None if letter == question.answer else comparison_message(question.category, in_channel=True)
            )
            reply, replace = render_practice_feedback(question, letter, compare_card=card), True
        self.services.later(respond_with(respond, body, reply, replace_original=replace))

    async def handle_practice_next(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        previous = str(action.get("value") or "")
        choices = [question for question in content.questions() if question.id != previous]
        reply = render_practice(random.choice(choices))
        self.services.later(respond_with(respond, body, reply, replace_original=True))


def _feedback(outcome: AnswerOutcome | None) -> Message:
    if outcome is None:
        return render_notice("That question is no longer available.")
    card = None if outcome.correct else comparison_message(outcome.question.category, in_channel=True)
    return render_feedback(
        outcome.question, outcome.choice, first=outcome.first, counted=outcome.counted, compare_card=card
    )


def _split_value(value: Any) -> tuple[str, str]:
    head, _, letter = str(value or "").rpartition(":")
    return head, letter


def _question(question_id: str) -> Any:
    try:
        return content.question(question_id)
    except KeyError:
        return None
