"""The App Home: put together from sections, published when someone opens the tab.

A section is ``async (user) -> list of block dicts`` (`bot.core.views.HomeSection`): one part of the tab
for that person, from any feature (an empty list leaves it out). `create_app` passes them in the order the
tab shows them; a feature adds one without touching the Home. A section that fails or is slow (its
database or Slack away) costs only its own part: the tab shows a one-line notice in its place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.compare import topic_modal
from bot.core.views import HomeSection, open_view, publish_home
from bot.home.blocks import render_home, render_topic_lookup, render_unavailable

log = logging.getLogger(__name__)

SECTION_SECONDS = 2.5
"""How long one section may take; a slower one is shown as unavailable rather than holding up the tab."""


class Home:
    def __init__(self, client: AsyncWebClient, sections: Sequence[HomeSection]) -> None:
        self._client = client
        self._sections = tuple(sections)

    async def view(self, user: str, notice: str = "", action: dict[str, Any] | None = None) -> dict[str, Any]:
        """The person's Home view: every section, read at the same time."""
        parts = await asyncio.gather(*(self._section(section, user) for section in self._sections))
        return render_home(parts, notice=notice, action=action)

    async def publish(self, user: str, notice: str = "", action: dict[str, Any] | None = None) -> None:
        """Publish the person's tab, with *notice* (mrkdwn we wrote: what their last click did) on top,
        and beside it *action* (a button, such as *Undo*)."""
        await publish_home(self._client, user, await self.view(user, notice, action))

    async def open_topic(self, trigger_id: str, key: str) -> None:
        """A topic picked in the tab's menu: its card in a modal."""
        view = topic_modal(key)
        if view is not None:
            await open_view(self._client, trigger_id, view)

    async def _section(self, section: HomeSection, user: str) -> list[dict[str, Any]]:
        try:
            async with asyncio.timeout(SECTION_SECONDS):
                return list(await section(user))
        except Exception:  # one part failing must not blank the whole tab
            log.warning("a Home section failed; showing the rest", exc_info=True)
            return render_unavailable()


def topic_lookup() -> HomeSection:
    """The Home's own section: a menu of every topic; picking one opens its card."""

    async def section(user: str) -> list[dict[str, Any]]:
        return render_topic_lookup(content.topics())

    return section
