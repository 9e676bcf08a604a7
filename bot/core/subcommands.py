"""One declaration per slash command: its subcommands, their usage, help line, handler and who may use them.

The parser, the dispatcher, the help text and the manifest's usage hint are all read from the table, so
a subcommand is added in one place (see ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

H = TypeVar("H")


class UsageError(ValueError):
    """What the person typed cannot be understood; `str()` says how to fix it (mrkdwn, already escaped)."""


def no_arguments(name: str) -> Callable[[list[str]], dict[str, Any]]:
    def parse(words: list[str]) -> dict[str, Any]:
        if words:
            raise UsageError(f"`{name}` takes no arguments.")
        return {}

    return parse


@dataclass(frozen=True)
class Subcommand(Generic[H]):
    name: str
    help: str
    """One line of mrkdwn for the help message."""
    handler: H
    arguments: str = ""
    """How the arguments read in the usage line, e.g. ``[#channel] HH:MM [timezone] [days]``."""
    parse: Callable[[list[str]], dict[str, Any]] | None = None
    """Words after the name -> keyword arguments for the handler; raises UsageError. None: no arguments."""
    aliases: tuple[str, ...] = ()
    manager_only: bool = False
    """Only a channel's managers may use it; the answer follows the ack (checking asks Slack first)."""
    about_channel: bool = False
    """It is about one channel's quiz: typed in a DM without a #channel, there is nothing to act on."""
    in_hint: bool = True
    """Listed in the manifest's usage hint (short hints read better; help lists everything)."""

    def arguments_of(self, words: list[str]) -> dict[str, Any]:
        if self.parse is None:
            return no_arguments(self.name)(words)
        return self.parse(words)


@dataclass(frozen=True)
class CommandTable(Generic[H]):
    command: str
    """The slash command, e.g. ``/quiz``."""
    subcommands: Sequence[Subcommand[H]]
    default: str
    """What an empty text runs."""
    fallback: str | None = None
    """What runs when the first word names no subcommand: it gets the whole text as ``topic``."""
    _by_word: dict[str, Subcommand[H]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = {word: sub for sub in self.subcommands for word in (sub.name, *sub.aliases)}
        object.__setattr__(self, "_by_word", words)

    def parse(self, text: str) -> tuple[Subcommand[H], dict[str, Any]]:
        """The subcommand ``text`` names and its keyword arguments; UsageError otherwise."""
        words = text.split()
        first = words[0].lower() if words else self.default
        sub = self._by_word.get(first)
        if sub is None and self.fallback is not None:
            return self._by_word[self.fallback], {"topic": text.strip()}
        if sub is None:
            raise UsageError(f"I don't know `{self.command} {first[:30]}`. Try `{self.command} help`.")
        return sub, sub.arguments_of(words[1:])

    def usage(self, sub: Subcommand[H]) -> str:
        name = "" if sub.name == self.default else f" {sub.name}"
        return f"{self.command}{name}{' ' + sub.arguments if sub.arguments else ''}"

    def help_lines(self) -> list[tuple[str, str, bool]]:
        """(usage, help line, managers only) for every subcommand, in the table's order."""
        return [(self.usage(sub), sub.help, sub.manager_only) for sub in self.subcommands]

    def usage_hint(self) -> str:
        """The manifest's ``usage_hint``: every hinted subcommand with its arguments."""
        parts = [
            sub.arguments.strip("[]") if sub.name == self.default else f"{sub.name} {sub.arguments}".strip()
            for sub in self.subcommands
            if sub.in_hint
        ]
        return f"[{' | '.join(parts)}]"
