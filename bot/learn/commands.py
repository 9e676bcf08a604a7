"""`/learn`: every subcommand once — name, arguments, help line, handler and whether it needs a manager."""

from __future__ import annotations

import re
from typing import Any

from bot.core.commands import CommandTable, Subcommand, UsageError
from bot.learn.blocks import MASTERY_NOTE
from bot.learn.service import LearnService

# With `should_escape` on, Slack sends a mention as <@U123|name> (or <@U123>).
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
ENROLL_USAGE = "Usage: `/learn enroll @someone @someone-else` (pick people from Slack's @-menu)."
MAX_ENROLL = 50


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


def _enrolling(arguments: dict[str, Any]) -> str:
    count = len(arguments["users"])
    return f"Enrolling {count} {'person' if count == 1 else 'people'}… I'll say here how it went."


def learn_commands(service: LearnService) -> CommandTable:
    """`/learn`, answered by `service`."""
    return CommandTable(
        command="/learn",
        description="Your personal MLOps vs DevOps path - a question in DM each working day",
        example="/learn",
        default="start",
        guard=service.guard,
        managers="managers",
        help_note=MASTERY_NOTE,
        should_escape=True,  # an @mention arrives as <@U123|name>
        subcommands=(
            Subcommand(
                "start",
                "join the path (a welcome DM and your first question now), or see your progress",
                service.start,
                after_ack=True,
                in_hint=False,
            ),
            Subcommand("status", "your day, topics learned, your streak and next questions", service.status),
            Subcommand("pause", "no DMs until you resume", service.pause),
            Subcommand("resume", "pick the path up again", service.resume),
            Subcommand("stop", "end the path (and, if you like, forget it)", service.stop),
            Subcommand("forget", "stop and delete your path's data", service.forget, in_hint=False),
            Subcommand(
                "enroll",
                "put people on the path; each gets a welcome DM in their working hours, with *Not for me*",
                service.enroll,
                arguments="@person …",
                parse=_mentions,
                manager_only=True,
                after_ack=True,
                working=_enrolling,
            ),
            Subcommand(
                "cohort",
                "everyone's progress, one line each",
                service.cohort,
                manager_only=True,
                after_ack=True,
            ),
        ),
    )
