"""`create_app`: builds the Bolt app and everything its listeners need, from one `Settings`."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import SQLAlchemyError

import content
from bot.authorize import TokenAuthorize
from bot.clock import Clock, SystemClock
from bot.listeners import register_listeners
from bot.quiz.service import QuizService
from bot.services import Services
from bot.settings import Settings
from bot.slack_client import build_client
from bot.store import QuizStore, make_engine, upgrade

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start (e.g. the database is unreachable); `str()` is one line for the operator."""


@dataclass
class BotApp:
    bolt: AsyncApp
    services: Services
    mode: str

    async def start(self) -> None:
        """Start background work (the quiz scheduler) once the transport is up."""
        self.services.start_background()

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
    store = _open_store(settings.database_url)
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
        logger=logging.getLogger("bot.bolt"),
    )
    clock = clock or SystemClock()
    quiz = QuizService(
        store, client, clock, settings, instance_id=uuid.uuid4().hex[:12], lease=settings.quiz.claim_lease
    )
    if quiz_poll_seconds is None:
        quiz_poll_seconds = settings.quiz.poll_interval.total_seconds()
    services = Services(settings, store, clock, client, quiz, quiz_poll_seconds)
    register_listeners(bolt, services)
    return BotApp(bolt=bolt, services=services, mode="socket" if settings.socket_mode else "http")


def _open_store(database_url: str) -> QuizStore:
    try:
        engine = make_engine(database_url)
        upgrade(engine)
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise StartupError(f"DATABASE_URL: cannot open the database ({reason})") from None
    return QuizStore(engine)
