"""Slash commands: one table per command, and the one listener that answers every table.

A `CommandTable` declares a command once: its subcommands with their arguments, help line and handler, the
manifest's description and usage hint, and an example for the welcome text. `register_commands` gives Bolt
one listener for every table's command; it parses the text against the table, answers bad input with a
notice (escaped: it may quote what was typed), runs the handler, and sends its reply inside the ack, or
acks at once and replies through the response_url when the subcommand says `after_ack`. Help, the manifest
check and the welcome text all read the same tables (see ARCHITECTURE.md, "Adding a command").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_bolt.response import BoltResponse

from bot.core.after_ack import AfterAck
from bot.core.blocks import render_command_help, render_notice
from bot.core.message import Message
from bot.core.replies import TRY_AGAIN
from bot.core.slack.payloads import CommandRequest
from bot.core.slack.respond import Responder
from bot.core.store.database import StoreUnavailable
from bot.core.text import escape

log = logging.getLogger(__name__)
JSON = {"content-type": "application/json"}
Handler = Callable[..., Awaitable[Message | None]]
"""`handler(request, **arguments)`: the reply, or None when there is nothing to say (a form opened)."""
Guard = Callable[["Subcommand", CommandRequest, dict[str, Any]], Awaitable[Message | None]]
"""Runs before a handler: None to go on, or the reply that refuses (not a manager, wrong place…)."""
_EMPTY_ACK = BoltResponse(status=200, body="")


class UsageError(ValueError):
    """What the person typed cannot be understood; `str()` says how to fix it, as plain text (the
    listener escapes it, so it may quote what was typed)."""


def no_arguments(name: str) -> Callable[[list[str]], dict[str, Any]]:
    def parse(words: list[str]) -> dict[str, Any]:
        if words:
            raise UsageError(f"`{name}` takes no arguments.")
        return {}

    return parse


def rest_as(argument: str) -> Callable[[list[str]], dict[str, Any]]:
    """A parser that passes every word after the subcommand's name as one text argument."""
    return lambda words: {argument: " ".join(words)}


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    """One line of mrkdwn for the help message."""
    handler: Handler
    arguments: str = ""
    """How the arguments read in the usage line, e.g. ``[#channel] HH:MM [timezone] [days]``."""
    parse: Callable[[list[str]], dict[str, Any]] | None = None
    """Words after the name -> keyword arguments for the handler; raises UsageError. None: no arguments."""
    aliases: tuple[str, ...] = ()
    manager_only: bool = False
    """For the feature's managers only (its guard checks; help lists it apart)."""
    after_ack: bool = False
    """Acked at once and answered through the response_url: it asks Slack first, or takes longer."""
    working: Callable[[dict[str, Any]], str] | None = None
    """For an `after_ack` subcommand that takes a while: what to say (mrkdwn, from its arguments) as soon
    as the guard lets it through, e.g. "Enrolling 50 people…"; the handler's reply follows when done."""
    in_hint: bool = True
    """Listed in the manifest's usage hint (short hints read better; help lists everything)."""

    def arguments_of(self, words: list[str]) -> dict[str, Any]:
        return (self.parse or no_arguments(self.name))(words)


