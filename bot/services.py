"""What listeners and background jobs share: settings, the store, the clock and the Web API client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.settings import Settings
from bot.store import QuizStore

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: QuizStore
    clock: Clock
    client: AsyncWebClient
    instance_id: str

    async def db(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a blocking store call off the event loop."""
        return await asyncio.to_thread(method, *args, **kwargs)

    async def start_background(self) -> list[asyncio.Task[None]]:
        return []

    async def stop_background(self) -> None:
        return None
