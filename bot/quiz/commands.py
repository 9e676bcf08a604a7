"""Parsing `/quiz <subcommand> ...` into a typed request (pure; errors are sentences for the user)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from bot.quiz.timing import parse_days, parse_time, parse_timezone

SUBCOMMANDS = ("practice", "help", "stats", "leaderboard", "now", "reveal", "schedule", "status", "stop")
ALIASES = {"": "practice", "me": "stats", "top": "leaderboard", "board": "leaderboard", "?": "help"}
# With `should_escape` on, Slack sends a picked channel as <#C123|name> (or <#C123> for private ones).
CHANNEL_REF = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True, slots=True)
class QuizCommand:
    name: str  # one of SUBCOMMANDS
    channel: str | None = None  # an explicit #channel; None means "this channel"
    at: time | None = None
    timezone: ZoneInfo | None = None
    days: frozenset[int] | None = None


class QuizCommandError(ValueError):
    """What the person typed cannot be understood; `str()` says how to fix it."""


def parse_quiz_command(text: str) -> QuizCommand:
    words = text.split()
    first = words[0].lower() if words else ""
    name = ALIASES.get(first, first)
    if name not in SUBCOMMANDS:
        raise QuizCommandError(f"I don't know `/quiz {first[:30]}`. Try `/quiz help`.")
    rest = words[1:]
    channel = _channel(rest)
    if name == "schedule":
        return _schedule(rest, channel)
    if name in ("stop", "status", "now", "reveal"):
        if rest:
            raise QuizCommandError(f"`/quiz {name}` takes at most a #channel.")
        return QuizCommand(name, channel=channel)
    return QuizCommand(name)


def _channel(words: list[str]) -> str | None:
    """Take a leading #channel out of `words`, if there is one."""
    if not words or not words[0].startswith(("<#", "#")):
        return None
    match = CHANNEL_REF.match(words.pop(0))
    if match is None:
        raise QuizCommandError(
            "Pick the channel from Slack's #-menu so it becomes a link, e.g. `#new-hires`."
        )
    return match.group(1)


def _schedule(words: list[str], channel: str | None) -> QuizCommand:
    usage = (
        "Usage: `/quiz schedule [#channel] HH:MM [timezone] [days]`, "
        "e.g. `/quiz schedule 09:30 Europe/Berlin mon-fri`."
    )
    if not words:
        raise QuizCommandError(usage)
    try:
        at = parse_time(words.pop(0))
        timezone = parse_timezone(words.pop(0)) if words and _looks_like_timezone(words[0]) else None
        days = parse_days(",".join(words)) if words else None
    except ValueError as error:
        raise QuizCommandError(f"{error}. {usage}") from None
    return QuizCommand("schedule", channel=channel, at=at, timezone=timezone, days=days)


def _looks_like_timezone(word: str) -> bool:
    return "/" in word or word.upper() in ("UTC", "GMT")
