"""`/quiz`: every subcommand once — name, arguments, help line, handler and whether it needs a manager."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.core.commands import CommandTable, Subcommand, UsageError, rest_as
from bot.quiz.channels import ChannelQuizzes
from bot.quiz.practice import Practice
from bot.quiz.progress import Progress
from bot.quiz.typed_schedule import parse_schedule

# With `should_escape` on, Slack sends a picked channel as <#C123|name> (or <#C123> for private ones).
CHANNEL_REF = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")


def _channel(words: list[str]) -> str | None:
    """Take a leading #channel out of `words`, if there is one."""
    if not words or not words[0].startswith(("<#", "#")):
        return None
    match = CHANNEL_REF.match(words.pop(0))
    if match is None:
        raise UsageError("Pick the channel from Slack's #-menu so it becomes a link, e.g. `#new-hires`.")
    return match.group(1)


def _channel_only(name: str) -> Callable[[list[str]], dict[str, Any]]:
    def parse(words: list[str]) -> dict[str, Any]:
        channel = _channel(words)
        if words:
            raise UsageError(f"`/quiz {name}` takes at most a #channel.")
        return {"channel": channel}

    return parse


def _schedule(words: list[str]) -> dict[str, Any]:
    channel = _channel(words)
    if not words:
        return {"channel": channel, "form": True}
    return {"channel": channel, **parse_schedule(words)}


TIMES_NOTE = (
    "Times like `9:30am` or `17:05`; time zones like `Europe/Berlin`, `PST` or `IST` (yours if you give "
    "none); days like `mon-fri`, `weekends` or `daily`; `reveal 2h` or `reveal end-of-day`; "
    "`answer-at-reveal` and `weekly-leaderboard` (add `off` to turn one off); `post-now` posts the first "
    "question at once. Quiz managers: workspace admins, the channel's creator and whoever set its schedule."
)


def quiz_commands(practice: Practice, progress: Progress, channels: ChannelQuizzes) -> CommandTable:
    """`/quiz`: practice questions, the person's progress, and each channel's quiz."""
    return CommandTable(
        command="/quiz",
        description="Practice questions, your stats, the leaderboard and the daily quiz schedule",
        example="/quiz",
        default="practice",
        fallback="practice",
        fallback_argument="topic",
        guard=channels.guard,
        managers="quiz managers",
        help_note=TIMES_NOTE,
        should_escape=True,  # a #channel picked from Slack's menu arrives as <#C123|name>
        subcommands=(
            Subcommand(
                "practice",
                "a practice question just for you (not counted); `/quiz monitoring` picks one on that topic",
                practice.practice,
                arguments="[topic]",
                parse=rest_as("topic"),
            ),
            Subcommand("stats", "your answers, % right and streaks", progress.stats, aliases=("me",)),
            Subcommand(
                "leaderboard",
                "who got the most right in this channel over the last 30 days",
                progress.leaderboard,
                aliases=("top", "board"),
            ),
            Subcommand(
                "now",
                "post a question here now: today's if none is out yet, else a bonus one (not counted)",
                channels.post_now,
                parse=_channel_only("now"),
                manager_only=True,
                after_ack=True,
            ),
            Subcommand(
                "reveal",
                "reveal the answer to this channel's open quiz",
                channels.reveal_now,
                parse=_channel_only("reveal"),
                manager_only=True,
                after_ack=True,
            ),
            Subcommand(
                "schedule",
                "post a quiz on a schedule, e.g. `/quiz schedule #team 09:30 Europe/Berlin mon-fri`",
                channels.schedule,
                arguments="[#channel] time [timezone] [days]",
                parse=_schedule,
                manager_only=True,
                after_ack=True,
            ),
            Subcommand(
                "status",
                "when the next quiz in this channel is due",
                channels.status,
                parse=_channel_only("status"),
            ),
            Subcommand(
                "stop",
                "stop the scheduled quiz in this channel",
                channels.stop,
                parse=_channel_only("stop"),
                manager_only=True,
                after_ack=True,
            ),
        ),
    )
