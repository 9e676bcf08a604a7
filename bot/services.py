"""What listeners and background jobs share: settings, the store, the clock, the client and the quiz."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.quiz.service import QuizService
from bot.settings import Settings
from bot.store import QuizStore

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: QuizStore
    clock: Clock
    client: AsyncWebClient
    quiz: QuizService
    quiz_poll_seconds: float

    async def db(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking store call off the event loop."""
        return await asyncio.to_thread(method, *args, **kwargs)

    def start_background(self) -> list[asyncio.Task[None]]:
        return self.quiz.start(self.quiz_poll_seconds)

    async def stop_background(self) -> None:
        await self.quiz.stop()
