"""The bot's welcome: who it is and what to try, for a greeting or "help", and once in a new DM."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.compare import topic_button
from bot.core.message import Message
from content.model import Topic

BOT_HANDLE = "@mlops-vs-devops"
"""How people mention the bot (the manifest's display_name)."""
STARTERS_MAX = 3
LABEL_MAX = 75

MENTION_LINE = f"• `{BOT_HANDLE} compare drift` in a channel — a topic, answered in a thread"
HOME_LINE = "• the *Home* tab — your streak, your weakest topic and today's quiz"


def things_to_try(commands: Sequence[tuple[str, str]]) -> str:
    """One line per command, `(example, description)`, then a mention and the Home tab."""
    lines = [
        f"• `{example}` — {description[:1].lower() + description[1:]}" for example, description in commands
    ]
    return "\n".join([*lines, MENTION_LINE, HOME_LINE])


def render_welcome(
    commands: Sequence[tuple[str, str]],
    starters: Sequence[Topic] = (),
    *,
    first_time: bool = False,
    in_dm: bool = True,
) -> Message:
    """What the bot is and what to try: each command's example (`commands`: `(example, description)`),
    and a few *starters* (topics) as buttons that open their card.

    *first_time*: the one welcome in a new DM. *in_dm*: also say that a topic can simply be typed there.
    """
    hello = (
        "👋 *Welcome!* I show how MLOps differs from DevOps, one topic at a time, and run a daily quiz."
        if first_time
        else "👋 *Hi!* I show how MLOps differs from DevOps, one topic at a time, and run a daily quiz."
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=hello)),
        SectionBlock(text=MarkdownTextObject(text=f"*Things to try*\n{things_to_try(commands)}")),
    ]
    buttons = [topic_button(key) for key in dict.fromkeys(c.key for c in starters)][:STARTERS_MAX]
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    tip = (
        "Here you can also just type a topic, like `monitoring` or `feature store`."
        if in_dm
        else "`/compare all` lists every topic."
    )
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=("Or pick one above. " if buttons else "") + tip)])
    )
    examples = ", ".join(example for example, _ in commands)
    fallback = f"Hi! I show how MLOps differs from DevOps. Try {examples}, or the Home tab."
    return Message.build(fallback, blocks)
