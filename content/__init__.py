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
    "comparison_topics",
    "devops_features",
    "find",
    "find_all",
    "load",
    "mlops_features",
    "question",
    "questions",
    "topic",
    "topics",
    "warm_up_lookup",
]

# The seed program's three comparison rows: its names, and the keys they have in the data.
_SEED_ROWS = (("Automation", "automation"), ("Monitoring", "monitoring"), ("Collaboration", "collaboration"))


def topics() -> tuple[Topic, ...]:
    return load().topics


def topic(key: str) -> Topic:
    """The topic with this key; KeyError if there is none."""
    return load().topic(key)


def questions() -> tuple[Question, ...]:
    return load().questions


def question(question_id: str) -> Question:
    """The question with this id; KeyError if there is none."""
    return load().question(question_id)


def find(text: str, content: Content | None = None) -> Match:
    """The topic a user's text is about: its name or alias, a close spelling of one, or the topic whose text
    ranks first for a question (`content.lookup`)."""
    return lookup.find(text, load() if content is None else content)


def find_all(text: str, content: Content | None = None) -> tuple[Topic, ...]:
    """Up to three topics a longer text (a whole Slack message) is about, the surest first."""
    return lookup.find_all(text, load() if content is None else content)


def warm_up_lookup(delay: float = 0.0) -> None:
    """Build the lookup's retrieval index in the background, ``delay`` seconds from now."""
    lookup.warm_up(load, delay)


def __getattr__(name: str) -> object:
    """The seed program's globals, built on first use rather than at import.

    Importing ``content`` therefore never fails on broken data, and ``python -m content check`` can
    still report the problems.
    """
    if name == "comparison_topics":
        return [row_name for row_name, _key in _SEED_ROWS]
    if name in ("mlops_features", "devops_features"):
        side = name.removesuffix("_features")
        data = load()
        return {row_name: getattr(data.topic(key), side) for row_name, key in _SEED_ROWS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
