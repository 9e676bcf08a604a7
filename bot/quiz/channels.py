"""A channel's daily quiz as its managers run it: schedule it (typed or with the form), see its status, stop
it, post or reveal a question now; who may do each, and what the Home tab lists.

Who may change a channel's quiz: its managers (`bot.core.managers`: admins, the channel's creator, the
configured quiz managers) and whoever set its schedule.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.blocks import render_notice
from bot.core.clock import Clock
from bot.core.commands import Subcommand
from bot.core.logs import pseudonym
from bot.core.managers import Managers
from bot.core.message import Message
from bot.core.replies import TRY_AGAIN
from bot.core.slack.audience import ChannelAudience
from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.slack.payloads import CommandRequest
from bot.core.slack.people import People
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.core.timecodes import describe_days
from bot.quiz.blocks.personal import (
    QuizTiming,
    channel_mention,
    render_not_allowed,
    render_post_result,
    render_schedule_intro,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
)
from bot.quiz.blocks.schedule_form import CHANNEL, ScheduleForm, read_schedule_form, render_schedule_form
from bot.quiz.engine import QuizEngine
from bot.quiz.records import ScheduleOptions
from bot.quiz.reveal_after import RevealAfter
from bot.quiz.schedules import ChannelQuiz, ChannelSchedule, active_schedules, effective_schedule
from bot.quiz.settings import QuizSettings

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")

log = logging.getLogger(__name__)
CHANNEL_SUBCOMMANDS = frozenset({"leaderboard", "now", "reveal", "schedule", "status", "stop"})
"""About one channel's quiz: typed in a DM without a #channel, there is nothing to act on."""
FORM_FAILED = "The form didn't open in time. Try `/quiz schedule` again, or type it: `/quiz schedule 9:30am`."
PERMISSION_BOUND = 2.0
"""Seconds a check of who may change a quiz may take when its answer goes in an ack (the schedule form's
submission, `/quiz status`)."""
REFUSED = {
    "change": "change {channel}'s quiz",
    "now": "post a quiz question in {channel} now",
    "reveal": "reveal the answer in {channel} early",
}
"""What a refusal says was refused, by subcommand (schedule, stop and the Home's buttons: "change")."""
QUIZZES_LIVE_IN_CHANNELS = (
    "Daily quizzes live in channels, not in direct messages. Run this in the channel that has the quiz, "
    "or name it: `/quiz status #new-hires`. Here, `/quiz` gives you a practice question."
)


