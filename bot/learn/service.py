"""What `/learn` and the learning path's buttons do: the rules and the replies.

Listeners parse what Slack sent and call one method here; every method returns the reply to send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from bot.core.after_ack import AfterAck
from bot.core.blocks import render_notice, slack_date
from bot.core.clock import Clock
from bot.core.commands import Subcommand
from bot.core.logs import pseudonym
from bot.core.managers import Managers
from bot.core.message import Message
from bot.core.replies import NOT_RECORDED, TRY_AGAIN
from bot.core.slack.payloads import CommandRequest
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.core.text import user_mention
from bot.learn import blocks
from bot.learn.contact_blocks import back_on_path, render_small_talk, render_stop_offer
from bot.learn.path import Enrolled, Enrolment, LearningPath
from bot.learn.plan import next_questions_at
from bot.learn.records import PAUSED_BY_LEARNER, STOPPED_BY_LEARNER, Answered, Claimed, Status
from bot.learn.settings import LearnSettings

if TYPE_CHECKING:
    from bot.learn import queries
    from bot.learn import review_queries as reviews
else:
    queries = LazyQueries("bot.learn.queries")
    reviews = LazyQueries("bot.learn.review_queries")

log = logging.getLogger(__name__)

NOT_HERE = "That question is not yours, or it is no longer on your path."
NOT_ENROLLED = "You're not on the learning path. Type `/learn` to start."
NOT_ALLOWED = "Only workspace admins and owners, or the quiz managers, can do that."
COHORT_SIZE = 400
ENROLLING_AT_ONCE = 5
"""People one `/learn enroll` looks up in Slack (users.info) and enrols at the same time."""
MAX_ID = 2**63 - 1
REFUSALS = {
    Enrolment.BOT: "is a bot: bots can't learn from DMs",
    Enrolment.DEACTIVATED: "is deactivated in Slack",
    Enrolment.NOT_FOUND: "is not in this workspace",
    Enrolment.UNAVAILABLE: "could not be looked up (Slack didn't answer); try again in a moment",
}
REPORT_HEADINGS = {
    Enrolment.ENROLLED: "✅ On the path, their welcome and first question on the way",
    Enrolment.WAITING: "🌙 On the path, their welcome and first question at {at} their time, when their "
    "working day starts (it's outside their working hours now)",
    Enrolment.ALREADY: "• Already on the path",
    Enrolment.BOT: "⚠️ Not enrolled, bots (they can't learn from DMs)",
    Enrolment.DEACTIVATED: "⚠️ Not enrolled, deactivated in Slack",
    Enrolment.NOT_FOUND: "⚠️ Not enrolled, not in this workspace",
    Enrolment.UNAVAILABLE: "⚠️ Not enrolled, Slack didn't answer (try again in a moment)",
}
"""`/learn enroll`'s report, one line per outcome: fifty people fit in one message."""


