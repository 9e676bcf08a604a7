"""Authorizing Slack's requests without waiting for Slack.

Bolt's default for a one-workspace app calls auth.test on the first request and fails that request, and
every later one, for as long as Slack cannot be reached: a bot started during a Slack outage could not
answer even the commands that need nothing from Slack. The bot has one token, which is all a request
needs. auth.test is asked in the background only to learn the bot's own ids (Bolt uses them to skip the
bot's own events):

- once it answered, never again;
- if Slack refuses the token (revoked, invalid, the account deactivated), that is logged once and not
  asked again: the answer would not change until an operator replaces the token and restarts;
- any other failure (Slack away, a 5xx, a timeout) is tried again on a later request, but only after a
  pause that doubles each time (1 s, 2 s, 4 s … at most 5 minutes), not on every request.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.clock import Clock, SystemClock
from bot.core.slack.calls import SlackFailure, safe, slack_call

log = logging.getLogger(__name__)

REFUSED_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)
"""auth.test's answers that mean the token itself will not work again."""
FIRST_RETRY = timedelta(seconds=1)
MAX_RETRY = timedelta(minutes=5)


class TokenAuthorize(AsyncAuthorize):
    """Authorizes every request with the client's bot token at once; the bot's ids once Slack told them."""

    def __init__(self, client: AsyncWebClient, clock: Clock | None = None) -> None:
        super().__init__()
        self._client = client
        self._clock = clock or SystemClock()
        self._ids: tuple[str | None, str | None] | None = None  # (bot_id, bot_user_id)
        self._refused: str | None = None
        self._lookup: asyncio.Task[None] | None = None
        self._next_try: datetime | None = None
        self._pause = FIRST_RETRY

    async def __call__(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_: Any
    ) -> AuthorizeResult:
        if self._should_look_up():
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

    def _should_look_up(self) -> bool:
        if self._ids is not None or self._refused is not None:
            return False
        if self._lookup is not None and not self._lookup.done():
            return False
        return self._next_try is None or self._clock.now() >= self._next_try

    async def _look_up(self) -> None:
        try:
            reply = await slack_call(self._client.auth_test)
        except SlackFailure as failure:
            if failure.reason in REFUSED_TOKEN:
                self._refused = failure.reason
                log.error(
                    "Slack refused the bot token (%s): replies that need Slack will fail until "
                    "SLACK_BOT_TOKEN is replaced and the bot restarted; not asking auth.test again",
                    safe(failure.reason),
                )
                return
            self._next_try = self._clock.now() + self._pause
            log.warning(
                "auth.test failed (%s); answering without the bot's own ids; next try in %d s or later",
                safe(failure.reason),
                self._pause.total_seconds(),
            )
            self._pause = min(self._pause * 2, MAX_RETRY)
            return
        self._ids = (reply.get("bot_id"), reply.get("user_id"))
