"""What listeners and background jobs share: settings, the clock, the client, the store and the quiz."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.quiz.calls import db
from bot.settings import Settings
from bot.slack_client import share_connections

if TYPE_CHECKING:
    from bot.backend import Backend
    from bot.quiz.service import QuizService
    from bot.store import QuizStore

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10


class Services:
    db = staticmethod(db)

    def __init__(self, settings: Settings, clock: Clock, client: AsyncWebClient, quiz_poll_seconds: float):
        self.settings = settings
        self.clock = clock
        self.client = client
        self.quiz_poll_seconds = quiz_poll_seconds
        self._backend: Backend | None = None
        self._connections: ClientSession | None = None
        self._opened = asyncio.Event()
        self._after_ack: set[asyncio.Task[None]] = set()

    async def open(self) -> None:
        """Open the database and build the quiz engine (in a worker thread); raises StartupError."""

        def build() -> Backend:
            from bot.backend import open_backend

            return open_backend(self.settings, self.client, self.clock)

        self._connections = share_connections(self.client)
        self._backend = await asyncio.to_thread(build)
        self._opened.set()

    async def ready(self) -> None:
        """Wait until `open` has finished (only the first moments after a start ever wait)."""
        await self._opened.wait()

    @property
    def store(self) -> QuizStore:
        assert self._backend is not None, "await ready() first"
        return self._backend.store

    @property
    def quiz(self) -> QuizService:
        assert self._backend is not None, "await ready() first"
        return self._backend.quiz

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` once the listener has returned, i.e. after Slack has its ack.

        Listeners run before the response goes out (so the ack needs no second round trip and costs no
        polling); anything that talks to Slack after the ack is handed over here instead.
        """
        task = asyncio.ensure_future(work)
        self._after_ack.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._after_ack.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("work after an ack failed", exc_info=task.exception())

    async def start_background(self) -> None:
        await self.open()
        self.quiz.start(self.quiz_poll_seconds)

    async def stop_background(self) -> None:
        """Stop the scheduler; replies already under way get a moment to reach Slack."""
        if self._backend is not None:
            await self.quiz.stop()
        if self._after_ack:
            await asyncio.wait(set(self._after_ack), timeout=DRAIN_SECONDS)
        if self._connections is not None:
            await self._connections.close()
