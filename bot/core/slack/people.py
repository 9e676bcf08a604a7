"""What Slack knows about a person that the bot uses: their time zone and the name they go by."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.timecodes import is_timezone, parse_timezone

log = logging.getLogger(__name__)


class People:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def time_zone(self, user: str) -> ZoneInfo | None:
        """The zone set in the person's Slack profile; None when Slack does not say (or is away)."""
        try:
            reply = await slack_call(self._client.users_info, user=user)
        except SlackFailure as error:
            log.warning("users.info failed while looking up a time zone: %s", error.reason)
            return None
        name = str((reply.get("user") or {}).get("tz") or "")
        return parse_timezone(name) if is_timezone(name) else None

    async def name(self, user: str) -> str | None:
        """The name the person goes by in Slack (display name, else real name); None when Slack does not
        say. For lists in a channel, where a mention would notify everyone named."""
        try:
            reply = await slack_call(self._client.users_info, user=user)
        except SlackFailure as error:
            log.warning("users.info failed while looking up a name: %s", error.reason)
            return None
        found = reply.get("user") or {}
        profile = found.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or found.get("real_name")
        return str(name) if name else None
