"""What the bot answers to a topic someone typed, as a ready `Message`.

Content never changes while the bot runs, so each rendered answer is built once and reused, and so
is the answer to each recently asked text: a repeated `/compare monitoring` skips the topic lookup
(normalising and fuzzy matching) as well as the rendering.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

import content
from bot.compare.blocks import render_all, render_comparison, render_help, render_not_found, render_shared
from bot.core.message import Message

HELP_WORDS = frozenset({"", "help", "?", "list", "categories", "topics"})
ALL_WORDS = frozenset({"all", "everything", "table"})
POPULAR = ("monitoring", "drift", "deployment")
"""Offered when what someone typed is close to no topic at all."""


@lru_cache(maxsize=1024)
def compare_reply(text: str, *, in_channel: bool = False) -> Message:
    """The answer to `/compare <text>` (or a mention or DM saying <text>)."""
    topic = text.strip()
    word = topic.lower().strip(" .!?")
    if word in HELP_WORDS:
        return help_message()
    if word in ALL_WORDS:
        return all_message()
    match = content.find(topic)
    if match.category is None:
        return render_not_found(topic, match.suggestions, popular_topics())
    return comparison_message(match.category.key, in_channel=in_channel)


@lru_cache(maxsize=1024)
def compare_ack_body(text: str) -> str:
    """`/compare <text>`'s whole ephemeral reply as the JSON the ack carries, serialised once per text."""
    return json.dumps({"response_type": "ephemeral", **compare_reply(text).as_kwargs()})


@cache
def comparison_message(key: str, *, in_channel: bool = False) -> Message:
    """The card for one category; raises KeyError for an unknown key."""
    return _render(key, shared_by=None, share_button=not in_channel)


def shared_comparison_message(key: str, user_id: str) -> Message:
    """The channel copy of a card, naming who shared it (not cached: one per user)."""
    return _render(key, shared_by=user_id, share_button=False)


def shared_note(key: str, channel_id: str) -> Message:
    """What the private copy of a card becomes once it was shared in *channel_id*; KeyError if unknown."""
    return render_shared(content.category(key), channel_id)


def popular_topics() -> tuple[content.Category, ...]:
    known = {category.key: category for category in content.categories()}
    return tuple(known[key] for key in POPULAR if key in known)


def _render(key: str, *, shared_by: str | None, share_button: bool) -> Message:
    category = content.category(key)
    related = tuple(content.category(other) for other in category.see_also)
    return render_comparison(category, related=related, shared_by=shared_by, share_button=share_button)


@cache
def help_message() -> Message:
    return render_help(content.categories())


@cache
def all_message() -> Message:
    return render_all(content.categories())
