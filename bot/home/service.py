"""The App Home: put together from section providers, published when someone opens the tab, and what its
buttons do.

A section provider is ``async (user) -> list of block dicts``: one part of the tab for that person (an
empty list leaves it out). `create_app` passes the providers in the order the tab shows them; any feature
can add one without touching the Home. A provider that fails (its database or Slack away) costs only its
own part: the tab shows a one-line notice in its place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.compare.modal import topic_modal
from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.views import open_view, publish_home
from bot.home.blocks import (
    PRACTICE_NOT_SENT,
    practice_sent,
    render_edit_help,
    render_home,
    render_unavailable,
)
from bot.quiz.commands import QUIZ
from bot.quiz.service import QuizRequest, QuizService

log = logging.getLogger(__name__)

HomeSection = Callable[[str], Awaitable[list[dict[str, Any]]]]
"""One part of the Home tab: ``async (user id) -> block dicts`` (an empty list: nothing to show)."""

SECTION_SECONDS = 2.5
"""How long one section may take; a slower one is shown as unavailable rather than holding up the tab."""
STOP, _ = QUIZ.parse("stop")


class Home:
    def __init__(self, client: AsyncWebClient, sections: Sequence[HomeSection], quiz: QuizService) -> None:
        self._client = client
        self._sections = tuple(sections)
        self._quiz = quiz

    async def view(self, user: str, notice: str = "") -> dict[str, Any]:
        """The person's Home view: every section, read at the same time."""
        parts = await asyncio.gather(*(self._section(section, user) for section in self._sections))
        return render_home(parts, notice=notice)

    async def publish(self, user: str, notice: str = "") -> None:
        await publish_home(self._client, user, await self.view(user, notice))

    async def practice(self, user: str, value: str) -> None:
        """*Practice this* on the tab: the question goes to the person's DM (the Home has no response_url,
        and a DM keeps its answer buttons working), and the tab says where it went."""
        message = self._quiz.practice_topic(value)
        try:
            posted = await slack_call(self._client.chat_postMessage, channel=user, **message.as_kwargs())
        except SlackFailure as error:
            log.warning("could not send a practice question to a DM: %s", error.reason)
            await self.publish(user, PRACTICE_NOT_SENT)
            return
        link = await permalink(self._client, str(posted.get("channel") or ""), str(posted.get("ts") or ""))
        await self.publish(user, practice_sent(_topic_name(value), link))

    async def stop(self, user: str, channel: str) -> None:
        """*Stop* next to a channel's quiz: the quiz's own rule decides, and the tab says what happened."""
        reply = await self._quiz.run(STOP, QuizRequest(user=user, channel=channel), {"channel": channel})
        await self.publish(user, reply.text)

    async def open_topic(self, trigger_id: str, key: str) -> None:
        """A topic picked in the tab's menu: its card in a modal."""
        view = topic_modal(key)
        if view is not None:
            await open_view(self._client, trigger_id, view)

    async def explain_editing(self, trigger_id: str, channel: str) -> None:
        """*Edit* while the quiz offers no schedule form: a modal saying how to change it by command."""
        await open_view(self._client, trigger_id, render_edit_help(channel))

    async def _section(self, section: HomeSection, user: str) -> list[dict[str, Any]]:
        try:
            async with asyncio.timeout(SECTION_SECONDS):
                return list(await section(user))
        except Exception:  # one part failing must not blank the whole tab
            log.warning("a Home section failed; showing the rest", exc_info=True)
            return render_unavailable()


async def permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """chat.getPermalink of one message; None when Slack does not give one."""
    if not channel or not ts:
        return None
    try:
        reply = await slack_call(client.chat_getPermalink, channel=channel, message_ts=ts)
    except SlackFailure as error:
        log.warning("chat.getPermalink failed: %s", error.reason)
        return None
    return str(reply.get("permalink") or "") or None


def _topic_name(key: str) -> str | None:
    try:
        return content.topic(key).name
    except KeyError:
        return None
