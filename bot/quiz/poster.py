"""Sending a claimed quiz post, and its reveal, exactly once.

The database decides who may send (a claim or reveal lease); Slack's message metadata tells whether an
earlier attempt got through. A 5xx answer, a timeout or a dropped connection may hide a message Slack
did accept, so every retry, and every takeover of someone else's expired claim, first looks for the
message (by metadata) before sending again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.clock import Clock
from bot.core.slack.calls import PermanentFailure, Transient, slack_call
from bot.core.slack.pacing import POST, UPDATE, Pacer, PacerBusy
from bot.core.store.database import Database, LazyQueries
from bot.quiz import ids
from bot.quiz.blocks.post import (
    quiz_post_metadata,
    quiz_reveal_metadata,
    render_quiz_post,
    render_reveal,
    render_revealed_post,
)
from bot.quiz.records import Post, PostResult, PostStatus
from content.model import Question

if TYPE_CHECKING:
    from bot.quiz import queries, stats
else:
    queries = LazyQueries("bot.quiz.queries")
    stats = LazyQueries("bot.quiz.stats")

log = logging.getLogger(__name__)

HISTORY_MARGIN = timedelta(minutes=10)
"""How far before a post's due time its message is looked for (allows for clocks that disagree)."""
HISTORY_PAGE = 100
HISTORY_PAGES = 5
MISSED = "missed: the channel's day ended before the quiz could be posted"


class Poster:
    """Sends what this instance (``owner``) has claimed. All methods log instead of raising Slack errors."""

    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        owner: str,
        *,
        retry_delays: Sequence[float],
        pacer: Pacer | None = None,
    ) -> None:
        self._db = database
        self._pacer = pacer
        self._client = client
        self._clock = clock
        self._owner = owner
        self._retry_delays = tuple(retry_delays)

    # --- posting -------------------------------------------------------------------------------

    async def deliver(self, post: Post, *, look_first: bool = False) -> PostResult:
        """Post the claimed ``post`` unless it is already in the channel; record the ts or the failure.

        ``look_first`` is for a takeover of an expired claim: an earlier owner may have posted already.
        """
        question = content.question_or_none(post.question_id)
        if question is None:
            return await self._fail(post, f"question {post.question_id} is no longer in the bank")
        message = render_quiz_post(question, post.id, answered=0, reveal_at=post.reveal_due)
        for attempt, delay in enumerate((0.0, *self._retry_delays)):
            if attempt:
                await asyncio.sleep(delay)
                current = await self._db.read(queries.get_post, post.id)
                if current is None or not self._owns(current):
                    return _settled(post, current)
            try:
                ts = await self.find_post(post) if look_first or attempt else None
                if ts is None:
                    await self.pace(POST, post.channel)
                    reply = await slack_call(
                        self._client.chat_postMessage,
                        channel=post.channel,
                        metadata=quiz_post_metadata(post.id),
                        **message.as_kwargs(),
                    )
                    ts = str(reply["ts"])
            except PermanentFailure as failure:
                return await self._fail(post, failure.reason)
            except Transient as error:
                log.info(
                    "posting quiz %s to %s failed (%s); attempt %d", post.id, post.channel, error, attempt + 1
                )
                if not error.retry_now:
                    break
                continue
            return await self._posted(post, ts)
        log.warning(
            "could not post the quiz to %s yet; it will be retried when the claim expires", post.channel
        )
        return PostResult(PostStatus.PENDING, post)

    async def give_up_missed(self, post: Post) -> PostResult:
        """A claim whose day is over: keep its ts if it did reach Slack, else give it up (never post late)."""
        try:
            ts = await self.find_post(post)
        except PermanentFailure as failure:
            return await self._fail(post, failure.reason)
        except Transient:
            return PostResult(PostStatus.PENDING, post)
        if ts is not None:
            return await self._posted(post, ts)
        return await self._fail(post, MISSED)

    async def find_post(self, post: Post) -> str | None:
        """The ts of the post's message if it is in the channel (found by its metadata)."""
        oldest = (post.due_at - HISTORY_MARGIN).timestamp()
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            reply = await slack_call(
                self._client.conversations_history,
                channel=post.channel,
                oldest=f"{oldest:.6f}",
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            ts = _find_event(reply.get("messages") or [], ids.QUIZ_POST_EVENT, post.id)
            cursor = (reply.get("response_metadata") or {}).get("next_cursor")
            if ts is not None or not reply.get("has_more") or not cursor:
                return ts
        return None

    def _owns(self, post: Post) -> bool:
        return (
            post.ts is None
            and post.failed_reason is None
            and post.claimed_by == self._owner
            and post.lease_until > self._clock.now()
        )

    async def _posted(self, post: Post, ts: str) -> PostResult:
        if await self._db.write(queries.record_posted, post.id, ts, self._clock.now()):
            log.info("posted quiz %s (%s) to %s", post.id, post.question_id, post.channel)
            return PostResult(PostStatus.POSTED, post, ts)
        return _settled(post, await self._db.read(queries.get_post, post.id))

    async def _fail(self, post: Post, reason: str) -> PostResult:
        if await self._db.write(queries.record_failed, post.id, reason, self._clock.now()):
            log.warning("quiz post to %s failed: %s (not retried)", post.channel, reason)
        return PostResult(PostStatus.FAILED, post, reason=reason)

    # --- reveal --------------------------------------------------------------------------------

    async def reveal(self, post: Post) -> bool:
        """Reply with the answer in the post's thread, then strip the post's buttons; True once done.

        The caller holds the reveal lease. ``post`` is the record read before that claim, so a
        ``reveal_claimed_by`` already set means an earlier attempt may have sent the reply.
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
        reply = render_reveal(question, results)
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
                        thread_ts=post.ts,
                        # Also in the channel: pressing an answer does not follow the thread.
                        reply_broadcast=True,
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
        message = render_revealed_post(question, post.id, results)
        await self.pace(UPDATE, post.channel)
        await slack_call(self._client.chat_update, channel=post.channel, ts=post.ts, **message.as_kwargs())

    async def pace(self, method: str, channel: str) -> None:
        """Wait for this call's turn with everything else the process posts (`bot.core.slack.pacing`)."""
        if self._pacer is None:
            return
        try:
            await self._pacer.turn(method, channel)
        except PacerBusy as busy:  # too long a queue: the claim expires and a later tick sends it
            raise Transient("paced", retry_now=False) from busy

    async def _find_reveal(self, post: Post) -> str | None:
        reply = await slack_call(
            self._client.conversations_replies,
            channel=post.channel,
            ts=post.ts,
            limit=HISTORY_PAGE * HISTORY_PAGES,
            include_all_metadata=True,
        )
        return _find_event(reply.get("messages") or [], ids.QUIZ_REVEAL_EVENT, post.id)


def _find_event(messages: Sequence[dict[str, Any]], event_type: str, post_id: int) -> str | None:
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == event_type and str(payload.get("post_id")) == str(post_id):
            return str(message["ts"])
    return None


def _settled(post: Post, current: Post | None) -> PostResult:
    """What became of a post someone else finished (or took over) meanwhile."""
    if current is not None and current.ts is not None:
        return PostResult(PostStatus.POSTED, current, current.ts)
    if current is not None and current.failed_reason is not None:
        return PostResult(PostStatus.FAILED, current, reason=current.failed_reason)
    return PostResult(PostStatus.PENDING, current or post)
