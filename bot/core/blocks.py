"""Block Kit pieces every feature uses: sections, context lines, headers, dates, notices and help.

Text marked *markup* is mrkdwn we wrote and is safe as it is; anything a person typed (and content text) is
escaped first (`bot.core.text`). Every piece shortens its text to Slack's limits, so no content makes a
builder raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core.message import FIELD_MAX, TEXT_MAX, Message
from bot.core.text import escape, fit, one_line, shorten

if TYPE_CHECKING:
    from bot.core.commands import CommandTable

HEADER_MAX = 150
"""Slack's limit on a header block's text."""
LABEL_MAX = 75
"""Slack's limit on a button's label."""


def section(markup: str, *, verbatim: bool = False) -> SectionBlock:
    """A mrkdwn section; `verbatim` shows channel names and mentions as typed, without auto-linking."""
    text = shorten(markup.strip(), TEXT_MAX) or "—"
    return SectionBlock(text=MarkdownTextObject(text=text, verbatim=verbatim))


def context(markup: str, *, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=shorten(markup, FIELD_MAX))], block_id=block_id)


def header(title: str) -> HeaderBlock:
    return HeaderBlock(text=plain(title, HEADER_MAX))


def plain(text: str, limit: int = LABEL_MAX) -> PlainTextObject:
    """Plain text on one line within `limit` (a button's label, a header), escaped as Slack expects."""
    return PlainTextObject(text=fit(one_line(text), limit), emoji=True)


def slack_date(when: dt.datetime, form: str = "{date_short_pretty} at {time}", fallback: str = "") -> str:
    """A date Slack shows in each reader's own time zone, with *fallback* (UTC by default) for old clients."""
    if when.tzinfo is None:
        raise ValueError("expected an aware datetime")
    fallback = fallback or when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{form}|{fallback}>"


def render_notice(markup: str) -> Message:
    """A short notice (a refusal, "try again", why a command was not understood): `markup` is ours, with
    anything typed already escaped. Shown verbatim: no auto-linked channel names or mentions."""
    block = section(markup, verbatim=True)
    return Message.build(block.text.text, [block])  # type: ignore[union-attr]


def render_command_help(
    table: CommandTable, *, note: str = "", others: Sequence[tuple[str, str]] = ()
) -> Message:
    """Every subcommand of `table`, one line each, the managers' ones apart; `note` (plain text, e.g. why
    the command was not understood) above them; `others` (command, description), one line at the end."""
    everyone = [line for line in table.help_lines() if not line[2]]
    managers = [line for line in table.help_lines() if line[2]]
    blocks: list[Block] = [header(f"MLOps vs DevOps: {table.command}")]
    if note:
        blocks.append(section(escape(note), verbatim=True))
    blocks.append(section(f"{table.description}.\n" + "\n".join(_help_line(*line) for line in everyone)))
    if managers:
        lines = "\n".join(_help_line(*line) for line in managers)
        blocks.append(section(f"*For {table.managers}*\n{lines}"))
    if table.help_note:
        blocks.append(context(table.help_note))
    if others:
        blocks.append(
            context(
                "Also: "
                + " · ".join(f"`{command}` — {about[:1].lower() + about[1:]}" for command, about in others)
            )
        )
    usages = ", ".join(usage for usage, *_ in table.help_lines())
    return Message.build(f"{table.command} commands: {usages}", blocks)


def _help_line(usage: str, description: str, _managers: bool) -> str:
    return f"• `{usage}` — {description}"
