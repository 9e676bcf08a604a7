"""Sending a claimed quiz post, and its reveal, exactly once.

Posting is `bot.core.claims.sender`'s (look first after any doubt, prove the claim, post, record the ts
once). The reveal has a lease of its own on the post's row (`reveal_claimed_by`): whoever holds it replies
in the thread, looking for an earlier reply first when an earlier attempt may have sent one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.claims.lease import Claims
from bot.core.claims.sender import Outcome, Outgoing, Sender, Sent, with_metadata
from bot.core.claims.table import ClaimTable
from bot.core.clock import Clock
from bot.core.slack.calls import PermanentFailure, Transient, slack_call
from bot.core.slack.pacing import POST, UPDATE, Pacer
from bot.core.slack.people import People
from bot.core.store.database import Database, LazyQueries
from bot.quiz.blocks.post import (
    quiz_post_metadata,
    quiz_reveal_metadata,
    render_quiz_post,
    render_revealed_post,
)
from bot.quiz.blocks.reveal import NAMED_MAX, Winner, render_reveal
from bot.quiz.records import Post, PostResult, PostStatus
from content.model import Question

if TYPE_CHECKING:
    from bot.quiz import queries, stats
else:
    queries = LazyQueries("bot.quiz.queries")
    stats = LazyQueries("bot.quiz.stats")

log = logging.getLogger(__name__)

POSTS = ClaimTable("bot.quiz.models", "PostRow")
REPLIES_LIMIT = 500
MISSED = "missed: the channel's day ended before the quiz could be posted"


class Poster:
    """Sends what this instance has claimed (`claims`). All methods log instead of raising Slack errors."""

    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        claims: Claims,
        *,
        retry_delays: Sequence[float],
        pacer: Pacer | None = None,
    ) -> None:
        self._db = database
        self._client = client
        self._clock = clock
        self._retry_delays = tuple(retry_delays)
        self._people = People(client)
        self.sender = Sender(client, claims, pacer, retry_delays=retry_delays)

    # --- posting -------------------------------------------------------------------------------

    async def deliver(self, post: Post, *, look_first: bool = False) -> PostResult:
        """Post the claimed ``post`` unless it is already in the channel; record the ts or the failure.

        ``look_first`` is for a takeover of an expired claim: an earlier owner may have posted already.
        """
        question = content.question_or_none(post.question_id)
        if question is None:
            return await self._fail(post, f"question {post.question_id} is no longer in the bank")
        message = render_quiz_post(question, post.id, answered=0, reveal_at=post.reveal_due, bonus=post.bonus)
        sent = await self.sender.send(_outgoing(post), message, look_first=look_first)
        return await self._result(post, sent)

    async def give_up_missed(self, post: Post) -> PostResult:
        """A claim whose day is over: keep its ts if it did reach Slack, else give it up (never post late)."""
        sent = await self.sender.settle_missed(_outgoing(post), MISSED)
        return await self._result(post, sent)

    async def find_post(self, post: Post) -> str | None:
        """The ts of the post's message if it is in the channel (found by its metadata)."""
        return await self.sender.find(_outgoing(post))

    async def _result(self, post: Post, sent: Sent) -> PostResult:
        if sent.outcome is Outcome.SENT:
            log.info("posted quiz %s (%s) to %s", post.id, post.question_id, post.channel)
            return PostResult(PostStatus.POSTED, post, sent.ts)
        if sent.outcome is Outcome.FAILED:
            log.warning("quiz post to %s failed: %s (not retried)", post.channel, sent.reason)
            return PostResult(PostStatus.FAILED, post, reason=sent.reason)
        if sent.outcome is Outcome.PENDING:
            log.warning(
                "could not post the quiz to %s yet; it is retried when the claim expires", post.channel
            )
        return _settled(post, await self._db.read(queries.get_post, post.id))

    async def _fail(self, post: Post, reason: str) -> PostResult:
        if await self.sender.claims.failed(post.id, reason):
            log.warning("quiz post to %s failed: %s (not retried)", post.channel, reason)
        return PostResult(PostStatus.FAILED, post, reason=reason)

    # --- reveal --------------------------------------------------------------------------------

    async def reveal(self, post: Post, next_due: datetime | None = None) -> bool:
        """Reply with the answer in the post's thread, then strip the post's buttons; True once done.

        The caller holds the reveal lease. ``post`` is the record read before that claim, so a
        ``reveal_claimed_by`` already set means an earlier attempt may have sent the reply. ``next_due``:
        when the channel's next daily question comes, if one does.
        """
        assert post.ts is not None, "only posted quizzes are revealed"
        question = content.question_or_none(post.question_id)
        if question is None:
            log.warning(
                "cannot reveal quiz %s in %s: question %s is gone", post.id, post.channel, post.question_id
            )
            await self._db.write(queries.record_revealed, post.id, None, self._clock.now())
            return False
        results = await self._db.read(stats.results, post.id)
        reply = render_reveal(question, results, await self._winners(post), next_due)
        reveal_ts: str | None = None
        for attempt, delay in enumerate((0.0, *self._retry_delays)):
            if attempt:
                await asyncio.sleep(delay)
            try:
                if reveal_ts is None and (attempt or post.reveal_claimed_by is not None):
                    reveal_ts = await self._find_reveal(post)
                if reveal_ts is None:
                    await self.pace(POST, post.channel)
                    sent = await slack_call(
                        self._client.chat_postMessage,
                        channel=post.channel,
                        # Only in the thread: the edited post already shows the channel the answer.
                        thread_ts=post.ts,
                        metadata=quiz_reveal_metadata(post.id),
                        **reply.as_kwargs(),
                    )
                    reveal_ts = str(sent["ts"])
                await self.show_revealed(post, question)
            except PermanentFailure as failure:
                log.warning("quiz reveal in %s failed: %s (not retried)", post.channel, failure.reason)
                await self._db.write(queries.record_revealed, post.id, reveal_ts, self._clock.now())
                return False
            except Transient as error:
                log.info(
                    "revealing quiz %s in %s failed (%s); attempt %d",
                    post.id,
                    post.channel,
                    error,
                    attempt + 1,
                )
                if not error.retry_now:
                    break
                continue
            await self._db.write(queries.record_revealed, post.id, reveal_ts, self._clock.now())
            log.info("revealed quiz %s in %s", post.id, post.channel)
            return True
        log.warning(
            "could not reveal the quiz in %s yet; it will be retried when the lease expires", post.channel
        )
        return False

    async def show_revealed(self, post: Post, question: Question | None = None) -> None:
        """Replace the post with its revealed form: no buttons, the answer and the results."""
        question = question or content.question_or_none(post.question_id)
        if question is None or post.ts is None:
            return
        results = await self._db.read(stats.results, post.id)
        message = render_revealed_post(question, results, bonus=post.bonus)
        await self.pace(UPDATE, post.channel)
        await slack_call(self._client.chat_update, channel=post.channel, ts=post.ts, **message.as_kwargs())

    async def _winners(self, post: Post) -> list[Winner]:
        """The first few who got the post right, with their streaks (a bonus question has none)."""
        winners = []
        for user in await self._db.read(stats.first_right, post.id, NAMED_MAX):
            name = await self._people.display_name(user)
            if name is None:  # never a mention instead: the reveal pings nobody
                continue
            streak = 0 if post.bonus else (await self._db.read(stats.user_stats, user)).current_streak
            winners.append(Winner(name, streak))
        return winners

    async def pace(self, method: str, channel: str) -> None:
        """Wait for this call's turn with everything else the process posts (`bot.core.slack.pacing`)."""
        await self.sender.turn(method, channel)

    async def _find_reveal(self, post: Post) -> str | None:
        reply = await slack_call(
            self._client.conversations_replies,
            channel=post.channel,
            ts=post.ts,
            limit=REPLIES_LIMIT,
            include_all_metadata=True,
        )
        return with_metadata(reply.get("messages") or [], quiz_reveal_metadata(post.id))


def _outgoing(post: Post) -> Outgoing:
    return Outgoing(post.id, post.channel, quiz_post_metadata(post.id), post.due_at)


def _settled(post: Post, current: Post | None) -> PostResult:
    """What became of a post someone else finished (or took over) meanwhile."""
    if current is not None and current.ts is not None:
        return PostResult(PostStatus.POSTED, current, current.ts)
    if current is not None and current.failed_reason is not None:
        return PostResult(PostStatus.FAILED, current, reason=current.failed_reason)
    return PostResult(PostStatus.PENDING, current or post)
