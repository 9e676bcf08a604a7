"""Quiz engine fixtures: a real FakeSlack whose timestamps follow a FakeClock, and real databases.

The database fixtures come from the store tests (SQLite always, PostgreSQL too with TEST_DATABASE_URL,
a fresh schema per test), so every engine test runs on each backend.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.slack.client import build_client
from bot.core.store.database import Database
from bot.quiz.answers import Answers
from bot.quiz.engine import QuizEngine
from bot.quiz.settings import QuizSettings
from slackfake import FakeSlack
from slackfake.clock import FakeClock
from tests.fixtures.databases import Queries
from tests.fixtures.quiz import QUIZ, SCHEDULER, MakeService, make_settings


@pytest.fixture
def make_service(
    fake: FakeSlack,
    clock: FakeClock,
    store: Queries,
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
        database = await new_database() if own_engine else store.database
        return QuizEngine(database, client, clock, quiz, SCHEDULER, instance_id, **options)

    return factory


@pytest.fixture
async def service(make_service: MakeService) -> QuizEngine:
    return await make_service()


@pytest.fixture
def answers(service: QuizEngine, fake: FakeSlack, clock: FakeClock, store: Queries) -> Answers:
    """The answer buttons of `service`'s posts, on the same database (live counts every 0.2 s)."""
    client = build_client(make_settings(fake.api_url))
    return Answers(store.database, client, clock, service.poster, count_interval=0.2)
