"""The bot's welcome: who it is and what to try, for a greeting or "help", and once in a new DM."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.message import Message
from bot.core.text import fit, one_line
from content.model import Topic

BOT_HANDLE = "@mlops-vs-devops"
"""How people mention the bot (the manifest's display_name)."""
STARTERS_MAX = 3
LABEL_MAX = 75

TRY = "\n".join(
    (
        "• `/compare monitoring` — one topic, MLOps and DevOps side by side",
        f"• `{BOT_HANDLE} compare drift` in a channel — the same, answered in a thread",
        "• `/quiz` — a practice question · `/quiz stats` — how you're doing",
        "• the *Home* tab — your streak, your weakest topic and today's quiz",
    )
)


def render_welcome(
    starters: Sequence[Topic] = (), *, first_time: bool = False, in_dm: bool = True
) -> Message:
    """What the bot is and what to try, with a few *starters* (topics) as buttons that open their card.

    *first_time*: the one welcome in a new DM. *in_dm*: also say that a topic can simply be typed there.
    """
    hello = (
        "👋 *Welcome!* I show how MLOps differs from DevOps, one topic at a time, and run a daily quiz."
        if first_time
        else "👋 *Hi!* I show how MLOps differs from DevOps, one topic at a time, and run a daily quiz."
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=hello)),
        SectionBlock(text=MarkdownTextObject(text=f"*Things to try*\n{TRY}")),
    ]
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=fit(one_line(c.name) or c.key, LABEL_MAX), emoji=True),
            action_id=ids.open_topic(c.key),
            value=c.key,
        )
        for c in {c.key: c for c in starters}.values()
    ][:STARTERS_MAX]
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
    fallback = "Hi! I show how MLOps differs from DevOps. Try /compare monitoring, /quiz, or the Home tab."
    return Message.build(fallback, blocks)
