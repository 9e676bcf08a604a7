"""`create_app`: builds the Bolt app and everything its listeners need, from one `Settings`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.authorize import TokenAuthorize
from bot.clock import Clock, SystemClock
from bot.listeners import register_listeners
from bot.services import Services
from bot.settings import Settings
from bot.slack_client import build_client

log = logging.getLogger(__name__)
BOLT_LOG = logging.getLogger("bot.bolt")
# Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client we pass wins;
# that client already carries the same token, so the warning would only mislead operators.
BOLT_LOG.addFilter(lambda record: record.getMessage() != warning_client_prioritized_and_token_skipped())


@dataclass
class BotApp:
    bolt: AsyncApp
    services: Services
    mode: str

    async def start(self) -> None:
        """Open the database and start the quiz scheduler, once the transport is up; StartupError if the
        database cannot be opened."""
        await self.services.start_background()
        # Replies that listeners send (say, chat.postMessage) reuse the same keep-alive connections.
        self.bolt.client.session = self.services.client.session

    async def stop(self) -> None:
        await self.services.stop_background()

    async def health(self) -> dict[str, Any]:
        return {"ok": True, "mode": self.mode, "categories": len(content.categories())}


def create_app(
    settings: Settings,
    client: AsyncWebClient | None = None,
    *,
    clock: Clock | None = None,
    quiz_poll_seconds: float | None = None,
) -> BotApp:
    """``quiz_poll_seconds`` overrides ``QUIZ_POLL_INTERVAL`` (tests tick much faster)."""
    content.load()  # fail fast on broken content, and pay the parsing cost before the first request
    client = client or build_client(settings)
    bolt = AsyncApp(
        # Bolt gives each request a copy of this client (URL, timeout, retries) with the token `authorize`
        # returns; authorizing never waits for Slack, so commands answer even while Slack is away.
        client=AsyncWebClient(
            base_url=client.base_url, timeout=client.timeout, retry_handlers=client.retry_handlers
        ),
        authorize=TokenAuthorize(client),
        signing_secret=settings.slack_signing_secret or "socket-mode",
        # The HTTP server verifies signatures itself before parsing; Socket Mode needs none.
        request_verification_enabled=False,
        # Listeners finish before the response goes out: the answer rides in the ack with no polling
        # delay, and whatever talks to Slack after the ack goes through `Services.later`.
        process_before_response=True,
        logger=BOLT_LOG,
    )
    if quiz_poll_seconds is None:
        quiz_poll_seconds = settings.quiz.poll_interval.total_seconds()
    services = Services(settings, clock or SystemClock(), client, quiz_poll_seconds)
    register_listeners(bolt, services)
    return BotApp(bolt=bolt, services=services, mode="socket" if settings.socket_mode else "http")
