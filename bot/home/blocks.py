"""The App Home tab as Block Kit dicts: pure builders.

The tab is a list of sections, each a list of blocks from one feature (`bot.core.views.HomeSection`); the
builders here make the Home's own parts and put the sections together within Slack's 100 blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import DividerBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.compare import topic_menu
from bot.core.blocks import context, header, section
from bot.home import ids
from content.model import Topic

HOME_BLOCKS_MAX = 100
"""Slack's limit on the blocks of a Home tab."""
TITLE = "MLOps vs DevOps"
INTRO = (
    "How MLOps differs from DevOps, one topic at a time. Type `/compare monitoring` anywhere, or mention me."
)
UNAVAILABLE = ":warning: This part isn't available right now. Open the tab again in a moment."
LEFT_OUT = "Some of this page didn't fit. `/quiz status #channel` and `/compare all` show the rest."


def render_home(
    sections: Sequence[Sequence[dict[str, Any]]],
    *,
    notice: str = "",
    action: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Home view: a title and intro, *notice* (mrkdwn we wrote, e.g. what the last click did) with
    *action* (a button) beside it, then each non-empty section after a divider. Sections that would take
    it past 100 blocks are left out, and a line says so."""
    blocks: list[dict[str, Any]] = [header(TITLE).to_dict(), context(INTRO).to_dict()]
    if notice.strip():
        blocks.append(section(notice).to_dict() | ({"accessory": action} if action else {}))
    left_out = False
    for part in sections:
        if not part:
            continue
        if len(blocks) + 1 + len(part) > HOME_BLOCKS_MAX - 1:  # one block stays free for LEFT_OUT
            left_out = True
            continue
        blocks = [*blocks, DividerBlock().to_dict(), *part]
    if left_out:
        blocks.append(context(LEFT_OUT).to_dict())
    return View(type="home", blocks=blocks).to_dict()


def render_topic_lookup(topics: Sequence[Topic]) -> list[dict[str, Any]]:
    """A menu of every topic; picking one opens its card in a modal."""
    menu = topic_menu(topics, ids.HOME_PICK_TOPIC, placeholder="Pick a topic…")
    text = (
        f"*Look up a topic*\nHow MLOps and DevOps differ on any of {len(topics)} topics, side by side."
        if menu is not None
        else "*Look up a topic*\nType `/compare all` to see every topic."
    )
    return [SectionBlock(text=MarkdownTextObject(text=text), accessory=menu).to_dict()]


def render_unavailable() -> list[dict[str, Any]]:
    """What stands in for a section whose data could not be read (the database or Slack away)."""
    return [context(UNAVAILABLE).to_dict()]
