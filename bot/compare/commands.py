"""`/compare`: one topic side by side (any text that is not a subcommand is looked up), every topic, help."""

from __future__ import annotations

from bot.compare.replies import all_message, compare_reply, help_message
from bot.core.commands import CommandTable, Subcommand, rest_as
from bot.core.message import Message
from bot.core.slack.payloads import CommandRequest


async def _topic(request: CommandRequest, text: str = "") -> Message:
    return compare_reply(text)


async def _all(request: CommandRequest) -> Message:
    return all_message()


async def _help(request: CommandRequest) -> Message:
    return help_message()


COMPARE = CommandTable(
    command="/compare",
    description="Compare MLOps and DevOps on one topic, e.g. monitoring",
    example="/compare monitoring",
    default="help",
    fallback="topic",
    whole_text_only=True,
    subcommands=(
        Subcommand("topic", "one topic, MLOps and DevOps side by side", _topic, "topic", rest_as("text")),
        Subcommand("all", "every topic, with a menu to open one", _all, aliases=("everything", "table")),
        Subcommand(
            "help",
            "what /compare does, and every topic",
            _help,
            aliases=("?", "list", "categories", "topics"),
        ),
    ),
)
