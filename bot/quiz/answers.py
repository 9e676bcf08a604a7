"""An answer pressed on a channel's quiz post, from the button's value to the durable row, and the Hint
button beside it.

`record` commits the answer before it returns (`GroupCommit`: the clicks of a burst share transactions),
so a click is acknowledged only once its answer is in the database; the first answer of each person
counts, and one pressed after the reveal started is kept but not counted. Everything else waits for the
ack: the live "N people have answered" line is marked (`CountUpdater`), and the private feedback is built
and sent once the burst has passed (`send_after_burst`), so the acks of everyone still pressing go first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.core.blocks import render_notice
from bot.core.clock import Clock
from bot.core.message import Message
from bot.core.replies import NOT_RECORDED, TRY_AGAIN
from bot.core.slack.respond import Responder
from bot.core.store.database import Database, LazyQueries, StoreUnavailable
from bot.core.store.group_commit import GroupCommit
from bot.quiz.blocks.post import render_feedback, render_hint
from bot.quiz.counts import DEFAULT_INTERVAL, CountUpdater
from bot.quiz.poster import Poster
from bot.quiz.records import AnswerClick, AnswerKey, RecordedAnswer

if TYPE_CHECKING:
    from bot.quiz import queries
else:
    queries = LazyQueries("bot.quiz.queries")

log = logging.getLogger(__name__)
MAX_POST_ID = 2**63 - 1
"""Post ids are 64-bit integers in the database; anything larger is not one of ours."""
NOT_HERE = "That question is not here — the button may be from another channel or an older post."


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What one answer click came to: the answer once durable, or why there is none."""

    recorded: RecordedAnswer | None
    problem: str = ""
    """Said to the person instead of feedback: the button is not one of ours, or the database was away."""


def answer_key(questions: Any) -> AnswerKey:
    """Each question's letters and answer, by id: what `record_answers` judges a click by."""
    return {q.id: (tuple(c.letter for c in q.choices), q.answer) for q in questions}


class Answers:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        poster: Poster,
        *,
        count_interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self._db = database
        self._clock = clock
        key = answer_key(content.questions())
        self._writes: GroupCommit[AnswerClick, RecordedAnswer | None] = GroupCommit(
            database, lambda session, clicks: queries.record_answers(session, clicks, key)
        )
        self.counts = CountUpdater(
            database, client, poster, interval=count_interval, quiet=self._writes.quiet
        )

    async def record(self, value: str, user: str, channel: str) -> AnswerResult:
        """The click whose button value is `value` ("<post id>:<letter>"), pressed by `user` in `channel`:
        committed before this returns; nothing else happens before the ack."""
        post_id, _, letter = str(value or "").rpartition(":")
        if not (post_id.isdigit() and 0 < int(post_id) <= MAX_POST_ID):
            return AnswerResult(None, NOT_HERE)
        click = (int(post_id), user, letter.strip().upper(), channel, self._clock.now())
        try:
            recorded = await self._writes.submit(click)
        except StoreUnavailable as error:
            log.warning("answer not recorded, database unavailable: %s", error)
            return AnswerResult(None, NOT_RECORDED)
        return AnswerResult(recorded, "" if recorded is not None else NOT_HERE)

    async def send_after_burst(
        self, result: AnswerResult, responder: Responder, respond: AsyncRespond, body: dict[str, Any]
    ) -> None:
        """After the ack: count the answer on the post, and once the burst of clicks has passed (bounded),
        send the person their feedback privately (at once when nothing was recorded)."""
        await responder.respond_with(respond, body, await self.feedback(result))

    async def feedback(self, result: AnswerResult) -> Message:
        """What the person who pressed is told; a recorded answer waits for the burst to pass."""
        recorded = result.recorded
        if recorded is None:
            return render_notice(result.problem or NOT_HERE)
        stored = recorded.answer
        if recorded.first and stored.counted:
            self.counts.mark(recorded.post.id)
        await self._writes.quiet()
        question = content.question_or_none(recorded.post.question_id)
        if question is None:
            return render_notice(NOT_HERE)
        post = recorded.post
        return render_feedback(
            question,
            stored.choice,
            first=recorded.first,
            counted=stored.counted,
            hint_used=stored.hint_used,
            bonus=post.bonus,
            answer_at=post.reveal_due if post.answer_at_reveal else None,
        )

    async def hint(self, value: str, user: str, channel: str) -> Message:
        """The Hint button on a channel post: the hint privately, noted for the person's answer."""
        if not (value.isdigit() and 0 < int(value) <= MAX_POST_ID):
            return render_notice(NOT_HERE)
        try:
            post = await self._db.read(queries.get_post, int(value))
            question = (
                content.question_or_none(post.question_id) if post and post.channel == channel else None
            )
            if post is None or question is None:
                return render_notice(NOT_HERE)
            await self._db.write(queries.record_hint, post.id, user, self._clock.now())
        except StoreUnavailable as error:
            log.warning("hint not recorded, database unavailable: %s", error)
            return render_notice(TRY_AGAIN)
        return render_hint(question)

    @property
    def groups(self) -> int:
        """Transactions the answers were committed in so far (for tests and the benchmark)."""
        return self._writes.groups
