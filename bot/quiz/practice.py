"""Practice questions: `/quiz [topic]` and *Practice this*, just for the person who asked, never counted.

The session's score rides in the buttons' values, so practice keeps nothing in the database.
"""

from __future__ import annotations

import random

import content
from bot.core.blocks import render_notice
from bot.core.message import Message
from bot.core.slack.payloads import CommandRequest
from bot.core.text import escape, one_line
from bot.quiz.blocks.post import Score, render_hint, render_practice, render_practice_feedback
from content.model import Question

GONE = "That practice question is no longer available."


class Practice:
    def __init__(self, chooser: random.Random | None = None) -> None:
        # Its own generator, apart from the process-wide one that tools may seed.
        self._chooser = chooser or random.Random()

    async def practice(self, request: CommandRequest, topic: str = "") -> Message:
        """`/quiz` (any question) or `/quiz monitoring` (one on the topic the person named)."""
        if not topic:
            return render_practice(self._pick(None))
        match = content.find(topic)
        if match.topic is None:
            return render_notice(escape(unknown_topic(topic, [c.name for c in match.suggestions])))
        return render_practice(self._pick(match.topic.key))

    def on_topic(self, key: str) -> Message:
        """*Practice this*: a question on that topic (any topic for a key the content lacks)."""
        return render_practice(self._pick(key if content.topic_or_none(key) else None))

    def answer(self, value: str) -> tuple[Message, bool]:
        """The practice question again with the pick marked, and whether it replaces the question; the
        button's value is ``<question id>:<letter>:<score so far>``."""
        question_id, letter, score = [*str(value or "").split(":"), "", ""][:3]
        question = content.question_or_none(question_id)
        if question is None or question.choice(letter) is None:
            return render_notice(GONE), False
        score_now = Score.decode(score).after(letter == question.answer)
        return render_practice_feedback(question, letter, score_now), True

    def hint(self, question_id: str) -> Message:
        question = content.question_or_none(question_id)
        return render_hint(question) if question is not None else render_notice(GONE)

    def next(self, value: str, *, same_topic: bool) -> Message:
        """Another question (on the same topic when asked), keeping the session's score."""
        previous, _, score = str(value or "").partition(":")
        question = content.question_or_none(previous)
        key = question.topic if question is not None and same_topic else None
        return render_practice(self._pick(key, avoid=previous), Score.decode(score))

    def _pick(self, key: str | None, avoid: str = "") -> Question:
        """A random question, from one topic when *key* is given, other than *avoid* where there is a
        choice."""
        pool = [q for q in content.questions() if key is None or q.topic == key] or list(content.questions())
        return self._chooser.choice([q for q in pool if q.id != avoid] or pool)


def unknown_topic(typed: str, suggestions: list[str]) -> str:
    """What `/quiz <something>` answers when <something> is neither a subcommand nor a topic."""
    maybe = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"I don't know `/quiz {one_line(typed)[:40]}`.{maybe} Try `/quiz help`, or a topic: `/quiz drift`."
