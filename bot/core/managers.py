"""Who may manage the bot's schedules: workspace admins and owners, anyone named in `QUIZ_MANAGERS`
(user ids, or user groups whose members Slack lists), and for one channel also its creator.

Features add their own owners on top (the quiz: whoever set the channel's schedule).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.calls import SlackFailure, slack_call

log = logging.getLogger(__name__)


class Managers:
    def __init__(self, client: AsyncWebClient, named: Iterable[str] = ()) -> None:
        self._client = client
        named = tuple(named)
        self._users = frozenset(item for item in named if item.startswith(("U", "W")))
        self._groups = tuple(item for item in named if item.startswith("S"))

    async def is_manager(self, user: str) -> bool:
        """A workspace admin or owner, or named in QUIZ_MANAGERS (directly or through a user group)."""
        if user in self._users or await self._in_named_group(user):
            return True
        profile = await self._profile(user)
        return bool(profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"))

    async def may_manage_channel(self, user: str, channel: str) -> bool:
        """A manager, or the channel's creator."""
        return await self.is_manager(user) or await self._created(user, channel)

    async def creator(self, channel: str) -> str | None:
        """Who created the channel, when Slack says."""
        if not channel.startswith(("C", "G")):
            return None
        try:
            reply = await slack_call(self._client.conversations_info, channel=channel)
        except SlackFailure as error:
            log.warning("conversations.info failed for a permission check: %s", error.reason)
            return None
        return (reply.get("channel") or {}).get("creator") or None

    async def created(self, user: str, channel: str) -> bool:
        """Whether *user* created *channel* (conversations.info; False when Slack does not say)."""
        return await self._created(user, channel)

    async def _in_named_group(self, user: str) -> bool:
        for group in self._groups:
            try:
                reply = await slack_call(self._client.usergroups_users_list, usergroup=group)
            except SlackFailure as error:
                log.warning("usergroups.users.list failed for a permission check: %s", error.reason)
                continue
            if user in (reply.get("users") or []):
                return True
        return False

    async def _profile(self, user: str) -> dict:
        try:
            reply = await slack_call(self._client.users_info, user=user)
        except SlackFailure as error:
            log.warning("users.info failed for a permission check: %s", error.reason)
            return {}
        return reply.get("user") or {}

    async def _created(self, user: str, channel: str) -> bool:
        return await self.creator(channel) == user
