"""Authorizing Slack's requests without waiting for Slack.

Bolt's default for a one-workspace app calls auth.test on the first request and fails that request, and
every later one, for as long as Slack cannot be reached: a bot started during a Slack outage could not
answer even the commands that need nothing from Slack. The bot has one token, which is all a request
needs. auth.test is asked in the background only to learn the bot's own ids (Bolt uses them to skip the
bot's own events), and asked again on later requests until it answers.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class TokenAuthorize(AsyncAuthorize):
    """Authorizes every request with the client's bot token at once; the bot's ids once Slack told them."""

    def __init__(self, client: AsyncWebClient) -> None:
        super().__init__()
        self._client = client
        self._ids: tuple[str | None, str | None] | None = None  # (bot_id, bot_user_id)
        self._lookup: asyncio.Task[None] | None = None

    async def __call__(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_: Any
    ) -> AuthorizeResult:
        if self._ids is None and (self._lookup is None or self._lookup.done()):
            self._lookup = asyncio.create_task(self._look_up(), name="auth-test")
        bot_id, bot_user_id = self._ids or (None, None)
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=self._client.token,
            bot_id=bot_id,
            bot_user_id=bot_user_id,
        )

    async def _look_up(self) -> None:
        try:
            reply = await self._client.auth_test()
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as error:
            reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            log.warning("auth.test failed (%s); answering without the bot's own ids until it works", reason)
            return
        self._ids = (reply.get("bot_id"), reply.get("user_id"))
