"""What the bot answers to a topic someone typed, as a ready `Message`.

Content never changes while the bot runs, so each rendered answer is built once and reused, and so
is the answer to each recently asked text: a repeated `/compare monitoring` skips the topic lookup
(normalising and fuzzy matching) as well as the rendering.

The answer to a text depends only on its key (`reply_key`: case folded, whitespace collapsed, at most
`KEY_MAX` characters), and the recent answers are kept by that key: a text of 20,000 emoji costs the
cache what a 200-character one does, and texts that differ only in case, spacing or beyond the first
200 characters share one answer.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from functools import cache, lru_cache
from typing import Generic, TypeVar

import content
from bot.compare.blocks import (
    Found,
    render_all,
    render_comparison,
    render_help,
    render_not_found,
    render_shared,
)
from bot.core.message import Message

POPULAR = ("monitoring", "drift", "deployment", "feature_store", "model_registry", "llmops")
"""Topics offered as buttons beside the menu of every topic (`/compare`, `/compare all`)."""
HELP_WORDS = frozenset({"", "help", "?", "list", "categories", "topics"})
ALL_WORDS = frozenset({"all", "everything", "table"})
KEY_MAX = 200
"""Characters of a typed text that decide its answer (topic lookup reads no more either)."""
CACHE_SIZE = 1024
"""Recent texts whose answers are kept, per cache."""

LEADING_MENTIONS = re.compile(r"^(?:\s*<@[^>]*>)+")
COMPARE_VERB = re.compile(r"^\s*compare\b[\s:,-]*", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:/[^\W_]+)*")
"""A word of a topic's name or term, "ci/cd" being one."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RecentAnswers(Generic[K, V]):
    """The `size` most recently used answers, by key."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._size = size

    def get(self, key: K, build: Callable[[], V]) -> V:
        try:
            value = self._items[key]
        except KeyError:
            value = self._items[key] = build()
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return value

    def keys(self) -> list[K]:
        return list(self._items)

    def __iter__(self) -> Iterator[K]:
        return iter(self.keys())

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


REPLIES: RecentAnswers[tuple[str, bool], Message] = RecentAnswers()


def topic_of(text: str) -> str:
    """'<@UBOT> compare monitoring' -> 'monitoring'."""
    return COMPARE_VERB.sub("", LEADING_MENTIONS.sub("", text), count=1).strip()


def finds_nothing(text: str) -> bool:
    """Whether a DM saying `text` gets "I don't have a topic": no help or list word, and the lookup names
    no topic, neither for the text as a question nor among the topics a longer message is about."""
    if COMPARE_VERB.match(text):
        return False  # "compare x" asks for a lookup, whatever x is
    return _finds_nothing(reply_key(topic_of(text)))


@lru_cache(maxsize=CACHE_SIZE)
def _finds_nothing(key: str) -> bool:
    if key.strip(" .!?") in HELP_WORDS | ALL_WORDS:
        return False
    return content.find(key).topic is None and not content.find_all(key)


def reply_key(text: str) -> str:
    """What decides the answer to `text`: case folded, every run of whitespace one space, at most KEY_MAX
    characters."""
    return " ".join(text.casefold().split())[:KEY_MAX].rstrip()


def compare_reply(text: str, *, in_channel: bool = False) -> Message:
    """The answer to `/compare <text>` (or a mention or DM saying <text>)."""
    key = reply_key(text)
    return REPLIES.get((key, in_channel), lambda: _answer(key, in_channel=in_channel))


def _answer(topic: str, *, in_channel: bool) -> Message:
    word = topic.strip(" .!?")
    if word in HELP_WORDS:
        return help_message()
    if word in ALL_WORDS:
        return all_message()
    match = content.find(topic)
    if match.topic is None:
        return render_not_found(topic, match.suggestions, content.featured_topics())
    ranked = match.how == "retrieval"  # ranked first: say what it is closest to
    if not ranked and _is_own_name(match.topic, match.matched_on):  # the card's header says enough
        return comparison_message(match.topic.key, in_channel=in_channel)
    found = Found(topic, match.matched_on, match.suggestions if ranked else (), ranked=ranked)
    return _render(match.topic.key, shared_by=None, share_button=not in_channel, found=found)


def _is_own_name(topic: content.Topic, term: str) -> bool:
    """Whether *term* is the topic's name in other words' clothes ("monitor", "versions", "ci/cd" in
    "Pipeline: CI/CD vs CI/CT/CD"): each of its words is a word of the name, or shares its first five
    letters with one."""
    named = _WORD.findall(f"{topic.name} {topic.key.replace('_', ' ')}".casefold())

    def in_name(word: str) -> bool:
        return any(word == other or (len(word) >= 5 and word[:5] == other[:5]) for other in named)

    return all(in_name(word) for word in _WORD.findall(term.casefold()))


@cache
def comparison_message(key: str, *, in_channel: bool = False, example: bool = False) -> Message:
    """The card for one topic, its example shown or behind a button; raises KeyError for an unknown key."""
    return _render(key, shared_by=None, share_button=not in_channel, example=example)


def shared_comparison_message(key: str, user_id: str) -> Message:
    """The channel copy of a card, naming who shared it (not cached: one per user)."""
    return _render(key, shared_by=user_id, share_button=False)


def shared_note(key: str, channel_id: str) -> Message:
    """What the private copy of a card becomes once it was shared in *channel_id*; KeyError if unknown."""
    return render_shared(content.topic(key), channel_id)


def _render(
    key: str, *, shared_by: str | None, share_button: bool, found: Found | None = None, example: bool = False
) -> Message:
    topic = content.topic(key)
    related = tuple(content.topic(other) for other in topic.see_also)
    return render_comparison(
        topic, related=related, shared_by=shared_by, share_button=share_button, found=found, example=example
    )


def _popular() -> list[content.Topic]:
    return [topic for key in POPULAR if (topic := content.topic_or_none(key)) is not None]


@cache
def help_message() -> Message:
    return render_help(content.topics(), _popular())


@cache
def all_message() -> Message:
    return render_all(content.topics(), _popular())
