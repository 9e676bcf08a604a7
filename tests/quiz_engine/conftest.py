"""Quiz engine fixtures: a real FakeSlack whose timestamps follow a FakeClock, and real databases.

The database fixtures come from the store tests (SQLite always, PostgreSQL too with TEST_DATABASE_URL,
a fresh schema per test), so every engine test runs on each backend.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.clock import FakeClock
from bot.core.slack.client import build_client
from bot.core.store.database import Database
from bot.quiz.engine import QuizEngine
from bot.quiz.settings import QuizSettings
from bot.quiz.store import QuizStore
from slackfake import FakeSlack
from tests.quiz_engine.helpers import QUIZ, SCHEDULER, make_settings


class MakeService(Protocol):
    def __call__(
        self,
        *,
        quiz: QuizSettings = ...,
        instance_id: str = ...,
        own_engine: bool = ...,
        client: AsyncWebClient | None = ...,
        **options: Any,
    ) -> Awaitable[QuizEngine]: ...


@pytest.fixture
def make_service(
    fake: FakeSlack,
    clock: FakeClock,
    store: QuizStore,
    new_database: Callable[[], Awaitable[Database]],
) -> MakeService:
    """Builds engines on the test database; ``own_engine=True`` stands in for another process."""

    async def factory(
        *,
        quiz: QuizSettings = QUIZ,
        instance_id: str = "proc-a",
        own_engine: bool = False,
        client: AsyncWebClient | None = None,
        **options: Any,
    ) -> QuizEngine:
        settings = make_settings(fake.api_url)
        client = client or build_client(settings)
        options.setdefault("retry_delays", (0.01, 0.02))
        options.setdefault("count_interval", 0.2)
        engine_store = QuizStore(await new_database()) if own_engine else store
        return QuizEngine(engine_store, client, clock, quiz, SCHEDULER, instance_id, **options)

    return factory


@pytest.fixture
async def service(make_service: MakeService) -> QuizEngine:
    return await make_service()
