"""What Slack knows about a person that the bot uses: their time zone and the name Slack shows."""

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

    async def display_name(self, user: str) -> str | None:
        """The name Slack shows for the person (display name, else real name); None when Slack does not
        say. Plain text as they typed it: escape it before use in a message. Lists in a channel use it instead
        of a mention, which would notify everyone named."""
        try:
            reply = await slack_call(self._client.users_info, user=user)
        except SlackFailure as error:
            log.warning("users.info failed while looking up a name: %s", error.reason)
            return None
        person = reply.get("user") or {}
        profile = person.get("profile") or {}
        for name in (profile.get("display_name"), profile.get("real_name"), person.get("real_name")):
            if name and str(name).strip():
                return str(name).strip()
        return None
