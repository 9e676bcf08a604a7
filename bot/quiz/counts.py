"""The live "N people have answered" line under a quiz post, updated without flooding Slack.

Every counted answer marks its post dirty; a flush rewrites a dirty post at most once per ``interval``
(chat.update is rate limited per workspace, and a popular question can get a hundred clicks a minute),
so a burst of clicks ends up as one or two updates that show the latest count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.background import Background
from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.store.database import Database, LazyQueries
from bot.quiz.blocks.post import render_quiz_post
from bot.quiz.poster import Poster
from bot.quiz.records import Post

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 2.0


class CountUpdater:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        poster: Poster,
        *,
        interval: float = DEFAULT_INTERVAL,
        quiet: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`quiet()` returns once a burst of answers has settled (bounded): a flush waits for it, so the
        acks of people still pressing go first and the count it shows is not stale at once."""
        self._quiet = quiet
        self._db = database
        self._client = client
        self._poster = poster
        self._interval = interval
        self._dirty: set[int] = set()
        self._last_update: dict[int, float] = {}  # post id -> event loop time of its last update
        self._wake = asyncio.Event()
        self.loop = Background("quiz-counts", self.run)

    def mark(self, post_id: int) -> None:
        """The post's count changed; it is updated by the next flush its interval allows."""
        self._dirty.add(post_id)
        self._wake.set()

    async def run(self) -> None:
        """Flush whenever something is dirty and allowed, until cancelled."""
        while True:
            wait = self._next_flush_in()
            if wait is None or wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()
            if self._quiet is not None:
                await self._quiet()
            await self.flush()

    async def flush(self) -> int:
        """Update every dirty post whose interval has passed; returns how many were due."""
        now = asyncio.get_running_loop().time()
        due = [post_id for post_id in self._dirty if self._ready_at(post_id) <= now]
        for post_id in due:
            self._dirty.discard(post_id)
            self._last_update[post_id] = now
        self._forget_before(now - self._interval)
        await asyncio.gather(*(self._update(post_id) for post_id in due))
        return len(due)

    def _ready_at(self, post_id: int) -> float:
        last = self._last_update.get(post_id)
        return float("-inf") if last is None else last + self._interval

    def _next_flush_in(self) -> float | None:
        if not self._dirty:
            return None
        soonest = min(self._ready_at(post_id) for post_id in self._dirty)
        return max(0.0, soonest - asyncio.get_running_loop().time())

    def _forget_before(self, cutoff: float) -> None:
        for post_id in [p for p, at in self._last_update.items() if at < cutoff and p not in self._dirty]:
            del self._last_update[post_id]

    async def _update(self, post_id: int) -> None:
        try:
            post = await self._db.read(queries.get_post, post_id)
            question = content.question_or_none(post.question_id) if post else None
            if post is None or post.ts is None or question is None or _revealing(post):
                return
            answered = await self._db.read(queries.answer_count, post_id)
            message = render_quiz_post(
                question, post_id, answered=answered, reveal_at=post.reveal_due, bonus=post.bonus
            )
            await self._poster.pace("chat.update", post.channel)
            await slack_call(
                self._client.chat_update, channel=post.channel, ts=post.ts, **message.as_kwargs()
            )
            # A reveal may have rewritten the post while this update was on its way and been overwritten
            # by it; put the revealed form (no buttons) back.
            after = await self._db.read(queries.get_post, post_id)
            if after is not None and _revealing(after):
                await self._poster.show_revealed(after, question)
        except SlackFailure as failure:
            log.warning("could not update the answer count of quiz %s: %s", post_id, failure.reason)
        except Exception:
            log.exception("could not update the answer count of quiz %s", post_id)


def _revealing(post: Post) -> bool:
    return post.revealed_at is not None or post.reveal_claimed_by is not None