@dataclass(frozen=True)
class CommandTable:
    command: str
    """The slash command, e.g. ``/quiz``."""
    description: str
    """The manifest's description, and the command's line in help and the welcome."""
    example: str
    """What to type first, e.g. ``/compare monitoring`` (the welcome shows it)."""
    subcommands: Sequence[Subcommand]
    default: str
    """What an empty text runs."""
    fallback: str | None = None
    """What runs when the first word names no subcommand: it gets the whole text as ``fallback_argument``."""
    fallback_argument: str = "text"
    whole_text_only: bool = False
    """A subcommand is recognised only when its name is the whole text; anything longer is the fallback's
    (``/compare help me with drift`` looks drift up)."""
    guard: Guard | None = None
    managers: str = "managers"
    """What help calls the people `manager_only` subcommands are for, e.g. "quiz managers"."""
    help_note: str = ""
    """A line of mrkdwn under the help's list (formats, examples)."""
    should_escape: bool = False
    """The manifest's should_escape: Slack sends picked channels and people as <#C…> and <@U…>."""
    _by_word: dict[str, Subcommand] = field(init=False, repr=False, compare=False)
    _others: tuple[tuple[str, str], ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        subcommands = list(self.subcommands)
        if not any(sub.name == "help" for sub in subcommands):  # every command answers `help`
            subcommands.append(Subcommand("help", "this list", self._help, aliases=("?",)))
        object.__setattr__(self, "subcommands", tuple(subcommands))
        words = {word: sub for sub in subcommands for word in (sub.name, *sub.aliases)}
        object.__setattr__(self, "_by_word", words)

    def parse(self, text: str) -> tuple[Subcommand, dict[str, Any]]:
        """The subcommand ``text`` names and its keyword arguments; UsageError otherwise."""
        words = text.split()
        first = words[0].lower() if words else self.default
        if self.whole_text_only and len(words) > 1:
            first = ""
        sub = self._by_word.get(first.strip(".!?") if self.whole_text_only else first)
        if sub is None and self.fallback is not None:
            return self._by_word[self.fallback], {self.fallback_argument: text.strip()}
        if sub is None:
            raise UsageError(f"I don't know `{self.command} {first[:30]}`. Try `{self.command} help`.")
        return sub, sub.arguments_of(words[1:])

    def usage(self, sub: Subcommand) -> str:
        name = "" if sub.name in (self.default, self.fallback) else f" {sub.name}"
        return f"{self.command}{name}{' ' + sub.arguments if sub.arguments else ''}"

    def help_lines(self) -> list[tuple[str, str, bool]]:
        """(usage, help line, managers only) for every subcommand, in the table's order."""
        return [(self.usage(sub), sub.help, sub.manager_only) for sub in self.subcommands]

    def usage_hint(self) -> str:
        """The manifest's ``usage_hint``: every hinted subcommand with its arguments."""
        parts = [
            sub.arguments.strip("[]")
            if sub.name in (self.default, self.fallback) and sub.arguments
            else f"{sub.name} {sub.arguments}".strip()
            for sub in self.subcommands
            if sub.in_hint
        ]
        return f"[{' | '.join(parts)}]"

    def name_others(self, tables: Sequence[CommandTable]) -> None:
        """End this command's help with the bot's other commands (`register_commands` tells every table)."""
        others = tuple((table.command, table.description) for table in tables if table is not self)
        object.__setattr__(self, "_others", others)

    def help_message(self, note: str = "") -> Message:
        return render_command_help(self, note=note, others=self._others)

    async def _help(self, request: CommandRequest) -> Message:
        return self.help_message()


def register_commands(
    app: AsyncApp, tables: Sequence[CommandTable], after_ack: AfterAck, responder: Responder
) -> None:
    """One listener for every table's command (Bolt tries each listener in turn, so one is cheaper than
    several, and it goes first: /compare is the busiest request)."""
    by_command = {table.command: table for table in tables}
    for table in tables:
        table.name_others(tables)
    pattern = re.compile("^(?:" + "|".join(re.escape(command) for command in by_command) + ")$")

    async def handle_command(command: dict[str, Any], respond: AsyncRespond) -> BoltResponse:
        table = by_command[str(command.get("command") or "")]
        try:
            sub, arguments = table.parse(str(command.get("text") or ""))
        except UsageError as error:
            return _in_ack(table.help_message(note=str(error)) if table.fallback is None else _notice(error))
        request = CommandRequest.of(command)
        if not sub.after_ack:
            return _in_ack(await _answer(table, sub, request, arguments))

        async def say_working() -> None:
            if sub.working is not None:
                await responder.respond_with(respond, command, render_notice(sub.working(arguments)))

        async def answer_later() -> None:
            reply = await _answer(table, sub, request, arguments, allowed=say_working)
            if reply is not None:
                await responder.respond_with(respond, command, reply)

        after_ack(answer_later())
        return _EMPTY_ACK

    app.command(pattern)(handle_command)


async def _answer(
    table: CommandTable,
    sub: Subcommand,
    request: CommandRequest,
    arguments: dict[str, Any],
    *,
    allowed: Callable[[], Awaitable[None]] | None = None,
) -> Message | None:
    """The subcommand's reply, after its table's guard (and `allowed`, once the guard let it through);
    "try again" while the database is away."""
    try:
        if table.guard is not None and (refusal := await table.guard(sub, request, arguments)) is not None:
            return refusal
        if allowed is not None:
            await allowed()
        return await sub.handler(request, **arguments)
    except StoreUnavailable as error:
        log.warning("database unavailable: %s", error)
        return render_notice(TRY_AGAIN)


def _notice(error: UsageError) -> Message:
    return render_notice(escape(str(error)))


def _in_ack(reply: Message | None) -> BoltResponse:
    if reply is None:
        return _EMPTY_ACK
    return BoltResponse(status=200, body=reply.ephemeral_json(), headers=JSON)