class LearnService:
    def __init__(
        self,
        database: Database,
        path: LearningPath,
        managers: Managers,
        clock: Clock,
        settings: LearnSettings,
        background: AfterAck,
    ) -> None:
        self._db = database
        self._path = path
        self._managers = managers
        self._clock = clock
        self._settings = settings
        self._background = background

    async def guard(
        self, sub: Subcommand, request: CommandRequest, arguments: dict[str, Any]
    ) -> Message | None:
        """Before a /learn subcommand: the managers' ones need a manager."""
        if sub.manager_only and not await self._managers.is_manager(request.user):
            return render_notice(NOT_ALLOWED)
        return None

    # --- the learner's own commands --------------------------------------------------------------

    async def start(self, request: CommandRequest) -> Message:
        """`/learn`: enrol (welcome DM and the first question now), or show the progress."""
        learner = await self._db.read(queries.get_learner, request.user)
        if learner is not None and learner.status is not Status.STOPPED:
            return await self.status(request)
        enrolled = await self._path.enroll(request.user, request.user, offer_opt_out=False)
        if enrolled.outcome in REFUSALS:
            return render_notice(f"You {REFUSALS[enrolled.outcome].removeprefix('is ')}.")
        progress = await self._path.progress_of(request.user)
        learner = await self._db.read(queries.get_learner, request.user)
        if progress is None or learner is None:
            return render_notice(NOT_ENROLLED)
        first_time = enrolled.outcome is Enrolment.ENROLLED
        in_dm = learner.dm_channel == request.channel
        return blocks.render_progress(progress, first_time=first_time, in_dm=in_dm)

    async def status(self, request: CommandRequest) -> Message:
        progress = await self._path.progress_of(request.user)
        return blocks.render_progress(progress) if progress else render_notice(NOT_ENROLLED)

    async def pause(self, request: CommandRequest) -> Message:
        now = self._clock.now()
        changed = await self._db.write(
            queries.set_status, request.user, Status.PAUSED, PAUSED_BY_LEARNER, now, only_from=[Status.ACTIVE]
        )
        if changed is None:
            return await self._not_changed(request, "active")
        return render_notice("⏸️ Paused: no DMs until you type `/learn resume`.")

    async def resume(self, request: CommandRequest) -> Message:
        due = await self._back_on_path(request.user, Status.PAUSED)
        if due is None:
            return await self._not_changed(request, "paused")
        return render_notice(f"▶️ Resumed. Your next questions come {slack_date(due)}.")

    async def _back_on_path(self, user: str, was: Status) -> datetime | None:
        """Active again from `was`, its cards as they were: when the next questions come, or None when the
        path was not `was`."""
        learner = await self._db.read(queries.get_learner, user)
        if learner is None or learner.status is not was:
            return None
        now = self._clock.now()
        taken = await self._db.read(queries.last_question_day, user)
        due = next_questions_at(now, learner.timezone, self._path.pace, taken)
        changed = await self._db.write(
            queries.set_status, user, Status.ACTIVE, None, now, only_from=[was], next_due_at=due
        )
        return due if changed is not None else None

    async def stop(self, request: CommandRequest) -> Message:
        now = self._clock.now()
        changed = await self._db.write(
            queries.set_status,
            request.user,
            Status.STOPPED,
            STOPPED_BY_LEARNER,
            now,
            only_from=[Status.ACTIVE, Status.PAUSED],
        )
        if changed is None and await self._db.read(queries.get_learner, request.user) is None:
            return render_notice(NOT_ENROLLED)
        return render_stop_offer()

    async def forget(self, request: CommandRequest) -> Message:
        """Delete the person's path: every row of theirs, their name where they enrolled others, and the
        announcement of their graduation in the learning channel."""
        forgotten = await self._db.write(queries.forget, request.user)
        if forgotten is None:
            return render_notice("There's nothing to forget: you're not on the learning path.")
        done = "🗑️ Done: your learning path and its answers are deleted."
        if forgotten.announcement_ts is None or self._settings.channel is None:
            return render_notice(done)
        if await self._path.withdraw_announcement(self._settings.channel, forgotten.announcement_ts):
            return render_notice(f"{done} So is the announcement of your graduation.")
        return render_notice(f"{done} I couldn't delete the announcement of your graduation: ask an admin.")

    # --- managers --------------------------------------------------------------------------------

    async def enroll(self, request: CommandRequest, users: tuple[str, ...] = ()) -> Message:
        """`/learn enroll @a @b`: each is put on the path, a few at a time; the reply says how it went for
        each, and their welcomes (*Not for me* and a first question) follow in the background, at the
        pace of everything this process posts."""
        lookups = asyncio.Semaphore(ENROLLING_AT_ONCE)

        async def one(user: str) -> Enrolled:
            async with lookups:
                return await self._path.enroll(user, request.user, offer_opt_out=True, send_welcome=False)

        results = await asyncio.gather(*(one(user) for user in users))
        welcomes = [enrolled.welcome for enrolled in results if enrolled.welcome is not None]
        if welcomes:
            self._background(self._send_welcomes(welcomes))
        return render_notice(_enrolment_report(users, results, self._settings.time))

    async def _send_welcomes(self, welcomes: Sequence[Claimed]) -> None:
        async def one(claimed: Claimed) -> None:
            try:
                await self._path.send(claimed)
            except StoreUnavailable as error:  # its claim expires and the daily sender finishes it
                log.warning("welcome DM %s stopped: database unavailable (%s)", claimed.delivery.id, error)

        await asyncio.gather(*(one(claimed) for claimed in welcomes))

    async def cohort(self, request: CommandRequest) -> Message:
        learners, total = await self._db.read(queries.learners, COHORT_SIZE)
        ids = [learner.user_id for learner in learners]
        cards = await self._db.read(reviews.cards_of, ids)
        answered = await self._db.read(reviews.answer_counts, ids)
        rows = [
            (
                self._path.progress(
                    learner, cards.get(learner.user_id, []), answered.get(learner.user_id, (0, 0))
                ),
                learner.user_id,
            )
            for learner in learners
        ]
        return blocks.render_cohort(rows, total)

    # --- events ------------------------------------------------------------------------------------

    async def joined(self, user: str, channel: str) -> None:
        """`member_joined_channel` in LEARN_CHANNEL: enrol the newcomer (the welcome offers an opt-out)."""
        if self._settings.channel is None or channel != self._settings.channel:
            return
        try:
            enrolled = await self._path.enroll(user, channel, offer_opt_out=True)
        except StoreUnavailable as error:
            log.warning("could not enrol %s who joined the learning channel: %s", pseudonym(user), error)
            return
        log.info("joined the learning channel: %s -> %s", pseudonym(user), enrolled.outcome)

    async def on_path(self, user: str) -> bool:
        """Whether `user` is on the path (active or paused); False while the database is away."""
        try:
            learner = await self._db.read(queries.get_learner, user)
        except StoreUnavailable:
            return False
        return learner is not None and learner.status is not Status.STOPPED

    async def small_talk(self, user: str) -> Message:
        """The one line for a learner's short text in the DM that names no topic."""
        try:
            learner = await self._db.read(queries.get_learner, user)
        except StoreUnavailable:
            learner = None
        status = learner.status if learner is not None else Status.ACTIVE
        return render_small_talk(status, self._path.commitment)

    async def home_section(self, user: str) -> list[dict[str, Any]]:
        """The Home tab's learning-path section for `user`: at most 10 Block Kit dicts (progress, or how
        to start); never raises for a database outage."""
        try:
            progress = await self._path.progress_of(user)
        except StoreUnavailable:
            return blocks.render_home_section(None)
        return blocks.render_home_section(progress)

    # --- buttons -----------------------------------------------------------------------------------

    async def answer(self, value: str, user: str) -> tuple[Message, Answered | None]:
        """An answer button: the private feedback (the answer is committed first) and what was recorded."""
        parsed = _parse(value, 3)
        if parsed is None:
            return render_notice(NOT_HERE), None
        delivery_id, index, letter = int(parsed[0]), int(parsed[1]), parsed[2].upper()
        try:
            answered = await self._path.answer(delivery_id, user, index, letter)
        except StoreUnavailable as error:
            log.warning("answer not recorded, database unavailable: %s", error)
            return render_notice(NOT_RECORDED), None
        question = self._path.question(answered.question_id) if answered else None
        if answered is None or question is None:
            return render_notice(NOT_HERE), None
        comes_back = await self._path.comes_back_of(answered)
        reply = blocks.render_feedback(question, answered.pick, first=answered.first, comes_back=comes_back)
        return reply, answered

    async def redrawn(self, answered: Answered) -> Message | None:
        """The day's DM again, every answered question showing its pick (the DM reads as a history)."""
        delivery = answered.delivery
        learner = await self._db.read(queries.get_learner, delivery.user_id)
        if learner is None:
            return None
        cards = await self._db.read(reviews.cards, delivery.user_id)
        return self._path.render_day(delivery, answered.picks, learner, cards)

    async def after_answer(self, answered: Answered) -> None:
        if answered.first and answered.pick.correct:
            await self._path.graduate_if_done(answered.delivery.user_id)

    async def hint(self, value: str, user: str) -> Message:
        parsed = _parse(value, 2)
        if parsed is None:
            return render_notice(NOT_HERE)
        try:
            question_id = await self._db.write(
                reviews.record_hint, int(parsed[0]), user, int(parsed[1]), self._clock.now()
            )
        except StoreUnavailable:
            return render_notice(TRY_AGAIN)
        question = self._path.question(question_id) if question_id else None
        return blocks.render_hint(question, int(parsed[1])) if question else render_notice(NOT_HERE)

    async def opt_out(self, user: str) -> Message:
        try:
            await self._db.write(
                queries.set_status,
                user,
                Status.STOPPED,
                "opted out",
                self._clock.now(),
                only_from=[Status.ACTIVE, Status.PAUSED],
            )
        except StoreUnavailable:
            return render_notice(TRY_AGAIN)
        return render_stop_offer()

    async def undo_stop(self, user: str) -> Message:
        """*Undo* under a stop: back on the path where it was left."""
        try:
            due = await self._back_on_path(user, Status.STOPPED)
            learner = await self._db.read(queries.get_learner, user) if due is None else None
        except StoreUnavailable:
            return render_notice(TRY_AGAIN)
        if due is not None:
            return render_notice(back_on_path(due))
        if learner is None:
            return render_notice("Your path was deleted, so there's nothing to undo. `/learn` starts afresh.")
        return render_notice(f"Your path is {learner.status.value} already. `/learn status` shows it.")

    async def forget_button(self, user: str) -> Message:
        try:
            return await self.forget(CommandRequest(user=user, channel=""))
        except StoreUnavailable:
            return render_notice(TRY_AGAIN)

    async def share(self, user: str) -> Message:
        """The graduation's Share button: one announcement in LEARN_CHANNEL."""
        if self._settings.channel is None:
            return render_notice("There's no learning channel to share in.")
        shared = await self._path.share(user, self._settings.channel)
        if shared is None:
            return render_notice("Only graduates can share, and only once.")
        return render_notice("🎉 Shared in the learning channel." if shared else TRY_AGAIN)

    # --- helpers -----------------------------------------------------------------------------------

    async def _not_changed(self, request: CommandRequest, wanted: str) -> Message:
        learner = await self._db.read(queries.get_learner, request.user)
        if learner is None:
            return render_notice(NOT_ENROLLED)
        return render_notice(f"Your path is {learner.status.value}, not {wanted}. `/learn status` shows it.")


def _enrolment_report(users: Sequence[str], results: Sequence[Enrolled], at: time) -> str:
    """One line per outcome, naming everyone it applies to (a state beside those already on the path)."""
    by_outcome: dict[Enrolment, list[str]] = {}
    for user, enrolled in zip(users, results, strict=True):
        who = user_mention(user)
        if enrolled.outcome is Enrolment.ALREADY and enrolled.learner is not None:
            who += f" ({enrolled.learner.status.value})"
        if enrolled.welcome_at is not None:  # shown in the reader's own time zone
            who += f" ({slack_date(enrolled.welcome_at)} yours)"
        by_outcome.setdefault(enrolled.outcome, []).append(who)
    return "\n".join(
        f"{REPORT_HEADINGS[outcome].format(at=at.strftime('%H:%M'))}: {', '.join(by_outcome[outcome])}."
        for outcome in REPORT_HEADINGS
        if outcome in by_outcome
    )


def _parse(value: str, parts: int) -> list[str] | None:
    items = str(value or "").split(":")
    if len(items) != parts or not all(item.isdigit() for item in items[:2]):
        return None
    if not (0 < int(items[0]) <= MAX_ID and int(items[1]) < 100):
        return None
    return items
