"""`/learn`: every subcommand once — name, arguments, help line, handler and whether it needs a manager."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.message import Message
from bot.core.subcommands import CommandTable, Subcommand, UsageError
from bot.learn.blocks import render_help
from bot.learn.service import LearnRequest, LearnService

# With `should_escape` on, Slack sends a mention as <@U123|name> (or <@U123>).
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
ENROLL_USAGE = "Usage: `/learn enroll @someone @someone-else` (pick people from Slack's @-menu)."
MAX_ENROLL = 50
Handler = Callable[..., Awaitable[Message]]
AFTER_ACK = frozenset({"start", "enroll", "cohort"})
"""Subcommands that ask Slack (users.info, the welcome DM): acked at once, answered through the
response_url."""


def _mentions(words: list[str]) -> dict[str, Any]:
    users = []
    for word in words:
        match = MENTION.match(word)
        if match is None:
            raise UsageError(ENROLL_USAGE)
        users.append(match.group(1))
    if not users:
        raise UsageError(ENROLL_USAGE)
    if len(users) > MAX_ENROLL:
        raise UsageError(f"At most {MAX_ENROLL} people at once. {ENROLL_USAGE}")
    return {"users": tuple(dict.fromkeys(users))}


async def _help(service: LearnService, request: LearnRequest) -> Message:
    return render_help(LEARN.help_lines())


LEARN = CommandTable[Handler](
    command="/learn",
    default="start",
    subcommands=(
        Subcommand(
            "start",
            "join the path (a welcome DM and your first question now), or see your progress",
            LearnService.start,
            in_hint=False,
        ),
        Subcommand("status", "your day, topics mastered and next questions", LearnService.status),
        Subcommand("pause", "no DMs until you resume", LearnService.pause),
        Subcommand("resume", "pick the path up again", LearnService.resume),
        Subcommand("stop", "end the path (and, if you like, forget it)", LearnService.stop),
        Subcommand("forget", "stop and delete your path's data", LearnService.forget, in_hint=False),
        Subcommand(
            "enroll",
            "put people on the path; each gets a welcome DM with an opt-out button",
            LearnService.enroll,
            arguments="@person …",
            parse=_mentions,
            manager_only=True,
        ),
        Subcommand("cohort", "everyone's progress, one line each", LearnService.cohort, manager_only=True),
        Subcommand("help", "this list", _help, aliases=("?",)),
    ),
)
