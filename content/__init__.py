"""What the bot teaches: comparison topics and quiz questions, loaded from content/data/*.toml.

Pure Python and data; nothing here knows about Slack.
"""

from __future__ import annotations

from content import lookup
from content.loader import DATA_DIR, load
from content.model import Choice, Content, Match, Question, Reference, Topic
from content.problems import ContentError, Problem

__all__ = [
    "DATA_DIR",
    "Choice",
    "Content",
    "ContentError",
    "Match",
    "Problem",
    "Question",
    "Reference",
    "Topic",
    "featured_topics",
    "find",
    "find_all",
    "load",
    "question",
    "question_or_none",
    "questions",
    "topic",
    "topic_name",
    "topic_or_none",
    "topics",
    "warm_up_lookup",
]


def topics() -> tuple[Topic, ...]:
    return load().topics


def topic(key: str) -> Topic:
    """The topic with this key; KeyError if there is none."""
    return load().topic(key)


FEATURED = ("monitoring", "drift", "deployment")
"""Topics offered to someone who has not picked one yet (a welcome, a lookup that found nothing)."""


def featured_topics() -> tuple[Topic, ...]:
    """The FEATURED topics the content has, in that order."""
    known = {topic.key: topic for topic in topics()}
    return tuple(known[key] for key in FEATURED if key in known)


def topic_or_none(key: str) -> Topic | None:
    try:
        return topic(key)
    except KeyError:
        return None


def topic_name(key: str) -> str:
    """The name of the topic with this key, or the key itself when the content has no such topic."""
    found = topic_or_none(key)
    return found.name if found is not None else key


def question_or_none(question_id: str) -> Question | None:
    try:
        return question(question_id)
    except KeyError:
        return None


def questions() -> tuple[Question, ...]:
    return load().questions


def question(question_id: str) -> Question:
    """The question with this id; KeyError if there is none."""
    return load().question(question_id)


def find(text: str, content: Content | None = None) -> Match:
    """The topic a user's text is about: its name or alias, a close spelling of one, or the topic whose text
    ranks first for a question (`content.lookup`)."""
    return lookup.find(text, load() if content is None else content)


def find_all(
    text: str, content: Content | None = None, *, limit: int = lookup.MESSAGE_TOPICS
) -> tuple[Topic, ...]:
    """Up to ``limit`` topics (three unless asked; at most `lookup.MESSAGE_TOPICS_MAX`) a longer text (a
    whole Slack message) is about, the surest first."""
    return lookup.find_all(text, load() if content is None else content, limit=limit)


def warm_up_lookup(delay: float = 0.0) -> None:
    """Build the lookup's retrieval index in the background, ``delay`` seconds from now."""
    lookup.warm_up(load, delay)
