"""Who may change a channel's quiz: workspace admins and owners, and whoever set that channel's schedule."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.calls import SlackFailure, slack_call
from bot.quiz.schedules import ChannelSchedule

log = logging.getLogger(__name__)


class Managers:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def may_manage(self, user: str, current: ChannelSchedule | None) -> bool:
        if current is not None and current.created_by == user:
            return True
        try:
            info = await slack_call(self._client.users_info, user=user)
        except SlackFailure as error:
            log.warning("users.info failed for a permission check: %s", error.reason)
            return False
        profile = info.get("user") or {}
        return bool(profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"))
