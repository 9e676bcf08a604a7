"""What listeners and background jobs share: settings, the store, the clock, the client and the quiz."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.quiz.calls import db
from bot.quiz.service import QuizService
from bot.settings import Settings
from bot.store import QuizStore

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: QuizStore
    clock: Clock
    client: AsyncWebClient
    quiz: QuizService
    quiz_poll_seconds: float
    _after_ack: set[asyncio.Task[None]] = field(default_factory=set)

    db = staticmethod(db)

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

    def start_background(self) -> list[asyncio.Task[None]]:
        return self.quiz.start(self.quiz_poll_seconds)

    async def stop_background(self) -> None:
        """Stop the scheduler; replies already under way get a moment to reach Slack."""
        await self.quiz.stop()
        if self._after_ack:
            await asyncio.wait(set(self._after_ack), timeout=DRAIN_SECONDS)
