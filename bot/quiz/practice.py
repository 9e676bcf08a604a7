"""Practice questions: `/quiz [topic]` and *Practice this*, just for the person who asked, never counted.

The session's score rides in the buttons' values, so practice keeps nothing in the database. It never
draws, nor marks the answer of, a question that is open or due soon in a channel the person can see
(`bot.quiz.held_back`): that answer is counted on the leaderboard. Every method raises `StoreUnavailable`
when the database cannot say which those are.
"""

from __future__ import annotations

import random

import content
from bot.core.blocks import render_notice
from bot.core.message import Message
from bot.core.slack.payloads import CommandRequest
from bot.core.text import escape, one_line
from bot.quiz.blocks.post import Score, render_hint, render_practice, render_practice_feedback
from bot.quiz.held_back import HeldBack
from content.model import Question

GONE = "That practice question is no longer available."
HELD_BACK = (
    "That question is a daily quiz in one of your channels right now, so practice keeps its answer until "
    "it is revealed. Answer it there, or type `/quiz` for another question."
)
FRESH = Score()
NONE_FREE = "Every practice question is a daily quiz somewhere right now. Try again after the reveal."


class Practice:
    def __init__(self, held_back: HeldBack, chooser: random.Random | None = None) -> None:
        self._held_back = held_back
        # Its own generator, apart from the process-wide one that tools may seed.
        self._chooser = chooser or random.Random()

    async def practice(self, request: CommandRequest, topic: str = "") -> Message:
        """`/quiz` (any question) or `/quiz monitoring` (one on the topic the person named)."""
        key = None
        if topic:
            match = content.find(topic)
            if match.topic is None:
                return render_notice(escape(unknown_topic(topic, [c.name for c in match.suggestions])))
            key = match.topic.key
        return await self._question(request.user, key)

    async def on_topic(self, user: str, key: str) -> Message:
        """*Practice this*: a question on that topic (any topic for a key the content lacks)."""
        return await self._question(user, key if content.topic_or_none(key) else None)

    async def answer(self, value: str, user: str) -> tuple[Message, bool]:
        """The practice question again with the pick marked, and whether it replaces the question; the
        button's value is ``<question id>:<letter>:<score so far>``."""
        question_id, letter, score = [*str(value or "").split(":"), "", ""][:3]
        question = content.question_or_none(question_id)
        if question is None or question.choice(letter) is None:
            return render_notice(GONE), False
        if question.id in await self._held_back.questions_for(user):
            return render_notice(HELD_BACK), False
        score_now = Score.decode(score).after(letter == question.answer)
        return render_practice_feedback(question, letter, score_now), True

    def hint(self, question_id: str) -> Message:
        question = content.question_or_none(question_id)
        return render_hint(question) if question is not None else render_notice(GONE)

    async def next(self, value: str, user: str, *, same_topic: bool) -> Message:
        """Another question (on the same topic when asked), keeping the session's score."""
        previous, _, score = str(value or "").partition(":")
        question = content.question_or_none(previous)
        key = question.topic if question is not None and same_topic else None
        return await self._question(user, key, avoid=previous, score=Score.decode(score))

    async def _question(self, user: str, key: str | None, avoid: str = "", score: Score = FRESH) -> Message:
        question = self._pick(key, await self._held_back.questions_for(user), avoid)
        return render_practice(question, score) if question is not None else render_notice(NONE_FREE)

    def _pick(self, key: str | None, held: frozenset[str], avoid: str = "") -> Question | None:
        """A random question not held back, from one topic when *key* is given (any topic when that one
        has none free), other than *avoid* where there is a choice."""
        free = [q for q in content.questions() if q.id not in held]
        pool = [q for q in free if key is None or q.topic == key] or free
        return self._chooser.choice([q for q in pool if q.id != avoid] or pool) if pool else None


def unknown_topic(typed: str, suggestions: list[str]) -> str:
    """What `/quiz <something>` answers when <something> is neither a subcommand nor a topic."""
    maybe = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"I don't know `/quiz {one_line(typed)[:40]}`.{maybe} Try `/quiz help`, or a topic: `/quiz drift`."