class ChannelQuizzes:
    def __init__(
        self,
        database: Database,
        engine: QuizEngine,
        managers: Managers,
        people: People,
        audience: ChannelAudience,
        client: AsyncWebClient,
        clock: Clock,
        quiz: QuizSettings,
    ) -> None:
        self._db = database
        self._engine = engine
        self._managers = managers
        self._people = people
        self._audience = audience
        self._client = client
        self._clock = clock
        self._quiz = quiz

    async def guard(
        self, sub: Subcommand, request: CommandRequest, arguments: dict[str, Any]
    ) -> Message | None:
        """Before a /quiz subcommand: a channel's quiz needs a channel, and changing it needs a manager."""
        if sub.name in CHANNEL_SUBCOMMANDS and request.in_dm and not arguments.get("channel"):
            return render_notice(QUIZZES_LIVE_IN_CHANNELS)
        channel = arguments.get("channel") or request.channel
        return await self._refusal(request.user, channel, sub.name) if sub.manager_only else None

    # --- reads ---------------------------------------------------------------------------------

    async def status(self, request: CommandRequest, channel: str | None = None) -> Message:
        """`/quiz status`: when the channel's quiz runs and who set it up; how to change it only for those
        who may."""
        channel = channel or request.channel
        current = await effective_schedule(self._db, self._quiz, channel)
        manager = await self._may_change(request.user, channel)
        if current is None:
            return render_schedule_status(channel, None, source="none", manager=manager)
        return render_schedule_status(
            channel,
            self._timing(current),
            source=current.source,
            next_due=await self._engine.next_question_at(channel),
            manager=manager,
            set_up_by=current.created_by,
        )

    async def all(self, viewer: str | None = None) -> list[ChannelQuiz]:
        """Every channel with a daily quiz in force, with when it runs and its latest question that counts;
        with `viewer`, only the channels they can see (public ones, and private ones they are a member
        of), and whether they answered that question."""
        schedules = await active_schedules(self._db, self._quiz)
        if viewer is not None:
            seen = await self._audience.visible(viewer, [s.channel for s in schedules], unknown=False)
            schedules = [schedule for schedule in schedules if schedule.channel in seen]
        quizzes = []
        for schedule in schedules:
            counted = await self._db.read(queries.latest_counted_post, schedule.channel)
            answered = None
            if counted is not None and viewer is not None:
                answered = await self._db.read(queries.has_answered, counted.id, viewer)
            quizzes.append(
                ChannelQuiz(
                    schedule,
                    self._timing(schedule),
                    await self._engine.next_question_of(schedule),
                    counted.ts if counted else None,
                    counted.posted_at if counted else None,
                    counted.reveal_due if counted and counted.revealed_at is None else None,
                    answered,
                )
            )
        return sorted(quizzes, key=lambda quiz: quiz.channel)

    async def zone_of(self, user: str) -> ZoneInfo | None:
        """The person's own time zone, as their Slack profile says; None when it does not."""
        return await self._people.time_zone(user)

    async def name_of(self, channel: str) -> str | None:
        """The channel's name (without #) as Slack gives it; None when it would not say."""
        return await self._audience.name(channel)

    async def manageable(self, user: str, quizzes: Sequence[ChannelQuiz]) -> list[ChannelQuiz]:
        """Those of *quizzes* that *user* may change or stop (the rule of `/quiz schedule`), asking Slack
        only once whether they are a manager."""
        if await self._managers.is_manager(user):
            managed = list(quizzes)
        else:
            managed = [
                quiz
                for quiz in quizzes
                if quiz.schedule.created_by == user or await self._managers.created(user, quiz.channel)
            ]
        names = await asyncio.gather(*(self._audience.name(quiz.channel) for quiz in managed))
        return [replace(quiz, name=name) for quiz, name in zip(managed, names, strict=True)]

    # --- changes (managers only; answered after the ack) ----------------------------------------

    async def schedule(
        self, request: CommandRequest, channel: str | None = None, form: bool = False, **wanted: Any
    ) -> Message | None:
        """Set the channel's schedule from what was typed (what was not keeps its current value), or
        (`form`) open the schedule form. Saving never posts a question, unless `post_now` asks for one."""
        channel = channel or request.channel
        if form:
            return await self.open_form(request.user, channel, request.trigger_id)
        current = await effective_schedule(self._db, self._quiz, channel)
        base = current or ChannelSchedule.from_settings(self._quiz, channel)
        # "9am" means the person's own 9am unless they name a zone.
        zone = wanted.get("timezone") or await self._people.time_zone(request.user) or base.timezone
        reveal = wanted.get("reveal")
        typed_timing = wanted.get("at") is not None or reveal is not None
        if typed_timing and (late := (reveal or base.reveal).too_late(wanted.get("at") or base.at)):
            return render_notice(f"Not saved. {late}")
        options = ScheduleOptions(
            reveal.encode() if reveal else base.options.reveal_after,  # None: the bot's default
            _either(wanted.get("answer_at_reveal"), base.options.answer_at_reveal),
            _either(wanted.get("weekly_leaderboard"), base.options.weekly_leaderboard),
        )
        saved = await self._db.write(
            queries.upsert_schedule,
            channel,
            wanted.get("at") or base.at,
            zone.key,
            wanted.get("days") or base.days,
            request.user,
            self._clock.now(),
            options,
        )
        timing = ChannelSchedule.from_record(saved, self._quiz)
        next_due = await self._engine.next_question_of(timing)
        post_now = bool(wanted.get("post_now"))
        invite = current is None and not await self._announce(
            channel, request.user, timing, next_due, post_now
        )
        posted = await self._engine.post_now(channel) if post_now and not invite else None
        if posted is not None:  # as `/quiz now`, it may have taken the day's question
            next_due = await self._engine.next_question_of(timing)
        return render_schedule_saved(
            channel, self._timing(timing), next_due=next_due, invite=invite, posted_now=posted
        )

    async def open_form(self, user: str, channel: str, trigger_id: str) -> Message | None:
        """The schedule form, filled in with the channel's schedule (or the person's zone; no channel picked
        when *channel* is empty); a notice when Slack would not open it."""
        current = await effective_schedule(self._db, self._quiz, channel) if channel else None
        base = current or ChannelSchedule.from_settings(self._quiz, channel)
        zone = base.timezone if current else await self._people.time_zone(user) or base.timezone
        view = render_schedule_form(
            channel, base.at, zone.key, base.days, reveal=base.reveal, options=base.options
        )
        try:
            await slack_call(self._client.views_open, trigger_id=trigger_id, view=view)
        except SlackFailure as failure:
            log.warning("views.open for the schedule form failed: %s", failure.reason)
            return render_notice(FORM_FAILED)
        return None

    async def start_from_home(self, user: str, trigger_id: str) -> None:
        """*Start a daily quiz in a channel* on the Home tab: the form, with the channel to pick."""
        notice = await self.open_form(user, "", trigger_id)
        if notice is not None:
            await self._tell(user, user, notice)

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
                request,
                form.channel,
                at=form.at,
                timezone=form.timezone,
                days=form.days,
                reveal=RevealAfter.parse(form.options.reveal_after or ""),
                answer_at_reveal=form.options.answer_at_reveal,
                weekly_leaderboard=form.options.weekly_leaderboard,
                post_now=form.post_now,
            )
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            reply = render_notice(TRY_AGAIN)
        if reply is not None:
            await self._tell(user, form.channel, reply)

    async def stop(self, request: CommandRequest, channel: str | None = None) -> Message:
        channel = channel or request.channel
        stopped = await self._stop(request.user, channel)
        return render_schedule_stopped(channel) if stopped else _no_quiz(channel)

    async def _stop(self, user: str, channel: str) -> bool:
        """Stop the channel's quiz, keeping its settings; False when it has none in force."""
        current = await effective_schedule(self._db, self._quiz, channel)
        default = (
            (current.at, current.timezone.key, current.days)
            if current and current.source == "default"
            else None
        )
        return current is not None and await self._db.write(
            queries.stop_schedule, channel, user, self._clock.now(), default
        )

    async def stop_from_home(self, user: str, channel: str) -> tuple[Message, bool]:
        """*Stop* next to a channel's quiz on the Home tab: the rule of `/quiz stop`, what happened, and
        whether it stopped (then the tab offers *Undo*)."""
        try:
            if (refusal := await self._refusal(user, channel)) is not None:
                return refusal, False
            stopped = await self._stop(user, channel)
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            return render_notice(TRY_AGAIN), False
        return (render_schedule_stopped(channel, undo=True) if stopped else _no_quiz(channel)), stopped

    async def resume_from_home(self, user: str, channel: str) -> Message:
        """*Undo* after *Stop* on the Home tab: the quiz back on with the same days, time and options."""
        try:
            if (refusal := await self._refusal(user, channel)) is not None:
                return refusal
            resumed = await self._db.write(queries.resume_schedule, channel, user, self._clock.now())
        except StoreUnavailable as error:
            log.warning("database unavailable: %s", error)
            return render_notice(TRY_AGAIN)
        where = channel_mention(channel)
        return render_notice(
            f"▶️ The daily quiz in {where} is back on, with the same days, time and options."
            if resumed
            else f"The daily quiz in {where} is on already."
        )

    async def post_now(self, request: CommandRequest, channel: str | None = None) -> Message:
        return render_post_result(await self._engine.post_now(channel or request.channel))

    async def reveal_now(self, request: CommandRequest, channel: str | None = None) -> Message:
        revealed = await self._engine.reveal_now(channel or request.channel)
        return render_notice(
            "Revealed the answer in the question's thread."
            if revealed
            else "There is no open question here to reveal."
        )

    # --- helpers -------------------------------------------------------------------------------

    async def _may_change(self, user: str, channel: str) -> bool:
        """Whether `user` may change the channel's quiz, asked within a bound (no answer: no)."""
        try:
            async with asyncio.timeout(PERMISSION_BOUND):
                return await self._refusal(user, channel) is None
        except TimeoutError:
            return False

    async def _refusal(self, user: str, channel: str, doing: str = "change") -> Message | None:
        """None when `user` may change the channel's quiz; else a refusal that names whom to ask.
        `doing`: the subcommand refused (its wording in `REFUSED`)."""
        current = await effective_schedule(self._db, self._quiz, channel)
        if current is not None and current.created_by == user:
            return None
        if await self._managers.may_manage_channel(user, channel):
            return None
        set_up_by = current.created_by if current is not None else None
        created_by = None if set_up_by else await self._managers.creator(channel)
        action = REFUSED.get(doing, REFUSED["change"]).format(channel=channel_mention(channel))
        return render_not_allowed(channel, action, set_up_by, created_by)

    async def _announce(
        self, channel: str, user: str, timing: ChannelSchedule, next_due: datetime, first_now: bool
    ) -> bool:
        """A short intro in a channel that just got its quiz (*first_now*: its first question follows at
        once); False when the bot is not in the channel."""
        intro = render_schedule_intro(user, self._timing(timing), next_due=next_due, first_now=first_now)
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
                log.warning("could not tell %s about their schedule: %s", pseudonym(user), failure.reason)

    def _timing(self, schedule: ChannelSchedule) -> QuizTiming:
        return QuizTiming(
            time=schedule.at.strftime("%H:%M"),
            timezone=schedule.timezone.key,
            days=describe_days(schedule.days),
            reveal=schedule.reveal.words(),
            extras=tuple(
                words
                for words, on in (
                    ("the right letter kept for the reveal", schedule.options.answer_at_reveal),
                    ("a weekly leaderboard", schedule.options.weekly_leaderboard),
                )
                if on
            ),
        )


def _either(wanted: bool | None, current: bool) -> bool:
    """What was asked for, or the current value when nothing was."""
    return current if wanted is None else wanted


def _no_quiz(channel: str) -> Message:
    return render_schedule_status(channel, None, source="none")
