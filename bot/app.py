"""`create_app`: builds the Bolt app and every feature from one `Settings`, by constructor injection.

The only module that knows every feature; features know the shared pieces in `bot.core` and nothing above.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

import content
from bot import compare, quiz
from bot.compare.replies import comparison_message
from bot.core.after_ack import AfterAck
from bot.core.clock import Clock, SystemClock
from bot.core.events import EventDedupe
from bot.core.settings import Settings
from bot.core.slack import errors
from bot.core.slack.authorize import TokenAuthorize
from bot.core.slack.client import build_client, share_connections
from bot.core.store.database import Database, StoreUnavailable
from bot.core.store.event_ids import EventLog
from bot.quiz.engine import QuizEngine
from bot.quiz.permissions import Managers
from bot.quiz.service import QuizService
from bot.quiz.store import QuizStore

log = logging.getLogger(__name__)
BOLT_LOG = logging.getLogger("bot.bolt")
# Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client we pass wins;
# that client already carries the same token, so the warning would only mislead operators.
BOLT_LOG.addFilter(lambda record: record.getMessage() != warning_client_prioritized_and_token_skipped())
OPEN_RETRY_DELAYS = (1.0, 30.0)
"""Pauses between attempts to open a database that was out of reach at start: the first, doubled after each
failed attempt, up to the second."""


@dataclass
class BotApp:
    """Everything one bot process runs; `bot.serve` starts and stops it around a transport."""

    bolt: AsyncApp
    client: AsyncWebClient
    database: Database
    quiz_engine: QuizEngine
    later: AfterAck
    mode: str
    open_retry_delays: tuple[float, float] = OPEN_RETRY_DELAYS
    _connections: ClientSession | None = field(default=None, repr=False)
    _opening: asyncio.Task[None] | None = field(default=None, repr=False)

    async def start(self) -> None:
        """Open the database and start the quiz scheduler, once the transport is up.

        A database out of reach does not stop the bot: what needs none (/compare, mentions, DMs) answers,
        what does says "try again in a moment", and the database is tried again in the background until
        it opens; the scheduler starts then.
        """
        self._connections = share_connections(self.client)
        # Replies that listeners send (say, chat.postMessage) reuse the same keep-alive connections.
        self.bolt.client.session = self._connections
        first, _ = self.open_retry_delays
        if await self._open_database(retry_in=first):
            self.quiz_engine.start()
        else:
            self._opening = asyncio.create_task(self._keep_opening(), name="database-open")

    async def _open_database(self, *, retry_in: float) -> bool:
        try:
            await self.database.open()
        except StoreUnavailable as error:
            log.warning("cannot open the database (%s); trying again in %g s", error, retry_in)
            return False
        return True

    async def _keep_opening(self) -> None:
        delay, longest = self.open_retry_delays
        while True:
            await asyncio.sleep(delay)
            delay = min(delay * 2, longest)
            if await self._open_database(retry_in=delay):
                log.info("database open; the quiz scheduler starts")
                self.quiz_engine.start()
                return

    async def stop(self) -> None:
        """Stop the scheduler; replies already under way get a moment to reach Slack."""
        if self._opening is not None:
            self._opening.cancel()
            await asyncio.gather(self._opening, return_exceptions=True)
        await self.quiz_engine.stop()
        await self.later.drain()
        if self._connections is not None:
            await self._connections.close()
        await self.database.close()

    async def health(self) -> dict[str, Any]:
        """Liveness: 200 whenever the process serves; the database as last seen (see `readiness`)."""
        return {
            "ok": True,
            "mode": self.mode,
            "categories": len(content.categories()),
            "database": self.database.state,
        }

    async def readiness(self) -> dict[str, Any]:
        """Ready when the database answers a trivial query within its short bound."""
        try:
            await self.database.ping()
        except StoreUnavailable:
            return {"ready": False, "database": "unavailable"}
        return {"ready": True, "database": "ok"}


def create_app(
    settings: Settings, client: AsyncWebClient | None = None, *, clock: Clock | None = None
) -> BotApp:
    content.load()  # fail fast on broken content, and pay the parsing cost before the first request
    client = client or build_client(settings)
    clock = clock or SystemClock()
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
        # delay, and whatever talks to Slack after the ack goes through `AfterAck`.
        process_before_response=True,
        logger=BOLT_LOG,
    )
    later = AfterAck()
    database = Database(settings.database_url)
    quiz_store = QuizStore(database)
    engine = QuizEngine(quiz_store, client, clock, settings.quiz, instance_id=uuid.uuid4().hex[:12])
    quiz_service = QuizService(
        quiz_store,
        engine,
        Managers(client),
        clock,
        settings.quiz,
        compare_card=lambda key: comparison_message(key, in_channel=True),
    )

    errors.register(bolt)
    compare.register(bolt, later, EventDedupe(EventLog(database), clock, later))
    quiz.register(bolt, quiz_service, later)
    mode = "socket" if settings.socket_mode else "http"
    return BotApp(bolt=bolt, client=client, database=database, quiz_engine=engine, later=later, mode=mode)
